"""Confirming carried-over answers in the browser (issue 29, item 2): clicking the answer shown
confirms it, "Next" asks about the rest in a dialog (a page of its own without JavaScript), and
the review links what is left to confirm."""

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from assessments.services import reassessment_start
from maturity.selectors import model_version_structure
from tests.conftest import submitted_assessment
from tests.e2e.conftest import assert_accessible, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

NEXT = "main form button[name=action][value=next]"


@pytest.fixture
def reassessment(default_model, people):
    previous = submitted_assessment(people, "Meting 2026", {1: "4", 2: "3", 3: "2", 4: "1"})
    return reassessment_start(
        organisation=people.organisation,
        user=people.respondent,
        title="Hermeting 2027",
        start_from=previous,
    )


def step_keys(assessment, number: int) -> list[str]:
    structure = model_version_structure(version=assessment.model_version)
    return [c.key for c in structure.criteria_of_dimension(structure.dimensions[number - 1])]


def to_confirm(assessment) -> set[str]:
    return set(
        Answer.objects.filter(assessment=assessment, to_confirm=True).values_list(
            "criterion__key", flat=True
        )
    )


def wait_for(predicate, page, timeout_ms: int = 10_000) -> None:
    for _ in range(timeout_ms // 100):
        if predicate():
            return
        page.wait_for_timeout(100)
    assert predicate()


def test_clicking_the_carried_answer_confirms_it_and_next_asks_about_the_rest(
    page, live_server, people, password, reassessment
):
    keys = step_keys(reassessment, 1)
    login(page, live_server, people.respondent.username, password)
    page.goto(f"{live_server.url}/assessments/{reassessment.pk}/step/1/")
    first = page.locator(f"#criterion-{keys[0]}")
    expect(first.locator(".carried-answer")).to_contain_text("Te bevestigen")
    shown = first.locator("input[type=radio]:checked").get_attribute("value")

    first.locator(f"label:has(> input[value='{shown}'])").click()

    expect(first.locator(".autosave-note")).to_contain_text("Bevestigd om")
    expect(first.locator(".carried-answer")).to_have_count(0)
    wait_for(lambda: keys[0] not in to_confirm(reassessment), page)
    left = len(keys) - 1
    confirm_step = page.locator("main form button[name=action][value=confirm_step]")
    expect(confirm_step).to_have_text(f"Bevestig deze stap ({left} antwoorden)")

    page.click(NEXT)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text(f"{left} antwoorden nog bevestigen?")
    assert_accessible(page, "the prompt of Next with carried answers left")
    # Escape (or "Terug naar de stap") stays on the step.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.url.endswith("/step/1/")

    page.click(NEXT)
    with page.expect_navigation():
        dialog.get_by_role("button", name="Bevestig en ga verder").click()
    assert page.url.endswith("/step/2/")
    assert not to_confirm(reassessment) & set(keys)
    expect(page.locator(".alert-success")).to_contain_text(f"{left} antwoorden bevestigd.")

    # "Ga verder zonder bevestigen" moves on and leaves step 2 as it is.
    page.click(NEXT)
    with page.expect_navigation():
        page.get_by_role("dialog").get_by_role("button", name="Ga verder zonder bevestigen").click()
    assert page.url.endswith("/step/3/")
    assert set(step_keys(reassessment, 2)) <= to_confirm(reassessment)

    # The review lists what is left, per step, with a link to it.
    page.goto(f"{live_server.url}/assessments/{reassessment.pk}/review/")
    link = page.get_by_role(
        "link", name=f"{len(step_keys(reassessment, 2))} antwoorden op deze stap"
    )
    expect(link.first).to_be_visible()
    with page.expect_navigation():
        link.first.click()
    assert page.url.endswith("/step/2/")


def test_without_javascript_next_asks_on_a_page_of_its_own(
    browser, browser_context_args, live_server, people, password, reassessment
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, people.respondent.username, password)
    page.goto(f"{live_server.url}/assessments/{reassessment.pk}/step/1/")
    count = len(step_keys(reassessment, 1))

    # (expect_navigation around a click hangs in Playwright with JavaScript off: wait for the URL.)
    page.click(NEXT, no_wait_after=True)
    page.wait_for_url(f"**/assessments/{reassessment.pk}/step/1/carried/")

    expect(page.locator("h1")).to_have_text(f"{count} antwoorden nog bevestigen?")
    # (axe cannot run with JavaScript off; the page is checked in test_every_page_accessible.)
    page.get_by_role("button", name="Bevestig en ga verder").click(no_wait_after=True)
    page.wait_for_url(f"**/assessments/{reassessment.pk}/step/2/")
    assert not to_confirm(reassessment) & set(step_keys(reassessment, 1))
    context.close()
