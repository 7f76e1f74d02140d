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
retried after a killed worker, or a duplicate, stores nothing twice.
"""

import hashlib
import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone, translation

from actions.selectors import action_list_first_open
from assessments.models import Answer, Assessment, Membership
from assessments.selectors import assessment_get, organisation_history_signature
from reports import pdf
from reports.documents import document_render
from reports.models import RenderedDocument, ShareLink, storage_name
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
        # A draft changes with every answer: its answers' revision stands for its content.
        answers = Answer.objects.filter(perspective__assessment_id=assessment.pk).aggregate(
            count=Count("pk"), revisions=Sum("revision"), latest=Max("updated_at")
        )
        state = ("draft", answers["count"], answers["revisions"], answers["latest"])
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


@transaction.atomic
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

    Asked for by a member (`membership`) or a share link (`share_link`). Locks the user's (or
    link's) row, so parallel requests are counted one after the other.
    """
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
            content = document_render(report, render.format)
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
            content = document_render(report, render.format)
    if default_storage.exists(name):
        outcome = "stored already"
    else:
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # another worker stored it meanwhile: keep one copy
            default_storage.delete(saved)
        outcome = "stored"
    _finish(render, RenderedDocument.Status.DONE)
    return outcome


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
