"""The Celery app: background work on a worker, or in the web process when no broker is set.

Configured from Django's settings (the ``CELERY_`` names, see ``maturity/settings/base.py``).
Tasks live in each app's ``tasks.py`` and are found by ``autodiscover_tasks``. Services enqueue
them after their transaction commits (`maturity.queue`). Every message carries the id of the
request that enqueued it (header ``request_id``), and a worker logs with that id while the task
runs, in the same format as the request log (`maturity.request_log`).

Start a worker with ``make worker`` (``celery -A maturity worker``) and the schedule with
``make beat`` (``celery -A maturity beat``).
"""

import logging
import os
import time

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maturity.settings.production")

app = Celery("maturity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "request_id"
logger = logging.getLogger("groeipad.tasks")
_started: dict[str, tuple[float, object]] = {}


@signals.setup_logging.connect
def _use_django_logging(**kwargs) -> None:
    """Keep Django's LOGGING (JSON lines in production) instead of Celery's own handlers."""
    import django

    django.setup()


@signals.before_task_publish.connect
def _pass_on_request_id(headers: dict | None = None, **kwargs) -> None:
    """Put the id of the request (or task) that enqueues a task into the message."""
    from maturity.request_log import current_request_id

    request_id = current_request_id.get()
    if headers is not None and request_id and not headers.get(REQUEST_ID_HEADER):
        headers[REQUEST_ID_HEADER] = request_id


@signals.task_prerun.connect
def _task_started(task_id: str, task, **kwargs) -> None:
    """Log with the enqueuing request's id for as long as the task runs."""
    from maturity.request_log import current_request_id

    request_id = getattr(task.request, REQUEST_ID_HEADER, None) or current_request_id.get()
    token = current_request_id.set(request_id)
    _started[task_id] = (time.perf_counter(), token)
    logger.info(
        "task started",
        extra={"task": task.name, "task_id": task_id, "attempt": task.request.retries + 1},
    )


@signals.task_postrun.connect
def _task_finished(task_id: str, task, state: str | None = None, **kwargs) -> None:
    """One line per finished run (success, retry or failure) with its duration."""
    from maturity.request_log import current_request_id

    started, token = _started.pop(task_id, (None, None))
    logger.info(
        "task finished",
        extra={
            "task": task.name,
            "task_id": task_id,
            "state": state,
            "duration_ms": None
            if started is None
            else round((time.perf_counter() - started) * 1000, 1),
        },
    )
    if token is not None:
        try:
            current_request_id.reset(token)
        except ValueError:
            current_request_id.set(None)  # reset in another context (eager runs nest)
