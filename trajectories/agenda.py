"""A session's agenda as a document: one structure (`documents.structure`) for the ODT, and the
tagged PDF (`trajectories.pdf`); `session_agenda_render` gives either's bytes.

The agenda is the coach's text: its lines are kept as they are written (the proposed agenda
numbers its points "1. …" and indents details as "  - …", which become a bulleted list under
their point). Nothing of a member is read here: the agenda says what the coach wrote.
"""

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from documents.structure import Block, Document, Heading, ListBlock, ListItem, Paragraph
from trajectories.models import Session, Trajectory

FORMATS = ("pdf", "odt")
# A line of the agenda that is a detail of the point before it ("  - Gemeente X: …").
DETAIL_PREFIXES = ("- ", "* ", "• ")


def _agenda_blocks(agenda: str) -> list[Block]:
    """The agenda's lines as paragraphs, with the "- " lines as bulleted lists."""
    blocks: list[Block] = []
    details: list[ListItem] = []
    for line in agenda.splitlines():
        text = line.strip()
        if not text:
            continue
        if text.startswith(DETAIL_PREFIXES):
            details.append(ListItem(text[2:].strip()))
            continue
        if details:
            blocks.append(ListBlock(tuple(details)))
            details = []
        blocks.append(Paragraph(text))
    if details:
        blocks.append(ListBlock(tuple(details)))
    return blocks


def session_agenda_document(session: Session, trajectory: Trajectory) -> Document:
    """The session as a document in the active language (no query): its topic as Heading 1,
    the date and trajectory under it, the agenda under Heading 2."""
    when = date_format(session.date, "j F Y")
    coach = trajectory.coach_organisation.name
    blocks: list[Block] = [
        Heading(1, session.topic),
        Paragraph(f"{when} · {trajectory.name} · {coach}", style="subtitle"),
        Heading(2, _("Agenda")),
        *(_agenda_blocks(session.agenda) or [Paragraph(_("No agenda yet."), style="note")]),
    ]
    return Document(
        title=f"{session.topic} · {trajectory.name}",
        subject=_("Agenda of the session of %(date)s") % {"date": when},
        language=get_language() or "nl-be",
        header=trajectory.name,
        page_word=_("Page"),
        blocks=tuple(blocks),
        author=coach,
    )


def session_agenda_render(session: Session, trajectory: Trajectory, fmt: str) -> bytes:
    """The session's agenda as "pdf" or "odt" bytes, in the active language (no query)."""
    if fmt == "pdf":
        from trajectories.pdf import session_agenda_pdf

        return session_agenda_pdf(session, trajectory)
    if fmt == "odt":
        from documents.odt import render_odt

        return render_odt(session_agenda_document(session, trajectory))
    raise ValueError(f"Unknown agenda format: {fmt!r}")
