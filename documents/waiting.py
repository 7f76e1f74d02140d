"""The answer of a document's address while a worker renders it: the waiting page or, for the
page's script (``Accept: application/json``), its status. Shared by the report's documents and
a session's agenda; the page's indicator is ``templates/includes/_document_progress.html``."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


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
