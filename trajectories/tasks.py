"""Background tasks of the trajectories app: rendering a session's agenda (ODT, PDF)."""

from celery import shared_task

from documents.renders import CLEANUP_TASK_OPTIONS, RENDER_TASK_OPTIONS
from trajectories.agenda_renders import AGENDA_RENDERS, agenda_render_prepare


# A one-page agenda: a tighter time limit than the report's (the settings' 120 s soft).
@shared_task(**RENDER_TASK_OPTIONS, soft_time_limit=60, time_limit=90)
def session_agenda_render(render_id: int) -> str:
    """Render one asked-for session agenda (ODT or PDF) and store it by its signature."""
    return AGENDA_RENDERS.task_run(render_id=render_id, prepare=agenda_render_prepare)


@shared_task(**CLEANUP_TASK_OPTIONS)
def session_agendas_cleanup() -> int:
    """Remove stored agendas that will not be served again (daily on beat); how many."""
    return AGENDA_RENDERS.cleanup_run()
