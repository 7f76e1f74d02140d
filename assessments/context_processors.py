"""The user's current organisation and role, for the header of every page."""

from django.http import HttpRequest

from assessments.selectors import membership_current, membership_list


def current_organisation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_membership": membership_current(request=request),
        "all_memberships": membership_list(request=request),
    }
