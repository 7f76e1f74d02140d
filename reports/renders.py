"""Report documents (PDF, ODT, DOCX) off the web workers: asked for, rendered by a worker, stored.

The request (`report_document_request`) answers at once. Its content signature
(`report_document_key`: the assessment, its submission or, for a draft, its answers' revision,
the organisation's history, the open actions page 1 lists, the language and the format) names
the file in Django's default storage. Stored → the view serves the file (access checked on that
request). Not yet → a `RenderedDocument` row is made and `reports.tasks.report_document_render`
enqueued after it commits; the page polls until the file is there. Limits: one render per user
(or share link) at a time (`RenderBusyError`) and `ORGANISATION_QUEUE_LIMIT` per organisation
(`RenderQueueFullError`), whatever the format. A shared report's document (`reports.sharing`) is
asked for by its link instead of a user; the worker checks that the link is still usable and
renders the report as the shared page shows it (`report_build(shared=True)`).

The task (`report_document_build`) loads the row by id (gone: logged, done), checks the
requester's access again, renders in the row's language and format (`reports.documents.
document_render`) and stores the file under the row's key unless it is there already: a task
retried after a killed worker, or a duplicate, stores nothing twice. Once stored, the earlier
documents of the same assessment, language and format that no ask will find again are removed
(`report_document_superseded_remove`); the beat's daily `report_document_cleanup` removes the
rest that will not be served again (older than settings.REPORT_DOCUMENT_KEEP_DAYS, superseded, or
files no row names).
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone, translation

from actions.selectors import action_list_first_open
from assessments.models import ORGANISATION_ROLES, Answer, Assessment, Membership
from assessments.selectors import assessment_get, organisation_history_signature
from reports import pdf
from reports.documents import document_render, organisation_logo_image
from reports.models import DOCUMENTS_FOLDER, RenderedDocument, ShareLink, storage_name
from reports.report import report_build
from reports.sharing import share_link_usable

logger = logging.getLogger("groeipad.tasks")

# Renders waiting or running for one organisation at most; more asks get "try again later".
ORGANISATION_QUEUE_LIMIT = 4
# A queued or running render older than this lost its task (a broker that lost its data, a
# worker killed for good): asking again enqueues it again.
STALE_AFTER = timedelta(minutes=5)
RETRY_FAILED_AFTER = timedelta(minutes=1)
ACTIVE = (RenderedDocument.Status.QUEUED, RenderedDocument.Status.RENDERING)
FINISHED = (RenderedDocument.Status.DONE, RenderedDocument.Status.FAILED)


class RenderBusyError(Exception):
    """This user has another document being rendered; one at a time."""


class RenderQueueFullError(Exception):
    """The organisation has ORGANISATION_QUEUE_LIMIT renders waiting already."""


def report_document_key(
    *,
    assessment: Assessment,
    open_actions_signature: str,
    language: str,
    fmt: str,
    variant: str = "",
) -> str:
    """The content signature of a report document: a SHA-256 hex digest, no user text (one query).

    Another format than PDF adds its name. `variant` tells apart documents of the same
    assessment made differently (a shared report's); the organisation's logo (its content-named
    file) is part of the signature.
    """
    history = organisation_history_signature(organisation_id=assessment.organisation_id)
    if assessment.is_draft:
        # A draft changes with every answer: its answers' revision stands for its content. A
        # validation step changes no revision, so the latest one and the validated count count
        # too (the PDF says "validated by … on …").
        answers = Answer.objects.filter(perspective__assessment_id=assessment.pk).aggregate(
            count=Count("pk"),
            revisions=Sum("revision"),
            latest=Max("updated_at"),
            validated=Count("pk", filter=Q(validation_state="validated")),
            judged=Max("validated_at"),
        )
        state = (
            "draft",
            answers["count"],
            answers["revisions"],
            answers["latest"],
            answers["validated"],
            answers["judged"],
            assessment.validation_required,
        )
    else:
        state = ("submitted", assessment.submitted_at)
    # The open actions are shown "as of" today (overdue or not), as on the report page.
    parts = (assessment.pk, assessment.created_at, *state, *history, open_actions_signature)
    parts += (language, timezone.localdate().isoformat(), variant)
    parts += (assessment.organisation.logo.name,)
    if fmt != RenderedDocument.Format.PDF:
        parts += (fmt,)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def report_document_stored(*, key: str, fmt: str) -> bool:
    """Whether the document of this signature is in storage."""
    return default_storage.exists(storage_name(key, fmt))


def report_document_request(
    *,
    assessment: Assessment,
    key: str,
    language: str,
    fmt: str,
    membership: Membership | None = None,
    share_link: ShareLink | None = None,
) -> tuple[RenderedDocument, bool]:
    """The render of this signature, made if needed; True when it must be enqueued now.

    Asked for by a member (`membership`) or a share link (`share_link`). A render of this
    signature already waiting or running is returned after one read, without a transaction: the
    other tabs of the same ask cost one query, not a lock. Otherwise locks the user's (or link's)
    row, so parallel requests are counted one after the other.
    """
    waiting = RenderedDocument.objects.filter(
        key=key, status__in=ACTIVE, requested_at__gte=timezone.now() - STALE_AFTER
    ).first()
    if waiting is not None:
        return waiting, False
    return _report_document_request_locked(
        assessment=assessment,
        key=key,
        language=language,
        fmt=fmt,
        membership=membership,
        share_link=share_link,
    )


@transaction.atomic
def _report_document_request_locked(
    *,
    assessment: Assessment,
    key: str,
    language: str,
    fmt: str,
    membership: Membership | None,
    share_link: ShareLink | None,
) -> tuple[RenderedDocument, bool]:
    if membership is not None:
        get_user_model().objects.select_for_update().filter(pk=membership.user_id).first()
        requester = {"requested_by_id": membership.user_id, "share_link": None}
    else:
        ShareLink.objects.select_for_update().filter(pk=share_link.pk).first()
        requester = {"requested_by_id": None, "share_link": share_link}
    now = timezone.now()
    render = RenderedDocument.objects.select_for_update().filter(key=key).first()
    if render is not None:
        stale = render.status in ACTIVE and render.requested_at < now - STALE_AFTER
        missing = render.status == RenderedDocument.Status.DONE and not report_document_stored(
            key=key, fmt=fmt
        )
        # A failed render is tried again on an ask a minute later, not on every poll.
        failed = render.status == RenderedDocument.Status.FAILED and (
            render.finished_at is None or render.finished_at < now - RETRY_FAILED_AFTER
        )
        if not (stale or missing or failed):
            return render, False
        render.status, render.requested_at, render.finished_at = (
            RenderedDocument.Status.QUEUED,
            now,
            None,
        )
        render.requested_by_id = requester["requested_by_id"]
        render.share_link = requester["share_link"]
        render.save(
            update_fields=["status", "requested_at", "finished_at", "requested_by", "share_link"]
        )
        return render, True
    fresh = {"status__in": ACTIVE, "requested_at__gte": now - STALE_AFTER}
    mine = (
        {"requested_by_id": membership.user_id}
        if membership is not None
        else {"share_link_id": share_link.pk}
    )
    if RenderedDocument.objects.filter(**mine, **fresh).exists():
        raise RenderBusyError
    if (
        RenderedDocument.objects.filter(organisation_id=assessment.organisation_id, **fresh).count()
        >= ORGANISATION_QUEUE_LIMIT
    ):
        raise RenderQueueFullError
    render = RenderedDocument.objects.create(
        key=key,
        assessment=assessment,
        organisation_id=assessment.organisation_id,
        language=language,
        format=fmt,
        **requester,
    )
    return render, True


def report_document_forget(*, render: RenderedDocument) -> None:
    """Drop a render that could not be enqueued (broker down): the next ask starts again."""
    RenderedDocument.objects.filter(pk=render.pk, status=RenderedDocument.Status.QUEUED).delete()


def report_document_build(*, render_id: int) -> str:
    """Render and store the document of one `RenderedDocument` (the worker's part)."""
    render = RenderedDocument.objects.select_related("requested_by").filter(pk=render_id).first()
    if render is None:
        logger.info("report document %s: gone (assessment deleted?), nothing to do", render_id)
        return "gone"
    name = render.storage_name
    if default_storage.exists(name):
        _finish(render, RenderedDocument.Status.DONE)
        return "stored already"
    if render.share_link_id is not None:
        link = share_link_usable(link_pk=render.share_link_id)
        if link is None or link.assessment_id != render.assessment_id:
            logger.info("report document %s: the share link is revoked or expired", render_id)
            _finish(render, RenderedDocument.Status.FAILED)
            return "no access"
        RenderedDocument.objects.filter(pk=render.pk).update(
            status=RenderedDocument.Status.RENDERING
        )
        assessment = link.assessment
        assessment.organisation = link.organisation
        with translation.override(render.language):
            report = report_build(assessment=assessment, shared=True)
            content = document_render(
                report, render.format, logo=organisation_logo_image(assessment.organisation)
            )
    else:
        found = assessment_get(user=render.requested_by, pk=render.assessment_id)
        if found is None:
            logger.info("report document %s: the requester lost access, not rendered", render_id)
            _finish(render, RenderedDocument.Status.FAILED)
            return "no access"
        assessment, membership = found
        RenderedDocument.objects.filter(pk=render.pk).update(
            status=RenderedDocument.Status.RENDERING
        )
        with translation.override(render.language):
            open_actions = action_list_first_open(
                membership=membership, limit=pdf.OPEN_ACTIONS_SHOWN
            )
            report = report_build(
                assessment=assessment, membership=membership, open_actions=open_actions
            )
            content = document_render(
                report, render.format, logo=organisation_logo_image(assessment.organisation)
            )
    if default_storage.exists(name):
        outcome = "stored already"
    else:
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # another worker stored it meanwhile: keep one copy
            default_storage.delete(saved)
        outcome = "stored"
    _finish(render, RenderedDocument.Status.DONE)
    report_document_superseded_remove(render=render, assessment=assessment)
    return outcome


def report_document_superseded_remove(*, render: RenderedDocument, assessment: Assessment) -> int:
    """Remove the finished renders of this render's assessment, language and format that no ask
    will find again: their files and rows; how many.

    Every key holds the day it was asked on, so an earlier day's render is never served again;
    a draft's earlier one hardly ever (each saved answer changes its key for good). A submitted
    assessment's render of today stays: its open actions can come back to what they were.
    """
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    older = RenderedDocument.objects.filter(
        assessment_id=render.assessment_id,
        language=render.language,
        format=render.format,
        status__in=FINISHED,
        requested_at__lt=render.requested_at if assessment.is_draft else today,
    ).exclude(pk=render.pk)
    return _remove(older)


def report_document_cleanup(*, now=None) -> int:
    """Remove stored documents no page will serve again (the beat's daily sweep); how many.

    Gone: every render older than settings.REPORT_DOCUMENT_KEEP_DAYS (also one waiting or running
    that lost its task: asking again makes a new one), and every finished render for which a
    later finished render of the same assessment, language and format exists. The newest
    finished one of each stays. A row goes before its file, and a file no row names is deleted
    too, so a sweep that stops halfway is finished by the next one; a second sweep finds
    nothing: idempotent.
    """
    now = now or timezone.now()
    old = RenderedDocument.objects.filter(
        requested_at__lt=now - timedelta(days=settings.REPORT_DOCUMENT_KEEP_DAYS)
    )
    removed = _remove(old)
    later = RenderedDocument.objects.filter(
        assessment_id=OuterRef("assessment_id"),
        language=OuterRef("language"),
        format=OuterRef("format"),
        status=RenderedDocument.Status.DONE,
        requested_at__gt=OuterRef("requested_at"),
    )
    superseded = RenderedDocument.objects.filter(status__in=FINISHED).filter(Exists(later))
    return removed + _remove(superseded) + _remove_unclaimed_files()


def _remove(renders) -> int:
    """Delete these rows, each only while it still matches (not asked for again meanwhile),
    then the file of each deleted row."""
    removed = 0
    for pk, key, fmt in list(renders.values_list("pk", "key", "format")):
        if renders.filter(pk=pk).delete()[0]:
            default_storage.delete(storage_name(key, fmt))
            removed += 1
    return removed


def _remove_unclaimed_files() -> int:
    """Delete stored documents that no row names (a sweep stopped between a row and its file)."""
    removed = 0
    for fmt in RenderedDocument.Format.values:
        try:
            _folders, files = default_storage.listdir(f"{DOCUMENTS_FOLDER}/{fmt}")
        except FileNotFoundError:
            continue
        keys = {name.removesuffix(f".{fmt}") for name in files if name.endswith(f".{fmt}")}
        claimed = set(
            RenderedDocument.objects.filter(key__in=keys, format=fmt).values_list("key", flat=True)
        )
        for key in keys - claimed:
            default_storage.delete(storage_name(key, fmt))
        removed += len(keys - claimed)
    return removed


def report_document_render_status(
    *, user, assessment_pk: int, render_pk: int
) -> tuple[str, str] | None:
    """The status and format of one render for the waiting page's poll; None: not the user's
    to see.

    One query: the render of this assessment, in an organisation where the user has a role that
    sees reports. It tells only how far the render is; the file itself is served by the report
    document view, which checks access again. "stale": waiting or running longer than
    STALE_AFTER (its task was lost), so the page asks again, which enqueues it anew.
    """
    if not (0 < assessment_pk < 2**63 and 0 < render_pk < 2**63):
        return None
    found = (
        RenderedDocument.objects.filter(
            pk=render_pk,
            assessment_id=assessment_pk,
            organisation__memberships__user=user,
            organisation__memberships__role__in=ORGANISATION_ROLES,
        )
        .values_list("status", "requested_at", "format")
        .first()
    )
    if found is None:
        return None
    status, requested_at, fmt = found
    if status in ACTIVE and requested_at < timezone.now() - STALE_AFTER:
        return "stale", fmt
    return status, fmt


def report_document_render_stored(
    *, assessment: Assessment, render_pk: int, fmt: str
) -> str | None:
    """The storage name of a finished render of this assessment and format, if its file is there.

    For the download after the waiting page's poll said ready (one query and a storage check):
    the caller has checked the user's access to the assessment on this request.
    """
    key = (
        RenderedDocument.objects.filter(
            pk=render_pk,
            assessment_id=assessment.pk,
            format=fmt,
            status=RenderedDocument.Status.DONE,
        )
        .values_list("key", flat=True)
        .first()
    )
    if key is None or not report_document_stored(key=key, fmt=fmt):
        return None
    return storage_name(key, fmt)


def report_document_failed(*, render_id: int) -> None:
    """Mark a render failed (its task raised): the waiting page says so, a new ask retries."""
    RenderedDocument.objects.filter(pk=render_id).update(
        status=RenderedDocument.Status.FAILED, finished_at=timezone.now()
    )


def _finish(render: RenderedDocument, status: str) -> None:
    RenderedDocument.objects.filter(pk=render.pk).update(status=status, finished_at=timezone.now())


def report_document_status(*, key: str, fmt: str) -> str:
    """Where a signature's document is: ready, queued, rendering, failed or none (not asked)."""
    if report_document_stored(key=key, fmt=fmt):
        return "ready"
    status = RenderedDocument.objects.filter(key=key).values_list("status", flat=True).first()
    return status or "none"
