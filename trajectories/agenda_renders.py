"""A session's agenda (ODT, PDF) off the web workers: asked for, rendered by a worker, stored.

The same pattern as the report's documents (`reports.renders`), for a smaller thing. The
request (`agenda_render_request`) answers at once. The content signature (`agenda_render_key`:
the session, its date, topic and agenda, the trajectory's and coach organisation's names, the
language and the format) names the file in Django's default storage, so an edit of the session
makes a new document and repeated asks of the same content render nothing again. Stored → the
view serves the file (access checked on that request). Not yet → an `AgendaRender` row is made
and `trajectories.tasks.session_agenda_render` enqueued; the page polls until the file is
there. One render per user at a time (`AgendaBusyError`).

The task (`agenda_render_build`) loads the row by id (gone: done), checks the requester's access
to the session again (`session_get`), renders in the row's language and format and stores the
file under the row's key unless it is there already (idempotent). Once stored, the session's
earlier renders of the same language and format are removed (`agenda_render_superseded_remove`);
the beat's daily `agenda_render_cleanup` removes what is older than
settings.REPORT_DOCUMENT_KEEP_DAYS and files no row names.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from trajectories.agenda import session_agenda_render
from trajectories.models import (
    AGENDAS_FOLDER,
    AgendaRender,
    Session,
    Trajectory,
    agenda_storage_name,
)
from trajectories.selectors import session_get, trajectory_readable

logger = logging.getLogger("groeipad.tasks")

# A render waiting or running longer than this lost its task: asking again enqueues it again.
STALE_AFTER = timedelta(minutes=5)
RETRY_FAILED_AFTER = timedelta(minutes=1)
ACTIVE = (AgendaRender.Status.QUEUED, AgendaRender.Status.RENDERING)
FINISHED = (AgendaRender.Status.DONE, AgendaRender.Status.FAILED)


class AgendaBusyError(Exception):
    """This user has another agenda being rendered; one at a time."""


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


def agenda_render_stored(*, key: str, fmt: str) -> bool:
    """Whether the agenda of this signature is in storage."""
    return default_storage.exists(agenda_storage_name(key, fmt))


def agenda_render_request(
    *, session: Session, user, key: str, language: str, fmt: str
) -> tuple[AgendaRender, bool]:
    """The render of this signature, made if needed; True when it must be enqueued now.

    A render of this signature already waiting or running is returned after one read; otherwise
    the user's row is locked, so parallel asks of one user are counted one after the other.
    """
    waiting = AgendaRender.objects.filter(
        key=key, status__in=ACTIVE, requested_at__gte=timezone.now() - STALE_AFTER
    ).first()
    if waiting is not None:
        return waiting, False
    return _agenda_render_request_locked(
        session=session, user=user, key=key, language=language, fmt=fmt
    )


@transaction.atomic
def _agenda_render_request_locked(
    *, session: Session, user, key: str, language: str, fmt: str
) -> tuple[AgendaRender, bool]:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    render = AgendaRender.objects.select_for_update().filter(key=key).first()
    if render is not None:
        stale = render.status in ACTIVE and render.requested_at < now - STALE_AFTER
        missing = render.status == AgendaRender.Status.DONE and not agenda_render_stored(
            key=key, fmt=fmt
        )
        failed = render.status == AgendaRender.Status.FAILED and (
            render.finished_at is None or render.finished_at < now - RETRY_FAILED_AFTER
        )
        if not (stale or missing or failed):
            return render, False
        render.status, render.requested_at, render.finished_at = (
            AgendaRender.Status.QUEUED,
            now,
            None,
        )
        render.requested_by = user
        render.save(update_fields=["status", "requested_at", "finished_at", "requested_by"])
        return render, True
    if AgendaRender.objects.filter(
        requested_by=user, status__in=ACTIVE, requested_at__gte=now - STALE_AFTER
    ).exists():
        raise AgendaBusyError
    render = AgendaRender.objects.create(
        key=key, session=session, requested_by=user, language=language, format=fmt
    )
    return render, True


def agenda_render_forget(*, render: AgendaRender) -> None:
    """Drop a render that could not be enqueued (broker down): the next ask starts again."""
    AgendaRender.objects.filter(pk=render.pk, status=AgendaRender.Status.QUEUED).delete()


def agenda_render_build(*, render_id: int) -> str:
    """Render and store the agenda of one `AgendaRender` (the worker's part)."""
    render = AgendaRender.objects.select_related("requested_by").filter(pk=render_id).first()
    if render is None:
        logger.info("agenda render %s: gone (session deleted?), nothing to do", render_id)
        return "gone"
    name = render.storage_name
    if default_storage.exists(name):
        _finish(render, AgendaRender.Status.DONE)
        return "stored already"
    found = session_get(user=render.requested_by, pk=render.session_id)
    if found is None:
        logger.info("agenda render %s: the requester lost access, not rendered", render_id)
        _finish(render, AgendaRender.Status.FAILED)
        return "no access"
    session, access = found
    AgendaRender.objects.filter(pk=render.pk).update(status=AgendaRender.Status.RENDERING)
    with translation.override(render.language):
        content = session_agenda_render(session, access.trajectory, render.format)
    if default_storage.exists(name):
        outcome = "stored already"
    else:
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # another worker stored it meanwhile: keep one copy
            default_storage.delete(saved)
        outcome = "stored"
    _finish(render, AgendaRender.Status.DONE)
    agenda_render_superseded_remove(render=render)
    return outcome


def agenda_render_superseded_remove(*, render: AgendaRender) -> int:
    """Remove the session's earlier finished renders of this language and format: an edit made
    them stale (their key is no longer asked for); how many."""
    older = AgendaRender.objects.filter(
        session_id=render.session_id,
        language=render.language,
        format=render.format,
        status__in=FINISHED,
        requested_at__lt=render.requested_at,
    ).exclude(pk=render.pk)
    return _remove(older)


def agenda_render_cleanup(*, now=None) -> int:
    """Remove stored agendas no page will serve again (the beat's daily sweep); how many.

    Gone: every render older than settings.REPORT_DOCUMENT_KEEP_DAYS, every finished render
    of a session with a later finished render of the same language and format, and files no
    row names. Idempotent: a second sweep finds nothing.
    """
    now = now or timezone.now()
    removed = _remove(
        AgendaRender.objects.filter(
            requested_at__lt=now - timedelta(days=settings.REPORT_DOCUMENT_KEEP_DAYS)
        )
    )
    later = AgendaRender.objects.filter(
        session_id=OuterRef("session_id"),
        language=OuterRef("language"),
        format=OuterRef("format"),
        status=AgendaRender.Status.DONE,
        requested_at__gt=OuterRef("requested_at"),
    )
    superseded = AgendaRender.objects.filter(status__in=FINISHED).filter(Exists(later))
    return removed + _remove(superseded) + _remove_unclaimed_files()


def _remove(renders) -> int:
    """Delete these rows, each only while it still matches, then the file of each deleted row."""
    removed = 0
    for pk, key, fmt in list(renders.values_list("pk", "key", "format")):
        if renders.filter(pk=pk).delete()[0]:
            default_storage.delete(agenda_storage_name(key, fmt))
            removed += 1
    return removed


def _remove_unclaimed_files() -> int:
    removed = 0
    for fmt in AgendaRender.Format.values:
        try:
            _folders, files = default_storage.listdir(f"{AGENDAS_FOLDER}/{fmt}")
        except FileNotFoundError:
            continue
        keys = {name.removesuffix(f".{fmt}") for name in files if name.endswith(f".{fmt}")}
        claimed = set(
            AgendaRender.objects.filter(key__in=keys, format=fmt).values_list("key", flat=True)
        )
        for key in keys - claimed:
            default_storage.delete(agenda_storage_name(key, fmt))
        removed += len(keys - claimed)
    return removed


def agenda_render_status(*, user, session_pk: int, render_pk: int) -> tuple[str, str] | None:
    """The status and format of one render for the waiting page's poll; None: not the user's.

    One query: the render of this session, in a trajectory the user coaches or takes part in
    (the same rows `trajectory_access` starts from). "stale": waiting or running longer than
    STALE_AFTER, so the page asks again, which enqueues it anew.
    """
    if not (0 < session_pk < 2**63 and 0 < render_pk < 2**63) or not user.is_authenticated:
        return None
    readable = trajectory_readable(user=user, trajectory=OuterRef("session__trajectory"))
    found = (
        AgendaRender.objects.filter(pk=render_pk, session_id=session_pk)
        .filter(readable)
        .values_list("status", "requested_at", "format")
        .first()
    )
    if found is None:
        return None
    status, requested_at, fmt = found
    if status in ACTIVE and requested_at < timezone.now() - STALE_AFTER:
        return "stale", fmt
    return status, fmt


def agenda_render_stored_name(*, session: Session, render_pk: int, fmt: str) -> str | None:
    """The storage name of a finished render of this session and format, if its file is there.

    The caller has checked the user's access to the session on this request.
    """
    key = (
        AgendaRender.objects.filter(
            pk=render_pk, session_id=session.pk, format=fmt, status=AgendaRender.Status.DONE
        )
        .values_list("key", flat=True)
        .first()
    )
    if key is None or not agenda_render_stored(key=key, fmt=fmt):
        return None
    return agenda_storage_name(key, fmt)


def agenda_render_failed(*, render_id: int) -> None:
    """Mark a render failed (its task raised): the waiting page says so, a new ask retries."""
    AgendaRender.objects.filter(pk=render_id).update(
        status=AgendaRender.Status.FAILED, finished_at=timezone.now()
    )


def _finish(render: AgendaRender, status: str) -> None:
    AgendaRender.objects.filter(pk=render.pk).update(status=status, finished_at=timezone.now())


def agenda_render_state(*, key: str, fmt: str) -> str:
    """Where a signature's agenda is: ready, queued, rendering, failed or none (not asked)."""
    if agenda_render_stored(key=key, fmt=fmt):
        return "ready"
    status = AgendaRender.objects.filter(key=key).values_list("status", flat=True).first()
    return status or "none"
