"""The outbox: one row per e-mail to send, so that a mail is sent after commit and only once."""

from django.db import models


class OutgoingMail(models.Model):
    """An e-mail waiting for (or done with) the worker; `key` names the message, so never twice.

    The key says what the message is (``invitation:<pk>:<digest>``, ``digest:<user>:<week>``);
    a second request for the same key finds the row instead of sending again. A worker claims a
    row for a few minutes (`claimed_until`) with one conditional UPDATE before it talks to the
    mail server, and marks it sent in another; the body, which may hold a one-time link, is
    emptied once sent.
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outgoing_mail_pending",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.key
