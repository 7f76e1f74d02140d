"""Browser tests: Playwright on Debian's Chromium against pytest-django's live server.

Run with `DJANGO_ASSETS=local` so Bootstrap and Chart.js come from static/vendor.
"""

import os
import shutil
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from assessments.models import Assessment, Membership
from assessments.services import (
    AnswerInput,
    answers_save,
    perspective_create,
    perspective_update,
)
from maturity.selectors import model_version_structure
from tests.conftest import answer_all

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe-core from npm, pinned in package.json (`make assets` installs it): the newest 4.x, with the
# WCAG 2.2 rules (target-size). Injected with page.evaluate, which a strict CSP allows.
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "groeipad-demo-2026"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Dutch is the default language; pin the browser locale so Accept-Language is predictable.
    return {**browser_context_args, "locale": "nl-BE", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _second_factor_not_required(request, settings):
    """The walks sign in the demo's admins with a password; the MFA walk turns the rule on.

    The rule itself (staff and organisation admins enrol an authenticator app first) is tested
    in tests/sso/test_mfa.py and by tests/e2e/test_mfa.py, which asks for it with
    ``@pytest.mark.second_factor_required``.
    """
    settings.GROEIPAD_MFA_REQUIRED = bool(request.node.get_closest_marker("second_factor_required"))


@pytest.fixture(autouse=True)
def console_errors(page):
    """Collect console errors and uncaught exceptions; any of them fails the test."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console.{msg.type}: {msg.text} ({msg.location.get('url')})")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    yield errors
    assert not errors, "Browser console errors:\n" + "\n".join(errors)


@pytest.fixture
def demo_data(default_model):
    """The demo organisation: communicatie, directie, beheer, redacteur; two submitted
    assessments a year apart ("Nulmeting 2025", "Meting 2026") and a draft ("Meting 2027")."""
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return DEMO_PASSWORD


def demo_draft_with_perspectives() -> dict:
    """The demo draft "Meting 2027" answered in three perspectives, disagreeing on step 1.

    The communicatiedienst answers every question; "Directie" (the admin) answers step 1 two
    points lower; the demo contributor "jana" is assigned to "Jeugddienst" and has not
    started. Returns the draft and its perspectives by name.
    """
    draft = Assessment.objects.get(title="Meting 2027")
    admin = Membership.objects.get(user__username="beheer", organisation=draft.organisation)
    contributor = Membership.objects.get(user__username="jana")
    structure = model_version_structure(version=draft.model_version)
    first_step = [c for c in structure.criteria if c.dimension_id == structure.dimensions[0].pk]
    answer_all(draft, draft.created_by, {1: "4", 2: "3", 3: "2", 4: "1"})
    directie = perspective_create(assessment=draft, user=admin.user, name="Directie")
    answers_save(
        assessment=draft,
        user=admin.user,
        answers=[
            AnswerInput(criterion=c, value="0", comment="", loaded_revision=0) for c in first_step
        ],
        perspective_id=directie.pk,
    )
    jeugddienst = perspective_create(assessment=draft, user=admin.user, name="Jeugddienst")
    perspective_update(
        assessment=draft,
        perspective_id=jeugddienst.pk,
        user=admin.user,
        name=jeugddienst.name,
        member_ids=[contributor.pk],
    )
    return {
        "draft": draft,
        "Directie": directie,
        "Jeugddienst": jeugddienst,
        "disagreement": first_step[0].key,
    }


def login(page, live_server, username: str, password: str) -> None:
    """Log in through the login form and wait for the page after it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, f"login failed for {username}"


HTML_LANG = {"nl-be": "nl-BE", "en": "en"}
LOCKOUT_HEADING = {
    "nl-be": "Te veel mislukte aanmeldpogingen",
    "en": "Too many failed login attempts",
}


@pytest.fixture(params=list(HTML_LANG))
def language(request, page, live_server) -> str:
    """The language of the whole test, chosen as the language switch does: with the cookie."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": request.param, "url": live_server.url}]
    )
    return request.param


def page_language(page) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_run(page, options: dict) -> dict:
    """Run the pinned axe-core on the page (injected once per document) and return its results."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate("options => window.axe.run(document, options)", options)


# WCAG A/AA plus axe's best practices: heading order, landmarks, every content in a region, …
AXE_TAGS = [*WCAG_TAGS, "best-practice"]
# Contrast axe could not decide ("incomplete": text over an image or gradient, a pseudo-element)
# fails like a violation unless it has been checked by hand and listed here:
# (substring of the page's URL or of the context the test names, CSS target) -> why the
# contrast is fine. A "*" in a target stands for any text (ids that carry a primary key or a
# criterion's key).
_FORM_SELECT = (
    "Bootstrap's .form-select draws its arrow as a background image, so axe cannot decide;"
    " the text is --bs-body-color #212529 on --bs-body-bg #fff (15.4:1), checked by hand"
)
_INVALID_INPUT = (
    "Bootstrap's .is-invalid shows its warning icon as a background image, so axe cannot decide;"
    " the text is --bs-body-color #212529 on --bs-body-bg #fff (15.4:1), checked by hand"
)
_GROWTH_TICK = (
    "the decorative (aria-hidden) tick of a reached phase: --gp-green #1e6b3a on #fff or #fff"
    " on --gp-green (6.5:1); axe leaves a symbol-only text undecided. Checked by hand"
)
REVIEWED_CONTRAST: dict[tuple[str, str], str] = {
    ("/admin/", ".historylink"): (
        "Django admin's object tools float over the breadcrumbs' row, so axe 4.14 reports the"
        " History link as overlapped; the text is --object-tools-fg #fff on --object-tools-bg"
        " #747474 (4.7:1), checked by hand"
    ),
    **{
        (" at 375 px", target): (
            "on the phone page axe cannot find this caption's or section's background (it is"
            " clipped by its scrolling table box, or reported overlapped on the long page); the"
            " text is #212529 (caption rgba(33,37,41,.75), 6.7:1) on #fff. Checked by hand"
        )
        for target in (
            "#history",
            "#comparison-caption",
            "#comparison-phases-caption",
            "#groups-caption",
            "#years-caption",
            "#phases-caption",
            "#profile-caption",
            "#members-caption",
        )
    },
    ("prompt of Next", "#carried-prompt > p"): (
        "an open modal <dialog> is in the top layer, which axe does not model: it reports the"
        " paragraph as overlapping the page below. The text is #212529 on the dialog's #fff"
        " (15.4:1), checked by hand"
    ),
    ("", "#language-switch"): _FORM_SELECT,
    # How sure the team is, beside each question (the step page and the editors' preview).
    ("", "#*-confidence"): _FORM_SELECT,
    ("/members/", "#id_role"): _FORM_SELECT,
    ("/members/", "#role-*"): _FORM_SELECT,
    ("/sign-in-rules/", "#id_provider_id"): _FORM_SELECT,
    ("/sign-in-rules/", "#id_role"): _FORM_SELECT,
    ("/benchmark/sector/", "#model"): _FORM_SELECT,
    ("/members/", "#id_email"): _INVALID_INPUT,
    ("/assessments/new/", "#id_title"): _INVALID_INPUT,
    ("/evidence/", "#id_file-file"): _INVALID_INPUT,
    ("/perspectives/", "#id_name"): _INVALID_INPUT,
    ("/delete/", "#id_typed_title"): _INVALID_INPUT,
    ("/sessions/", "#id_date"): _INVALID_INPUT,
    ("/accounts/2fa/", "#id_code"): _INVALID_INPUT,
    ("/accounts/oidc/link/", "#id_password"): _INVALID_INPUT,
    **{
        ("/actions/", target): _FORM_SELECT
        for target in (
            "#id_criterion_key",
            "#id_owner_member",
            "#id_status",
            "#id_owner",
            "#id_dimension",
        )
    },
    **{
        (
            "report",
            f".growth-step--{state} > .growth-step__head"
            ' > .growth-step__number[aria-hidden="true"]',
        ): _GROWTH_TICK
        for state in ("reached", "current")
    },
    # With several phases reached axe names the tick by its position instead.
    **{
        (
            "report",
            f".growth-step--{state}.growth-step:nth-child({position}) > .growth-step__head"
            ' > .growth-step__number[aria-hidden="true"]',
        ): _GROWTH_TICK
        for state in ("reached", "current")
        for position in range(1, 5)
    },
    **{
        ("report at 320 px", target): (
            "on the 10,000 px tall phone page axe cannot find this element's background (it"
            " reports it overlapped; a caption is also clipped by its scrolling table box); the"
            " text is #212529 (caption rgba(33,37,41,.75), 6.7:1) on #fff. Checked by hand"
        )
        for target in (
            "#charts",
            "#history",
            "#history-table > caption",
            "#comparison-caption",
            "#comparison-phases-caption",
        )
    },
}


def _report(kind: str, items: list, context: str) -> list[str]:
    lines = [f"{len(items)} axe {kind} on {context}:"]
    for item in items:
        lines.append(f"- {item['id']} ({item['impact']}): {item['help']}")
        for node in item["nodes"][:5]:
            lines.append(
                f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}"
            )
    return lines


def _target_matches(reviewed: str, target: list) -> bool:
    actual = ", ".join(map(str, target))
    if "*" in reviewed:
        return fnmatchcase(actual, reviewed)
    return actual == reviewed


def _unreviewed_contrast(incomplete: list, where_checked: str) -> list:
    """Undecided colour-contrast results that nobody has reviewed for this page."""
    unreviewed = []
    for item in incomplete:
        if item["id"] != "color-contrast":
            continue
        nodes = [
            node
            for node in item["nodes"]
            if not any(
                where in where_checked and _target_matches(target, node["target"])
                for where, target in REVIEWED_CONTRAST
            )
        ]
        if nodes:
            unreviewed.append({**item, "nodes": nodes})
    return unreviewed


def assert_accessible(page, context: str = "") -> None:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA, best practices) on the page; fail with a report.

    Undecided contrast counts as a failure unless listed in REVIEWED_CONTRAST.
    """
    context = context or page.url
    # axe-core places a position: sticky element where it is on screen and reports the text and
    # radio buttons beneath the step's sticky action bar as overlapped, or too small a target
    # ("partially obscured"), wherever the page happens to be scrolled (axe-core issue #3720,
    # open). A user scrolls them clear (and scroll-padding-bottom keeps a focused one clear of
    # the bar), so axe judges the step with the bar in its place in the flow.
    sticky = page.evaluate(
        "() => [...document.querySelectorAll('.sticky-actions')]"
        ".map(bar => { bar.style.position = 'static'; return 1; }).length"
    )
    results = axe_run(
        page,
        {
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "resultTypes": ["violations", "incomplete"],
        },
    )
    if sticky:
        page.evaluate(
            "() => document.querySelectorAll('.sticky-actions')"
            ".forEach(bar => { bar.style.position = ''; })"
        )
    violations = results["violations"]
    contrast = _unreviewed_contrast(results["incomplete"], f"{page.url} {context}")
    lines = []
    if violations:
        lines += _report("violation(s)", violations, context)
    if contrast:
        lines += _report("undecided contrast result(s), not reviewed", contrast, context)
    if lines:
        pytest.fail("\n".join(lines))
