"""Response headers that Django's SecurityMiddleware does not set, and the idle session timeout."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

SESSION_TOUCHED_KEY = "_touched"


class SecurityHeadersMiddleware:
    """Add the Permissions-Policy header to every response, and no-store to a signed-in user's.

    After logout on a shared PC, Back must not show an organisation's pages from the browser's
    cache. Static files never pass here (WhiteNoise answers them first) and stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class IdleSessionMiddleware:
    """Keep a logged-in session alive while it is used, so it expires after idle time only.

    Saving the session resets its expiry to SESSION_COOKIE_AGE from now; doing that at most once
    per SESSION_RENEW_AFTER seconds keeps the cost to one write every few minutes per user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SESSION_TOUCHED_KEY, 0) >= settings.SESSION_RENEW_AFTER:
                request.session[SESSION_TOUCHED_KEY] = now
        return self.get_response(request)
