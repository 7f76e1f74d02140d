"""Who takes part: invitations and coaches, an organisation's answer, what it shares, leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trajectories import services
from trajectories.board import board_build, sharing_overview
from trajectories.forms import (
    CoachForm,
    ConsentForm,
    InviteForm,
    RespondForm,
)
from trajectories.models import TrajectoryMember
from trajectories.selectors import (
    TrajectoryAccess,
    coach_candidates,
    trajectory_invited_access,
    trajectory_members,
)
from trajectories.views.access import trajectory_view


@require_http_methods(["GET", "POST"])
@trajectory_view(coach_only=True)
def trajectory_members_page(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """The coach invites organisations and sees who accepted; adds fellow coaches."""
    invite_form = InviteForm(request.POST if "organisation" in request.POST else None)
    coach_form = CoachForm(
        request.POST if "user" in request.POST else None,
        candidates=coach_candidates(access=access),
    )
    status = 200
    if request.method == "POST":
        form = invite_form if "organisation" in request.POST else coach_form
        if form.is_valid():
            try:
                if form is invite_form:
                    member = services.member_invite(
                        trajectory=access.trajectory,
                        user=request.user,
                        organisation_name=form.cleaned_data["organisation"],
                    )
                    messages.success(
                        request,
                        _("%(organisation)s has been invited. Its admins can now accept.")
                        % {"organisation": member.organisation.name},
                    )
                else:
                    services.coach_add(
                        trajectory=access.trajectory,
                        user=request.user,
                        coach_user_id=int(form.cleaned_data["user"]),
                    )
                    messages.success(request, _("The coach has been added."))
                return redirect("trajectories:members", pk=access.trajectory.pk)
            except services.TrajectoryInputError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, str(error.message)
                )
        status = 400
    return render(
        request,
        "trajectories/member_list.html",
        {
            "access": access,
            "trajectory": access.trajectory,
            "members": trajectory_members(access=access),
            "coaches": list(access.trajectory.coaches.select_related("user")),
            "invite_form": invite_form,
            "coach_form": coach_form,
        },
        status=status,
    )


@require_POST
@login_required
def trajectory_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin of an invited organisation accepts or declines the invitation."""
    access = trajectory_invited_access(user=request.user, pk=pk)
    if access is None:
        raise Http404
    form = RespondForm(request.POST)
    invited = {
        str(m.pk): m
        for m in access.own_members
        if m.is_admin and m.status == TrajectoryMember.Status.INVITED
    }
    member = invited.get(request.POST.get("member", ""))
    if not form.is_valid() or member is None:
        messages.error(
            request, _("You can only answer an open invitation of an organisation you administer.")
        )
        return redirect("trajectories:list")
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.member_respond(member_pk=member.pk, user=request.user, accept=accept)
    except services.NotAllowedError:
        raise PermissionDenied from None
    except services.TrajectoryInputError as error:
        messages.error(request, str(error.message))
        return redirect("trajectories:list")
    if accept:
        messages.success(
            request,
            _("%(organisation)s takes part. Choose now what you share with the group.")
            % {"organisation": member.organisation.name},
        )
        return redirect("trajectories:sharing", pk=pk)
    messages.success(request, _("The invitation has been declined."))
    return redirect("trajectories:list")


@require_http_methods(["GET", "POST"])
@trajectory_view()
def trajectory_sharing(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """ "Wat deel ik": what our organisation shares with the group, and the choice per item."""
    member = access.member
    if member is None:  # a coach who is no member: nothing of theirs is shared
        raise Http404
    structure_dimensions = board_build(access=access).dimensions
    initial = {
        "share_phase": member.share_phase,
        "share_profile": member.share_profile,
        "share_actions": member.share_actions,
        "share_priorities": member.share_priorities,
        "priorities": member.priorities,
    }
    status = 200
    if request.method == "POST":
        if not member.is_admin:
            raise PermissionDenied
        form = ConsentForm(request.POST, dimensions=structure_dimensions)
        if form.is_valid():
            try:
                services.consent_set(
                    member_pk=member.pk,
                    user=request.user,
                    consent=services.ConsentInput(
                        **{k: form.cleaned_data[k] for k in initial if k != "priorities"},
                        priorities=tuple(form.cleaned_data["priorities"]),
                    ),
                )
            except services.TrajectoryInputError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Saved. The group sees this from now on."))
                return redirect("trajectories:sharing", pk=access.trajectory.pk)
        status = 400
    else:
        form = ConsentForm(initial=initial, dimensions=structure_dimensions)
    member.trajectory = access.trajectory
    return render(
        request,
        "trajectories/sharing.html",
        {
            "access": access,
            "trajectory": access.trajectory,
            "member": member,
            "shared": sharing_overview(member=member),
            "form": form,
        },
        status=status,
    )


@require_POST
@trajectory_view()
def trajectory_leave(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """Our organisation leaves the trajectory, or the coach stops coaching it."""
    if request.POST.get("as") == "coach" and access.is_coach:
        services.coach_leave(trajectory=access.trajectory, user=request.user)
        messages.success(request, _("You no longer coach this trajectory."))
        return redirect("trajectories:list")
    member = access.member
    if member is None or not member.is_admin:
        raise PermissionDenied
    services.member_leave(member_pk=member.pk, user=request.user)
    messages.success(
        request,
        _("%(organisation)s has left the trajectory and shares nothing any more.")
        % {"organisation": member.organisation.name},
    )
    return redirect("trajectories:list")
