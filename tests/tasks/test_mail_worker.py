"""Mail through a real worker: sent after commit, retried while the SMTP server refuses, once."""

import json

import pytest
from django.db import transaction

from assessments.models import Membership
from assessments.services import invitation_create
from maturity.mail_models import OutgoingMail
from maturity.queue import enqueue
from maturity.request_log import current_request_id
from maturity.tasks import outgoing_mail_send
from tests.servers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

REQUEST_ID = "invite0request0id0000001"


def invite(people, email: str = "nieuw@example.org"):
    return invitation_create(
        organisation=people.organisation,
        invited_by=people.admin,
        email=email,
        role=Membership.Role.VIEWER,
        accept_url="http://testserver/invitations/TOKEN/",
    )


def task_lines(worker) -> list[dict]:
    lines = [line for line in worker.log_text().splitlines() if line.startswith("{")]
    return [entry for entry in map(json.loads, lines) if entry.get("task")]


def test_a_refused_mail_is_retried_and_sent_once_the_server_accepts(people, worker, smtp):
    smtp.handler.refusing = True
    token = current_request_id.set(REQUEST_ID)
    try:
        invitation = invite(people)
    finally:
        current_request_id.reset(token)

    wait_until(lambda: smtp.handler.refused >= 2, what="two refused deliveries")
    smtp.handler.refusing = False
    wait_until(
        lambda: OutgoingMail.objects.filter(sent_at__isnull=False).exists(), what="the mail sent"
    )
    # The same message enqueued again (a duplicate delivery) sends nothing.
    enqueue(outgoing_mail_send, OutgoingMail.objects.get().pk)
    wait_until(lambda: "already sent" in worker.log_text(), what="the duplicate's log line")

    [message] = smtp.handler.messages
    assert invitation.token in message.decode()
    stored = OutgoingMail.objects.get()
    assert stored.attempts == smtp.handler.refused + 1
    assert stored.body == ""  # the one-time link does not stay in the database
    runs = [entry for entry in task_lines(worker) if entry["message"] == "task started"]
    assert len(runs) >= 3
    assert {entry["request_id"] for entry in runs[:-1]} == {REQUEST_ID}


def test_a_rolled_back_invitation_sends_nothing(people, worker, smtp):
    with pytest.raises(RuntimeError), transaction.atomic():
        invite(people)
        raise RuntimeError("the request fails after the invitation")
    invite(people, email="tweede@example.org")

    wait_until(lambda: len(smtp.handler.messages) == 1, what="the second invitation")
    assert b"tweede@example.org" in smtp.handler.messages[0]
    assert OutgoingMail.objects.count() == 1
