"""The user's current organisation and role, for the header of every page."""

from django.http import HttpRequest

from assessments.selectors import membership_current


def current_organisation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = membership_current(request=request)
    return {
        "current_membership": membership,
        "all_memberships": getattr(request, "_memberships", []),
    }
