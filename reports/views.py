"""The report of an assessment: its page, its PDF and result.json, each rendering one Report."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from actions.selectors import action_list_first_open
from assessments.access import assessment_view
from assessments.models import Assessment, Membership
from reports.page import report_page_sections
from reports.pdf import OPEN_ACTIONS_SHOWN, report_pdf
from reports.report import report_build
from reports.result_export import assessment_result_export
from reports.selectors import comparison_level


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
        },
    )


@require_safe
@assessment_view()
def assessment_report_pdf(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The management summary as a PDF: page 1 with the message, the detail as an annex."""
    # The membership is of the assessment's organisation: its plan's actions, no other's.
    open_actions = action_list_first_open(membership=membership, limit=OPEN_ACTIONS_SHOWN)
    report = SimpleLazyObject(
        lambda: report_build(
            assessment=assessment, membership=membership, open_actions=open_actions
        )
    )
    response = HttpResponse(
        report_pdf(assessment=assessment, report=report, open_actions=open_actions),
        content_type="application/pdf",
    )
    name = slugify(f"groeipad {assessment.title}") or "groeipad"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
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
