"""The organisation's logo: checked by content, refused with a message, used on the PDF and the
shared page."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments.logo import (
    LOGO_DIMENSIONS_MESSAGE,
    LOGO_NOT_IMAGE_MESSAGE,
    LOGO_SVG_REFUSED_MESSAGE,
    LOGO_TOO_LARGE_MESSAGE,
    LogoError,
    logo_check,
    organisation_logo_bytes,
    organisation_logo_set,
)
from assessments.models import Membership, Organisation
from reports.sharing import share_link_create
from tests.reports.test_report import reader

pytestmark = pytest.mark.django_db

LOGO_URL = "/organisation/logo/"
PLAIN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#1f4e8c"/></linearGradient></defs>'
    b'<rect width="120" height="40" fill="url(#g)"/><text x="4" y="28">Voorbeeld</text></svg>'
)
REFUSED_SVGS = {
    "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "event handler": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
    "javascript link": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<a xlink:href="javascript:alert(1)"><rect width="9" height="9"/></a></svg>'
    ),
    "external use": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/x.svg#a"/></svg>'
    ),
    "external image": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://169.254.169.254/"/></svg>'
    ),
    "foreign object": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/'
        b'1999/xhtml"><script>alert(1)</script></div></foreignObject></svg>'
    ),
    "style sheet": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/);'
        b"</style></svg>"
    ),
    "external fill": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/#g)"/></svg>'
    ),
    "xhtml script": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script xmlns="http://www.w3.org/1999/xhtml">'
        b"alert(1)</script></svg>"
    ),
    "animation": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" '
        b'to="javascript:alert(1)"/></a></svg>'
    ),
}


def png(width: int = 200, height: int = 80, kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 140)).save(buffer, kind)
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "logo.png"):
    return client.post(LOGO_URL, {"logo": SimpleUploadedFile(name, content)})


def test_png_jpeg_and_a_plain_svg_are_accepted():
    assert logo_check(png()).content_type == "image/png"
    assert logo_check(png(kind="JPEG")).content_type == "image/jpeg"
    assert logo_check(PLAIN_SVG).content_type == "image/svg+xml"


@pytest.mark.parametrize("name", sorted(REFUSED_SVGS))
def test_an_svg_with_more_than_a_drawing_is_refused(name):
    with pytest.raises(LogoError) as refused:
        logo_check(REFUSED_SVGS[name])
    assert refused.value.message in (LOGO_SVG_REFUSED_MESSAGE, LOGO_NOT_IMAGE_MESSAGE)


def test_an_svg_with_an_entity_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&a;&a;</text></svg>'
    )
    with pytest.raises(LogoError) as refused:
        logo_check(bomb)
    assert refused.value.message == LOGO_NOT_IMAGE_MESSAGE


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not a picture", LOGO_NOT_IMAGE_MESSAGE),
        (b"", LOGO_NOT_IMAGE_MESSAGE),
        (png()[:60], LOGO_NOT_IMAGE_MESSAGE),
        (png(kind="GIF"), LOGO_NOT_IMAGE_MESSAGE),
        (png(4001, 20), LOGO_DIMENSIONS_MESSAGE),
        (png(8, 8), LOGO_DIMENSIONS_MESSAGE),
        (b"<html><script>alert(1)</script></html>", LOGO_NOT_IMAGE_MESSAGE),
        (PLAIN_SVG.replace(b'width="120"', b'width="90000"'), LOGO_DIMENSIONS_MESSAGE),
    ],
    ids=["pdf", "empty", "truncated png", "gif", "too wide", "too small", "html", "huge svg"],
)
def test_a_file_that_is_no_acceptable_image_is_refused(content, message):
    with pytest.raises(LogoError) as refused:
        logo_check(content)
    assert refused.value.message == message


def test_a_logo_over_1_mb_is_refused_before_it_is_opened():
    with pytest.raises(LogoError) as refused:
        logo_check(b"\x89PNG" + b"0" * 1_000_000)
    assert refused.value.message == LOGO_TOO_LARGE_MESSAGE


def test_the_admin_uploads_a_logo_stored_under_its_hash(people):
    response = upload(reader(people.admin), png())

    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=people.organisation.pk)
    assert organisation.logo.name.startswith("organisations/logos/")
    assert organisation.logo.name.endswith(".png")
    assert default_storage.exists(organisation.logo.name)
    assert organisation_logo_bytes(organisation) == (png(), "image/png")
    page = reader(people.admin).get(LOGO_URL).content.decode()
    assert 'src="data:image/png;base64,' in page


def test_a_refused_logo_gets_a_message_in_the_users_language(people):
    response = upload(reader(people.admin, "nl-be"), REFUSED_SVGS["script"], "logo.svg")

    assert response.status_code == 400
    assert "Deze SVG bevat een script" in response.content.decode()
    assert not Organisation.objects.get(pk=people.organisation.pk).logo


def test_a_too_large_upload_is_refused_with_a_message(people):
    response = upload(reader(people.admin), b"\x89PNG" + b"0" * 1_100_000)

    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()


def test_the_admin_removes_the_logo(people):
    organisation_logo_set(organisation=people.organisation, content=png())

    response = reader(people.admin).post(LOGO_URL, {"remove": "1"})

    assert response.status_code == 302
    assert organisation_logo_bytes(Organisation.objects.get(pk=people.organisation.pk)) is None


@pytest.mark.parametrize("role", ["viewer", "respondent"])
def test_only_admins_change_the_logo(people, role):
    client = reader(getattr(people, role))
    assert client.get(LOGO_URL).status_code == 403
    assert upload(client, png()).status_code == 403
    assert not Organisation.objects.get(pk=people.organisation.pk).logo


def test_the_shared_page_shows_the_logo(people, submitted):
    organisation_logo_set(organisation=people.organisation, content=PLAIN_SVG)
    admin = Membership.objects.select_related("organisation").get(user=people.admin)
    _link, token = share_link_create(assessment=submitted, membership=admin)

    page = reader(people.viewer).get(reverse("shared:report", args=[token])).content.decode()

    assert 'class="shared-logo" src="data:image/svg+xml;base64,' in page


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler-utils missing")
def test_the_pdf_carries_the_logo(people, submitted):
    without = reader(people.viewer).get(reverse("reports:report_pdf", args=[submitted.pk]))
    organisation_logo_set(organisation=people.organisation, content=png(300, 100))

    with_logo = reader(people.viewer).get(reverse("reports:report_pdf", args=[submitted.pk]))

    assert images(with_logo.content) == images(without.content) + 1


def images(content: bytes) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(content)
        listed = subprocess.run(
            ["pdfimages", "-list", path], capture_output=True, text=True, check=True
        )
    return len(listed.stdout.splitlines()) - 2
