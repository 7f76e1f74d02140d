"""Sharing a report with the college: the admin makes a link, a reader without an account opens
it, the admin sees the view and revokes the link. axe on every page at 1280 and 375 px.

With GROEIPAD_SCREENSHOTS=<dir> the pages are also saved at both widths.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageDraw

from assessments.logo import organisation_logo_set
from assessments.models import Assessment
from tests.e2e.conftest import assert_accessible, login, page_language

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("language"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
WIDTHS = (1280, 375)
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
TEXTS = {
    "nl-be": {
        "share": "Delen met een link",
        "gone": "Deze link werkt niet meer",
        "views": "1 keer",
    },
    "en": {"share": "Share with a link", "gone": "This link no longer works", "views": "1 view"},
}


def look(page, name: str) -> None:
    """axe at each width, and a screenshot there when GROEIPAD_SCREENSHOTS names a folder."""
    folder = os.environ.get("GROEIPAD_SCREENSHOTS")
    assert page.locator("h1").count() == 1
    assert page.title().endswith("· Groeipad")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name} at {width} px")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{name} scrolls sideways at {width} px"
        if folder:
            path = Path(folder) / f"{name}-{page_language(page)}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def logo_png() -> bytes:
    image = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 112, 112), fill=(31, 78, 140))
    draw.ellipse((140, 30, 200, 90), fill=(30, 107, 58))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def as_anonymous(page, live_server) -> None:
    """The same browser without the admin's session, in the test's language."""
    language = page_language(page)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )


def test_admin_shares_a_report_a_reader_opens_it_and_the_admin_revokes_it(
    page, live_server, demo_data, console_errors
):
    texts = TEXTS[page_language(page)]
    latest = Assessment.objects.get(title="Meting 2026", organisation__slug="gemeente-voorbeeld")
    organisation_logo_set(organisation=latest.organisation, content=logo_png())
    login(page, live_server, "beheer", demo_data)
    page.goto(f"{live_server.url}/assessments/{latest.pk}/report/")
    with page.expect_navigation():
        page.get_by_role("link", name=texts["share"]).click()

    page.fill("#id_note", "College 12 januari")
    with page.expect_navigation():
        page.click("form.share-form [type=submit]")
    created = page.locator("#created-link").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/shared/[A-Za-z0-9_-]{{43,}}/", created)
    assert page.locator("table.share-links tbody tr").count() == 1
    look(page, "share-links")

    admin_page = page.url
    page.goto(f"{live_server.url}/organisation/logo/")
    assert page.locator("img.organisation-logo").is_visible()
    look(page, "organisation-logo")
    as_anonymous(page, live_server)
    page.goto(created)
    assert "Meting 2026" in page.locator("h1").inner_text()
    assert page.locator("img.shared-logo").is_visible()
    assert page.locator("nav").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.pathname)")
    assert hrefs and all(h.startswith(created.removeprefix(live_server.url)) for h in hrefs)
    assert "Meting 2025" not in page.content()
    look(page, "shared-report")

    login(page, live_server, "beheer", demo_data)
    page.goto(admin_page)
    assert texts["views"] in page.locator("table.share-links").inner_text()
    with page.expect_navigation():
        page.click("table.share-links form [type=submit]")
    look(page, "share-links-revoked")

    as_anonymous(page, live_server)
    response = page.goto(created)
    assert response.status == 410
    assert page.locator("h1").inner_text() == texts["gone"]
    look(page, "shared-gone")
    # The browser logs the expected 410 of the revoked link's page.
    console_errors.allow("status of 410")
