"""A model editor makes, edits and publishes a new model version in the Django admin."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from maturity.models import Criterion, ModelVersion
from tests.e2e.conftest import assert_accessible, login

# Set GROEIPAD_SCREENSHOTS to a folder to keep screenshots of the pages these tests walk.
SCREENSHOTS = (
    Path(os.environ["GROEIPAD_SCREENSHOTS"]) if os.environ.get("GROEIPAD_SCREENSHOTS") else None
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def run_action(page, live_server, version_pk: int, action: str) -> None:
    page.goto(f"{live_server.url}/admin/maturity/modelversion/")
    page.check(f"input.action-select[value='{version_pk}']")
    page.select_option("select[name=action]", action)
    with page.expect_navigation():
        page.click("button[name=index]")


def test_editor_makes_edits_and_publishes_a_new_version(
    page, live_server, demo_data, console_errors
):
    published = ModelVersion.objects.get(status=ModelVersion.Status.PUBLISHED)
    login(page, live_server, "redacteur", demo_data)
    assert page.locator("header a[href='/admin/']").count() == 1

    run_action(page, live_server, published.pk, "make_new_draft")
    assert page.locator(".messagelist .success").count() == 1
    draft = ModelVersion.objects.get(status=ModelVersion.Status.DRAFT)
    assert draft.version == published.version + 1
    assert page.locator(f"input.action-select[value='{draft.pk}']").count() == 1

    # Open one criterion of the draft through the version's "criteria" link and change its weight.
    page.goto(f"{live_server.url}/admin/maturity/modelversion/{draft.pk}/change/")
    with page.expect_navigation():
        page.click(f"a[href$='?version__id__exact={draft.pk}']")
    with page.expect_navigation():
        page.locator("#result_list tbody tr th a").first.click()
    criterion_pk = int(re.search(r"/criterion/(\d+)/change/", page.url).group(1))
    criterion = Criterion.objects.get(pk=criterion_pk)
    assert criterion.version_id == draft.pk
    new_weight = criterion.weight + Decimal(2)
    page.fill("#id_weight", str(new_weight))
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".messagelist .success").count() == 1
    criterion.refresh_from_db()
    assert criterion.weight == new_weight
    original = Criterion.objects.get(version=published, key=criterion.key)
    assert original.weight != new_weight  # the published version did not change

    # Publishing from the list shows what the draft changes first, and publishes nothing yet.
    run_action(page, live_server, draft.pk, "publish")
    review = page.locator(f"section[aria-labelledby='review-{draft.pk}']")
    diff = review.locator("table.version-diff").inner_text()
    assert criterion.key in diff and f"{new_weight.normalize():f}" in diff
    assert "houden hun sleutel" in review.locator(".version-comparability").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_admin_accessible(page, "publish confirmation", console_errors)
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "admin-publish-confirmation.png"), full_page=True)
    draft.refresh_from_db()
    assert draft.is_draft

    with page.expect_navigation():
        page.click("input[name=publish]")
    assert page.locator(".messagelist .success").count() == 1
    assert page.locator(".messagelist .error").count() == 0
    draft.refresh_from_db()
    assert draft.status == ModelVersion.Status.PUBLISHED

    # The version's history says what happened, in Dutch.
    page.goto(f"{live_server.url}/admin/maturity/modelversion/{draft.pk}/history/")
    history = page.locator("#change-history tbody").inner_text()
    assert f"Nieuw concept op basis van versie {published.version}" in history
    assert "Gepubliceerd" in history
    assert_admin_accessible(page, "version history", console_errors)


def assert_admin_accessible(page, context: str, console_errors: list[str]) -> None:
    """axe on an admin page, minus the one console error axe itself causes there.

    To read Django's forms.css, axe loads its @import (widgets.css) into an inline <style>,
    which our CSP refuses; the page itself has no inline style (such errors have no URL).
    """
    assert_accessible(page, context)
    console_errors[:] = [
        error
        for error in console_errors
        if not (error.startswith("console.error: Applying inline style") and error.endswith("()"))
    ]


def test_editor_reviews_the_changes_publishes_and_sees_which_version_is_current(
    page, live_server, demo_data, console_errors
):
    page.set_viewport_size({"width": 1280, "height": 900})
    published = ModelVersion.objects.get(status=ModelVersion.Status.PUBLISHED)
    login(page, live_server, "redacteur", demo_data)

    # The published version says it cannot change, with the way out right there.
    page.goto(f"{live_server.url}/admin/maturity/modelversion/{published.pk}/change/")
    assert "kan niet meer wijzigen" in page.locator(".version-notice").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_admin_accessible(page, "published version page", console_errors)
    with page.expect_navigation():
        page.click(".version-notice button[type=submit]")
    draft = ModelVersion.objects.get(status=ModelVersion.Status.DRAFT)
    assert page.url.endswith(f"/admin/maturity/modelversion/{draft.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_admin_accessible(page, "draft version page", console_errors)

    # Change one criterion's weight and statement in the draft.
    criterion = Criterion.objects.filter(version=draft).order_by("key").first()
    page.goto(f"{live_server.url}/admin/maturity/criterion/{criterion.pk}/change/")
    assert page.locator("textarea#id_statement_nl").count() == 1
    assert_admin_accessible(page, "criterion form", console_errors)
    old_weight = criterion.weight
    page.fill("#id_weight", "0")
    with page.expect_navigation():
        page.click("input[name=_save]")
    weight_row = page.locator(".form-row.field-weight").inner_text()
    assert "Het gewicht moet groter dan 0 zijn." in weight_row
    page.fill("#id_weight", str(old_weight + 2))
    page.fill("#id_statement_nl", "Een herschreven stelling.")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".messagelist .success").count() == 1

    # The review shows old → new before anything is published.
    page.goto(f"{live_server.url}/admin/maturity/modelversion/{draft.pk}/change/")
    with page.expect_navigation():
        page.click(".version-notice a.button")
    diff = page.locator("table.version-diff").inner_text()
    assert criterion.key in diff and "Een herschreven stelling." in diff
    assert f"{old_weight.normalize():f}" in diff and f"{(old_weight + 2).normalize():f}" in diff
    assert "houden hun sleutel" in page.locator(".version-comparability").inner_text()
    assert_admin_accessible(page, "publish review", console_errors)
    draft.refresh_from_db()
    assert draft.is_draft

    with page.expect_navigation():
        page.click("input[name=publish]")
    assert page.locator(".messagelist .success").count() == 1
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == ModelVersion.Status.PUBLISHED
    assert published.status == ModelVersion.Status.ARCHIVED

    page.goto(f"{live_server.url}/admin/maturity/modelversion/")
    rows = page.locator("#result_list tbody tr")
    current = rows.filter(has_text="actueel")
    assert current.count() == 1 and f"{draft.version}" in current.inner_text()
    # Every earlier version of the model (the demo published two) is a previous version.
    earlier = ModelVersion.objects.filter(slug=draft.slug, version__lt=draft.version).count()
    assert rows.filter(has_text="vorige versie").count() == earlier
