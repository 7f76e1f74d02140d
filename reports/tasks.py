"""Background tasks of the reports app: rendering a report document (`reports.renders`)."""

import logging

from celery import shared_task
from django.db import DatabaseError

from reports.renders import (
    report_document_build,
    report_document_cleanup,
    report_document_failed,
)

logger = logging.getLogger("groeipad.tasks")


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=3,
)
def report_document_render(render_id: int) -> str:
    """Render one requested report document (PDF, ODT, DOCX) and store it by its signature."""
    try:
        outcome = report_document_build(render_id=render_id)
    except DatabaseError:
        raise  # retried with backoff
    except Exception:
        # The waiting page says so and the next request asks again.
        report_document_failed(render_id=render_id)
        raise
    logger.info("report document %s: %s", render_id, outcome)
    return outcome


@shared_task(
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=3,
)
def report_documents_cleanup() -> int:
    """Remove stored report documents that will not be served again (daily on beat); how many."""
    removed = report_document_cleanup()
    logger.info("report document cleanup: %s removed", removed)
    return removed
