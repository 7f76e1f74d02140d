"""``/healthz``: whether this app server can serve (readiness), and ``/healthz/live`` (liveness).

Readiness, ``/healthz``: ``{"database", "cache", "broker": "ok" | "down", "worker": ...}``, 200
when the database, the cache and the broker answer and 503 otherwise. ``worker`` says whether a
Celery worker answered a ping in the last minute ("ok") or not ("none"); it does not fail the
check (the pages are served without a worker; queued work waits). Without a broker (eager mode,
`make run`) ``broker`` and ``worker`` are "embedded". It costs one ``SELECT 1``, a cache write
and read, a PING to the broker and, at most once a minute, a worker ping of at most 0.3 s.

Liveness, ``/healthz/live``: 200 whenever this process answers at all, whatever is down, so a
supervisor restarts only a hung server, not one whose database or broker is away.

Both need no login and show no data. `HealthCheckMiddleware` answers them first of all
middleware, so that:

- a load balancer may probe over plain HTTP on the private network: there is no HTTPS redirect
  for this one path (the answer holds nothing worth protecting);
- it may probe the server by its address: ``ALLOWED_HOSTS`` is not consulted for this one path
  (the answer does not depend on the host, so a forged Host header gains nothing);
- probes every few seconds stay out of the request log; a failing check is logged as a warning.

`DatabaseUnavailableMiddleware` turns a database that cannot be reached into a plain 503 page.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from maturity import caching
from maturity.queue import BROKER_ERRORS

HEALTH_PATH = "/healthz"
LIVENESS_PATH = "/healthz/live"
OK = "ok"
DOWN = "down"
NONE = "none"
EMBEDDED = "embedded"
WORKER_SEEN_KEY = "health:worker-seen"
WORKER_SEEN_SECONDS = 60
WORKER_PING_TIMEOUT = 0.3

logger = logging.getLogger("groeipad.health")


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.warning("Health check: database down (%s)", type(error).__name__)
        return False


def _broker_answers() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=0.5, socket_timeout=0.5
        )
        return bool(client.ping())
    except redis.RedisError as error:
        logger.warning("Health check: broker down (%s)", type(error).__name__)
        return False


def _worker_seen() -> bool:
    """Whether a worker answered a ping in the last minute (asking one now if none did)."""
    if cache.get(WORKER_SEEN_KEY):
        return True
    from maturity.celery import app

    try:
        answered = bool(app.control.ping(timeout=WORKER_PING_TIMEOUT))
    except BROKER_ERRORS as error:
        logger.warning("Health check: worker ping failed (%s)", type(error).__name__)
        return False
    if answered:
        cache.set(WORKER_SEEN_KEY, True, WORKER_SEEN_SECONDS)
    return answered


def health_status() -> dict[str, str]:
    """The state of the database, the cache and the broker ("ok"/"down"), and of the workers."""
    database_ok = _database_answers()
    cache_ok = caching.cache_answers()
    if not cache_ok:
        logger.warning("Health check: cache down")
    status = {"database": OK if database_ok else DOWN, "cache": OK if cache_ok else DOWN}
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return {**status, "broker": EMBEDDED, "worker": EMBEDDED}
    broker_ok = _broker_answers()
    status["broker"] = OK if broker_ok else DOWN
    status["worker"] = OK if broker_ok and _worker_seen() else NONE
    return status


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database, cache and broker answer, 503 naming what is down; never cached."""
    status = health_status()
    healthy = all(status[part] == OK for part in ("database", "cache")) and status.get(
        "broker"
    ) in {OK, EMBEDDED}
    response = JsonResponse(status, status=200 if healthy else 503)
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def liveness(request: HttpRequest) -> HttpResponse:
    """200 while this process answers requests at all; checks nothing else."""
    response = JsonResponse({"live": OK})
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answer GET/HEAD ``/healthz`` before any other middleware (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"}:
            if request.path_info == HEALTH_PATH:
                return healthz(request)
            if request.path_info == LIVENESS_PATH:
                return liveness(request)
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
