"""What an assessment shows once answered: the report, its PDF and JSON, the audit trail."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from actions.selectors import action_list_first_open
from assessments import reports
from assessments.access import assessment_view
from assessments.models import ADMIN_ROLES, Assessment, Membership
from assessments.report_pdf import OPEN_ACTIONS_SHOWN, report_pdf
from assessments.result_export import assessment_result_export
from assessments.selectors import (
    assessment_answer_changes,
    assessment_events,
)
from assessments.services import assessment_reopen
from maturity.models import AnswerValue
from maturity.selectors import model_version_structure


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
        "assessments/assessment_report.html",
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


@require_safe
@assessment_view(roles=ADMIN_ROLES)
def assessment_changes(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The audit trail: who changed which answer when, from what to what (organisation admins)."""
    structure = model_version_structure(version=assessment.model_version)
    page = Paginator(assessment_answer_changes(assessment=assessment), 100).get_page(
        request.GET.get("page")
    )
    criteria = {c.pk: c for c in structure.criteria}
    labels = dict(AnswerValue.choices)
    return render(
        request,
        "assessments/answerchange_list.html",
        {
            "assessment": assessment,
            "page": page,
            "rows": [
                (
                    change,
                    criteria.get(change.criterion_id),
                    labels.get(change.old_value, "–"),
                    labels.get(change.new_value, "–"),
                )
                for change in page
            ],
            "events": assessment_events(assessment=assessment),
        },
    )


@require_POST
@assessment_view(roles=ADMIN_ROLES)
def assessment_reopen_view(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """An organisation admin makes a submitted assessment editable again."""
    assessment_reopen(
        assessment=assessment, user=request.user, reason=request.POST.get("reason", "")
    )
    messages.success(
        request, _("The assessment is open again; it is scored anew when it is submitted.")
    )
    return redirect("assessments:step", pk=assessment.pk, number=1)
