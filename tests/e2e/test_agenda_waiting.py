"""A session's agenda (ODT, PDF) in a browser, rendered by a real Celery worker on a real Redis.

The coach clicks "Agenda (PDF)" on the session page: the waiting page (the report documents'
own, includes/_document_progress.html) says it is being made and polls the render's status
address; axe judges it. Only then is the worker started; the page opens the PDF by itself. The
ODT asked for after it is served at once once the worker stored it too.
"""

import io

import pytest
from django.core.management import call_command

from tests.e2e.conftest import HTML_LANG, login, page_language
from tests.e2e.test_every_page_accessible import assert_accessible_at_every_width
from tests.servers import real_queue, worker_environment, worker_start
from trajectories.models import AgendaRender, Session

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("language"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

WAITING_TEXT = {"nl-be": "Wacht op zijn beurt", "en": "Waiting for its turn"}
PDF_LINK = {"nl-be": "Agenda (PDF)", "en": "Agenda (PDF)"}


@pytest.fixture
def queue(own_redis):
    """This process (the live server) enqueues on the test's Redis; no worker runs yet."""
    with real_queue(own_redis.url):
        yield own_redis


def test_the_coach_clicks_the_agenda_and_the_worker_s_pdf_opens(
    page, live_server, demo_data, queue, settings, tmp_path, console_errors
):
    call_command("load_trajectory_demo", stdout=io.StringIO())
    session = Session.objects.order_by("pk").first()
    login(page, live_server, "coach", demo_data)
    page.goto(f"{live_server.url}/trajectories/sessions/{session.pk}/")
    language = page_language(page)

    with page.expect_navigation():
        page.get_by_role("link", name=PDF_LINK[language]).click()

    pdf_path = f"/trajectories/sessions/{session.pk}/agenda.pdf"
    assert page.url.endswith(pdf_path)
    assert page.locator("html").get_attribute("lang") == HTML_LANG[language]
    assert page.get_by_role("progressbar").is_visible()
    status = page.get_by_role("status")
    assert WAITING_TEXT[language] in status.inner_text()
    render = AgendaRender.objects.get(session=session)
    polled = f"/trajectories/sessions/{session.pk}/agenda/{render.pk}/status"
    assert status.get_attribute("data-poll-url") == polled
    with page.expect_request(lambda request: request.url.endswith(polled)):
        pass
    assert_accessible_at_every_width(page, f"agenda waiting page ({language})")

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
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert page.request.get(pdf.url).body().startswith(b"%PDF-")
        render.refresh_from_db()
        assert render.status == AgendaRender.Status.DONE
        assert "agenda render" in worker.log_text()
    finally:
        worker.stop()
    # A second ask of the same content: the stored file at once, no new render.
    again = page.request.get(f"{live_server.url}{pdf_path}")
    assert again.status == 200 and again.body().startswith(b"%PDF-")
    assert AgendaRender.objects.filter(session=session).count() == 1
    console_errors.allow("/favicon.ico)")
