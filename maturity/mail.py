"""E-mail through the queue: `mail_queue` stores the message, a worker sends it once.

Callers (invitations, password reset, reminders, digests) call `mail_queue` inside their
transaction; the mail is enqueued when it commits, so a rolled-back change sends nothing. The
worker's `outgoing_mail_send` task calls `mail_deliver`, which claims the row with one
conditional UPDATE (not sent, not claimed by another worker now), talks to the SMTP server
outside any transaction and then marks the row sent. A refused or failed delivery frees the
claim and raises `MailNotSentError`, and the task retries with backoff; the beat's sweep
(`mail_resend_pending`) enqueues rows that were never enqueued (broker down at commit time) or
whose worker died. A mail is sent twice only if a worker dies between the server's "accepted"
and the UPDATE that marks it sent, and then only after its claim ran out.
"""

import logging
import smtplib
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone

from maturity.mail_models import OutgoingMail

logger = logging.getLogger("groeipad.mail")

# Longer than a delivery can take (EMAIL_TIMEOUT per SMTP step): a claim older than this
# belongs to a worker that died.
CLAIM_SECONDS = 5 * 60
# After this many attempts a mail is given up (failed_at) and logged as an error.
MAX_ATTEMPTS = 8


class MailNotSentError(Exception):
    """The mail server refused or could not be reached; the row is free for a retry."""


class Delivery(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already sent"
    BUSY = "claimed by another worker"
    GONE = "no such mail"
    GIVEN_UP = "given up"


def _one_line(text: str) -> str:
    # A mail header must be one line; a name with a line break would make send_mail refuse.
    return " ".join(str(text).split())


def mail_queue(*, key: str, to: str, subject: str, body: str) -> OutgoingMail:
    """Store a mail under `key` (once) and enqueue its sending after the transaction commits."""
    from maturity.queue import enqueue_on_commit
    from maturity.tasks import outgoing_mail_send

    mail, created = OutgoingMail.objects.get_or_create(
        key=key, defaults={"to": to, "subject": _one_line(subject)[:300], "body": body}
    )
    if created:
        enqueue_on_commit(outgoing_mail_send, mail.pk)
    return mail


def mail_deliver(*, mail_id: int) -> Delivery:
    """Send one stored mail if nobody sent or is sending it; raise MailNotSentError on failure."""
    now = timezone.now()
    claimed = (
        OutgoingMail.objects.filter(pk=mail_id, sent_at__isnull=True, failed_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    )
    if not claimed:
        state = OutgoingMail.objects.filter(pk=mail_id).values("sent_at", "failed_at").first()
        if state is None:
            return Delivery.GONE
        if state["sent_at"] is not None:
            return Delivery.ALREADY_SENT
        return Delivery.GIVEN_UP if state["failed_at"] is not None else Delivery.BUSY
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        send_mail(
            subject=mail.subject,
            message=mail.body,
            from_email=None,
            recipient_list=[mail.to],
            fail_silently=False,
        )
    except (smtplib.SMTPException, OSError) as error:
        gave_up = mail.attempts >= MAX_ATTEMPTS
        OutgoingMail.objects.filter(pk=mail_id).update(
            claimed_until=None,
            last_error=type(error).__name__,
            failed_at=timezone.now() if gave_up else None,
        )
        if gave_up:
            logger.error("mail %s given up after %d attempts", mail_id, mail.attempts)
            return Delivery.GIVEN_UP
        raise MailNotSentError(type(error).__name__) from error
    OutgoingMail.objects.filter(pk=mail_id).update(
        sent_at=timezone.now(), claimed_until=None, body="", last_error=""
    )
    return Delivery.SENT


def mail_resend_pending() -> int:
    """Enqueue again every unsent mail that no task holds (broker was down, worker died)."""
    from maturity.queue import QueueUnavailableError, enqueue
    from maturity.tasks import outgoing_mail_send

    now = timezone.now()
    # A fresh row is left to its own task for a while (a duplicate would do no harm, though).
    sweep_after = timedelta(seconds=2 * settings.MAIL_SWEEP_SECONDS)
    pending = list(
        OutgoingMail.objects.filter(
            sent_at__isnull=True, failed_at__isnull=True, created_at__lte=now - sweep_after
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("pk", flat=True)[:500]
    )
    for mail_id in pending:
        try:
            enqueue(outgoing_mail_send, mail_id)
        except QueueUnavailableError:
            return 0
    return len(pending)


def mail_retry_seconds(attempt: int) -> int:
    """Backoff before retry `attempt` (1, 2, …): doubling from MAIL_RETRY_SECONDS, at most 1 h."""
    base = getattr(settings, "MAIL_RETRY_SECONDS", 30)
    return min(base * 2 ** max(0, attempt - 1), 3600)
