"""Autosave in the browser: an answer outlives leaving the page, unsaved typing asks before
leaving, and two colleagues on the same question end with one answer and a visible conflict."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from maturity.selectors import model_version_structure
from tests.e2e.conftest import assert_accessible, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

SAVED = re.compile(r"^Opgeslagen om \d\d:\d\d$")


def first_criterion(draft):
    structure = model_version_structure(version=draft.model_version)
    return structure.criteria_of_dimension(structure.dimensions[0])[0]


def choose(page, key: str, value: str) -> None:
    page.locator(f"#criterion-{key} label:has(> input[value='{value}'])").click()


def test_an_answer_chosen_then_left_by_the_breadcrumb_is_there_again(
    page, live_server, people, password, draft
):
    key = first_criterion(draft).key
    login(page, live_server, people.respondent.username, password)
    step = f"{live_server.url}/assessments/{draft.pk}/step/1/"
    page.goto(step)

    choose(page, key, "3")
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    expect(page.locator(f"#criterion-{key} .autosave-note")).to_have_text(SAVED)
    expect(page.locator("main progress")).to_have_attribute("value", "1")
    assert_accessible(page, "step after an autosave")
    with page.expect_navigation():
        page.locator("main a", has_text="Metingen").first.click()
    assert page.url == f"{live_server.url}/"

    page.goto(step)
    assert page.locator(f"input[name='{key}-value'][value='3']").is_checked()
    assert page.locator(f"input[name='{key}-revision']").input_value() == "1"


def test_a_typed_comment_then_a_link_asks_before_leaving(
    page, live_server, people, password, draft
):
    key = first_criterion(draft).key
    login(page, live_server, people.respondent.username, password)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/step/1/")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.locator(f"#criterion-{key} summary").click()
    page.locator(f"textarea[name='{key}-comment']").type("Nog navragen bij de jeugddienst")
    expect(page.locator(f"#criterion-{key} .autosave-note")).to_have_text("Nog niet opgeslagen")
    page.locator("header a.navbar-brand").click()

    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/step/1/" in page.url
    # Leaving the field saved the comment meanwhile: now the page lets go without asking.
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    with page.expect_navigation():
        page.locator("header a.navbar-brand").click()
    assert dialogs == ["beforeunload"]
    assert Answer.objects.get(assessment=draft).comment == "Nog navragen bij de jeugddienst"


def test_two_colleagues_autosaving_one_question_end_with_one_answer_and_a_conflict_shown(
    page, browser, browser_context_args, live_server, people, password, draft
):
    key = first_criterion(draft).key
    step = f"{live_server.url}/assessments/{draft.pk}/step/1/"
    login(page, live_server, people.respondent.username, password)
    page.goto(step)
    other_context = browser.new_context(**browser_context_args)
    other = other_context.new_page()
    other_errors = []
    other.on("console", lambda msg: other_errors.append(msg.text) if msg.type == "error" else 0)
    login(other, live_server, people.admin.username, password)
    other.goto(step)

    choose(page, key, "4")
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    choose(other, key, "1")

    name = people.respondent.get_full_name() or people.respondent.username
    message = f"Gewijzigd door {name} — hun antwoord staat nu hier."
    expect(other.locator("#autosave-status")).to_have_text(message)
    note = other.locator(f"#criterion-{key} .autosave-note")
    expect(note).to_have_text(message)
    expect(note).to_be_visible()
    assert other.locator(f"input[name='{key}-value'][value='4']").is_checked()
    assert "autosave-conflict" in other.locator(f"#criterion-{key}").get_attribute("class")
    assert_accessible(other, "step with an autosave conflict")
    answer = Answer.objects.get(assessment=draft)
    assert (answer.value, answer.revision, answer.updated_by) == ("4", 1, people.respondent)
    # The browser logs the refused request itself; nothing else went wrong.
    assert all("409" in error for error in other_errors), other_errors

    # The colleague's page now holds the current revision: changing it again just saves.
    choose(other, key, "2")
    expect(other.locator("#autosave-status")).to_have_text(SAVED)
    assert Answer.objects.get(assessment=draft).value == "2"
    other_context.close()


def test_a_step_badge_saves_the_step_and_shows_its_state(
    page, live_server, people, password, draft
):
    login(page, live_server, people.respondent.username, password)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/step/1/")
    badges = page.locator("nav .step-badge")
    expect(badges.nth(1)).to_contain_text("nog niet begonnen")

    for fieldset in page.locator("fieldset.criterion").all():
        fieldset.locator("label:has(> input[value='dk'])").click()
    with page.expect_navigation():
        badges.nth(1).click()
    assert page.url.endswith("/step/2/")
    expect(page.locator("nav .step-badge").first).to_contain_text("klaar")
