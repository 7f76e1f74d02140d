"""A session's agenda (ODT, PDF) off the web workers: the agenda's kind of `documents.renders`
(the one lifecycle of a worker-rendered document, shared with the report's: ask, queue, poll,
render, store, serve, remove).

What is the agenda's: the content signature (`agenda_render_key`: the session, its date, topic
and agenda, the trajectory's and coach organisation's names, the language and the format), so an
edit of the session makes a new document and repeated asks of the same content render nothing
again; the bound (one render per user at a time, `TRAJECTORY_QUEUE_LIMIT` per trajectory); the
worker's access check and render (`agenda_render_prepare`: `session_get` for the requester
again, then `trajectories.agenda.session_agenda_render`); once stored, the session's earlier
renders of the same language and format are removed (an edit made them unreachable). The task
is `trajectories.tasks.session_agenda_render`; beat's daily `session_agendas_cleanup` sweeps.
"""

import hashlib
import logging

from django.contrib.auth import get_user_model
from django.db.models import OuterRef

from documents.renders import DocumentRenders, Rendering, Requester
from trajectories.agenda import session_agenda_render
from trajectories.models import AgendaRender, Session, Trajectory
from trajectories.selectors import session_get, trajectory_readable

logger = logging.getLogger("groeipad.tasks")

# Renders waiting or running for one trajectory at most (its coaches and members together, any
# session, language and format); more asks get "try again later", as the reports' per
# organisation.
TRAJECTORY_QUEUE_LIMIT = 4

AGENDA_RENDERS = DocumentRenders(
    model=AgendaRender,
    subject="session",
    scope="session__trajectory_id",
    scope_model=Trajectory,
    scope_limit=TRAJECTORY_QUEUE_LIMIT,
    label="agenda render",
)


def agenda_render_key(*, session: Session, trajectory: Trajectory, language: str, fmt: str) -> str:
    """The content signature of a session's agenda document: a SHA-256 hex digest (no query)."""
    parts = (
        session.pk,
        session.date.isoformat(),
        session.topic,
        session.agenda,
        trajectory.name,
        trajectory.coach_organisation.name,
        language,
        fmt,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def agenda_render_request(
    *, session: Session, user, key: str, language: str, fmt: str
) -> tuple[AgendaRender, bool]:
    """The render of this signature, made if needed; True when it must be enqueued now.

    The user's row is locked, so parallel asks of one user are counted one after the other,
    then the trajectory's for its bound.
    """
    return AGENDA_RENDERS.request(
        key=key,
        language=language,
        fmt=fmt,
        requester=Requester(
            lock=get_user_model().objects.filter(pk=user.pk), fields={"requested_by_id": user.pk}
        ),
        subject={"session": session},
        scope_pk=session.trajectory_id,
    )


def agenda_render_build(*, render_id: int) -> str:
    """Render and store the agenda of one `AgendaRender` (the worker's part)."""
    return AGENDA_RENDERS.build(render_id=render_id, prepare=agenda_render_prepare)


def agenda_render_prepare(render: AgendaRender) -> Rendering | None:
    """The worker's check of the requester's access to the session (None: lost) and its render;
    the session's earlier renders of this language and format are no longer asked for."""
    found = session_get(user=render.requested_by, pk=render.session_id)
    if found is None:
        logger.info("agenda render %s: the requester lost access, not rendered", render.pk)
        return None
    session, access = found
    return Rendering(
        content=lambda: session_agenda_render(session, access.trajectory, render.format),
        superseded_before=render.requested_at,
    )


def agenda_render_status(*, user, session_pk: int, render_pk: int) -> tuple[str, str] | None:
    """The status and format of one render for the waiting page's poll; None: not the user's.

    One query: the render of this session, in a trajectory the user coaches or takes part in
    (the same rows `trajectory_access` starts from).
    """
    if not user.is_authenticated:
        return None
    readable = trajectory_readable(user=user, trajectory=OuterRef("session__trajectory"))
    return AGENDA_RENDERS.poll(subject_pk=session_pk, render_pk=render_pk, readable=readable)


def agenda_render_stored_name(*, session: Session, render_pk: int, fmt: str) -> str | None:
    """The storage name of a finished render of this session and format, if its file is there.

    The caller has checked the user's access to the session on this request.
    """
    return AGENDA_RENDERS.stored_name(subject_pk=session.pk, render_pk=render_pk, fmt=fmt)
