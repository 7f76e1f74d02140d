"""axe-core (WCAG 2.2 A/AA and best practices) on every page, by the role that uses it, at a
desktop's 1,280 px and a phone's 375 px, where nothing may scroll sideways.

Every test here runs twice: in Dutch (the default) and in English. The language is a cookie,
as the language switch sets it (URLs are the same in both languages); each visit checks that
the page really came in the language asked for.
"""

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from actions.models import Action
from assessments.models import Assessment, Membership
from assessments.services import invitation_create
from tests.conftest import answer_all
from tests.e2e.conftest import (
    HTML_LANG,
    LOCKOUT_HEADING,
    assert_accessible,
    demo_draft_with_perspectives,
    login,
    page_language,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("language"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def visit(page, url: str, *, expect_status: int = 200, console_errors=None) -> None:
    response = page.goto(url)
    assert response.status == expect_status, f"{url}: {response.status}"
    language = page_language(page)
    assert page.locator("html").get_attribute("lang") == HTML_LANG[language], f"{url}: language"
    if expect_status != 200:
        # The browser logs the error status of the page itself; that is the point here.
        expected = f"status of {expect_status}"
        console_errors[:] = [e for e in console_errors if not (expected in e and url in e)]
    assert page.locator("h1").count() == 1, f"{url}: one h1 per page"
    assert page.title().endswith("Groeipad"), f"{url}: the title says where you are"
    assert_accessible_at_every_width(page, f"{url} ({language})")


DESKTOP, PHONE = 1280, 375
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def assert_accessible_at_every_width(page, context: str) -> None:
    """axe at 1,280 and at 375 px; at 375 px nothing scrolls sideways (every table fits or is a
    stacked list). The page is not loaded again: the layout follows the viewport."""
    assert_accessible(page, f"{context} at {DESKTOP} px")
    page.set_viewport_size({"width": PHONE, "height": 800})
    try:
        # Charts redraw for the new width a frame or two later: wait for them, briefly.
        try:
            page.wait_for_function(
                f"() => document.documentElement.scrollWidth <= {PHONE}", timeout=3000
            )
        except PlaywrightTimeoutError:
            width = page.evaluate("() => document.documentElement.scrollWidth")
            pytest.fail(f"{context} is {width} px wide at {PHONE} px")
        # As tall as the page: axe leaves undecided (incomplete) what straddles the viewport's
        # lower edge, which on a long phone page depends on the language's line breaks.
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.set_viewport_size({"width": PHONE, "height": min(max(height, 800), 16000)})
        assert_accessible(page, f"{context} at {PHONE} px")
    finally:
        page.set_viewport_size({"width": DESKTOP, "height": 900})


def test_every_questionnaire_page_of_the_respondent(page, live_server, demo_data):
    login(page, live_server, "communicatie", demo_data)
    draft = Assessment.objects.get(title="Meting 2027")
    base = f"{live_server.url}/assessments/{draft.pk}"
    visit(page, f"{live_server.url}/")
    for number in range(1, draft.model_version.dimensions.count() + 1):
        visit(page, f"{base}/step/{number}/")
    visit(page, f"{base}/review/")
    visit(page, f"{base}/import/")
    visit(page, f"{base}/report/")
    visit(page, f"{live_server.url}/assessments/new/")
    visit(page, f"{live_server.url}/actions/")
    visit(page, f"{live_server.url}/actions/?status=all")
    visit(page, f"{live_server.url}/actions/new/")
    action = Action.objects.get(title="Monitoringtool kiezen")
    visit(page, f"{live_server.url}/actions/{action.pk}/")


def test_every_page_of_the_re_assessment_with_answers_to_confirm(page, live_server, demo_data):
    login(page, live_server, "communicatie", demo_data)
    hermeting = Assessment.objects.get(title="Hermeting 2027")
    base = f"{live_server.url}/assessments/{hermeting.pk}"
    perspective = hermeting.perspectives.order_by("pk").first()
    if hermeting.perspectives.count() > 1:
        base = f"{base}/perspectives/{perspective.pk}"
    # The demo confirmed step 1 of the first perspective; step 2 still waits.
    visit(page, f"{base}/step/2/")
    # "Next" asks about the carried answers left: the page that asks without JavaScript.
    visit(page, f"{base}/step/2/carried/")
    assert page.url.endswith("/step/2/carried/"), "the prompt page itself was checked"
    # The evidence carried over with an answer (the demo's strategy PDF and council decision).
    visit(page, f"{base}/evidence/strategie-doelen-bepaald/")
    assert page.locator(".evidence-list li").count() == 2
    visit(page, f"{live_server.url}/assessments/{hermeting.pk}/review/")


def test_every_page_of_the_organisation_admin(page, live_server, demo_data):
    login(page, live_server, "beheer", demo_data)
    submitted = Assessment.objects.get(title="Meting 2026")
    visit(page, f"{live_server.url}/members/")
    visit(page, f"{live_server.url}/assessments/{submitted.pk}/report/")
    visit(page, f"{live_server.url}/assessments/{submitted.pk}/changes/")
    # The validated demo assessment: its validation page, its history with the validation steps
    # and its report's "validated by" line; the draft's validation page with the switch.
    validated = Assessment.objects.get(title="Nulmeting 2025")
    visit(page, f"{live_server.url}/assessments/{validated.pk}/validation/")
    visit(page, f"{live_server.url}/assessments/{validated.pk}/changes/")
    visit(page, f"{live_server.url}/assessments/{validated.pk}/report/")
    draft = Assessment.objects.get(title="Meting 2027")
    visit(page, f"{live_server.url}/assessments/{draft.pk}/validation/")
    visit(page, f"{live_server.url}/assessments/{draft.pk}/manage/")
    visit(page, f"{live_server.url}/benchmark/")
    # The comparison refused for the region, with the reason and the wider groups offered.
    visit(page, f"{live_server.url}/assessments/{submitted.pk}/report/?compare=region")


def test_every_perspective_page_of_the_organisation_admin(page, live_server, demo_data):
    demo = demo_draft_with_perspectives()
    draft, directie = demo["draft"], demo["Directie"]
    login(page, live_server, "beheer", demo_data)
    base = f"{live_server.url}/assessments/{draft.pk}"
    visit(page, f"{base}/perspectives/")
    visit(page, f"{base}/perspectives/{directie.pk}/edit/")
    visit(page, f"{base}/perspectives/{directie.pk}/invite/")
    visit(page, f"{base}/perspectives/{directie.pk}/delete/")
    visit(page, f"{base}/perspectives/{directie.pk}/step/1/")
    visit(page, f"{base}/compare/")
    visit(page, f"{base}/consensus/{demo['disagreement']}/")
    visit(page, f"{base}/review/")
    submitted = Assessment.objects.get(title="Meting 2026")
    visit(page, f"{live_server.url}/assessments/{submitted.pk}/perspectives/")
    visit(page, f"{live_server.url}/assessments/{submitted.pk}/compare/")
    visit(page, f"{live_server.url}/assessments/{submitted.pk}/report/")
    assert page.locator("section[aria-labelledby=perspectives] table tbody tr").count() == 3


def test_every_page_of_the_contributor(page, live_server, demo_data):
    jeugddienst = demo_draft_with_perspectives()["Jeugddienst"]
    login(page, live_server, "jana", demo_data)
    visit(page, f"{live_server.url}/")
    base = f"{live_server.url}/assessments/{jeugddienst.assessment_id}"
    visit(page, f"{base}/perspectives/")
    visit(page, f"{base}/perspectives/{jeugddienst.pk}/step/1/")
    visit(page, f"{base}/perspectives/{jeugddienst.pk}/import/")


def test_every_page_of_the_sector_analyst(page, live_server, demo_data):
    login(page, live_server, "koepel", demo_data)
    visit(page, f"{live_server.url}/benchmark/sector/")


def test_every_action_plan_page_of_the_viewer(page, live_server, demo_data):
    login(page, live_server, "directie", demo_data)
    visit(page, f"{live_server.url}/")
    visit(page, f"{live_server.url}/actions/?status=all")
    action = Action.objects.get(title="Monitoringtool kiezen")
    visit(page, f"{live_server.url}/actions/{action.pk}/")


def test_error_pages_for_the_viewer(page, live_server, demo_data, console_errors):
    login(page, live_server, "directie", demo_data)
    draft = Assessment.objects.get(title="Meting 2027")
    visit(
        page,
        f"{live_server.url}/assessments/{draft.pk}/step/1/",
        expect_status=403,
        console_errors=console_errors,
    )
    visit(
        page,
        f"{live_server.url}/assessments/999999/report/",
        expect_status=404,
        console_errors=console_errors,
    )
    visit(
        page, f"{live_server.url}/no-such-page/", expect_status=404, console_errors=console_errors
    )
    # The 500 page is rendered on its own (no request context), as Django does after an error.
    page.set_content(render_to_string("errors/500.html"))
    assert_accessible_at_every_width(page, "errors/500.html")


def test_public_pages_and_the_invitation(page, live_server, demo_data, console_errors):
    visit(page, f"{live_server.url}/groeipad/")
    admin = Membership.objects.get(user__username="beheer")
    invitation = invitation_create(
        organisation=admin.organisation,
        invited_by=admin.user,
        # Not a demo user's address.
        email="sportdienst@voorbeeld.example",
        role=Membership.Role.RESPONDENT,
        accept_url=f"{live_server.url}/invitations/TOKEN/",
    )
    visit(page, f"{live_server.url}/invitations/{invitation.token}/")
    visit(
        page,
        f"{live_server.url}/invitations/not-a-token/",
        expect_status=404,
        console_errors=console_errors,
    )


def test_the_lockout_page_after_five_failed_logins(
    page, live_server, demo_data, console_errors, language
):
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "directie")
        page.fill("#id_password", "wrong-password")
        with page.expect_navigation() as navigation:
            page.click("main form button[type=submit]")
    # The page checked must be the lockout page, not the login form with an error.
    assert navigation.value.status == 429
    assert page.locator("h1").inner_text() == LOCKOUT_HEADING[language]
    assert page.locator("html").get_attribute("lang") == HTML_LANG[language]
    assert page.locator("#id_password").count() == 0
    assert_accessible_at_every_width(page, f"lockout page ({language})")
    console_errors[:] = [e for e in console_errors if "status of 429" not in e]


@pytest.mark.parametrize("width", [320, 640])
def test_nothing_is_cut_off_at_320_px_or_200_percent_zoom(page, live_server, demo_data, width):
    """640 px wide is what a 1280 px screen shows at 200 % zoom."""
    demo = demo_draft_with_perspectives()
    login(page, live_server, "communicatie", demo_data)
    page.set_viewport_size({"width": width, "height": 800})
    draft = Assessment.objects.get(title="Meting 2027")
    submitted = Assessment.objects.get(title="Meting 2026")
    for path in (
        "/",
        f"/assessments/{draft.pk}/step/1/",
        f"/assessments/{draft.pk}/review/",
        f"/assessments/{submitted.pk}/report/",
        "/groeipad/",
        f"/assessments/{draft.pk}/perspectives/",
        f"/assessments/{draft.pk}/perspectives/{demo['Directie'].pk}/step/1/",
        f"/assessments/{draft.pk}/compare/",
        f"/assessments/{draft.pk}/consensus/{demo['disagreement']}/",
        f"/assessments/{submitted.pk}/compare/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        # A 403/404 page is narrow too: the page measured must be the page named.
        assert response.status == 200, f"{path}: {response.status}"
        assert page.locator("main h1").count() == 1, f"{path}: no page content"
        assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{path} scrolls sideways at {width} px"


def test_the_password_reset_pages(page, live_server, demo_data):
    visit(page, f"{live_server.url}/accounts/password-reset/")
    page.fill("#id_email", "niemand@voorbeeld.example")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/accounts/password-reset/sent/")
    assert_accessible_at_every_width(page, "reset link sent")
    visit(page, f"{live_server.url}/accounts/reset/MQ/verzonnen-link/")
    visit(page, f"{live_server.url}/accounts/reset/done/")


def test_the_import_preview_and_the_submit_confirmation(page, live_server, demo_data, tmp_path):
    login(page, live_server, "communicatie", demo_data)
    draft = Assessment.objects.get(title="Meting 2027")
    base = f"{live_server.url}/assessments/{draft.pk}"
    with page.expect_download() as download:
        page.goto(f"{base}/import/")
        page.click(f"main a[href='/assessments/{draft.pk}/answers.csv']")
    exported = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    header, first, *rest = exported
    # The Dutch export uses ";" (Belgian Excel), the English one ",".
    sep = ";" if ";" in header else ","
    key = first.split(sep)[0].strip('"')
    changed = tmp_path / "answers.csv"
    changed.write_text(
        "\n".join([header, sep.join([f'"{key}"', '"na"', '"Gewijzigd in Excel"']), *rest])
    )
    page.set_input_files("#id_file", str(changed))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main table.import-preview tbody tr").count() >= 1
    assert page.locator("h1").count() == 1
    assert_accessible_at_every_width(page, f"import preview ({page_language(page)})")

    # Every question answered (the answers already there are kept), so submitting asks to confirm.
    answer_all(draft, draft.created_by, {1: "4", 2: "3", 3: "2", 4: "1"})
    page.goto(f"{base}/review/")
    assert_accessible_at_every_width(page, f"review with every answer ({page_language(page)})")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main form button[name=confirm]").is_visible()
    assert_accessible_at_every_width(page, f"submit confirmation ({page_language(page)})")
