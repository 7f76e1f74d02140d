"""The answers of a worker-rendered document's address (`documents.renders`): the stored file,
or while a worker renders it the waiting page or, for the page's script (``Accept:
application/json``), its status. Shared by the report's documents and a session's agenda; the
page's indicator is ``templates/includes/_document_progress.html``."""

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy

from documents import CONTENT_TYPES

# The waiting page's refusals and failure, of any document ("%(document)s": "the PDF").
TRY_LATER_MESSAGE = gettext_lazy(
    "%(document)s cannot be prepared right now. Please try again later."
)
FAILED_MESSAGE = gettext_lazy("%(document)s could not be made. Reload this page to try again.")


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
    status: str,
    message: str | None,
    http_status: int,
    wants_json: bool,
    status_url: str | None,
) -> HttpResponse:
    """The waiting page (or its JSON), never cached; 429/503 say when to try again."""
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


def document_status_response(
    *, status: str, message: str | None, document_url: str | None
) -> JsonResponse:
    """The status poll's answer: how far a render is and, once ready, where its file is."""
    response = JsonResponse({"status": status, "message": message, "document_url": document_url})
    add_never_cache_headers(response)
    return response
