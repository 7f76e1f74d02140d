"""The project's URLs plus two views the security walk must report (used by its own test only)."""

from django.http import HttpResponse
from django.urls import path, re_path

from assessments.models import Membership
from maturity.urls import urlpatterns as project_urlpatterns


def member_note(request, pk: int) -> HttpResponse:
    """Deliberately unprotected: anyone reads any member's username."""
    return HttpResponse(Membership.objects.get(pk=pk).user.username, content_type="text/plain")


def legacy(request, number: str) -> HttpResponse:
    """A re_path route with an unnamed group, which the walk cannot fill."""
    return HttpResponse(number, content_type="text/plain")


urlpatterns = [
    *project_urlpatterns,
    path("members/<int:pk>/note/", member_note, name="member_note"),
    re_path(r"^legacy/(\d+)/$", legacy, name="legacy"),
]
