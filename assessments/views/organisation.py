"""The organisation's pages: the dashboard, switching organisation, starting an assessment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.selectors import action_counts, action_list_done_since
from assessments.access import CURRENT_ORGANISATION_SESSION_KEY, organisation_view
from assessments.forms import AssessmentCreateForm
from assessments.models import ANSWERING_ROLES, Membership
from assessments.perspective_selectors import contributor_perspectives
from assessments.progress import listed_progress
from assessments.selectors import (
    membership_for_organisation,
    organisation_baselines,
    organisation_list_assessments,
    organisation_running_draft,
    version_offer,
)
from assessments.services import NoPublishedModelError, assessment_create, reassessment_start
from maturity.selectors import model_version_latest_published, model_version_structure


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The organisation's assessments with status, progress and phase."""
    membership = request.memberships.current
    if membership is None:
        # Everyone lands on their job: a model editor on the models, a sector analyst on the
        # sector view; only someone with no role at all is asked to get an invitation.
        if request.user.is_staff and request.user.has_perm("maturity.view_modelversion"):
            return redirect("maturity:model_overview")
        if request.user.has_perm("benchmarks.view_sector"):
            return redirect("benchmarks:sector")
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
    counted = [a for a in assessments if not a.is_draft and not a.is_test]
    baselines = sorted(counted, key=lambda a: (a.submitted_at, a.pk), reverse=True)
    for assessment in assessments:
        assessment.progress = listed_progress(assessment, assessment.criteria_total)
        assessment.version_offer = version_offer(assessment) if membership.can_answer else None
    return render(
        request,
        "assessments/dashboard.html",
        {
            "membership": membership,
            "assessments": assessments,
            "action_counts": action_counts(user=request.user, membership=membership),
            "create_form": AssessmentCreateForm(baselines=baselines)
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


def _baseline(baselines: list, asked: str):
    """The baseline a POST asks to start from: one of the counted submitted assessments.

    Another organisation's, a draft, a test or anything else is not found (404), and nothing
    is created.
    """
    if not asked:
        return None
    chosen = next((b for b in baselines if str(b.pk) == asked), None)
    if chosen is None:
        raise Http404
    return chosen


@require_http_methods(["GET", "POST"])
@organisation_view(roles=ANSWERING_ROLES)
def assessment_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Start an assessment for the current organisation, empty or from a counted one.

    When a draft on the same model is running, the page asks first: continue that one, or
    start anyway (``start_anyway``).
    """
    baselines = organisation_baselines(membership=membership)
    chosen = _baseline(baselines, request.POST.get("start_from", ""))
    version = model_version_latest_published()
    running = (
        organisation_running_draft(membership=membership, model_slug=version.slug)
        if version is not None
        else None
    )
    form = AssessmentCreateForm(request.POST or None, baselines=baselines)
    asked_anyway = request.POST.get("start_anyway") == "yes"
    if request.method == "POST" and form.is_valid() and (running is None or asked_anyway):
        start = {"organisation": membership.organisation, "user": request.user}
        start["title"] = form.cleaned_data["title"]
        try:
            if chosen is not None and form.cleaned_data.get("start_from"):
                assessment = reassessment_start(**start, start_from=chosen)
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
    previous = baselines[0] if baselines else None
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "form": form,
            "previous": previous,
            "running": running,
            "done_actions": _done_actions(membership, previous),
        },
        status=409 if request.method == "POST" and running and form.is_valid() else 200,
    )
