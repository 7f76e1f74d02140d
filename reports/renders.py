"""Report documents (PDF, ODT, DOCX) off the web workers: the report's kind of
`documents.renders` (the one lifecycle of a worker-rendered document: ask, queue, poll, render,
store, serve, remove).

What is the report's: the content signature (`report_document_key`: the assessment, its
submission or, for a draft, its answers' revision, the organisation's history, the open actions
page 1 lists, the language and the format), who may ask (a member, or a share link for a shared
report, `reports.sharing`), the bound (`ORGANISATION_QUEUE_LIMIT` renders per organisation,
whatever the format; one per user or link at a time), the worker's access check and render
(`report_document_prepare`: the requester's access again, then `reports.documents.
document_render`; a shared report as the shared page shows it, `report_build(shared=True)`), and
which earlier documents no ask will find again (an earlier day's; a draft's earlier ones). The
task is `reports.tasks.report_document_render`; beat's daily `report_documents_cleanup` sweeps.
"""

import hashlib
import logging

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from actions.selectors import action_list_first_open
from assessments.models import ORGANISATION_ROLES, Answer, Assessment, Membership, Organisation
from assessments.selectors import assessment_get, organisation_history_signature
from documents.renders import DocumentRenders, Rendering, Requester
from reports import pdf
from reports.documents import document_render, organisation_logo_image
from reports.models import RenderedDocument, ShareLink
from reports.report import report_build
from reports.sharing import share_link_usable

logger = logging.getLogger("groeipad.tasks")

# Renders waiting or running for one organisation at most; more asks get "try again later".
ORGANISATION_QUEUE_LIMIT = 4

REPORT_DOCUMENTS = DocumentRenders(
    model=RenderedDocument,
    subject="assessment",
    scope="organisation_id",
    scope_model=Organisation,
    scope_limit=ORGANISATION_QUEUE_LIMIT,
    label="report document",
)


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

    Asked for by a member (`membership`) or a share link (`share_link`): that row is locked, so
    its parallel asks are counted one after the other, then the organisation's for its bound.
    """
    if membership is not None:
        requester = Requester(
            lock=get_user_model().objects.filter(pk=membership.user_id),
            fields={"requested_by_id": membership.user_id, "share_link_id": None},
        )
    else:
        requester = Requester(
            lock=ShareLink.objects.filter(pk=share_link.pk),
            fields={"requested_by_id": None, "share_link_id": share_link.pk},
        )
    return REPORT_DOCUMENTS.request(
        key=key,
        language=language,
        fmt=fmt,
        requester=requester,
        subject={"assessment": assessment, "organisation_id": assessment.organisation_id},
        scope_pk=assessment.organisation_id,
    )


def report_document_build(*, render_id: int) -> str:
    """Render and store the document of one `RenderedDocument` (the worker's part)."""
    return REPORT_DOCUMENTS.build(render_id=render_id, prepare=report_document_prepare)


def report_document_prepare(render: RenderedDocument) -> Rendering | None:
    """The worker's check of the requester's access (None: lost) and its render of the report.

    A share link must still be usable; a member must still see the assessment. Earlier
    documents of the same assessment, language and format that no ask will find again: every
    key holds the day it was asked on, so an earlier day's render is never served again; a
    draft's earlier one hardly ever (each saved answer changes its key for good). A submitted
    assessment's render of today stays: its open actions can come back to what they were.
    """
    if render.share_link_id is not None:
        link = share_link_usable(link_pk=render.share_link_id)
        if link is None or link.assessment_id != render.assessment_id:
            logger.info("report document %s: the share link is revoked or expired", render.pk)
            return None
        assessment = link.assessment
        assessment.organisation = link.organisation

        def build():
            return report_build(assessment=assessment, shared=True)

    else:
        found = assessment_get(user=render.requested_by, pk=render.assessment_id)
        if found is None:
            logger.info("report document %s: the requester lost access, not rendered", render.pk)
            return None
        assessment, membership = found

        def build():
            open_actions = action_list_first_open(
                membership=membership, limit=pdf.OPEN_ACTIONS_SHOWN
            )
            return report_build(
                assessment=assessment, membership=membership, open_actions=open_actions
            )

    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Rendering(
        content=lambda: document_render(
            build(), render.format, logo=organisation_logo_image(assessment.organisation)
        ),
        superseded_before=render.requested_at if assessment.is_draft else today,
    )


def report_document_render_status(
    *, user, assessment_pk: int, render_pk: int
) -> tuple[str, str] | None:
    """The status and format of one render for the waiting page's poll; None: not the user's
    to see.

    One query: the render of this assessment, in an organisation where the user has a role that
    sees reports. The file itself is served by the report document view, which checks access
    again.
    """
    readable = Q(
        organisation__memberships__user=user,
        organisation__memberships__role__in=ORGANISATION_ROLES,
    )
    return REPORT_DOCUMENTS.poll(subject_pk=assessment_pk, render_pk=render_pk, readable=readable)


def report_document_render_stored(
    *, assessment: Assessment, render_pk: int, fmt: str
) -> str | None:
    """The storage name of a finished render of this assessment and format, if its file is there.

    For the download after the waiting page's poll said ready: the caller has checked the
    user's access to the assessment on this request.
    """
    return REPORT_DOCUMENTS.stored_name(subject_pk=assessment.pk, render_pk=render_pk, fmt=fmt)
