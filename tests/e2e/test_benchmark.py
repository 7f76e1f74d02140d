"""The comparison in the demo report, the admin's choice and the sector view, in a browser.

With BENCHMARK_SCREENSHOTS=<dir> the pages are also saved at 1280 and 375 px wide.
"""

import os
from pathlib import Path

import pytest

from assessments.models import Assessment
from tests.e2e.conftest import assert_accessible, login, page_language

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("language"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
WIDTHS = (1280, 375)


def screenshots(page, name: str, section=None) -> None:
    """The page (or one section of it) at each width, when BENCHMARK_SCREENSHOTS names a folder."""
    folder = os.environ.get("BENCHMARK_SCREENSHOTS")
    if not folder:
        return
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        path = str(Path(folder) / f"{name}-{page_language(page)}-{width}.png")
        if section is None:
            page.screenshot(path=path, full_page=True)
        else:
            section.screenshot(path=path)


def test_demo_report_shows_the_comparison(page, live_server, demo_data):
    login(page, live_server, "directie", demo_data)
    latest = Assessment.objects.get(title="Meting 2026", organisation__slug="gemeente-voorbeeld")
    page.goto(f"{live_server.url}/assessments/{latest.pk}/report/")
    section = page.locator("section.benchmark")
    section.scroll_into_view_if_needed()
    assert section.locator("h2#comparison").is_visible()
    assert "7" in section.locator("p.benchmark-group").inner_text()
    assert section.locator("svg.benchmark-box").count() >= 2
    assert section.locator("table").count() == 2
    assert section.locator("[role=note]").count() == 1  # the region group refused, with why
    assert section.locator("a[href='?compare=kind#comparison']").count() == 1
    assert_accessible(page, "report with comparison")
    screenshots(page, "report", section)
    with page.expect_navigation():
        section.locator("a[href='?compare=kind#comparison']").click()
    assert "13" in page.locator("section.benchmark p.benchmark-group").inner_text()


def test_admin_opts_in_and_analyst_sees_the_sector(page, live_server, demo_data):
    login(page, live_server, "beheer", demo_data)
    page.goto(f"{live_server.url}/benchmark/")
    page.check("#id_opted_in")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert page.locator(".alert-success").is_visible()
    screenshots(page, "participation")
    page.context.clear_cookies(name="sessionid")
    login(page, live_server, "koepel", demo_data)
    page.goto(f"{live_server.url}/benchmark/sector/")
    assert page.locator("table").count() == 3
    assert "Voorbeeld" not in page.content()
    screenshots(page, "sector")
