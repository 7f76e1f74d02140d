"""The report PDF's waiting page in a browser, with a real Celery worker on a real Redis.

The viewer asks for the PDF of a submitted assessment: the page says it is being made, shows a
progress bar and polls. Only then is the worker started (on the test's own Redis, loopback), so
axe judges the waiting page itself, at 1,280 and 375 px, in Dutch and in English; once the
worker has stored the PDF, the page's script opens it without a click (Chromium shows it).
"""

import pytest

from assessments.models import Assessment, Membership
from reports.models import RenderedDocument
from reports.sharing import share_link_create
from tests.e2e.conftest import HTML_LANG, login, page_language
from tests.e2e.test_every_page_accessible import assert_accessible_at_every_width
from tests.servers import real_queue, worker_environment, worker_start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("language"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

WAITING_TEXT = {"nl-be": "Wacht op zijn beurt", "en": "Waiting for its turn"}


@pytest.fixture
def queue(own_redis):
    """This process (the live server) enqueues on the test's Redis; no worker runs yet."""
    with real_queue(own_redis.url):
        yield own_redis


def test_the_waiting_page_polls_and_opens_the_pdf_the_worker_made(
    page, live_server, demo_data, queue, settings, tmp_path, console_errors
):
    login(page, live_server, "directie", demo_data)
    assessment = Assessment.objects.get(title="Meting 2026")
    pdf_path = f"/assessments/{assessment.pk}/report.pdf"

    response = page.goto(f"{live_server.url}{pdf_path}")

    assert response.status == 202
    language = page_language(page)
    assert page.locator("html").get_attribute("lang") == HTML_LANG[language]
    assert page.locator("h1").count() == 1
    assert page.get_by_role("progressbar").is_visible()
    status = page.get_by_role("status")
    assert WAITING_TEXT[language] in status.inner_text()
    render = RenderedDocument.objects.get(assessment=assessment)
    assert render.status == RenderedDocument.Status.QUEUED
    # The script polls the render's own status address, not the PDF's.
    polled = f"/assessments/{assessment.pk}/report-documents/{render.pk}/status"
    assert status.get_attribute("data-poll-url") == polled
    with page.expect_request(lambda request: request.url.endswith(polled)):
        pass
    assert_accessible_at_every_width(page, f"PDF waiting page ({language})")

    worker = worker_start(
        environment=worker_environment(broker_url=queue.url, media_root=settings.MEDIA_ROOT),
        log_path=tmp_path / "worker.log",
    )
    try:
        with page.expect_response(
            lambda answer: f"{pdf_path}?render=" in answer.url, timeout=120_000
        ) as opened:
            pass
        pdf = opened.value
    finally:
        worker.stop()

    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    # Chromium shows it in its viewer; the same address, fetched with the page's cookies:
    assert page.request.get(pdf.url).body().startswith(b"%PDF-")
    assert pdf.url.endswith(f"{pdf_path}?render={render.pk}")
    page.wait_for_url(f"**{pdf_path}?render={render.pk}")
    render.refresh_from_db()
    assert render.status == RenderedDocument.Status.DONE
    assert "report document" in worker.log_text()
    # Chromium's PDF viewer asks for /favicon.ico, which the app does not serve.
    console_errors[:] = [error for error in console_errors if "/favicon.ico)" not in error]


def test_the_shared_reports_waiting_page_opens_the_pdf_the_worker_made(
    page, live_server, demo_data, queue, settings, tmp_path, console_errors
):
    """Through a share link (no account): the same waiting page polls the token's PDF address."""
    assessment = Assessment.objects.get(title="Meting 2026")
    admin = Membership.objects.filter(
        organisation=assessment.organisation, role=Membership.Role.ADMIN
    ).first()
    _link, token = share_link_create(assessment=assessment, membership=admin)
    pdf_path = f"/shared/{token}/report.pdf"

    response = page.goto(f"{live_server.url}{pdf_path}")

    assert response.status == 202
    status = page.get_by_role("status")
    assert status.get_attribute("data-pdf-url") == pdf_path
    worker = worker_start(
        environment=worker_environment(broker_url=queue.url, media_root=settings.MEDIA_ROOT),
        log_path=tmp_path / "worker.log",
    )
    try:
        with page.expect_response(
            lambda answer: (
                answer.url.endswith(pdf_path)
                and answer.headers.get("content-type") == "application/pdf"
            ),
            timeout=120_000,
        ) as opened:
            pass
        pdf = opened.value
    finally:
        worker.stop()

    assert pdf.status == 200
    assert page.request.get(pdf.url).body().startswith(b"%PDF-")
    console_errors[:] = [error for error in console_errors if "/favicon.ico)" not in error]
