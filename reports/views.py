"""The report of an assessment: its page, its PDF and result.json."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from actions.selectors import action_list_first_open
from assessments.access import assessment_view
from assessments.models import Assessment, Membership
from reports import report as reports
from reports.pdf import OPEN_ACTIONS_SHOWN, report_pdf
from reports.result_export import assessment_result_export


@require_safe
@assessment_view()
def assessment_report(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The phase report with growth path, charts, next steps and history."""
    report = SimpleLazyObject(lambda: reports.report_build(assessment=assessment))
    history = reports.report_history_signature(assessment=assessment)
    return render(
        request,
        "reports/report_detail.html",
        {
            "assessment": assessment,
            "membership": membership,
            "report": report,
            "history_signature": history,
            "sections": reports.report_sections(
                assessment=assessment, report=report, history=history
            ),
        },
    )


@require_safe
@assessment_view()
def assessment_report_pdf(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The management summary as a PDF: page 1 with the message, the detail as an annex."""
    report = SimpleLazyObject(lambda: reports.report_build(assessment=assessment))
    # The membership is of the assessment's organisation: its plan's actions, no other's.
    open_actions = action_list_first_open(membership=membership, limit=OPEN_ACTIONS_SHOWN)
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
    data = assessment_result_export(assessment=assessment, membership=membership)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
