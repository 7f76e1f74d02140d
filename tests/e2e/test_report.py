"""The report of a submitted assessment, as the viewer sees it (demo data)."""

import pytest

from assessments.models import Assessment
from tests.e2e.conftest import assert_accessible, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CANVAS_DRAWN = """(id) => {
  const canvas = document.getElementById(id);
  if (!canvas || !window.Chart || !Chart.getChart(canvas)) { return false; }
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) { return true; } }
  return false;
}"""


@pytest.fixture
def report_page(page, live_server, demo_data):
    login(page, live_server, "directie", demo_data)
    latest = Assessment.objects.get(title="Meting 2026")
    row = page.locator("main table tbody tr", has_text="Meting 2026")
    with page.expect_navigation():
        row.locator(f"a[href='/assessments/{latest.pk}/report/']").click()
    return page


def test_report_shows_phase_growth_path_charts_advice_and_history(report_page):
    page = report_page
    assert page.locator("h1").count() == 1
    assert "Meting 2026" in page.locator("h1").inner_text()

    headline = page.locator("#headline")
    assert headline.is_visible() and headline.inner_text().strip()
    assert page.locator(".maturity-index").is_visible()

    steps = page.locator("ol.growth-path > li.growth-step")
    assert steps.count() == 4
    assert page.locator("ol.growth-path > li[aria-current=step]").count() == 1

    for chart in ("radar-chart", "phase-chart", "history-chart"):
        page.wait_for_function(CANVAS_DRAWN, arg=chart, timeout=5000)
    assert page.locator("#radar-table tbody tr").count() == 6
    assert page.locator("#phase-table tbody tr").count() == 4

    assert page.locator("ol.advice-list > li").count() > 0
    history = page.locator("#history-table tbody tr")
    assert history.count() == 2
    assert history.nth(1).get_attribute("aria-current") == "true"
    assert_accessible(page, "report")


def test_report_prints_without_navigation(report_page):
    page = report_page
    page.wait_for_function(CANVAS_DRAWN, arg="radar-chart", timeout=5000)
    hidden_in_print = ("header.site-header", "header nav", "footer.site-footer", "[data-print]")
    # Each is there and seen on screen first, so "not visible in print" means print hides it.
    for selector in hidden_in_print:
        assert page.locator(selector).first.is_visible(), f"{selector} not on screen"
    page.emulate_media(media="print")
    for selector in hidden_in_print:
        assert page.locator(selector).count() > 0
        assert not page.locator(selector).first.is_visible(), f"{selector} printed"
    assert page.locator("#headline").is_visible()
    assert page.locator("#history-table").is_visible()
    page.emulate_media(media="screen")
    assert page.locator("header.site-header").is_visible()
    assert page.locator("[data-print]").is_visible()


def test_report_fits_a_phone_and_stays_accessible(report_page):
    """At 320 px (WCAG 1.4.10 reflow) the page never scrolls sideways; wide tables scroll
    inside their own keyboard-reachable region."""
    page = report_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    page.wait_for_function(CANVAS_DRAWN, arg="radar-chart", timeout=5000)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "report at 320 px")


def test_report_summary_first_then_collapsed_advice_and_the_pdf(report_page):
    page = report_page
    assert page.locator(".headline .priorities > li").count() == 3
    more = page.locator("details.advice-more").first
    assert more.is_visible()
    assert not more.locator("ol.advice-list > li").first.is_visible()
    more.locator("summary").click()
    assert more.locator("ol.advice-list > li").first.is_visible()
    assert_accessible(page, "report with advice opened")

    pdf = page.locator("a[href$='/report.pdf']")
    response = page.request.get(pdf.evaluate("link => link.href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("odt", "application/vnd.oasis.opendocument.text"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_the_editable_report_downloads_from_the_report_page(report_page, fmt, content_type):
    link = report_page.locator(f"a[href$='/report.{fmt}']")
    assert link.is_visible()

    response = report_page.request.get(link.evaluate("link => link.href"))

    assert response.status == 200
    assert response.headers["content-type"] == content_type
    assert response.body().startswith(b"PK")  # a ZIP package, as ODT and DOCX are


@pytest.mark.parametrize("width", [1280, 375])
def test_the_waiting_page_of_the_editable_report_is_accessible(report_page, monkeypatch, width):
    """While the worker has not rendered it yet (its task left in the queue here)."""
    monkeypatch.setattr("reports.views.enqueue", lambda *args: None)
    page = report_page
    page.set_viewport_size({"width": width, "height": 800})

    with page.expect_navigation():
        page.locator("a[href$='/report.docx']").click()

    assert page.locator("h1").inner_text().startswith("Even geduld")
    assert page.locator("[role=progressbar]").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert_accessible(page, f"editable report waiting page at {width} px")


# Chart.js stops following its box's size, as if its redraw for a new width had not come yet.
STOP_REDRAWING = """() => {
  for (const canvas of document.querySelectorAll("canvas")) {
    const chart = Chart.getChart(canvas);
    chart.options.responsive = false;
    chart.update("none");
  }
}"""


def test_a_chart_not_yet_redrawn_cannot_widen_the_phone_page(report_page):
    """A chart drawn for the desktop's layout keeps its canvas's pixel width until Chart.js
    redraws it (later under load): the page must fit the phone before that redraw too."""
    page = report_page
    for chart in ("radar-chart", "phase-chart", "history-chart"):
        page.wait_for_function(CANVAS_DRAWN, arg=chart, timeout=5000)
    page.evaluate(STOP_REDRAWING)
    desktop_width = page.evaluate("() => document.getElementById('radar-chart').offsetWidth")
    assert desktop_width > 375
    page.set_viewport_size({"width": 375, "height": 800})
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    # Chart.js has not redrawn (the canvas still has the desktop's width), yet each canvas fits.
    assert (
        page.evaluate("() => document.getElementById('radar-chart').style.width")
        == f"{desktop_width}px"
    )
    # Nor taller: the radar's box is 460 px high on a desktop, 360 px on a phone, and a canvas
    # running out of it lies over the table below (axe cannot tell that table's contrast).
    for chart in ("radar-chart", "phase-chart", "history-chart"):
        canvas, box = page.evaluate(
            "(id) => { const c = document.getElementById(id); const b = c.parentElement;"
            " return [[c.offsetWidth, c.offsetHeight], [b.clientWidth, b.clientHeight]]; }",
            chart,
        )
        assert canvas[0] <= box[0] and canvas[1] <= box[1], f"{chart}: {canvas} in a box of {box}"
