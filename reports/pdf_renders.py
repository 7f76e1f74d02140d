"""Report PDFs off the web workers: asked for by a request, rendered by a worker, stored once.

The request (`report_pdf_request`) answers at once. Its content signature (`report_pdf_key`:
the assessment, its submission or, for a draft, its answers' revision, the organisation's
history, the open actions page 1 lists, the language) names the file in Django's default
storage. Stored → the view serves the file (access checked on that request). Not yet → a
`ReportPdf` row is made and `reports.tasks.report_pdf_render` enqueued after it commits;
the page polls until the file is there. Limits: one render per user at a time
(`RenderBusyError`) and `ORGANISATION_QUEUE_LIMIT` per organisation (`RenderQueueFullError`).

The task (`report_pdf_build`) loads the row by id (gone: logged, done), checks the requester's
access again, renders in the row's language and stores the file under the row's key unless it
is there already: a task retried after a killed worker, or a duplicate, stores nothing twice.
Once stored, the earlier PDFs of the same assessment and language that no ask will find
again are removed (`report_pdf_superseded_remove`); the beat's
daily `report_pdf_cleanup` removes the rest that will not be served again (older than
settings.REPORT_PDF_KEEP_DAYS, superseded, or files no row names).
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Sum
from django.utils import timezone, translation

from actions.selectors import action_list_first_open
from assessments.models import ORGANISATION_ROLES, Answer, Assessment, Membership
from assessments.selectors import assessment_get, organisation_history_signature
from reports import pdf
from reports.models import PDF_FOLDER, ReportPdf, storage_name
from reports.report import report_build

logger = logging.getLogger("groeipad.tasks")

# Renders waiting or running for one organisation at most; more asks get "try again later".
ORGANISATION_QUEUE_LIMIT = 4
# A queued or running render older than this lost its task (a broker that lost its data, a
# worker killed for good): asking again enqueues it again.
STALE_AFTER = timedelta(minutes=5)
RETRY_FAILED_AFTER = timedelta(minutes=1)
ACTIVE = (ReportPdf.Status.QUEUED, ReportPdf.Status.RENDERING)
FINISHED = (ReportPdf.Status.DONE, ReportPdf.Status.FAILED)


class RenderBusyError(Exception):
    """This user has another PDF being rendered; one at a time."""


class RenderQueueFullError(Exception):
    """The organisation has ORGANISATION_QUEUE_LIMIT renders waiting already."""


def report_pdf_key(*, assessment: Assessment, open_actions_signature: str, language: str) -> str:
    """The content signature of a report PDF: a SHA-256 hex digest, no user text (one query)."""
    history = organisation_history_signature(organisation_id=assessment.organisation_id)
    if assessment.is_draft:
        # A draft changes with every answer: its answers' revision stands for its content.
        answers = Answer.objects.filter(perspective__assessment_id=assessment.pk).aggregate(
            count=Count("pk"), revisions=Sum("revision"), latest=Max("updated_at")
        )
        state = ("draft", answers["count"], answers["revisions"], answers["latest"])
    else:
        state = ("submitted", assessment.submitted_at)
    # The open actions are shown "as of" today (overdue or not), as on the report page.
    parts = (assessment.pk, assessment.created_at, *state, *history, open_actions_signature)
    parts += (language, timezone.localdate().isoformat())
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def report_pdf_stored(*, key: str) -> bool:
    """Whether the PDF of this signature is in storage."""
    return default_storage.exists(storage_name(key))


def report_pdf_request(
    *, assessment: Assessment, membership: Membership, key: str, language: str
) -> tuple[ReportPdf, bool]:
    """The render of this signature, made if needed; True when it must be enqueued now.

    A render of this signature already waiting or running is returned after one read, without
    a transaction: the other tabs of the same ask cost one query, not a lock. Otherwise locks
    the user's row, so one user's parallel requests are counted one after the other.
    """
    waiting = ReportPdf.objects.filter(
        key=key, status__in=ACTIVE, requested_at__gte=timezone.now() - STALE_AFTER
    ).first()
    if waiting is not None:
        return waiting, False
    return _report_pdf_request_locked(
        assessment=assessment, membership=membership, key=key, language=language
    )


@transaction.atomic
def _report_pdf_request_locked(
    *, assessment: Assessment, membership: Membership, key: str, language: str
) -> tuple[ReportPdf, bool]:
    user_model = get_user_model()
    user_model.objects.select_for_update().filter(pk=membership.user_id).first()
    now = timezone.now()
    render = ReportPdf.objects.select_for_update().filter(key=key).first()
    if render is not None:
        stale = render.status in ACTIVE and render.requested_at < now - STALE_AFTER
        missing = render.status == ReportPdf.Status.DONE and not report_pdf_stored(key=key)
        # A failed render is tried again on an ask a minute later, not on every poll.
        failed = render.status == ReportPdf.Status.FAILED and (
            render.finished_at is None or render.finished_at < now - RETRY_FAILED_AFTER
        )
        if not (stale or missing or failed):
            return render, False
        render.status, render.requested_at, render.finished_at = ReportPdf.Status.QUEUED, now, None
        render.requested_by_id = membership.user_id
        render.save(update_fields=["status", "requested_at", "finished_at", "requested_by"])
        return render, True
    fresh = {"status__in": ACTIVE, "requested_at__gte": now - STALE_AFTER}
    if ReportPdf.objects.filter(requested_by_id=membership.user_id, **fresh).exists():
        raise RenderBusyError
    if (
        ReportPdf.objects.filter(organisation_id=assessment.organisation_id, **fresh).count()
        >= ORGANISATION_QUEUE_LIMIT
    ):
        raise RenderQueueFullError
    render = ReportPdf.objects.create(
        key=key,
        assessment=assessment,
        organisation_id=assessment.organisation_id,
        requested_by_id=membership.user_id,
        language=language,
    )
    return render, True


def report_pdf_forget(*, render: ReportPdf) -> None:
    """Drop a render that could not be enqueued (broker down): the next ask starts again."""
    ReportPdf.objects.filter(pk=render.pk, status=ReportPdf.Status.QUEUED).delete()


def report_pdf_build(*, render_id: int) -> str:
    """Render and store the PDF of one `ReportPdf` (the worker's part); what happened."""
    render = ReportPdf.objects.select_related("requested_by").filter(pk=render_id).first()
    if render is None:
        logger.info("report pdf %s: gone (assessment deleted?), nothing to do", render_id)
        return "gone"
    name = storage_name(render.key)
    if default_storage.exists(name):
        _finish(render, ReportPdf.Status.DONE)
        return "stored already"
    found = assessment_get(user=render.requested_by, pk=render.assessment_id)
    if found is None:
        logger.info("report pdf %s: the requester lost access, not rendered", render_id)
        _finish(render, ReportPdf.Status.FAILED)
        return "no access"
    assessment, membership = found
    ReportPdf.objects.filter(pk=render.pk).update(status=ReportPdf.Status.RENDERING)
    with translation.override(render.language):
        open_actions = action_list_first_open(membership=membership, limit=pdf.OPEN_ACTIONS_SHOWN)
        report = report_build(
            assessment=assessment, membership=membership, open_actions=open_actions
        )
        content = pdf.render_pdf(report)
    if default_storage.exists(name):
        outcome = "stored already"
    else:
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # another worker stored it meanwhile: keep one copy
            default_storage.delete(saved)
        outcome = "stored"
    _finish(render, ReportPdf.Status.DONE)
    report_pdf_superseded_remove(render=render, assessment=assessment)
    return outcome


def report_pdf_superseded_remove(*, render: ReportPdf, assessment: Assessment) -> int:
    """Remove the finished renders of this render's assessment and language that no ask will
    find again: their files and rows; how many.

    Every key holds the day it was asked on, so an earlier day's render is never served again;
    a draft's earlier one hardly ever (each saved answer changes its key for good). A submitted
    assessment's render of today stays: its open actions can come back to what they were.
    """
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    older = ReportPdf.objects.filter(
        assessment_id=render.assessment_id,
        language=render.language,
        status__in=FINISHED,
        requested_at__lt=render.requested_at if assessment.is_draft else today,
    ).exclude(pk=render.pk)
    return _remove(older)


def report_pdf_cleanup(*, now=None) -> int:
    """Remove stored PDFs no page will serve again (the beat's daily sweep); how many.

    Gone: every render older than settings.REPORT_PDF_KEEP_DAYS (also one waiting or running
    that lost its task: asking again makes a new one), and every finished render for which a
    later finished render of the same assessment and language exists. The newest finished one
    of each stays. A row goes before its file, and a file no row names is deleted too, so a sweep
    that stops halfway is finished by the next one; a second sweep finds nothing: idempotent.
    """
    now = now or timezone.now()
    old = ReportPdf.objects.filter(
        requested_at__lt=now - timedelta(days=settings.REPORT_PDF_KEEP_DAYS)
    )
    removed = _remove(old)
    later = ReportPdf.objects.filter(
        assessment_id=OuterRef("assessment_id"),
        language=OuterRef("language"),
        status=ReportPdf.Status.DONE,
        requested_at__gt=OuterRef("requested_at"),
    )
    superseded = ReportPdf.objects.filter(status__in=FINISHED).filter(Exists(later))
    return removed + _remove(superseded) + _remove_unclaimed_files()


def _remove(renders) -> int:
    """Delete these rows, each only while it still matches (not asked for again meanwhile),
    then the file of each deleted row."""
    removed = 0
    for pk, key in list(renders.values_list("pk", "key")):
        if renders.filter(pk=pk).delete()[0]:
            default_storage.delete(storage_name(key))
            removed += 1
    return removed


def _remove_unclaimed_files() -> int:
    """Delete stored PDFs that no row names (a sweep stopped between a row and its file)."""
    try:
        _folders, files = default_storage.listdir(PDF_FOLDER)
    except FileNotFoundError:
        return 0
    keys = {name.removesuffix(".pdf") for name in files if name.endswith(".pdf")}
    claimed = set(ReportPdf.objects.filter(key__in=keys).values_list("key", flat=True))
    for key in keys - claimed:
        default_storage.delete(storage_name(key))
    return len(keys - claimed)


def report_pdf_failed(*, render_id: int) -> None:
    """Mark a render failed (its task raised): the waiting page says so, a new ask retries."""
    ReportPdf.objects.filter(pk=render_id).update(
        status=ReportPdf.Status.FAILED, finished_at=timezone.now()
    )


def _finish(render: ReportPdf, status: str) -> None:
    ReportPdf.objects.filter(pk=render.pk).update(status=status, finished_at=timezone.now())


def report_pdf_render_status(*, user, assessment_pk: int, render_pk: int) -> str | None:
    """The status of one render for the waiting page's poll; None: not this user's to see.

    One query: the render of this assessment, in an organisation where the user has a role that
    sees reports. It tells only how far the render is; the file itself is served by the report
    PDF view, which checks access again. "stale": waiting or running longer than STALE_AFTER
    (its task was lost), so the page asks for the PDF again, which enqueues it anew.
    """
    if not (0 < assessment_pk < 2**63 and 0 < render_pk < 2**63):
        return None
    found = (
        ReportPdf.objects.filter(
            pk=render_pk,
            assessment_id=assessment_pk,
            organisation__memberships__user=user,
            organisation__memberships__role__in=ORGANISATION_ROLES,
        )
        .values_list("status", "requested_at")
        .first()
    )
    if found is None:
        return None
    status, requested_at = found
    if status in ACTIVE and requested_at < timezone.now() - STALE_AFTER:
        return "stale"
    return status


def report_pdf_render_stored(*, assessment: Assessment, render_pk: int) -> str | None:
    """The storage name of a finished render of this assessment, if its file is there.

    For the download after the waiting page's poll said ready (one query and a storage check):
    the caller has checked the user's access to the assessment on this request.
    """
    key = (
        ReportPdf.objects.filter(
            pk=render_pk, assessment_id=assessment.pk, status=ReportPdf.Status.DONE
        )
        .values_list("key", flat=True)
        .first()
    )
    if key is None or not report_pdf_stored(key=key):
        return None
    return storage_name(key)


def report_pdf_status(*, key: str) -> str:
    """Where the PDF of a signature is: ready, queued, rendering, failed or none (not asked)."""
    if report_pdf_stored(key=key):
        return "ready"
    status = ReportPdf.objects.filter(key=key).values_list("status", flat=True).first()
    return status or "none"
