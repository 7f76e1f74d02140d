"""Filling in the questionnaire in the browser, with the mouse and with the keyboard only."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

NEXT = "main form button[name=action][value=next]"
STEP_URL = re.compile(r"/assessments/\d+/step/(\d+)/$")


def fill_step_with_mouse(page, value: str) -> int:
    """Click the answer label `value` in every criterion of the step; return the count."""
    criteria = page.locator("fieldset.criterion")
    for i in range(criteria.count()):
        criteria.nth(i).locator(f"label:has(> input[type=radio][value='{value}'])").click()
    assert page.locator("fieldset.criterion input[type=radio]:checked").count() == criteria.count()
    return criteria.count()


def test_respondent_fills_in_and_submits_then_viewer_finds_it(
    page, live_server, people, password, draft
):
    login(page, live_server, people.respondent.username, password)
    # Continue opens the first step with an unanswered question: step 1 of a new draft.
    page.click(f"main a[href='/assessments/{draft.pk}/']:visible")
    assert STEP_URL.search(page.url).group(1) == "1"
    assert page.locator("h1").count() == 1
    assert page.locator("[aria-current=step]").count() == 1
    assert_accessible(page, "questionnaire step 1")

    values = ["4", "3", "4", "2", "1", "dk", "na", "0"]
    answered = 0
    steps = 0
    while STEP_URL.search(page.url):
        answered += fill_step_with_mouse(page, values[steps % len(values)])
        steps += 1
        with page.expect_navigation():
            page.click(NEXT)
    assert steps == 6
    assert page.url.endswith(f"/assessments/{draft.pk}/review/")

    # Nothing is left unanswered: no links back to single criteria, a success note instead.
    assert page.locator("main a[href*='#criterion-']").count() == 0
    assert page.locator("main p.alert-success").is_visible()
    progress = page.locator("main progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == str(answered)
    assert_accessible(page, "review")

    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # Submitting asks first and says what happens.
    assert page.locator("main form button[name=confirm]").is_visible()
    assert_accessible(page, "submit confirmation")
    with page.expect_navigation():
        page.click("main form button[name=confirm]")
    assert page.url.endswith(f"/assessments/{draft.pk}/report/")
    assert page.locator("#headline").is_visible()
    assert page.locator(".growth-path > li").count() == 4
    page.wait_for_function("() => window.Chart && Chart.getChart('phase-chart')")
    assert_accessible(page, "report after submit")

    # The viewer sees it among the organisation's assessments.
    page.context.clear_cookies()
    login(page, live_server, people.viewer.username, password)
    row = page.locator("main table tbody tr", has_text=draft.title)
    assert row.count() == 1
    assert row.locator(".text-bg-success").count() == 1
    assert row.locator(f"a[href='/assessments/{draft.pk}/step/1/']").count() == 0
    assert row.locator(f"a[href='/assessments/{draft.pk}/']").count() == 0
    with page.expect_navigation():
        row.locator(f"a[href='/assessments/{draft.pk}/report/']").click()
    assert page.locator("#headline").is_visible()


FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), type: el.type || null, name: el.name || null,
    value: el.value || null, checked: !!el.checked, id: el.id || null,
    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
    inCriterion: !!el.closest("fieldset.criterion"),
    groupChecked: el.type === "radio"
      && !!document.querySelector(`input[name="${el.name}"]:checked`),
  };
}"""


def test_keyboard_only_fill_and_submit(page, live_server, people, password, draft):
    login(page, live_server, people.respondent.username, password)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/step/1/")

    # The first Tab reaches the skip link, which becomes visible and shows its focus.
    page.keyboard.press("Tab")
    state = page.evaluate(FOCUS_STATE)
    assert state["tag"] == "a" and page.locator(".skip-link").is_visible()
    assert state["outline"] != "none" and state["outlineWidth"] >= 2

    outlines_checked = 1
    steps = 0
    while STEP_URL.search(page.url):
        for _press in range(400):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STATE)
            if state["inCriterion"] and outlines_checked < 6:
                assert state["outline"] != "none", f"no focus outline on {state}"
                outlines_checked += 1
            if state["type"] == "radio" and not state["groupChecked"]:
                # Space answers with the focused (first) value; an arrow moves and selects.
                page.keyboard.press("Space")
                page.keyboard.press("ArrowRight")
                page.keyboard.press("ArrowRight")
                assert page.evaluate(FOCUS_STATE)["checked"]
            elif state["tag"] == "button" and state["value"] == "next":
                assert state["outline"] != "none"
                break
        else:
            pytest.fail("Tab never reached the Next button")
        unanswered = page.locator("fieldset.criterion:not(:has(input:checked))").count()
        assert unanswered == 0
        with page.expect_navigation():
            page.keyboard.press("Enter")
        steps += 1
    assert steps == 6
    assert outlines_checked == 6
    assert page.url.endswith("/review/")
    assert page.locator("main p.alert-success").is_visible()

    # The submit button, then the confirmation's "Yes, submit".
    for _page in ("review", "confirmation"):
        for _press in range(60):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STATE)
            if state["tag"] == "button" and page.evaluate(
                "() => document.activeElement.closest('main form') !== null"
            ):
                break
        else:
            pytest.fail(f"Tab never reached the submit button of the {_page}")
        assert state["outline"] != "none"
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert page.url.endswith(f"/assessments/{draft.pk}/report/")
    draft.refresh_from_db()
    assert not draft.is_draft
