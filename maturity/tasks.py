"""Background tasks of the project package: sending stored e-mail, and the outbox's sweep."""

import logging

from celery import shared_task

from maturity.mail import (
    MAX_ATTEMPTS,
    Delivery,
    MailNotSentError,
    mail_deliver,
    mail_resend_pending,
    mail_retry_seconds,
)

logger = logging.getLogger("groeipad.tasks")


@shared_task(bind=True, max_retries=MAX_ATTEMPTS)
def outgoing_mail_send(self, mail_id: int) -> str:
    """Send one `OutgoingMail`; retried with backoff while the mail server fails."""
    try:
        outcome = mail_deliver(mail_id=mail_id)
    except MailNotSentError as error:
        if self.request.is_eager:
            # In the web process: no waiting between attempts. The row stays unsent.
            logger.warning("mail %s not sent (%s)", mail_id, error)
            return "not sent"
        logger.warning("mail %s not sent (%s), retrying", mail_id, error)
        raise self.retry(
            countdown=mail_retry_seconds(self.request.retries + 1), exc=error
        ) from error
    if outcome is not Delivery.SENT:
        logger.info("mail %s: %s, nothing to do", mail_id, outcome.value)
    return outcome.value


@shared_task
def outgoing_mail_sweep() -> int:
    """Enqueue unsent mail that no task holds any more (every minute, from beat)."""
    return mail_resend_pending()
