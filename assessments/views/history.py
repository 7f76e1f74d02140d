"""An assessment's history: the audit trail of its answers, and reopening it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments.access import assessment_view
from assessments.models import ADMIN_ROLES, Answer, Assessment, Membership
from assessments.selectors import (
    assessment_answer_changes,
    assessment_events,
)
from assessments.services import assessment_reopen
from maturity.models import AnswerValue
from maturity.selectors import model_version_structure


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
    confidence = dict(Answer.Confidence.choices)
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
                    confidence.get(change.old_confidence, ""),
                    confidence.get(change.new_confidence, ""),
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
