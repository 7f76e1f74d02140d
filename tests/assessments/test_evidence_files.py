"""Evidence files and links: the type comes from the content, names and links are checked."""

import io

import pytest

from assessments.evidence_files import (
    FILE_EMPTY,
    FILE_TYPE_REFUSED,
    FILE_ZIP_REFUSED,
    EvidenceFileError,
    file_type_detect,
    filename_check,
    link_check,
    link_domain,
)
from tests import evidence_samples as samples


def detect(content: bytes, name: str) -> str:
    return file_type_detect(io.BytesIO(content), name=name, size=len(content)).content_type


@pytest.mark.parametrize(
    ("make", "name", "content_type"),
    [
        (samples.pdf, "strategie.pdf", "application/pdf"),
        (samples.png, "dashboard.png", "image/png"),
        (samples.jpeg, "foto.JPG", "image/jpeg"),
        (samples.csv, "webcare.csv", "text/csv"),
        (
            samples.docx,
            "reactieschema.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            samples.xlsx,
            "cijfers.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (samples.odt, "beleid.odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_accepted_types_are_found_by_content(make, name, content_type):
    assert detect(make(), name) == content_type


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (samples.exe, "strategie.pdf"),
        (samples.html, "dashboard.png"),
        (samples.html, "cijfers.csv"),
        (samples.png_with_zip, "dashboard.png"),
        (samples.jpeg_with_html, "foto.jpg"),
        (samples.pdf_with_zip, "besluit.pdf"),
        (samples.docm_with_macros, "schema.docx"),
        (samples.pdf, "strategie.png"),
        (samples.png, "strategie"),
    ],
)
def test_content_that_is_not_what_it_claims_is_refused(make, name):
    with pytest.raises(EvidenceFileError) as refused:
        detect(make(), name)
    assert refused.value.message == FILE_TYPE_REFUSED


def test_an_empty_file_is_refused():
    with pytest.raises(EvidenceFileError) as refused:
        detect(b"", "leeg.pdf")
    assert refused.value.message == FILE_EMPTY


def test_a_zip_bomb_disguised_as_docx_is_refused_without_unpacking_it():
    bomb = samples.zip_bomb_docx()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(EvidenceFileError) as refused:
        detect(bomb, "rapport.docx")
    assert refused.value.message == FILE_ZIP_REFUSED


def test_a_damaged_zip_is_refused():
    with pytest.raises(EvidenceFileError):
        detect(samples.docx()[:-10], "rapport.docx")


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "map\\besluit.pdf", "besluit\x00.pdf", "a\nb.pdf", "x" * 300 + ".pdf"],
)
def test_unsafe_file_names_are_refused(name):
    with pytest.raises(EvidenceFileError):
        filename_check(name)


def test_a_plain_file_name_is_kept():
    assert filename_check("Strategie 2026 (goedgekeurd).pdf") == "Strategie 2026 (goedgekeurd).pdf"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://example.org/file",
        "https://",
        "//example.org/x",
        "https://user:pw@example.org/",
        "https://exa mple.org/",
        "https://example.org/\x00",
        "http://[::1",
    ],
)
def test_links_other_than_http_and_https_are_refused(url):
    with pytest.raises(EvidenceFileError):
        link_check(url)


def test_a_link_shows_its_domain():
    url = link_check(" https://www.gemeente.be/raad/besluit?id=12 ")
    assert url == "https://www.gemeente.be/raad/besluit?id=12"
    assert link_domain(url) == "gemeente.be"
