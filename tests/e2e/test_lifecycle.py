"""The life cycle in the browser at 375 px: an admin deletes a draft after typing its title, and
a respondent meets a new model version's banner and moves the draft to it (issue 29, 3 and 4).

Set GROEIPAD_SCREENSHOTS to a folder to keep screenshots of the pages this test walks.
"""

import os
from pathlib import Path

import pytest

from assessments.models import Assessment
from maturity.selectors import model_version_latest_published
from tests.e2e.conftest import assert_accessible, login
from tests.reassessment_models import next_version

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

SCREENSHOTS = (
    Path(os.environ["GROEIPAD_SCREENSHOTS"]) if os.environ.get("GROEIPAD_SCREENSHOTS") else None
)
PHONE = {"width": 375, "height": 800}


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px"


def keep(page, name: str) -> None:
    if SCREENSHOTS is not None:
        page.screenshot(path=str(SCREENSHOTS / f"lifecycle-{name}-375.png"), full_page=True)


def test_an_admin_deletes_a_draft_after_typing_its_title(
    page, live_server, demo_data, console_errors
):
    page.set_viewport_size(PHONE)
    draft = Assessment.objects.get(title="Meting 2027")
    login(page, live_server, "beheer", demo_data)

    page.goto(f"{live_server.url}/assessments/{draft.pk}/manage/")
    page.click("main a.btn-outline-danger")
    assert page.url.endswith(f"/assessments/{draft.pk}/delete/")
    fits_the_phone(page)
    assert_accessible(page, "delete a draft")
    page.fill("#id_typed_title", "Meting 2026")
    with page.expect_navigation():
        page.click("main form button.btn-danger")
    assert "Dat is niet de titel van deze meting" in page.inner_text("main")
    # The wrong title is refused with 400, which the browser logs: that is the point here.
    console_errors.allow("status of 400")
    fits_the_phone(page)
    assert_accessible(page, "delete a draft, wrong title")
    keep(page, "delete-confirm")
    page.fill("#id_typed_title", "Meting 2027")
    with page.expect_navigation():
        page.click("main form button.btn-danger")

    assert page.url == f"{live_server.url}/"
    assert "“Meting 2027” en de" in page.inner_text("main")
    assert not Assessment.objects.filter(pk=draft.pk).exists()


def test_a_respondent_moves_a_draft_to_the_new_model_version(page, live_server, demo_data):
    page.set_viewport_size(PHONE)
    draft = Assessment.objects.get(title="Meting 2027")
    current = model_version_latest_published(slug=draft.model_version.slug)
    newest = next_version(current, add={"nieuw-criterium": current.criteria.first().key})
    login(page, live_server, "communicatie", demo_data)

    page.goto(f"{live_server.url}/")
    ours = page.locator(".version-banner", has_text="“Meting 2027”")
    assert f"versie {newest.version}" in ours.inner_text()
    fits_the_phone(page)
    assert_accessible(page, "dashboard with the version banner")
    page.goto(f"{live_server.url}/assessments/{draft.pk}/step/1/")
    banner = page.locator(".version-banner")
    assert f"versie {newest.version}" in banner.inner_text()
    fits_the_phone(page)
    # The step page's own axe run is tests/e2e/test_every_page_accessible.py's.
    keep(page, "version-banner")
    banner.locator("a").click()
    page.wait_for_url(f"**/assessments/{draft.pk}/version/")
    assert "Nieuwe stelling nieuw-criterium" in page.inner_text("main")
    fits_the_phone(page)
    assert_accessible(page, "version move")
    keep(page, "version-page")
    with page.expect_navigation():
        page.click("main button[value=move]")

    draft.refresh_from_db()
    assert draft.model_version == newest
    assert page.locator(".version-banner").count() == 0
