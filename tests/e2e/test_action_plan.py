"""The action plan in the browser: from the report's advice to the check at re-assessment."""

import pytest

from actions.models import Action
from assessments.models import Answer, Assessment
from assessments.services import AnswerInput, answers_save
from maturity.selectors import model_version_structure
from tests.e2e.conftest import assert_accessible, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def answer_the_rest_of_the_draft(draft: Assessment, previous: Assessment, improved_key: str):
    """Answer what the demo draft left open as the previous assessment did; one key better."""
    structure = model_version_structure(version=draft.model_version)
    before = dict(Answer.objects.filter(assessment=previous).values_list("criterion__key", "value"))
    answered = dict(Answer.objects.filter(assessment=draft).values_list("criterion_id", "revision"))
    answers_save(
        assessment=draft,
        user=draft.created_by,
        answers=[
            AnswerInput(
                criterion=c,
                value="4" if c.key == improved_key else before[c.key],
                comment="",
                loaded_revision=answered.get(c.pk, 0),
            )
            for c in structure.criteria
            if c.pk not in answered or c.key == improved_key
        ],
    )


def test_an_action_from_the_report_is_checked_at_the_next_assessment(page, live_server, demo_data):
    login(page, live_server, "communicatie", demo_data)
    previous = Assessment.objects.get(title="Meting 2026")
    page.goto(f"{live_server.url}/assessments/{previous.pk}/report/")

    # Add from the first piece of advice that offers it (advice whose criterion already has an
    # open action shows that action instead): the title and the criterion come with it.
    add_link = page.locator("a[href^='/actions/new/?criterion=']")
    advice = page.locator("ol.advice-list > li").filter(has=add_link).first
    with page.expect_navigation():
        advice.locator("a[href^='/actions/new/?criterion=']").click()
    key = page.locator("#id_criterion_key").input_value()
    assert key and page.locator("#id_title").input_value()
    assert_accessible(page, "new action")
    page.fill("#id_title", "Actie uit het rapport")
    page.fill("#id_owner_name", "jeugddienst")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/actions/")
    assert page.locator("main table", has_text="Actie uit het rapport").is_visible()

    # Edit it.
    with page.expect_navigation():
        page.click("main table a:text('Actie uit het rapport')")
    page.fill("#id_title", "Actie uit het rapport, aangepast")
    page.select_option("#id_status", "in_progress")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    row = page.locator("main table tbody tr", has_text="aangepast")
    assert row.is_visible()

    # Mark it done in one click from the plan.
    with page.expect_navigation():
        row.locator("button[value=done]").click()
    assert Action.objects.get(title="Actie uit het rapport, aangepast").status == "done"

    # The re-assessment: the demo draft, its answers completed, submitted in the browser.
    draft = Assessment.objects.get(title="Meting 2027")
    answer_the_rest_of_the_draft(draft, previous, key)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/review/")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto(f"{live_server.url}/assessments/{draft.pk}/report/")

    section = page.locator("section[aria-labelledby=plan-changes]")
    assert "Wat is er veranderd sinds de vorige meting" in section.locator("h2").inner_text()
    line = section.locator("li", has_text="Actie uit het rapport, aangepast")
    assert "→ 4 – volledig" in line.inner_text()
    assert "verbeterd" in line.inner_text()
    assert_accessible(page, "report with what changed")
