"""The report of an assessment: its page, its documents (PDF, ODT, DOCX) and result.json."""

import contextlib
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst, slugify
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_safe

from actions.selectors import action_list_first_open
from assessments.access import assessment_view, organisation_view
from assessments.models import ADMIN_ROLES, Assessment, Membership
from documents.waiting import (
    DocumentAsked,
    document_ask,
    document_file_response,
    document_poll_response,
    document_wait_response,
    render_pk_asked,
)
from maturity.queue import QueueUnavailableError, enqueue
from reports import renders
from reports.models import RenderedDocument, ShareLink, storage_name
from reports.organisation_export import organisation_export_zip
from reports.page import report_page_sections
from reports.pdf import OPEN_ACTIONS_SHOWN
from reports.report import report_build
from reports.result_export import assessment_result_export
from reports.selectors import comparison_level
from reports.tasks import report_document_render
from trajectories.selectors import practices_for_advice

# What the waiting page calls each format, inside its sentences ("%(document)s is ready.").
DOCUMENT_NOUNS = {
    "pdf": gettext_lazy("the PDF"),
    "odt": gettext_lazy("the editable report (ODT)"),
    "docx": gettext_lazy("the editable report (Word)"),
}
BUSY_MESSAGE = gettext_lazy(
    "Another document of yours is being prepared. Ask for this one when that one is ready."
)


@require_safe
@assessment_view()
def assessment_report(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The phase report with growth path, charts, next steps, comparison and history."""
    level = comparison_level(request.GET.get("compare"))
    report = SimpleLazyObject(
        lambda: report_build(assessment=assessment, membership=membership, level=level)
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            "assessment": assessment,
            "membership": membership,
            "report": report,
            # The group's practices show with the advice on their criterion (read when the
            # sections are rendered; the cache key changes with them).
            "sections": report_page_sections(
                assessment=assessment,
                membership=membership,
                level=level,
                build=lambda: report,
                practices=lambda: practices_for_advice(assessment=assessment),
            ),
        },
    )


@require_safe
@assessment_view()
def assessment_report_document(
    request: HttpRequest, assessment: Assessment, membership: Membership, format: str
) -> HttpResponse:
    """The report as PDF, ODT or DOCX once a worker stored it; until then a page that waits.

    With ``Accept: application/json`` the answer is the render's status instead. The access
    check above runs on every request, also the one that gets the file. ``?render=<id>`` (where
    the waiting page goes when its poll says ready) serves that render's stored file without
    computing the content signature again: the document as it was asked for.
    """
    wants_json = "application/json" in request.headers.get("Accept", "")
    asked_pk = render_pk_asked(request.GET.get("render"))
    if asked_pk is not None and not wants_json:
        stored_name = renders.report_document_render_stored(
            assessment=assessment, render_pk=asked_pk, fmt=format
        )
        if stored_name is not None:
            with contextlib.suppress(FileNotFoundError):  # removed just now: ask as usual
                return _document_file(assessment, stored_name, format)
    open_actions = action_list_first_open(membership=membership, limit=OPEN_ACTIONS_SHOWN)
    key = renders.report_document_key(
        assessment=assessment,
        open_actions_signature=open_actions.signature,
        language=get_language(),
        fmt=format,
    )
    asked = report_document_ask(assessment=assessment, membership=membership, key=key, fmt=format)
    if asked.ready and not wants_json:
        return _document_file(assessment, storage_name(key, format), format)
    status_url = (
        reverse("reports:report_document_status", args=[assessment.pk, asked.render.pk])
        if asked.render is not None
        else None
    )
    return document_wait_response(
        request,
        template="reports/report_document_progress.html",
        context={
            "assessment": assessment,
            "document": document_noun(format),
            "document_lower": DOCUMENT_NOUNS[format],
        },
        asked=asked,
        wants_json=wants_json,
        status_url=status_url,
    )


def _document_file(assessment: Assessment, stored_name: str, fmt: str) -> HttpResponse:
    return document_file_response(stored_name, fmt, document_filename(assessment))


def document_filename(assessment: Assessment) -> str:
    """The name a report document is saved under (without its extension)."""
    return slugify(f"groeipad {assessment.title}") or "groeipad"


def _document_url(assessment_pk: int, fmt: str) -> str:
    if fmt == RenderedDocument.Format.PDF:
        return reverse("reports:report_pdf", args=[assessment_pk])
    return reverse("reports:report_document", args=[assessment_pk, fmt])


@require_safe
@login_required
def assessment_report_document_status(
    request: HttpRequest, pk: int, render_pk: int
) -> JsonResponse:
    """How far one asked-for document is, for the waiting page's script: a cheap poll.

    One query besides the session's: the render, if it is of this assessment and the user sees
    reports in its organisation (else 404). Ready: ``document_url`` is where the page opens the
    file (the document's address with ``?render=``, which checks access again); stale: the
    page asks again at the document's own address, which enqueues the lost render anew.
    """
    found = renders.report_document_render_status(
        user=request.user, assessment_pk=pk, render_pk=render_pk
    )
    if found is None:
        raise Http404
    status, fmt = found
    return document_poll_response(
        status=status,
        render_pk=render_pk,
        document_url=_document_url(pk, fmt),
        document=document_noun(fmt),
    )


def document_noun(fmt: str) -> str:
    """The document's name at the start of a sentence ("The PDF")."""
    return capfirst(str(DOCUMENT_NOUNS[fmt]))


def report_document_ask(
    *,
    assessment: Assessment,
    key: str,
    fmt: str,
    membership: Membership | None = None,
    share_link: ShareLink | None = None,
) -> DocumentAsked:
    """Ask a worker for the document unless it is stored, for a member or a share link (the
    shared report's view), and say where it stands."""
    return document_ask(
        renders.REPORT_DOCUMENTS,
        key=key,
        fmt=fmt,
        ask=lambda: renders.REPORT_DOCUMENTS.enqueue_asked(
            renders.report_document_request(
                assessment=assessment,
                membership=membership,
                share_link=share_link,
                key=key,
                language=get_language(),
                fmt=fmt,
            ),
            enqueue=partial(enqueue, report_document_render),
        ),
        noun=document_noun(fmt),
        busy_message=str(BUSY_MESSAGE),
        try_later_errors=(QueueUnavailableError,),
    )


@require_safe
@assessment_view()
def assessment_result_json(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The stored result of a submitted assessment, as JSON."""
    if assessment.is_draft:
        raise Http404
    report = report_build(assessment=assessment, membership=membership)
    return JsonResponse(assessment_result_export(report), json_dumps_params={"ensure_ascii": False})


@require_safe
@organisation_view(roles=ADMIN_ROLES)
def organisation_export(request: HttpRequest, membership: Membership) -> HttpResponse:
    """All of the organisation's data as one ZIP of CSV and JSON (organisation admins)."""
    archive = organisation_export_zip(membership=membership)
    if archive is None:
        raise Http404
    response = HttpResponse(archive, content_type="application/zip")
    name = slugify(f"groeipad {membership.organisation.name}") or "groeipad"
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response
