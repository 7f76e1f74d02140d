"""A session's agenda as a tagged PDF (WeasyPrint), rendered by a worker
(`trajectories.agenda_renders`), like the ODT of the same agenda."""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from trajectories.models import Session, Trajectory


def session_agenda_pdf(session: Session, trajectory: Trajectory) -> bytes:
    """The session's topic, date, trajectory and agenda as a tagged PDF (no query)."""
    from weasyprint import HTML  # 2.6 s to import: only when a PDF is asked for

    html = render_to_string(
        "trajectories/pdf/session_agenda.html",
        {"session": session, "trajectory": trajectory, "language": get_language()},
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
