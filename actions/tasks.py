"""Background tasks of the action plan: the daily reminders and the weekly admin digest (beat)."""

import logging

from celery import shared_task

from actions.digest import admin_digests_send
from actions.reminders import action_reminders_send

logger = logging.getLogger("groeipad.tasks")


@shared_task
def action_reminders() -> int:
    """Queue the reminder mails for actions due soon or overdue (daily, from beat)."""
    queued = action_reminders_send()
    logger.info("%d reminder mail(s) queued", queued)
    return queued


@shared_task
def admin_digests() -> int:
    """Queue this week's digest for the organisation admins (Mondays, from beat)."""
    queued = admin_digests_send()
    logger.info("%d digest mail(s) queued", queued)
    return queued
