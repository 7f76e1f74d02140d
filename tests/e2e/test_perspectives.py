"""Perspectives in the browser: two services answer, the team settles a disagreement, submits.

The whole flow of issue 17 as the people do it: an admin starts an assessment and adds a
perspective, two colleagues each answer the full questionnaire in their own perspective, the
comparison shows where they are two points or more apart, the admin settles one answer with a
note, submits, and the report's "Perspectieven" section shows how it was settled. axe runs on
every page visited. A contributor sees their own questionnaire and nothing else.
"""

import re

import pytest

from assessments.models import Assessment, Membership
from tests.e2e.conftest import assert_accessible, demo_draft_with_perspectives, login
from tests.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

NEXT = "main form button[name=action][value=next]"
PERSPECTIVE_STEP_URL = re.compile(r"/assessments/\d+/perspectives/\d+/step/(\d+)/$")
NOTE = "Besproken op 12/3: de directie kent de visietekst nog niet, dus gedeeltelijk."


def fill_step(page, value: str) -> None:
    """Click the answer `value` in every criterion of the step."""
    criteria = page.locator("fieldset.criterion")
    for i in range(criteria.count()):
        criteria.nth(i).locator(f"label:has(> input[type=radio][value='{value}'])").click()
    assert page.locator("fieldset.criterion input[type=radio]:checked").count() == criteria.count()


def answer_perspective(page, live_server, assessment_pk: int, name: str, values: dict) -> None:
    """From the perspectives page, fill in every step of perspective `name` (value per step)."""
    page.goto(f"{live_server.url}/assessments/{assessment_pk}/perspectives/")
    with page.expect_navigation():
        page.get_by_role("link", name=f"Invullen {name}").click()
    assert PERSPECTIVE_STEP_URL.search(page.url).group(1) == "1"
    assert page.locator("main .perspective-label").inner_text() == f"Perspectief: {name}"
    assert_accessible(page, f"step 1 of perspective {name}")
    step = 0
    while PERSPECTIVE_STEP_URL.search(page.url):
        step += 1
        fill_step(page, values.get(step, values["other"]))
        with page.expect_navigation():
            page.click(NEXT)
    assert step == 6
    # A finished perspective leads back to the overview, where it shows as complete.
    assert page.url.endswith(f"/assessments/{assessment_pk}/perspectives/")
    card = page.locator("main .perspective-list > li", has_text=name)
    assert re.search(r"\(100\s%\)", card.inner_text())


def test_two_perspectives_disagree_the_team_settles_and_submits(
    page, live_server, people, password, default_model, console_errors
):
    colleague = MembershipFactory(
        organisation=people.organisation,
        role=Membership.Role.RESPONDENT,
        user=UserFactory(first_name="Dirk", last_name="Directeur"),
    ).user

    # The admin starts an assessment from the dashboard.
    login(page, live_server, people.admin.username, password)
    page.fill("#id_title", "Meting met perspectieven")
    with page.expect_navigation():
        page.click("main section[aria-labelledby=new-assessment] button[type=submit]")
    assessment = Assessment.objects.get(title="Meting met perspectieven")
    base = f"{live_server.url}/assessments/{assessment.pk}"

    # The perspectives page: one perspective to start with; the admin adds "Directie".
    page.goto(f"{base}/perspectives/")
    assert page.locator("main .perspective-list > li").count() == 1
    assert_accessible(page, "perspectives overview with one perspective")
    page.fill("#id_name", "Directie")
    with page.expect_navigation():
        page.click("main section[aria-labelledby=add-perspective] [type=submit]")
    assert page.locator("main .alert-success").is_visible()
    names = page.locator("main .perspective-list h2").all_inner_texts()
    assert names == ["Communicatiedienst", "Directie"]
    assert_accessible(page, "perspectives overview with two perspectives")

    # A second perspective with the same name is refused with a message.
    page.fill("#id_name", "directie")
    with page.expect_navigation():
        page.click("main section[aria-labelledby=add-perspective] [type=submit]")
    assert page.locator("#id_name.is-invalid").count() == 1
    assert page.locator("main .perspective-list > li").count() == 2
    assert_accessible(page, "perspectives overview, duplicate name refused")
    # The browser logs the refusal's status (400); that is the point here.
    console_errors.allow("status of 400")

    # Who answers in "Directie": the admin ticks the colleague.
    directie = assessment.perspectives.get(name="Directie")
    with page.expect_navigation():
        page.locator("main .perspective-list > li", has_text="Directie").get_by_role(
            "link", name=re.compile("^Naam en deelnemers")
        ).click()
    assert_accessible(page, "perspective edit")
    page.get_by_label(re.compile("Dirk Directeur")).check()
    with page.expect_navigation():
        page.click("main form [type=submit]")
    card = page.locator("main .perspective-list > li", has_text="Directie")
    assert "Dirk Directeur" in card.inner_text()

    # Inviting someone and deleting are there too (the admin looks, and keeps the perspective).
    page.goto(f"{base}/perspectives/{directie.pk}/invite/")
    assert_accessible(page, "perspective invite")
    page.goto(f"{base}/perspectives/{directie.pk}/delete/")
    assert page.locator("main button.btn-danger").is_visible()
    assert_accessible(page, "perspective delete confirmation")
    with page.expect_navigation():
        page.get_by_role("link", name="Nee, behouden").click()
    assert page.locator("main .perspective-list > li").count() == 2

    # Two colleagues answer, each in their own perspective. Management is two points lower on
    # the first step (vision and strategy), the same everywhere else.
    page.context.clear_cookies()
    login(page, live_server, people.respondent.username, password)
    answer_perspective(page, live_server, assessment.pk, "Communicatiedienst", {"other": "4"})
    page.context.clear_cookies()
    login(page, live_server, colleague.username, password)
    answer_perspective(page, live_server, assessment.pk, "Directie", {1: "2", "other": "4"})

    # The admin compares: the step-1 questions are the disagreements, with the answers shown.
    page.context.clear_cookies()
    login(page, live_server, people.admin.username, password)
    page.goto(f"{base}/compare/")
    assert_accessible(page, "compare")
    disagreements = page.locator("section[aria-labelledby=disagreements] li.compare-row")
    step_one = len(default_model.dimensions.order_by("order").first().criteria.all())
    assert disagreements.count() == step_one
    first = disagreements.first
    assert "2 punten verschil" in first.inner_text()
    assert "4 – volledig" in first.inner_text() and "2 – gedeeltelijk" in first.inner_text()
    # The rule proposes the median rounded down: 3 for answers 4 and 2.
    assert "3 – grotendeels" in first.inner_text()
    statement = first.locator("p.fw-semibold").inner_text()

    # The admin settles it on the consensus page: "partly", with the meeting's note.
    with page.expect_navigation():
        first.get_by_role("link", name=re.compile("^Vastleggen")).click()
    assert page.locator("main .lead").inner_text() == statement
    assert_accessible(page, "consensus")
    page.check("main input[name=value][value='2']")
    page.fill("#id_note", NOTE)
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert "/compare/" in page.url
    settled = page.locator("section[aria-labelledby=disagreements] li.compare-row").first
    assert NOTE in settled.inner_text()
    assert "2 – gedeeltelijk" in settled.locator("p", has_text="Consensus").inner_text()
    assert_accessible(page, "compare after settling")

    # The review shows the consensus; submitting asks first.
    with page.expect_navigation():
        page.get_by_role("link", name="Consensus nakijken en indienen").click()
    assert page.url.endswith(f"/assessments/{assessment.pk}/review/")
    assert page.locator("main p.alert-success").is_visible()
    assert_accessible(page, "review of the consensus")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main form button[name=confirm]").is_visible()
    assert_accessible(page, "submit confirmation of the consensus")
    with page.expect_navigation():
        page.click("main form button[name=confirm]")
    assert page.url.endswith(f"/assessments/{assessment.pk}/report/")

    # The report's "Perspectieven" section: both perspectives, the disagreement and the note.
    section = page.locator("section[aria-labelledby=perspectives]")
    assert section.locator("h2").inner_text() == "Perspectieven"
    rows = section.locator("table tbody th[scope=row]").all_inner_texts()
    assert rows == ["Communicatiedienst", "Directie"]
    assert statement in section.inner_text()
    assert NOTE in section.inner_text()
    page.wait_for_function("() => window.Chart && Chart.getChart('phase-chart')")
    assert_accessible(page, "report with the perspectives section")


def test_the_contributor_sees_only_their_questionnaire(
    page, live_server, demo_data, console_errors
):
    # In the demo, jana (of the jeugddienst) answered in "Meting 2026", which is submitted, and is
    # in the Jeugddienst perspective of "Hermeting 2027" started from it; here the team has added
    # her to the draft "Meting 2027" as well.
    draft = demo_draft_with_perspectives()["draft"]
    submitted = Assessment.objects.get(title="Meting 2026")
    login(page, live_server, "jana", demo_data)
    assert page.locator("h1").inner_text() == "Je vragenlijsten"
    assert page.locator("main .card").count() == 2
    cards = (
        page.locator("main .card").filter(has_text="Meting 2027").filter(has_not_text="Hermeting")
    )
    assert cards.count() == 1
    assert "Jeugddienst" in cards.inner_text()
    # No list of the organisation's assessments, no new-assessment form, no members.
    assert page.locator("#new-assessment").count() == 0
    assert page.locator("a[href='/members/']").count() == 0
    assert_accessible(page, "contributor dashboard")

    with page.expect_navigation():
        cards.get_by_role("link", name=re.compile("^Invullen")).click()
    assert PERSPECTIVE_STEP_URL.search(page.url)
    assert page.locator("main .perspective-label").inner_text() == "Perspectief: Jeugddienst"
    assert_accessible(page, "contributor step 1")

    first = draft.perspectives.order_by("pk").first()
    refused = {
        f"/assessments/{submitted.pk}/report/": (403, 404),
        f"/assessments/{draft.pk}/report/": (403, 404),
        f"/assessments/{draft.pk}/compare/": (403, 404),
        f"/assessments/{draft.pk}/review/": (403, 404),
        f"/assessments/{draft.pk}/perspectives/{first.pk}/step/1/": (403, 404),
        "/members/": (403, 404),
    }
    for path, statuses in refused.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status in statuses, f"{path}: {response.status}"
    console_errors.allow("the server responded with a status")
