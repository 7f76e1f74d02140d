"""Background tasks of the reports app: rendering a report PDF and removing old ones
(`reports.pdf_renders`)."""

import logging

from celery import shared_task
from django.db import DatabaseError

from reports.pdf_renders import report_pdf_build, report_pdf_cleanup, report_pdf_failed

logger = logging.getLogger("groeipad.tasks")


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=3,
)
def report_pdf_render(render_id: int) -> str:
    """Render one requested report PDF and store it under its content signature."""
    try:
        outcome = report_pdf_build(render_id=render_id)
    except DatabaseError:
        raise  # retried with backoff
    except Exception:
        # The waiting page says so and the next request asks again.
        report_pdf_failed(render_id=render_id)
        raise
    logger.info("report pdf %s: %s", render_id, outcome)
    return outcome


@shared_task(
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=3,
)
def report_pdfs_cleanup() -> int:
    """Remove stored report PDFs that will not be served again (daily on beat); how many."""
    removed = report_pdf_cleanup()
    logger.info("report pdf cleanup: %s removed", removed)
    return removed
