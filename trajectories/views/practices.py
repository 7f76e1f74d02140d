"""The group's good practices: browsing them by criterion, sharing one, withdrawing it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.models import ANSWERING_ROLES
from trajectories import services
from trajectories.forms import (
    PracticeForm,
)
from trajectories.selectors import TrajectoryAccess, practice_list
from trajectories.views.access import trajectory_view


def _answering_membership(request: HttpRequest, access: TrajectoryAccess):
    """The user's membership that may write for their member organisation, or None."""
    member = access.member
    if member is None:
        return None
    return next(
        (
            m
            for m in request.memberships.all
            if m.organisation_id == member.organisation_id and m.role in ANSWERING_ROLES
        ),
        None,
    )


@require_http_methods(["GET", "POST"])
@trajectory_view()
def practices(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """The group's good practices, by criterion; the member's people withdraw their own here."""
    if request.method == "POST":
        try:
            practice_pk = int(request.POST.get("practice", ""))
        except ValueError:
            raise Http404 from None
        try:
            services.practice_withdraw(
                trajectory=access.trajectory, practice_pk=practice_pk, user=request.user
            )
        except services.NotAllowedError:
            raise Http404 from None
        messages.success(request, _("The practice has been withdrawn."))
        return redirect("trajectories:practices", pk=access.trajectory.pk)
    criterion = request.GET.get("criterion", "")[:80]
    own_organisation = access.member.organisation_id if access.member else None
    return render(
        request,
        "trajectories/practice_list.html",
        {
            "access": access,
            "trajectory": access.trajectory,
            "groups": practice_list(access=access, criterion_key=criterion),
            "criterion": criterion,
            "own_organisation": own_organisation,
            "can_share": _answering_membership(request, access) is not None,
        },
    )


@require_http_methods(["GET", "POST"])
@trajectory_view()
def practice_new(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """Share an action that worked: a finished action whose criterion improved."""
    membership = _answering_membership(request, access)
    if membership is None:
        raise PermissionDenied
    candidates = services.improved_actions(member=access.member, membership=membership)
    form = PracticeForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_share(
                member_pk=access.member.pk,
                user=request.user,
                data=services.PracticeInput(
                    action_pk=form.cleaned_data["action"],
                    title=form.cleaned_data["title"],
                    what_we_did=form.cleaned_data["what_we_did"],
                    what_it_took=form.cleaned_data["what_it_took"],
                ),
            )
        except services.TrajectoryInputError as error:
            form.add_error("action", str(error.message))
        else:
            messages.success(request, _("Shared with the group."))
            return redirect("trajectories:practices", pk=access.trajectory.pk)
    return render(
        request,
        "trajectories/practice_form.html",
        {
            "access": access,
            "trajectory": access.trajectory,
            "form": form,
            "has_candidates": bool(candidates),
        },
        status=400 if request.method == "POST" else 200,
    )
