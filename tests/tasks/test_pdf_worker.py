"""Report PDFs rendered by a real worker: the waiting page, a killed worker, Redis away.

Each test starts its own Redis and worker (tests/servers.py); the web side is Django's test
client in this process, enqueueing on that Redis.
"""

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments.models import Membership
from maturity.mail_models import OutgoingMail
from reports.models import RenderedDocument, ShareLink
from reports.sharing import share_link_create
from tests.conftest import submitted_assessment
from tests.servers import real_queue, redis_start, wait_until, worker_start
from tests.tasks.conftest import environment_for

pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"HTTP_ACCEPT": "application/json"}


def stored_pdfs() -> list:
    folder = settings.MEDIA_ROOT / "reports" / "pdf"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def submitted_report(default_model, people):
    return submitted_assessment(people, "Meting 2026", {1: "4", 2: "3", 3: "2", 4: "1"})


def pdf_url(assessment) -> str:
    return reverse("reports:report_pdf", args=[assessment.pk])


def test_the_pdf_waits_for_the_worker_then_opens(client, people, submitted_report, worker):
    client.force_login(people.viewer)

    waiting = client.get(pdf_url(submitted_report))

    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert 'role="progressbar"' in page and 'role="status"' in page
    assert f'href="{pdf_url(submitted_report)}"' in page  # the refresh link, without JavaScript
    wait_until(
        lambda: client.get(pdf_url(submitted_report), **JSON).json()["status"] == "ready",
        what="the worker's PDF",
    )
    response = client.get(pdf_url(submitted_report))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(stored_pdfs()) == 1 and RenderedDocument.objects.get().status == "done"


def test_twelve_asks_of_one_user_queue_one_render(client, people, submitted_report, worker):
    client.force_login(people.viewer)

    statuses = {client.get(pdf_url(submitted_report)).status_code for _ in range(12)}

    assert statuses <= {200, 202}
    assert RenderedDocument.objects.count() == 1


def test_a_pdf_is_not_served_to_someone_who_lost_access(client, people, submitted_report, worker):
    client.force_login(people.viewer)
    client.get(pdf_url(submitted_report))
    wait_until(lambda: stored_pdfs(), what="the stored PDF")

    Membership.objects.filter(user=people.viewer).delete()

    assert client.get(pdf_url(submitted_report)).status_code == 404


def test_a_killed_worker_s_render_is_retried_and_stored_once(
    client, people, submitted_report, worker_env, own_redis, tmp_path
):
    log_path = tmp_path / "worker.log"
    first = worker_start(environment=worker_env, log_path=log_path)
    client.force_login(people.viewer)
    with real_queue(own_redis.url):
        assert client.get(pdf_url(submitted_report)).status_code == 202
        wait_until(
            lambda: RenderedDocument.objects.filter(status="rendering").exists(), what="the render"
        )
        first.kill()
        assert not stored_pdfs()

        second = worker_start(environment=worker_env, log_path=log_path)
        try:
            wait_until(lambda: stored_pdfs(), timeout=90, what="the retried render")
            wait_until(lambda: RenderedDocument.objects.get().status == "done", what="done")
            response = client.get(pdf_url(submitted_report))
        finally:
            second.stop()

    assert response["Content-Type"] == "application/pdf"
    assert len(stored_pdfs()) == 1 and RenderedDocument.objects.count() == 1
    assert second.log_text().count("report document") >= 1


def test_with_redis_away_pages_answer_and_queued_work_runs_when_it_is_back(
    client, people, submitted_report, smtp, settings, tmp_path
):
    broker = redis_start(tmp_path, durable=True)
    environment = environment_for(broker, smtp, settings)
    settings.CELERY_BROKER_URL = broker.url
    cache.clear()
    client.force_login(people.admin)
    members = reverse("members")
    worker = None
    try:
        with real_queue(broker.url):
            # Queued while no worker runs; then Redis stops.
            client.post(members, {"email": "voor@example.org", "role": "viewer"})
            broker.stop()
            stopped_at = time.monotonic()

            while time.monotonic() - stopped_at < 10:
                assert client.get(reverse("login")).status_code == 200
                assert client.get(reverse("dashboard")).status_code == 200
                pdf = client.get(pdf_url(submitted_report))
                assert pdf.status_code == 503
                assert "Probeer later opnieuw" in pdf.content.decode()
                assert client.get("/healthz").status_code == 503
                assert client.get("/healthz/live").status_code == 200
                time.sleep(1)
            # An invitation while Redis is away is made; its mail waits in the outbox.
            during = client.post(members, {"email": "tijdens@example.org", "role": "viewer"})
            assert during.status_code == 302

            broker = redis_start(tmp_path, port=broker.port, durable=True)
            worker = worker_start(
                environment=environment, log_path=tmp_path / "worker.log", beat=True
            )
            wait_until(lambda: len(smtp.handler.messages) == 2, what="both invitations")
            assert client.get(pdf_url(submitted_report)).status_code == 202
            wait_until(lambda: stored_pdfs(), what="the PDF after the outage")
    finally:
        if worker is not None:
            worker.stop()
        broker.stop()

    recipients = sorted(
        message.split(b"\r\nTo: ")[1].split(b"\r\n")[0] for message in smtp.handler.messages
    )
    assert recipients == [b"tijdens@example.org", b"voor@example.org"]
    assert OutgoingMail.objects.filter(sent_at__isnull=False).count() == 2


def test_a_shared_report_s_pdf_waits_for_the_worker_and_stops_when_revoked(
    client, people, submitted_report, worker
):
    admin = Membership.objects.select_related("organisation").get(user=people.admin)
    _link, token = share_link_create(assessment=submitted_report, membership=admin)
    url = reverse("shared:report_document", args=[token, "pdf"])

    waiting = client.get(url)

    assert waiting.status_code == 202
    assert 'role="progressbar"' in waiting.content.decode()
    wait_until(lambda: client.get(url, **JSON).json()["status"] == "ready", what="the shared PDF")
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert RenderedDocument.objects.get().share_link_id is not None

    ShareLink.objects.update(revoked_at=timezone.now())

    assert client.get(url).status_code == 410
