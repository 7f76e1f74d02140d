"""The report of an assessment: its page, its PDF and result.json, each rendering one Report."""

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_safe

from actions.selectors import action_list_first_open
from assessments.access import assessment_view, organisation_view
from assessments.models import ADMIN_ROLES, Assessment, Membership
from maturity.queue import QueueUnavailableError, enqueue
from reports import pdf_renders
from reports.models import storage_name
from reports.organisation_export import organisation_export_zip
from reports.page import report_page_sections
from reports.pdf import OPEN_ACTIONS_SHOWN
from reports.report import report_build
from reports.result_export import assessment_result_export
from reports.selectors import comparison_level
from reports.tasks import report_pdf_render
from trajectories.selectors import practices_for_advice

PDF_TRY_LATER_MESSAGE = gettext_lazy(
    "The PDF cannot be prepared right now. Please try again later."
)
PDF_BUSY_MESSAGE = gettext_lazy(
    "Another PDF of yours is being prepared. Ask for this one when that one is ready."
)
PDF_FAILED_MESSAGE = gettext_lazy("The PDF could not be made. Reload this page to try again.")


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
            "sections": report_page_sections(
                assessment=assessment, membership=membership, level=level, build=lambda: report
            ),
            # Not cached with the sections: a practice withdrawn or a member leaving shows at once.
            "group_practices": practices_for_advice(assessment=assessment),
        },
    )


@require_safe
@assessment_view()
def assessment_report_pdf(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The management summary as a PDF once a worker stored it; until then a page that waits.

    With ``Accept: application/json`` the answer is the render's status instead, for the page's
    script. The access check above runs on every request, also the one that gets the file.
    """
    open_actions = action_list_first_open(membership=membership, limit=OPEN_ACTIONS_SHOWN)
    key = pdf_renders.report_pdf_key(
        assessment=assessment,
        open_actions_signature=open_actions.signature,
        language=get_language(),
    )
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not pdf_renders.report_pdf_stored(key=key):
        refusal = _report_pdf_ask(assessment=assessment, membership=membership, key=key)
        if refusal is not None:
            return _pdf_wait_page(
                request,
                assessment,
                status="refused",
                message=refusal[1],
                http_status=refusal[0],
                wants_json=wants_json,
            )
    status = pdf_renders.report_pdf_status(key=key)
    if status == "ready" and not wants_json:
        name = slugify(f"groeipad {assessment.title}") or "groeipad"
        with default_storage.open(storage_name(key)) as stored:
            response = HttpResponse(stored.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    message = PDF_FAILED_MESSAGE if status == "failed" else None
    return _pdf_wait_page(
        request,
        assessment,
        status=status,
        message=message,
        http_status=200 if status == "ready" else 202,
        wants_json=wants_json,
    )


def _report_pdf_ask(
    *, assessment: Assessment, membership: Membership, key: str
) -> tuple[int, str] | None:
    """Ask a worker for the PDF; an HTTP status and message when that is refused now."""
    try:
        render, enqueue_now = pdf_renders.report_pdf_request(
            assessment=assessment, membership=membership, key=key, language=get_language()
        )
    except pdf_renders.RenderBusyError:
        return 429, PDF_BUSY_MESSAGE
    except pdf_renders.RenderQueueFullError:
        return 503, PDF_TRY_LATER_MESSAGE
    if enqueue_now:
        try:
            enqueue(report_pdf_render, render.pk)
        except QueueUnavailableError:
            pdf_renders.report_pdf_forget(render=render)
            return 503, PDF_TRY_LATER_MESSAGE
    return None


def _pdf_wait_page(
    request: HttpRequest,
    assessment: Assessment,
    *,
    status: str,
    message: str | None,
    http_status: int,
    wants_json: bool,
) -> HttpResponse:
    if wants_json:
        response = JsonResponse({"status": status, "message": message}, status=http_status)
    else:
        response = render(
            request,
            "reports/report_pdf_progress.html",
            {"assessment": assessment, "status": status, "message": message},
            status=http_status,
        )
    add_never_cache_headers(response)
    if http_status in {429, 503}:
        response["Retry-After"] = "10"
    return response


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
