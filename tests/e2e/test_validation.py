"""Validation on a phone: the admin asks a question, the respondent answers it and says how
sure they are, and the report of the validated assessment names the validator."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from assessments.services import answer_validate, assessment_submit, assessment_validation_set
from maturity.selectors import model_version_structure
from tests.conftest import answer_all
from tests.e2e.conftest import assert_accessible, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 375, "height": 800}
QUESTION = "Is de strategie goedgekeurd door het college?"
REPLY = "Ja, in de zitting van maart."


def test_a_validator_asks_on_a_phone_the_respondent_answers_and_the_report_says_validated(
    page, live_server, people, password, draft
):
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    assessment_validation_set(assessment=draft, user=people.admin, required=True)
    structure = model_version_structure(version=draft.model_version)
    first = structure.criteria_of_dimension(structure.dimensions[0])[0]
    answer = Answer.objects.get(assessment=draft, criterion=first)
    page.set_viewport_size(PHONE)
    validation = f"{live_server.url}/assessments/{draft.pk}/validation/"

    # The validator (an organisation admin who did not give the answers) asks a question.
    login(page, live_server, people.admin.username, password)
    page.goto(f"{validation}?state=open")
    assert_accessible(page, "validation page at 375 px")
    card = page.locator(f"#answer-{answer.pk}")
    card.get_by_label("Of stel een vraag over dit antwoord").fill(QUESTION)
    with page.expect_navigation():
        card.get_by_role("button", name=re.compile("^De vraag stellen")).click()
    expect(page.locator(".alert-success")).to_contain_text("Je vraag staat bij het antwoord")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The respondent sees the question on the step and answers it on the validation page.
    page.context.clear_cookies()
    login(page, live_server, people.respondent.username, password)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/step/1/")
    expect(page.locator(f"#criterion-{first.key} .validation-state")).to_contain_text(
        "vraag gesteld"
    )
    page.select_option(f"#{first.key}-confidence", "fairly_sure")
    expect(page.locator(f"#criterion-{first.key} .autosave-note")).to_have_text(
        re.compile(r"^Opgeslagen om \d\d:\d\d$")
    )
    assert_accessible(page, "step with a question at 375 px")
    answer.refresh_from_db()
    # Saying how sure changes the answer: its question is gone, it is looked at again.
    assert (answer.confidence, answer.validation_state) == ("fairly_sure", "")

    # The validator asks again; the respondent replies this time without changing the answer.
    page.context.clear_cookies()
    login(page, live_server, people.admin.username, password)
    page.goto(f"{validation}?state=open")
    card = page.locator(f"#answer-{answer.pk}")
    card.get_by_label("Of stel een vraag over dit antwoord").fill(QUESTION)
    with page.expect_navigation():
        card.get_by_role("button", name=re.compile("^De vraag stellen")).click()
    page.context.clear_cookies()
    login(page, live_server, people.respondent.username, password)
    page.goto(f"{validation}?state=question")
    card = page.locator(f"#answer-{answer.pk}")
    expect(card.locator(".validation-question")).to_have_text(QUESTION)
    assert_accessible(page, "validation page of the respondent at 375 px")
    card.get_by_label("Je antwoord op de vraag").fill(REPLY)
    with page.expect_navigation():
        card.get_by_role("button", name=re.compile("^Antwoord versturen")).click()
    expect(page.locator(".alert-success")).to_contain_text("Je antwoord is opgeslagen")

    # The validator validates the replied answer on the page, the rest through the service.
    page.context.clear_cookies()
    login(page, live_server, people.admin.username, password)
    page.goto(f"{validation}?state=answered")
    card = page.locator(f"#answer-{answer.pk}")
    expect(card.locator(".validation-reply")).to_have_text(REPLY)
    with page.expect_navigation():
        card.get_by_role("button", name=re.compile("^Valideren")).click()
    expect(page.locator(".alert-success")).to_contain_text("Het antwoord is gevalideerd.")
    for other in Answer.objects.filter(assessment=draft).exclude(pk=answer.pk):
        answer_validate(
            assessment=draft, user=people.admin, answer_pk=other.pk, revision=other.revision
        )
    assessment_submit(assessment=draft, user=people.respondent)

    page.goto(f"{live_server.url}/assessments/{draft.pk}/report/")
    name = people.admin.get_full_name() or people.admin.username
    expect(page.locator("main .validation-line").first).to_contain_text(
        f"Gevalideerd door {name} op"
    )
