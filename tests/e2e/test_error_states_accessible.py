"""axe-core on the pages people reach when something goes wrong, in Dutch and in English.

A questionnaire step with a validation error (400) and with a colleague's conflicting answer
(409), a CSV import with problems, an invitation and a new assessment with form errors.
"""

import pytest

from assessments.models import Answer, Assessment, Membership
from assessments.services import AnswerInput, answers_save
from maturity.selectors import model_version_structure
from tests.e2e.conftest import HTML_LANG, assert_accessible, login, page_language

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.usefixtures("language"),
]
VALUES = ("0", "1", "2", "3", "4", "dk", "na")
SAVE = "main form button[name=action][value=save]"


def submit_and_check(page, click: str, expect_status: int, console_errors, context: str):
    """Submit the form with `click`, check the status and language, then run axe."""
    with page.expect_navigation() as navigation:
        page.click(click)
    status = navigation.value.status
    assert status == expect_status, f"{context}: {status}"
    # The browser logs the error status of the page itself; that is the point here.
    console_errors.allow(f"status of {expect_status}")
    assert page.locator("html").get_attribute("lang") == HTML_LANG[page_language(page)]
    assert_accessible(page, f"{page.url}: {context} ({page_language(page)})")


@pytest.fixture
def draft_step(page, live_server, demo_data):
    """The respondent on step 1 of the demo draft; returns the draft and that step's criteria."""
    login(page, live_server, "communicatie", demo_data)
    draft = Assessment.objects.get(title="Meting 2027")
    structure = model_version_structure(version=draft.model_version)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/step/1/")
    return draft, structure.criteria_of_dimension(structure.dimensions[0])


def test_a_step_with_a_validation_error(page, draft_step, console_errors):
    _draft, criteria = draft_step
    # A value no radio button offers, as a tampered or stale form would send.
    page.evaluate(
        """key => {
            const radio = document.querySelector(`input[type=radio][name="${key}-value"]`);
            radio.value = "9";
            radio.checked = true;
        }""",
        criteria[0].key,
    )

    submit_and_check(page, SAVE, 400, console_errors, "step with a validation error")
    assert page.locator(f"main #error-{criteria[0].key}[role=alert]").count() == 1


def test_a_step_with_a_conflict(page, draft_step, console_errors):
    draft, criteria = draft_step
    # The page as a browser without JavaScript gets it: no autosave, so the whole step is saved
    # and the server shows the conflict (the autosave's conflict: tests/e2e/test_autosave.py).
    page.route(
        "**/static/js/questionnaire.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
    )
    page.reload()
    criterion = criteria[0]
    loaded = Answer.objects.filter(assessment=draft, criterion=criterion).first()
    loaded_value = loaded.value if loaded else ""
    # A colleague saves this answer after the page was loaded ...
    theirs = next(v for v in VALUES if v != loaded_value)
    answers_save(
        assessment=draft,
        user=Membership.objects.get(user__username="beheer").user,
        answers=[
            AnswerInput(
                criterion=criterion,
                value=theirs,
                comment="",
                loaded_revision=loaded.revision if loaded else 0,
            )
        ],
    )
    # ... and the respondent picks a third value on the stale page.
    mine = next(v for v in VALUES if v not in (loaded_value, theirs))
    page.locator(f"label:has(> input[name='{criterion.key}-value'][value='{mine}'])").click()

    submit_and_check(page, SAVE, 409, console_errors, "step with a conflict")


def test_the_import_page_with_problems(page, live_server, demo_data, console_errors, tmp_path):
    login(page, live_server, "communicatie", demo_data)
    draft = Assessment.objects.get(title="Meting 2027")
    page.goto(f"{live_server.url}/assessments/{draft.pk}/import/")
    bad = tmp_path / "antwoorden.csv"
    bad.write_text("criterion_key,answer,comment\nbestaat-niet,9,\n", encoding="utf-8")
    page.set_input_files("main input[type=file]", str(bad))

    submit_and_check(
        page, "main form button[type=submit]", 400, console_errors, "import with problems"
    )
    assert page.locator("#import-problems li").count() > 0


def test_an_invitation_with_form_errors(page, live_server, demo_data, console_errors):
    login(page, live_server, "beheer", demo_data)
    page.goto(f"{live_server.url}/members/")
    form = page.locator("main form:has(input[name=email])")
    # The server's checks, not the browser's: switch off the browser's own validation.
    form.evaluate("form => form.noValidate = true")
    form.locator("input[name=email]").fill("geen-adres")

    submit_and_check(
        page,
        "main form:has(input[name=email]) [type=submit]",
        400,
        console_errors,
        "invitation with errors",
    )
    assert page.locator("main .invalid-feedback, main .is-invalid").count() > 0


def test_a_new_assessment_with_form_errors(page, live_server, demo_data, console_errors):
    login(page, live_server, "communicatie", demo_data)
    page.goto(f"{live_server.url}/assessments/new/")
    form = page.locator("main form:has(input[name=title])")
    form.evaluate("form => form.noValidate = true")
    form.locator("input[name=title]").fill("")

    submit_and_check(
        page,
        "main form:has(input[name=title]) [type=submit]",
        200,
        console_errors,
        "new assessment with errors",
    )
    assert page.locator("main .invalid-feedback, main .is-invalid").count() > 0
