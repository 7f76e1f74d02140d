"""Background tasks of the reports app: rendering a report document (`reports.renders`)."""

from celery import shared_task

from documents.renders import CLEANUP_TASK_OPTIONS, RENDER_TASK_OPTIONS
from reports.renders import REPORT_DOCUMENTS, report_document_prepare


@shared_task(**RENDER_TASK_OPTIONS)
def report_document_render(render_id: int) -> str:
    """Render one requested report document (PDF, ODT, DOCX) and store it by its signature."""
    return REPORT_DOCUMENTS.task_run(render_id=render_id, prepare=report_document_prepare)


@shared_task(**CLEANUP_TASK_OPTIONS)
def report_documents_cleanup() -> int:
    """Remove stored report documents that will not be served again (daily on beat); how many."""
    return REPORT_DOCUMENTS.cleanup_run()
