"""The user's current organisation and role, for the header of every page."""

from django.http import HttpRequest


def current_organisation(request: HttpRequest) -> dict:
    memberships = getattr(request, "memberships", None)
    if memberships is None or not request.user.is_authenticated:
        return {}
    return {"current_membership": memberships.current, "all_memberships": memberships.all}
