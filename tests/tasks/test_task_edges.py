"""Tasks whose object is gone end cleanly with a log line; mail claims; eager mode logs the id."""

import json
import logging

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from maturity.mail import Delivery, mail_deliver, mail_queue
from maturity.mail_models import OutgoingMail
from maturity.request_log import JsonFormatter, current_request_id
from maturity.tasks import outgoing_mail_send
from reports.models import RenderedDocument
from reports.tasks import report_document_render

pytestmark = pytest.mark.django_db


def test_a_mail_task_for_a_deleted_mail_ends_with_a_log_line(caplog):
    with caplog.at_level(logging.INFO, logger="groeipad.tasks"):
        result = outgoing_mail_send.apply(args=[987654])

    assert result.successful() and result.get() == Delivery.GONE
    assert "987654: no such mail" in caplog.text


def test_a_pdf_task_for_a_deleted_assessment_ends_with_a_log_line(caplog, people, draft):
    render = RenderedDocument.objects.create(
        key="0" * 64,
        assessment=draft,
        organisation=people.organisation,
        requested_by=people.viewer,
        language="nl-be",
    )
    RenderedDocument.objects.filter(pk=render.pk).delete()  # as the assessment's deletion cascades

    with caplog.at_level(logging.INFO, logger="groeipad.tasks"):
        result = report_document_render.apply(args=[render.pk])

    assert result.successful() and result.get() == "gone"
    assert "gone (assessment deleted?)" in caplog.text


def test_a_pdf_is_not_rendered_for_a_requester_who_lost_access(people, draft):
    from assessments.models import Membership

    render = RenderedDocument.objects.create(
        key="1" * 64,
        assessment=draft,
        organisation=people.organisation,
        requested_by=people.viewer,
        language="nl-be",
    )
    Membership.objects.filter(user=people.viewer).delete()

    assert report_document_render.apply(args=[render.pk]).get() == "no access"
    render.refresh_from_db()
    assert render.status == RenderedDocument.Status.FAILED


def test_a_mail_is_sent_once_however_often_its_task_runs():
    with TestCase.captureOnCommitCallbacks(execute=True):
        stored = mail_queue(key="test:once", to="a@example.org", subject="Hallo", body="Tekst")

    assert mail_deliver(mail_id=stored.pk) == Delivery.ALREADY_SENT
    assert mail_queue(key="test:once", to="a@example.org", subject="Hallo", body="x") == stored
    assert len(mail.outbox) == 1


def test_a_claimed_mail_is_left_to_its_worker():
    stored = OutgoingMail.objects.create(key="test:claimed", to="a@example.org", subject="Hallo")

    OutgoingMail.objects.filter(pk=stored.pk).update(
        claimed_until=timezone.now() + timezone.timedelta(minutes=5)
    )

    assert mail_deliver(mail_id=stored.pk) == Delivery.BUSY
    assert mail.outbox == []


def test_in_eager_mode_the_task_logs_with_the_request_id(caplog):
    token = current_request_id.set("eager0request0id0001")
    try:
        with caplog.at_level(logging.INFO, logger="groeipad.tasks"):
            outgoing_mail_send.apply(args=[1])
        [started] = [r for r in caplog.records if r.getMessage() == "task started"]
        line = json.loads(JsonFormatter().format(started))
    finally:
        current_request_id.reset(token)

    assert line["task"] == "maturity.tasks.outgoing_mail_send"
    assert line["request_id"] == "eager0request0id0001" and line["attempt"] == 1


def test_a_failed_render_is_shown_and_asked_again_only_a_minute_later(client, people, draft):
    client.force_login(people.viewer)
    url = reverse("reports:report_pdf", args=[draft.pk])
    client.get(url)  # eager: rendered and stored
    render = RenderedDocument.objects.get()
    default_storage.delete(render.storage_name)
    RenderedDocument.objects.filter(pk=render.pk).update(
        status=RenderedDocument.Status.FAILED, finished_at=timezone.now()
    )

    answer = client.get(url, HTTP_ACCEPT="application/json")
    assert answer.json()["status"] == "failed" and answer.json()["message"]

    RenderedDocument.objects.filter(pk=render.pk).update(
        finished_at=timezone.now() - timezone.timedelta(minutes=2)
    )
    assert client.get(url)["Content-Type"] == "application/pdf"
