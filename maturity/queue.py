"""Putting work on the queue: after the transaction commits, and never with a 500 for the user.

`enqueue` sends a task to the broker now and raises `QueueUnavailableError` when the broker
cannot take it (Redis down): a view shows "try again later" then. `enqueue_on_commit` sends it
once the current transaction commits (at once outside one); a failure there is logged, not
raised, because the transaction's work is done: work that must not be lost is kept in the
database (an `OutgoingMail` row, a `PdfRender` row) and enqueued again by the beat's sweep.
Without a broker (eager mode) the task runs in this process instead.
"""

import contextlib
import logging
from collections.abc import Callable

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

logger = logging.getLogger("groeipad.tasks")

# What a publish raises when the broker is down or does not answer in time.
BROKER_ERRORS = (KombuOperationalError, RedisError, ConnectionError, TimeoutError, OSError)


class QueueUnavailableError(Exception):
    """The broker could not take the task now; the user should try again later."""


def enqueue(task: Task, *args: object) -> None:
    """Send `task(*args)` to the broker now (or run it here in eager mode)."""
    try:
        task.apply_async(args=args)
    except BROKER_ERRORS as error:
        logger.warning(
            "enqueue failed: broker unavailable (%s)",
            type(error).__name__,
            extra={"task": task.name},
        )
        raise QueueUnavailableError from error


def enqueue_on_commit(task: Task, *args: object) -> None:
    """Send `task(*args)` once the current transaction commits; a broker failure is logged."""
    transaction.on_commit(_quietly(task, args))


def _quietly(task: Task, args: tuple) -> Callable[[], None]:
    def send() -> None:
        # Logged by enqueue; the beat's sweep enqueues the stored work again.
        with contextlib.suppress(QueueUnavailableError):
            enqueue(task, *args)

    return send
