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

from assessments.models import ORGANISATION_ROLES, Membership
from assessments.perspective_selectors import answer_set_get
from assessments.selectors import assessment_get, membership_list
from assessments.services import NotAllowedError, PerspectiveNotFoundError

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
    """None: any role that sees the organisation (a contributor sees only their perspective)."""
    if membership.role not in (ORGANISATION_ROLES if roles is None else roles):
        raise PermissionDenied


def _call(view: Callable, request: HttpRequest, *args, **kwargs):
    try:
        return view(request, *args, **kwargs)
    except NotAllowedError:  # the role changed since the check
        raise PermissionDenied from None
    except PerspectiveNotFoundError:  # the perspective was deleted since the check
        raise Http404 from None


def assessment_view(*, roles: Collection[str] | None = None) -> Callable:
    """A view of one assessment (URL parameter ``pk``), called as ``view(request, access, ...)``.

    Anonymous visitors go to the login page; an assessment outside the user's organisations is a
    404; a membership whose role is not in ``roles`` (None: any role but contributor) is a 403.
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
            return _call(view, request, assessment, membership, *args, **kwargs)

        return wrapper

    return decorator


def answer_set_view(*, roles: Collection[str]) -> Callable:
    """A questionnaire page of one perspective, called as ``view(request, answer_set, membership)``.

    The URL names the assessment (``pk``) and, when it has several, the perspective
    (``perspective_pk``; without it, the first). Another organisation's assessment, another
    assessment's perspective, or a perspective a contributor is not assigned to is a 404; a
    role not in ``roles`` a 403 (contributors pass where they are assigned).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, pk: int, *args, perspective_pk=None, **kwargs):
            found = answer_set_get(
                user=request.user,
                pk=pk,
                perspective_pk=perspective_pk,
                memberships=request.memberships.all,
            )
            if found is None:
                raise Http404
            answer_set, membership = found
            if not membership.is_contributor:
                _require_role(membership, roles)
            return _call(view, request, answer_set, membership, *args, **kwargs)

        return wrapper

    return decorator


def organisation_view(*, roles: Collection[str] | None = None) -> Callable:
    """A view of the user's current organisation, called as ``view(request, membership, ...)``.

    Someone without an organisation gets a 404, a role not in ``roles`` (None: any role but
    contributor) a 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs):
            membership = request.memberships.current
            if membership is None:
                raise Http404
            _require_role(membership, roles)
            return _call(view, request, membership, *args, **kwargs)

        return wrapper

    return decorator
