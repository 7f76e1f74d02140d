"""``/healthz``: whether this app server reaches its database and its cache, for a load balancer.

The answer is ``{"database": "ok" | "down", "cache": "ok" | "down"}``, 200 when both are ok and
503 otherwise. It costs one ``SELECT 1`` and one cache write and read, needs no login and shows
no data. `HealthCheckMiddleware` answers it first of all middleware, so that:

- a load balancer may probe over plain HTTP on the private network: there is no HTTPS redirect
  for this one path (the answer holds nothing worth protecting);
- it may probe the server by its address: ``ALLOWED_HOSTS`` is not consulted for this one path
  (the answer does not depend on the host, so a forged Host header gains nothing);
- probes every few seconds stay out of the request log; a failing check is logged as a warning.

`DatabaseUnavailableMiddleware` turns a database that cannot be reached into a plain 503 page.
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from maturity import caching, client_address

HEALTH_PATH = "/healthz"
OK = "ok"
DOWN = "down"

logger = logging.getLogger("groeipad.health")


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.warning("Health check: database down (%s)", type(error).__name__)
        return False


def health_status() -> dict[str, str]:
    """The state of the database and of the cache, each "ok" or "down"."""
    database_ok = _database_answers()
    cache_ok = caching.cache_answers()
    if not cache_ok:
        logger.warning("Health check: cache down")
    return {"database": OK if database_ok else DOWN, "cache": OK if cache_ok else DOWN}


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database and the cache answer, 503 naming what is down; never cached.

    Behind the proxy it also warns (``"proxy": {"warning": …}``, still 200: the server works)
    when, in the last 24 hours, a request brought X-Forwarded-For from an address that is not in
    DJANGO_TRUSTED_PROXIES: the app can be reached around the proxy (docs/deploy.md).
    """
    client_address.note_untrusted_forwarding(request)
    status = health_status()
    healthy = all(state == OK for state in status.values())
    body: dict = dict(status)
    if (seen := client_address.untrusted_forwarding_seen()) is not None:
        body["proxy"] = {
            "warning": "X-Forwarded-For from an address that is not a trusted proxy",
            **seen,
        }
    response = JsonResponse(body, status=200 if healthy else 503)
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answer GET/HEAD ``/healthz`` before any other middleware (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in {"GET", "HEAD"}:
            return healthz(request)
        client_address.note_untrusted_forwarding(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gives a 503 page that needs nothing from it.

    Django's own 500 page cannot be shown then: its context processors read the session and
    the memberships, so the error handler fails too and the exception would escape. This page is
    rendered without a request context, asks the browser to retry, and logs the error once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError):
            logger.error("Database unavailable", exc_info=True)
            response = HttpResponse(render_to_string("errors/503.html"), status=503)
            response["Retry-After"] = "60"
            add_never_cache_headers(response)
            return response
