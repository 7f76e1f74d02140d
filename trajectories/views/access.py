"""The trajectory pages' access check: a page of one trajectory, for its coaches and members."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from trajectories import services
from trajectories.selectors import trajectory_access


def trajectory_view(*, coach_only: bool = False) -> Callable:
    """A page of one trajectory (URL ``pk``), called as ``view(request, access)``: 404 for
    anyone who neither coaches it nor belongs to an organisation taking part; 403 for a member
    on a coach's page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, pk: int, *args, **kwargs):
            access = trajectory_access(user=request.user, pk=pk)
            if access is None:
                raise Http404
            if coach_only and not access.is_coach:
                raise PermissionDenied
            try:
                return view(request, access, *args, **kwargs)
            except services.NotAllowedError:
                raise PermissionDenied from None

        return wrapper

    return decorator
