"""Browser tests: Playwright on Debian's Chromium against pytest-django's live server.

Run with `DJANGO_ASSETS=local` so Bootstrap and Chart.js come from static/vendor.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

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
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_PASSWORD = "groeipad-demo-2026"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Dutch is the default language; pin the browser locale so Accept-Language is predictable.
    return {**browser_context_args, "locale": "nl-BE", "viewport": {"width": 1280, "height": 900}}


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


def login(page, live_server, username: str, password: str) -> None:
    """Log in through the login form and wait for the page after it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, f"login failed for {username}"


_axe = Axe()


def assert_accessible(page, context: str = "") -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page; fail with a readable report."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    if results.violations_count:
        lines = [f"{results.violations_count} axe violation(s) on {context or page.url}:"]
        for violation in results.response["violations"]:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
        pytest.fail("\n".join(lines))
