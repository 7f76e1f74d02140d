"""Autosave never loses an answer (issue 29, item 1): an expired session and a lost network keep
the answers in the browser, say so next to the question and at the top, and send them once the
user is signed in again or the network is back; a colleague's newer answer still wins."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from assessments.models import Answer
from assessments.services import AnswerInput, answers_save
from maturity.selectors import model_version_structure
from tests.e2e.conftest import assert_accessible

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

SAVED = re.compile(r"^Opgeslagen om \d\d:\d\d$")
NEXT = "main form button[name=action][value=next]"


def step_criteria(draft, count: int = 2):
    structure = model_version_structure(version=draft.model_version)
    return structure.criteria_of_dimension(structure.dimensions[0])[:count]


def choose(page, key: str, value: str) -> None:
    page.locator(f"#criterion-{key} label:has(> input[value='{value}'])").click()


def sign_in(page, username: str, password: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def stored(draft) -> dict[str, str]:
    return dict(Answer.objects.filter(assessment=draft).values_list("criterion__key", "value"))


def wait_for(predicate, page, timeout_ms: int = 10_000) -> None:
    for _ in range(timeout_ms // 100):
        if predicate():
            return
        page.wait_for_timeout(100)
    assert predicate()


def expected_refusals(console_errors, *statuses: str) -> None:
    """The browser logs each refused or failed request itself; that is the point here."""
    console_errors.allow(*statuses)


def test_answers_given_after_the_session_expired_arrive_after_signing_in_again(
    page, live_server, people, password, draft, console_errors
):
    first, second = step_criteria(draft)
    page.goto(f"{live_server.url}/accounts/login/?next=/assessments/{draft.pk}/step/1/")
    sign_in(page, people.respondent.username, password)
    assert page.url.endswith(f"/assessments/{draft.pk}/step/1/")

    Session.objects.all().delete()  # the session expired while the page was open
    choose(page, first.key, "3")
    choose(page, second.key, "1")

    note = page.locator(f"#criterion-{first.key} .autosave-note")
    expect(note).to_contain_text("Niet opgeslagen: je bent afgemeld.")
    expect(note).to_contain_text("Bewaard in deze browser")
    problem = page.locator("#autosave-problem")
    expect(problem).to_contain_text("2 antwoorden zijn nog niet opgeslagen")
    expect(problem).to_contain_text("Je bent afgemeld (je sessie is verlopen).")
    # The answer stays chosen; nothing pretends to be saved.
    assert page.locator(f"input[name='{first.key}-value'][value='3']").is_checked()
    assert stored(draft) == {}
    assert_accessible(page, "step after a save refused for an expired session")

    # "Next" stays: moving on now would lose what is not saved.
    page.click(NEXT)
    expect(problem).to_contain_text("Je blijft op deze stap")
    assert page.url.endswith("/step/1/")

    with page.expect_navigation():
        problem.get_by_role("link", name="Opnieuw aanmelden").click()
    assert "/accounts/login/" in page.url
    sign_in(page, people.respondent.username, password)

    assert page.url.endswith(f"/assessments/{draft.pk}/step/1/")
    expect(page.locator(f"#criterion-{first.key} .autosave-note")).to_have_text(SAVED)
    expect(page.locator(f"#criterion-{second.key} .autosave-note")).to_have_text(SAVED)
    wait_for(lambda: stored(draft) == {first.key: "3", second.key: "1"}, page)
    expect(problem).to_be_empty()
    assert page.evaluate("() => sessionStorage.length") == 0
    expected_refusals(console_errors, "status of 401")


def test_a_colleagues_answer_given_meanwhile_wins_over_the_one_kept(
    page, live_server, people, password, draft, console_errors
):
    (first,) = step_criteria(draft, 1)
    page.goto(f"{live_server.url}/accounts/login/?next=/assessments/{draft.pk}/step/1/")
    sign_in(page, people.respondent.username, password)
    Session.objects.all().delete()
    choose(page, first.key, "3")
    expect(page.locator("#autosave-problem")).to_contain_text("afgemeld")
    answers_save(
        assessment=draft,
        user=people.admin,
        answers=[AnswerInput(criterion=first, value="1", comment="", loaded_revision=0)],
    )

    with page.expect_navigation():
        page.get_by_role("link", name="Opnieuw aanmelden").click()
    sign_in(page, people.respondent.username, password)

    note = page.locator(f"#criterion-{first.key} .autosave-note")
    expect(note).to_contain_text("hun antwoord staat nu hier")
    assert page.locator(f"input[name='{first.key}-value'][value='1']").is_checked()
    assert stored(draft) == {first.key: "1"}
    expected_refusals(console_errors, "status of 401", "status of 409")


def test_answers_given_without_a_network_arrive_when_it_is_back(
    page, live_server, people, password, draft, console_errors
):
    first, second = step_criteria(draft)
    page.goto(f"{live_server.url}/accounts/login/?next=/assessments/{draft.pk}/step/1/")
    sign_in(page, people.respondent.username, password)

    page.context.set_offline(True)
    choose(page, first.key, "4")
    choose(page, second.key, "dk")

    note = page.locator(f"#criterion-{first.key} .autosave-note")
    expect(note).to_contain_text("Niet opgeslagen: geen verbinding.")
    expect(page.locator("#autosave-problem")).to_contain_text("Er is geen verbinding.")
    assert stored(draft) == {}
    keys = page.evaluate(
        "() => Object.keys(JSON.parse(sessionStorage.getItem(sessionStorage.key(0))))"
    )
    assert sorted(keys) == sorted([first.key, second.key])

    page.context.set_offline(False)

    expect(note).to_have_text(SAVED)
    expect(page.locator(f"#criterion-{second.key} .autosave-note")).to_have_text(SAVED)
    wait_for(lambda: stored(draft) == {first.key: "4", second.key: "dk"}, page)
    expect(page.locator("#autosave-problem")).to_be_empty()
    expected_refusals(console_errors, "ERR_INTERNET_DISCONNECTED", "Failed to fetch")


def test_next_waits_for_a_save_under_way_and_then_moves_on(
    page, live_server, people, password, draft
):
    (first,) = step_criteria(draft, 1)
    page.goto(f"{live_server.url}/accounts/login/?next=/assessments/{draft.pk}/step/1/")
    sign_in(page, people.respondent.username, password)
    # Slow the autosave down, so "Next" is pressed while it is on its way.
    page.route(
        "**/answers/**",
        lambda route: (page.wait_for_timeout(500), route.continue_()),
    )

    choose(page, first.key, "2")
    with page.expect_navigation():
        page.click(NEXT)

    assert page.url.endswith("/step/2/")
    assert stored(draft)[first.key] == "2"
