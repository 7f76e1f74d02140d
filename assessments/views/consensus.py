"""The perspectives compared, and the consensus answer the team settles per criterion."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessments.access import assessment_view
from assessments.models import ANSWERING_ROLES, Assessment, Membership
from assessments.perspective_compare import perspective_comparison
from assessments.perspective_forms import ConsensusForm
from assessments.services import AssessmentLockedError, ConsensusNotNeededError, consensus_save


@require_safe
@assessment_view()
def perspective_compare(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """Per criterion each perspective's answer, the spread and the consensus; disagreement first."""
    if assessment.perspective_total <= 1:
        messages.info(
            request, _("This assessment has one perspective: there is nothing to compare yet.")
        )
        return redirect("assessments:perspectives", pk=assessment.pk)
    comparison = perspective_comparison(assessment=assessment)
    return render(
        request,
        "assessments/perspective_compare.html",
        {
            "assessment": assessment,
            "membership": membership,
            "comparison": comparison,
            "can_settle": assessment.is_draft and membership.can_answer,
        },
    )


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ANSWERING_ROLES)
def consensus_edit(
    request: HttpRequest, assessment: Assessment, membership: Membership, criterion_key: str
) -> HttpResponse:
    """Settle one criterion's consensus answer, with a note on why."""
    if not assessment.is_draft:
        messages.info(request, _("This assessment is submitted and can no longer be changed."))
        return redirect("reports:report", pk=assessment.pk)
    if assessment.perspective_total <= 1:
        raise Http404
    comparison = perspective_comparison(assessment=assessment)
    row = next((r for r in comparison.rows if r.criterion.key == criterion_key), None)
    if row is None:
        raise Http404
    settled = row.settled
    form = ConsensusForm(
        request.POST or None,
        initial={
            "value": row.consensus,
            "note": settled.note if settled else "",
            "revision": settled.revision if settled else 0,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = consensus_save(
                assessment=assessment,
                user=request.user,
                criterion=row.criterion,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"].strip(),
                loaded_revision=form.cleaned_data["revision"],
                previous_value=row.consensus,
            )
        except (AssessmentLockedError, ConsensusNotNeededError):
            return redirect("assessments:compare", pk=assessment.pk)
        if not outcome.conflict:
            messages.success(request, _("The consensus answer was saved."))
            compare = reverse("assessments:compare", args=[assessment.pk])
            return redirect(f"{compare}#criterion-{row.criterion.key}")
        messages.warning(
            request,
            _(
                "A colleague settled this answer after you opened the page. We kept theirs; "
                "check it below and save again if you want to change it."
            ),
        )
        return redirect("assessments:consensus_edit", pk=assessment.pk, criterion_key=criterion_key)
    return render(
        request,
        "assessments/consensus_form.html",
        {
            "assessment": assessment,
            "comparison": comparison,
            "row": row,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
