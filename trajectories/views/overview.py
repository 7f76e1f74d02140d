"""The trajectories a user coaches or takes part in, and starting one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessments.models import ADMIN_ROLES
from maturity.selectors import model_version_latest_published
from trajectories import services
from trajectories.forms import (
    RespondForm,
    TrajectoryForm,
)
from trajectories.selectors import trajectory_overview


@require_safe
@login_required
def trajectory_list(request: HttpRequest) -> HttpResponse:
    """The trajectories the user coaches or takes part in, and invitations to answer."""
    overview = trajectory_overview(user=request.user)
    current = request.memberships.current
    return render(
        request,
        "trajectories/trajectory_list.html",
        {
            "overview": overview,
            "respond_form": RespondForm(),
            "can_create": current is not None and current.role in ADMIN_ROLES,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def trajectory_new(request: HttpRequest) -> HttpResponse:
    """An admin starts a trajectory led by their organisation, and becomes its coach."""
    membership = request.memberships.current
    if membership is None:
        raise Http404
    if membership.role not in ADMIN_ROLES:
        raise PermissionDenied
    version = model_version_latest_published()
    form = TrajectoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and version is not None:
        try:
            trajectory = services.trajectory_create(
                user=request.user,
                organisation=membership.organisation,
                model_version=version,
                **form.cleaned_data,
            )
        except services.NotAllowedError:
            raise PermissionDenied from None
        messages.success(request, _("The trajectory has been created. Invite the members now."))
        return redirect("trajectories:members", pk=trajectory.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "trajectories/trajectory_form.html",
        {"form": form, "organisation": membership.organisation},
        status=status,
    )
