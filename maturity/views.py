"""Public pages of the maturity model and the error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from maturity.selectors import (
    model_overview_list,
    model_version_latest_published,
    model_version_structure,
)


@require_safe
def growth_path(request: HttpRequest) -> HttpResponse:
    """The four phases and the dimensions explained, for anyone."""
    version = model_version_latest_published()
    structure = model_version_structure(version=version) if version else None
    return render(request, "maturity/growth_path.html", {"structure": structure})


@require_safe
@login_required
def model_overview(request: HttpRequest) -> HttpResponse:
    """Model editors' landing page: each model's drafts, versions and drafts on old versions."""
    overview = model_overview_list(user=request.user)
    if overview is None:
        raise PermissionDenied
    return render(request, "maturity/model_overview.html", {"overview": overview})


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check gets the app's 403 page, not Django's unstyled one.

    A script's request (the questionnaire's autosave asks for JSON) gets JSON it can recognise:
    the page is stale (signed out and in again elsewhere, cookies cleared) and nothing was saved.
    """
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "status": "csrf",
                "message": _(
                    "Not saved: this page has expired. Sign in again; your answers are kept in "
                    "this browser and sent as soon as you are back."
                ),
            },
            status=403,
        )
    return permission_denied(request)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, for Groeipad's languages only.

    Django's view accepts any language it has a catalogue for (``MR`` is Marathi), so a forged
    form could store a language the site does not offer in the cookie. Anything but one of
    ``LANGUAGES`` is left out: the switch then only redirects, as Django's does for no language.
    """
    if request.POST.get("language") not in dict(settings.LANGUAGES):
        request.POST = request.POST.copy()
        request.POST.pop("language", None)
    return django_set_language(request)
