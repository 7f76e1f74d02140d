"""Background tasks of the trajectories app: rendering a session's agenda (ODT, PDF)."""

import logging

from celery import shared_task
from django.db import DatabaseError

from trajectories.agenda_renders import (
    agenda_render_build,
    agenda_render_cleanup,
    agenda_render_failed,
)

logger = logging.getLogger("groeipad.tasks")


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def session_agenda_render(render_id: int) -> str:
    """Render one asked-for session agenda (ODT or PDF) and store it by its signature."""
    try:
        outcome = agenda_render_build(render_id=render_id)
    except DatabaseError:
        raise  # retried with backoff
    except Exception:
        # The waiting page says so and the next ask tries again.
        agenda_render_failed(render_id=render_id)
        raise
    logger.info("agenda render %s: %s", render_id, outcome)
    return outcome


@shared_task(
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=3,
)
def session_agendas_cleanup() -> int:
    """Remove stored agendas that will not be served again (daily on beat); how many."""
    removed = agenda_render_cleanup()
    logger.info("agenda render cleanup: %s removed", removed)
    return removed
