"""Request ids and the production log: one JSON object per line, one line per request.

`RequestLogMiddleware` gives every request an id (the incoming ``X-Request-ID`` when it looks
like one, so a proxy's id follows the request; else a new one), returns it in the response's
``X-Request-ID`` and logs one line on ``groeipad.requests``: request id, user id, method, path,
status and duration. Every other record logged while the request runs carries the same id.

`JsonFormatter` writes a record as one JSON object of fixed fields. It never writes request
bodies, headers, cookies, query strings or task arguments, so passwords, session ids, CSRF
tokens and answers cannot reach the log; invitation tokens in a path are replaced by ``[token]``.
"""

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and a few separators, 8–64 long: a UUID, a proxy's hex id. Anything else
# (too long, spaces, quotes, newlines) could forge or break log lines and is replaced.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# URL parameters that are secrets: their values never reach the log.
SECRET_URL_PARAMETERS = frozenset({"token"})
REQUEST_FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")
# A background task's lines (maturity/celery.py) carry these too, with the enqueuing request's id.
TASK_FIELDS = ("task", "task_id", "attempt", "state")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
logger = logging.getLogger("groeipad.requests")


def request_id_for(request: HttpRequest) -> str:
    """The incoming X-Request-ID when it looks sane, else a new random one."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def logged_path(request: HttpRequest) -> str:
    """The request's path, without the query string and with secret URL parameters replaced."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match else ():
        if name in SECRET_URL_PARAMETERS and value:
            path = path.replace(str(value), f"[{name}]")
    return path


def _user_id(request: HttpRequest) -> int | None:
    # The user that AuthenticationMiddleware loaded, if anything asked for it: reading
    # request.user here would cost a session and user query on requests that never needed them.
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Give each request an id and log one line when its response is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        request.request_id = request_id
        context = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            logger.info(
                "request",
                extra={
                    "user_id": _user_id(request),
                    "method": request.method,
                    "path": logged_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(context)


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            # Django's own request records name the path in their message.
            message = message.replace(request.path, logged_path(request))
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        for name in REQUEST_FIELDS + TASK_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if "request_id" not in entry and current_request_id.get():
            entry["request_id"] = current_request_id.get()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
