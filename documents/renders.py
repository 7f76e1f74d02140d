"""A document off the web workers: asked for, rendered by a worker, stored, served, removed.

One lifecycle for every kind of worker-rendered document (a report's, `reports.renders`; a
session agenda's, `trajectories.agenda_renders`). Each kind makes one `DocumentRenders` with
what differs: its concrete model (a `documents.models.DocumentRender`), the field of what a
document shows (`subject`: an assessment, a session), the field whose renders share a queue
bound (`scope`: the organisation, the session's trajectory) and that bound. The content
signature (the key) and the render itself stay with the kind; this module never imports an app.

The request (`request`) answers at once. Stored → the view serves the file (access checked on
that request). Not yet → a row is made (one per key) and the kind's task enqueued after it
commits; the page polls (`poll`) until the file is there. Limits: one render per requester at a
time (`RenderBusyError`) and `scope_limit` per scope (`RenderQueueFullError`). A render waiting
or running longer than STALE_AFTER lost its task and is enqueued again on the next ask; a failed
one is retried on an ask RETRY_FAILED_AFTER later.

The task (`task_run` → `build`) loads the row by id (gone: logged, done), lets the kind check the
requester's access again and render in the row's language and format, and stores the file under
the row's key unless it is there already: a task retried after a killed worker, or a duplicate,
stores nothing twice. Once stored, the earlier renders of the same subject, language and format
that no ask will find again are removed; the beat's daily sweep (`cleanup_run`) removes the rest
(older than settings.REPORT_DOCUMENT_KEEP_DAYS, superseded, or files no row names).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone, translation

from documents.models import ACTIVE, FINISHED, DocumentRender, document_storage_name

logger = logging.getLogger("groeipad.tasks")

# A queued or running render older than this lost its task (a broker that lost its data, a
# worker killed for good): asking again enqueues it again.
STALE_AFTER = timedelta(minutes=5)
# A failed render is tried again on an ask a minute later, not on every poll.
RETRY_FAILED_AFTER = timedelta(minutes=1)
# The options of every render task (`@shared_task(**RENDER_TASK_OPTIONS)`): a database error is
# retried with backoff; any other error marks the render failed (`task_run`).
RENDER_TASK_OPTIONS = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 3,
}
CLEANUP_TASK_OPTIONS = {
    "autoretry_for": (DatabaseError, OSError),
    "retry_backoff": 10,
    "retry_backoff_max": 300,
    "max_retries": 3,
}


class RenderBusyError(Exception):
    """This requester has another document being rendered; one at a time."""


class RenderQueueFullError(Exception):
    """The scope (organisation, trajectory) has `scope_limit` renders waiting already."""


@dataclass(frozen=True)
class Requester:
    """Who asks for a render: the row locked so that its parallel asks are counted one after
    the other, and the render's fields that name it (the set ones also find its renders)."""

    lock: QuerySet
    fields: dict[str, int | None]

    @property
    def renders_filter(self) -> dict[str, int]:
        return {name: value for name, value in self.fields.items() if value is not None}


@dataclass(frozen=True)
class Rendering:
    """What the kind's `prepare` gives the worker once the requester's access is checked: the
    render (called in the row's language) and the time before which the subject's earlier
    finished renders of this language and format are no longer asked for."""

    content: Callable[[], bytes]
    superseded_before: datetime


@dataclass(frozen=True)
class DocumentRenders:
    """The lifecycle of one kind of worker-rendered document (see the module's docstring)."""

    model: type[DocumentRender]
    # The foreign key of what a document shows ("assessment", "session").
    subject: str
    # The field whose renders share `scope_limit` ("organisation_id", "session__trajectory_id"),
    # and the model of that scope, whose row an ask locks to count them (Organisation, Trajectory).
    scope: str
    scope_model: type[Model]
    scope_limit: int
    # Names the kind in log lines ("report document 12: stored").
    label: str

    # --- the web side ------------------------------------------------------------------------

    def stored(self, *, key: str, fmt: str) -> bool:
        """Whether the document of this signature is in storage."""
        return default_storage.exists(self.storage_name(key, fmt))

    def storage_name(self, key: str, fmt: str) -> str:
        """Where the document of this signature is stored."""
        return document_storage_name(self.model.storage_folder, key, fmt)

    def request(
        self,
        *,
        key: str,
        language: str,
        fmt: str,
        requester: Requester,
        subject: dict[str, object],
        scope_pk: int,
    ) -> tuple[DocumentRender, bool]:
        """The render of this signature, made if needed; True when it must be enqueued now.

        A render of this signature already waiting or running is returned after one read,
        without a transaction: the other tabs of the same ask cost one query, not a lock.
        Otherwise locks the requester's row, the key's render and, when there is none, the
        scope's row (`scope_pk`), in that order, so parallel asks of one requester, and of one
        scope, are counted one after the other (both bounds in one query).
        `subject` holds the new row's own fields (what it shows, and its scope's key if any).
        """
        waiting = self.model.objects.filter(
            key=key, status__in=ACTIVE, requested_at__gte=timezone.now() - STALE_AFTER
        ).first()
        if waiting is not None:
            return waiting, False
        with transaction.atomic():
            requester.lock.select_for_update().first()
            now = timezone.now()
            render = self.model.objects.select_for_update().filter(key=key).first()
            if render is not None:
                return render, self._ask_again(render, now=now, requester=requester)
            # The scope's row too, so that its bound is counted by one ask at a time, also
            # across requesters (PostgreSQL row locks); then both bounds in one query.
            self.scope_model.objects.select_for_update().filter(pk=scope_pk).first()
            mine, scope = Q(**requester.renders_filter), Q(**{self.scope: scope_pk})
            active = self.model.objects.filter(
                mine | scope, status__in=ACTIVE, requested_at__gte=now - STALE_AFTER
            ).aggregate(mine=Count("pk", filter=mine), scope=Count("pk", filter=scope))
            if active["mine"]:
                raise RenderBusyError
            if active["scope"] >= self.scope_limit:
                raise RenderQueueFullError
            render = self.model.objects.create(
                key=key, language=language, format=fmt, **subject, **requester.fields
            )
            return render, True

    def _ask_again(self, render: DocumentRender, *, now: datetime, requester: Requester) -> bool:
        """Queue an existing render of this key again if its task was lost, its file is gone or
        it failed a while ago (for this requester); whether it must be enqueued."""
        stale = render.status in ACTIVE and render.requested_at < now - STALE_AFTER
        missing = render.status == DocumentRender.Status.DONE and not self.stored(
            key=render.key, fmt=render.format
        )
        failed = render.status == DocumentRender.Status.FAILED and (
            render.finished_at is None or render.finished_at < now - RETRY_FAILED_AFTER
        )
        if not (stale or missing or failed):
            return False
        render.status, render.requested_at, render.finished_at = (
            DocumentRender.Status.QUEUED,
            now,
            None,
        )
        for name, value in requester.fields.items():
            setattr(render, name, value)
        render.save(update_fields=["status", "requested_at", "finished_at", *requester.fields])
        return True

    def enqueue_asked(
        self, asked: tuple[DocumentRender, bool], *, enqueue: Callable[[int], object]
    ) -> DocumentRender:
        """The render `request` gave, its task enqueued (`enqueue(render id)`) if it must be now.

        A render that could not be enqueued (broker down) is dropped, so that the next ask
        starts again, and the error raised for the view's "try again later".
        """
        render, enqueue_now = asked
        if enqueue_now:
            try:
                enqueue(render.pk)
            except Exception:
                self.model.objects.filter(
                    pk=render.pk, status=DocumentRender.Status.QUEUED
                ).delete()
                raise
        return render

    def state(self, *, key: str, fmt: str) -> str:
        """Where a signature's document is: ready, queued, rendering, failed or none (not asked)."""
        if self.stored(key=key, fmt=fmt):
            return "ready"
        status = self.model.objects.filter(key=key).values_list("status", flat=True).first()
        return status or "none"

    def poll(
        self, *, subject_pk: int, render_pk: int, readable: Q | Exists
    ) -> tuple[str, str] | None:
        """The status and format of one render for the waiting page's poll; None: not the
        user's to see (`readable`: the kind's condition that the user may read the subject).

        One query. It tells only how far the render is; the file itself is served by the
        document's view, which checks access again. "stale": waiting or running longer than
        STALE_AFTER (its task was lost), so the page asks again, which enqueues it anew.
        """
        if not (0 < subject_pk < 2**63 and 0 < render_pk < 2**63):
            return None
        found = (
            self.model.objects.filter(readable, pk=render_pk, **{f"{self.subject}_id": subject_pk})
            .values_list("status", "requested_at", "format")
            .first()
        )
        if found is None:
            return None
        status, requested_at, fmt = found
        if status in ACTIVE and requested_at < timezone.now() - STALE_AFTER:
            return "stale", fmt
        return status, fmt

    def stored_name(self, *, subject_pk: int, render_pk: int, fmt: str) -> str | None:
        """The storage name of a finished render of this subject and format, if its file is
        there: the download after the poll said ready (one query and a storage check). The
        caller has checked the user's access to the subject on this request."""
        key = (
            self.model.objects.filter(
                pk=render_pk,
                format=fmt,
                status=DocumentRender.Status.DONE,
                **{f"{self.subject}_id": subject_pk},
            )
            .values_list("key", flat=True)
            .first()
        )
        if key is None or not self.stored(key=key, fmt=fmt):
            return None
        return self.storage_name(key, fmt)

    # --- the worker's side -------------------------------------------------------------------

    def task_run(
        self, *, render_id: int, prepare: Callable[[DocumentRender], Rendering | None]
    ) -> str:
        """The body of the kind's render task: build, or mark the render failed and raise (the
        waiting page says so and the next ask tries again); a database error is raised as is,
        for the task's retries."""
        try:
            outcome = self.build(render_id=render_id, prepare=prepare)
        except DatabaseError:
            raise  # retried with backoff
        except Exception:
            self.failed(render_id=render_id)
            raise
        logger.info("%s %s: %s", self.label, render_id, outcome)
        return outcome

    def build(
        self, *, render_id: int, prepare: Callable[[DocumentRender], Rendering | None]
    ) -> str:
        """Render and store the document of one row (the worker's part); what happened.

        `prepare(render)` checks the requester's access again (None: lost, not rendered) and
        gives the render; it runs before the row says "rendering".
        """
        render = self.model.objects.select_related("requested_by").filter(pk=render_id).first()
        if render is None:
            logger.info(
                "%s %s: gone (%s deleted?), nothing to do", self.label, render_id, self.subject
            )
            return "gone"
        name = render.storage_name
        if default_storage.exists(name):
            self._finish(render, DocumentRender.Status.DONE)
            return "stored already"
        rendering = prepare(render)
        if rendering is None:
            self._finish(render, DocumentRender.Status.FAILED)
            return "no access"
        self.model.objects.filter(pk=render.pk).update(status=DocumentRender.Status.RENDERING)
        with translation.override(render.language):
            content = rendering.content()
        if default_storage.exists(name):
            outcome = "stored already"
        else:
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:  # another worker stored it meanwhile: keep one copy
                default_storage.delete(saved)
            outcome = "stored"
        self._finish(render, DocumentRender.Status.DONE)
        self.superseded_remove(render=render, before=rendering.superseded_before)
        return outcome

    def failed(self, *, render_id: int) -> None:
        """Mark a render failed (its task raised): the waiting page says so, a new ask retries."""
        self.model.objects.filter(pk=render_id).update(
            status=DocumentRender.Status.FAILED, finished_at=timezone.now()
        )

    def _finish(self, render: DocumentRender, status: str) -> None:
        self.model.objects.filter(pk=render.pk).update(status=status, finished_at=timezone.now())

    def superseded_remove(self, *, render: DocumentRender, before: datetime) -> int:
        """Remove the finished renders of this render's subject, language and format asked for
        before `before` (no ask will find them again): their files and rows; how many."""
        older = self.model.objects.filter(
            **{f"{self.subject}_id": getattr(render, f"{self.subject}_id")},
            language=render.language,
            format=render.format,
            status__in=FINISHED,
            requested_at__lt=before,
        ).exclude(pk=render.pk)
        return self._remove(older)

    def cleanup_run(self) -> int:
        """The body of the kind's daily cleanup task: `cleanup`, logged."""
        removed = self.cleanup()
        logger.info("%s cleanup: %s removed", self.label, removed)
        return removed

    def cleanup(self, *, now: datetime | None = None) -> int:
        """Remove stored documents no page will serve again (the beat's daily sweep); how many.

        Gone: every render older than settings.REPORT_DOCUMENT_KEEP_DAYS (also one waiting or
        running that lost its task: asking again makes a new one), and every finished render
        for which a later finished render of the same subject, language and format exists. The
        newest finished one of each stays. A row goes before its file, and a file no row names
        is deleted too, so a sweep that stops halfway is finished by the next one; a second
        sweep finds nothing: idempotent.
        """
        now = now or timezone.now()
        old = self.model.objects.filter(
            requested_at__lt=now - timedelta(days=settings.REPORT_DOCUMENT_KEEP_DAYS)
        )
        removed = self._remove(old)
        subject = f"{self.subject}_id"
        later = self.model.objects.filter(
            **{subject: OuterRef(subject)},
            language=OuterRef("language"),
            format=OuterRef("format"),
            status=DocumentRender.Status.DONE,
            requested_at__gt=OuterRef("requested_at"),
        )
        superseded = self.model.objects.filter(status__in=FINISHED).filter(Exists(later))
        return removed + self._remove(superseded) + self._remove_unclaimed_files()

    def _remove(self, renders: QuerySet) -> int:
        """Delete these rows, each only while it still matches (not asked for again
        meanwhile), then the file of each deleted row."""
        removed = 0
        for pk, key, fmt in list(renders.values_list("pk", "key", "format")):
            if renders.filter(pk=pk).delete()[0]:
                default_storage.delete(self.storage_name(key, fmt))
                removed += 1
        return removed

    def _remove_unclaimed_files(self) -> int:
        """Delete stored documents no row names (a sweep stopped between a row and its file)."""
        removed = 0
        for fmt in self.model.Format.values:
            try:
                _folders, files = default_storage.listdir(f"{self.model.storage_folder}/{fmt}")
            except FileNotFoundError:
                continue
            keys = {name.removesuffix(f".{fmt}") for name in files if name.endswith(f".{fmt}")}
            claimed = set(
                self.model.objects.filter(key__in=keys, format=fmt).values_list("key", flat=True)
            )
            for key in keys - claimed:
                default_storage.delete(self.storage_name(key, fmt))
            removed += len(keys - claimed)
        return removed
