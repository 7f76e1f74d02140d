"""Re-measuring in the browser: start from "Meting 2026", confirm, change, answer what is new.

The demo's "Meting 2026" was answered by three perspectives on version 1 of the default model;
version 2 rewords tools-gekoppelde-systemen, replaces participatie-netwerken-ondersteunen (with
a crosswalk) and adds tools-toegankelijke-berichten (step 6). Every perspective's carried answers
are confirmed before the submit; the report then says which question it could not compare.
"""

import os
import re
from pathlib import Path

import pytest

from assessments.models import Answer, Assessment
from tests.e2e.conftest import assert_accessible, login, page_language

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

# Set GROEIPAD_SCREENSHOTS to a folder to keep screenshots of the pages this test walks.
SCREENSHOTS = (
    Path(os.environ["GROEIPAD_SCREENSHOTS"]) if os.environ.get("GROEIPAD_SCREENSHOTS") else None
)
WIDTHS = (1280, 375)
STEP_URL = re.compile(r"/step/(\d+)/$")
CONFIRM_STEP = "main form button[name=action][value=confirm_step]"
NEXT = "main form button[name=action][value=next]"
ADDED_KEY = "tools-toegankelijke-berichten"
TEXTS = {
    "nl-be": {
        "to_confirm": "Te bevestigen",
        "new": "Nieuw in deze versie",
        "changed": "Gewijzigd sinds de vorige meting",
        "not_compared": "1 vraag nieuw, niet vergeleken: “Onze berichten zijn toegankelijk: "
        "ondertitels bij video, alt-tekst bij beelden, duidelijke taal.”",
        "still_to_confirm": "Nog te bevestigen",
    },
    "en": {
        "to_confirm": "To confirm",
        "new": "New in this version",
        "changed": "Changed since the previous assessment",
        "not_compared": "1 question new, not compared: “Our posts are accessible: subtitles on "
        "video, alt text on images, plain language.”",
        "still_to_confirm": "Still to confirm",
    },
}


def screenshots(page, name: str) -> None:
    """The whole page at 1,280 and 375 px wide, when GROEIPAD_SCREENSHOTS names a folder."""
    if SCREENSHOTS is None:
        return
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        path = SCREENSHOTS / f"reassessment-{name}-{page_language(page)}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def submit_step(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def confirm_every_step(page) -> int:
    """Press "Confirm this step" on each step of the open perspective; returns how many steps."""
    steps = 0
    while STEP_URL.search(page.url):
        if page.locator(CONFIRM_STEP).count():
            submit_step(page, CONFIRM_STEP)
        assert page.locator(CONFIRM_STEP).count() == 0
        steps += 1
        submit_step(page, NEXT)
    return steps


def text_of(page, selector: str = "main") -> str:
    return " ".join(page.locator(selector).inner_text().split())


def test_a_team_remeasures_from_the_last_assessment(page, live_server, demo_data, language):
    texts = TEXTS[language]
    previous = Assessment.objects.get(title="Meting 2026")
    login(page, live_server, "communicatie", demo_data)

    # Starting offers the last submitted assessment, chosen by default.
    page.goto(f"{live_server.url}/assessments/new/")
    assert page.locator(f"input[name=start_from][value='{previous.pk}']").is_checked()
    assert_accessible(page, "re-assessment start")
    screenshots(page, "start")
    page.fill("#id_title", "Hermeting 2028")
    # The demo's draft "Meting 2027" still runs on this model: the page says so, and the team
    # starts beside it on purpose.
    page.check("#start-anyway")
    submit_step(page, "main form button[type=submit]")
    assessment = Assessment.objects.get(title="Hermeting 2028")
    assert assessment.started_from == previous
    assert STEP_URL.search(page.url).group(1) == "1"

    # Step 1: every answer carried over, to confirm; one click confirms the step.
    criteria = page.locator("fieldset.criterion")
    assert page.locator(".carried-answer").count() == criteria.count() > 0
    assert texts["to_confirm"] in text_of(page)
    assert_accessible(page, "step with carried answers")
    submit_step(page, CONFIRM_STEP)
    assert page.locator(".carried-answer").count() == 0
    assert page.locator(".alert-success").count() == 1

    # Step 2: one answer changed, so it no longer needs confirming; the others still do.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/step/2/")
    first = page.locator("fieldset.criterion").first
    key = first.get_attribute("id").removeprefix("criterion-")
    carried = Answer.objects.get(
        assessment=assessment, criterion__key=key, perspective__name="Communicatiedienst"
    )
    other = "0" if carried.value != "0" else "4"
    first.locator(f"label:has(> input[type=radio][value='{other}'])").click()
    submit_step(page, "main form button[name=action][value=save]")
    changed = Answer.objects.get(pk=carried.pk)
    assert (changed.value, changed.to_confirm) == (other, False)
    assert page.locator(f"#criterion-{key} .carried-answer").count() == 0
    assert page.locator(".carried-answer").count() == page.locator("fieldset.criterion").count() - 1

    # Step 6: the new question says so and starts empty; a reworded one says what changed.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/step/6/")
    added = page.locator(f"#criterion-{ADDED_KEY}")
    assert texts["new"] in text_of(page, f"#criterion-{ADDED_KEY}")
    assert added.locator("input[type=radio]:checked").count() == 0
    assert added.locator(".carried-answer").count() == 0
    assert texts["changed"] in text_of(page, "#criterion-tools-gekoppelde-systemen")
    assert_accessible(page, "step with change notes")
    screenshots(page, "step")
    added.locator("label:has(> input[type=radio][value='2'])").click()
    submit_step(page, "main form button[name=action][value=save]")
    assert (
        Answer.objects.get(
            assessment=assessment, criterion__key=ADDED_KEY, perspective__name="Communicatiedienst"
        ).value
        == "2"
    )

    # The review lists what is still to confirm; submitting waits for it.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    assert texts["still_to_confirm"] in text_of(page)
    assert_accessible(page, "review with answers to confirm")
    screenshots(page, "review")

    # Every perspective confirms the rest of its carried answers, step by step.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/perspectives/")
    links = page.locator("main a.btn-primary[href*='/perspectives/']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == 3
    for href in hrefs:
        page.goto(f"{live_server.url}{href}")
        confirm_every_step(page)
    assert not Answer.objects.filter(assessment=assessment, to_confirm=True).exists()

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    assert texts["still_to_confirm"] not in text_of(page)
    assert_accessible(page, "review, all confirmed")
    submit_step(page, "main form button[type=submit]")
    assert page.locator("main form button[name=confirm]").is_visible()
    submit_step(page, "main form button[name=confirm]")
    assert page.url.endswith(f"/assessments/{assessment.pk}/report/")
    assert not Assessment.objects.get(pk=assessment.pk).is_draft

    # The history compares only what both measured, and names the question it could not.
    assert texts["not_compared"] in text_of(page)
