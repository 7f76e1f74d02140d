"""The answers of a worker-rendered document's address (`documents.renders`): the stored file,
or while a worker renders it the waiting page or, for the page's script (``Accept:
application/json``), its status. Shared by the report's documents (a member's and a share
link's) and a session's agenda; the page's indicator is
``templates/includes/_document_progress.html``."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy

from documents import CONTENT_TYPES
from documents.models import DocumentRender
from documents.renders import DocumentRenders, RenderBusyError, RenderQueueFullError

# The waiting page's refusals and failure, of any document ("%(document)s": "the PDF").
TRY_LATER_MESSAGE = gettext_lazy(
    "%(document)s cannot be prepared right now. Please try again later."
)
FAILED_MESSAGE = gettext_lazy("%(document)s could not be made. Reload this page to try again.")


@dataclass(frozen=True)
class DocumentAsked:
    """Where a document's address stands once asked: the file is there (status "ready"), a
    worker has it ("queued", "rendering"), it "failed", or the ask was "refused" (429, 503)."""

    status: str
    message: str | None
    http_status: int
    # The render asked for on this request, whose own status address the page polls.
    render: DocumentRender | None = None

    @property
    def ready(self) -> bool:
        return self.status == "ready"


def document_ask(
    renders: DocumentRenders,
    *,
    key: str,
    fmt: str,
    ask: Callable[[], DocumentRender],
    noun: str,
    busy_message: str,
    try_later_errors: tuple[type[Exception], ...],
) -> DocumentAsked:
    """Ask for the document of this signature unless it is stored, and say where it stands.

    `ask`: the kind's request and enqueue (`DocumentRenders.request` → `enqueue_asked`).
    `noun` names the document in the messages ("The PDF"); `try_later_errors`: what the kind's
    enqueue raises when the broker cannot take the task (this package imports no app, so
    not `maturity.queue`'s error by name).
    """
    if renders.stored(key=key, fmt=fmt):  # one storage check, nothing asked of a worker
        return DocumentAsked("ready", None, 200)
    try:
        render = ask()
    except RenderBusyError:
        return DocumentAsked("refused", busy_message, 429)
    except (RenderQueueFullError, *try_later_errors):
        return DocumentAsked("refused", TRY_LATER_MESSAGE % {"document": noun}, 503)
    # Stored by now when the render ran in this process (eager mode, no broker).
    status = renders.state(key=key, fmt=fmt)
    message = FAILED_MESSAGE % {"document": noun} if status == "failed" else None
    return DocumentAsked(status, message, 200 if status == "ready" else 202, render)


def render_pk_asked(value: str | None) -> int | None:
    """The render id of a document address's ``?render=``; None unless it is one."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None


def document_file_response(stored_name: str, fmt: str, filename: str) -> HttpResponse:
    """The stored file: a PDF opens in the browser, an editable document is saved to be edited.

    FileNotFoundError when it was removed just now (the caller asks again as usual).
    """
    with default_storage.open(stored_name) as stored:
        response = HttpResponse(stored.read(), content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.{fmt}"'
    return response


def document_wait_response(
    request: HttpRequest,
    *,
    template: str,
    context: dict,
    asked: DocumentAsked,
    wants_json: bool,
    status_url: str | None,
) -> HttpResponse:
    """The waiting page (or its JSON), never cached; 429/503 say when to try again.

    `status_url`: the asked render's own status address, which the page's script polls (one
    query) while the render waits (202 without a message); None when nothing was asked.
    """
    status, message, http_status = asked.status, asked.message, asked.http_status
    if message is not None or http_status != 202:
        status_url = None
    if wants_json:
        response = JsonResponse(
            {"status": status, "message": message, "status_url": status_url}, status=http_status
        )
    else:
        response = render(
            request,
            template,
            {**context, "status": status, "message": message, "status_url": status_url},
            status=http_status,
        )
    add_never_cache_headers(response)
    if http_status in {429, 503}:
        response["Retry-After"] = "10"
    return response


def document_poll_response(
    *, status: str, render_pk: int, document_url: str, document: str
) -> JsonResponse:
    """The status poll's answer: how far a render is (`DocumentRenders.poll`) and where to go.

    Done: "ready", and `document_url` with ``?render=`` (the document's address, which checks
    access again and serves this render's file). Stale (its task was lost): the document's own
    address, which asks again and so enqueues it anew. Failed: the message, naming `document`.
    """
    go_to = None
    if status == "done":
        status, go_to = "ready", f"{document_url}?render={render_pk}"
    elif status == "stale":
        go_to = document_url
    message = FAILED_MESSAGE % {"document": document} if status == "failed" else None
    response = JsonResponse({"status": status, "message": message, "document_url": go_to})
    add_never_cache_headers(response)
    return response
