"""A session's agenda as PDF (WeasyPrint): one or two pages of text, rendered in the request.

The report's PDF goes through the worker because it is large and slow; an agenda is a page of
text, so it is rendered where it is asked for, after the same access check as its page.
"""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from trajectories.models import Session


def session_agenda_pdf(session: Session) -> bytes:
    """The session's topic, date, trajectory and agenda as a tagged PDF."""
    from weasyprint import HTML  # 2.6 s to import: only when a PDF is asked for

    html = render_to_string(
        "trajectories/pdf/session_agenda.html",
        {"session": session, "trajectory": session.trajectory, "language": get_language()},
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
