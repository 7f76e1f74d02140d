"""Who may open which page: the request's memberships, and view decorators that refuse with 404/403.

Selectors answer "which objects may this user see" with an object or None; this module is the one
place that turns their answers into HTTP: None is a 404 (another organisation's objects are never
confirmed to exist), a membership without the needed role is a 403.
"""

from collections.abc import Callable, Collection
from functools import cached_property, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from assessments.models import Membership
from assessments.selectors import assessment_get, membership_list
from assessments.services import NotAllowedError

CURRENT_ORGANISATION_SESSION_KEY = "current_organisation_id"


class RequestMemberships:
    """The signed-in user's memberships, read at most once per request, and the current one."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def all(self) -> list[Membership]:
        return membership_list(user=self._request.user)

    @property
    def current(self) -> Membership | None:
        """The organisation the user works in now: the one chosen in the session, else the first."""
        chosen_id = self._request.session.get(CURRENT_ORGANISATION_SESSION_KEY)
        chosen = next((m for m in self.all if m.organisation_id == chosen_id), None)
        return chosen or (self.all[0] if self.all else None)


class MembershipMiddleware:
    """Gives every request ``request.memberships``; the header and the access checks share it."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.memberships = RequestMemberships(request)
        return self.get_response(request)


def _require_role(membership: Membership, roles: Collection[str] | None) -> None:
    if roles is not None and membership.role not in roles:
        raise PermissionDenied


def assessment_view(*, roles: Collection[str] | None = None) -> Callable:
    """A view of one assessment (URL parameter ``pk``), called as ``view(request, access, ...)``.

    Anonymous visitors go to the login page; an assessment outside the user's organisations is a
    404; a membership whose role is not in ``roles`` (None: any member) is a 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, pk: int, *args, **kwargs):
            found = assessment_get(user=request.user, pk=pk, memberships=request.memberships.all)
            if found is None:
                raise Http404
            assessment, membership = found
            _require_role(membership, roles)
            try:
                return view(request, assessment, membership, *args, **kwargs)
            except NotAllowedError:  # the role changed since the check above
                raise PermissionDenied from None

        return wrapper

    return decorator


def organisation_view(*, roles: Collection[str] | None = None) -> Callable:
    """A view of the user's current organisation, called as ``view(request, membership, ...)``.

    Someone without an organisation gets a 404, a role not in ``roles`` a 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs):
            membership = request.memberships.current
            if membership is None:
                raise Http404
            _require_role(membership, roles)
            try:
                return view(request, membership, *args, **kwargs)
            except NotAllowedError:  # the role changed since the check above
                raise PermissionDenied from None

        return wrapper

    return decorator
