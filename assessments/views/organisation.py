"""The organisation's pages: the dashboard, switching organisation, starting an assessment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.selectors import action_list_done_since
from assessments.access import CURRENT_ORGANISATION_SESSION_KEY, organisation_view
from assessments.forms import AssessmentCreateForm
from assessments.models import ANSWERING_ROLES, Membership
from assessments.perspective_selectors import contributor_perspectives
from assessments.progress import listed_progress
from assessments.selectors import (
    membership_for_organisation,
    organisation_latest_submitted,
    organisation_list_assessments,
)
from assessments.services import NoPublishedModelError, assessment_create, reassessment_start
from maturity.selectors import model_version_latest_published, model_version_structure


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The organisation's assessments with status, progress and phase."""
    membership = request.memberships.current
    if membership is None:
        return render(request, "assessments/no_organisation.html")
    if membership.is_contributor:
        return render(
            request,
            "assessments/dashboard_contributor.html",
            {
                "membership": membership,
                "perspectives": contributor_perspectives(membership=membership),
            },
        )
    assessments = list(organisation_list_assessments(membership=membership))
    for assessment in assessments:
        assessment.progress = listed_progress(assessment, assessment.criteria_total)
    submitted = [a for a in assessments if not a.is_draft]
    previous = max(submitted, key=lambda a: (a.submitted_at, a.pk)) if submitted else None
    return render(
        request,
        "assessments/dashboard.html",
        {
            "membership": membership,
            "assessments": assessments,
            "create_form": AssessmentCreateForm(previous=previous)
            if membership.can_answer
            else None,
        },
    )


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's organisations."""
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        raise Http404 from None
    membership = membership_for_organisation(user=request.user, organisation_id=organisation_id)
    if membership is None:
        raise Http404
    request.session[CURRENT_ORGANISATION_SESSION_KEY] = membership.organisation_id
    messages.success(
        request,
        _("You are now working for %(organisation)s.") % {"organisation": membership.organisation},
    )
    return redirect("dashboard")


def _done_actions(membership: Membership, previous) -> list[tuple]:
    """The actions finished since the previous assessment, with the criterion each targets."""
    if previous is None:
        return []
    version = model_version_latest_published()
    criteria = model_version_structure(version=version).criteria_by_key if version else {}
    done = action_list_done_since(membership=membership, since=previous.submitted_at)
    return [(action, criteria.get(action.criterion_key)) for action in done]


@require_http_methods(["GET", "POST"])
@organisation_view(roles=ANSWERING_ROLES)
def assessment_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Start an assessment for the current organisation, empty or from the latest submitted one."""
    previous = organisation_latest_submitted(organisation_id=membership.organisation_id)
    asked = request.POST.get("start_from", "")
    if asked and (previous is None or asked != str(previous.pk)):
        # Only the organisation's latest submitted assessment can be started from: another
        # organisation's, a draft or anything else is not found, and nothing is created.
        raise Http404
    form = AssessmentCreateForm(request.POST or None, previous=previous)
    if request.method == "POST" and form.is_valid():
        start = {"organisation": membership.organisation, "user": request.user}
        start["title"] = form.cleaned_data["title"]
        try:
            if form.cleaned_data.get("start_from"):
                assessment = reassessment_start(**start, start_from=previous)
            else:
                assessment = assessment_create(**start)
        except NoPublishedModelError:
            messages.error(
                request, _("There is no published maturity model yet. Ask a model editor.")
            )
        else:
            messages.success(
                request, _("The assessment “%(title)s” has started.") % {"title": assessment}
            )
            return redirect("assessments:step", pk=assessment.pk, number=1)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "previous": previous, "done_actions": _done_actions(membership, previous)},
    )
