"""Share links: the admin's page for one assessment, and the shared report behind a token.

The shared pages (`shared_report`, `shared_report_pdf`) need no account: the token is the
permission. Each request reads the link anew (`reports.sharing.share_link_by_token`): unknown →
404, revoked or expired → 410. They are never cached (``Cache-Control: no-store``), never
indexed (``X-Robots-Tag`` and the page's robots meta), send no referrer and link nowhere.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.access import assessment_view
from assessments.logo import organisation_logo_data_uri
from assessments.models import ADMIN_ROLES, Assessment, Membership
from documents.waiting import DocumentAsked, document_file_response
from reports import renders
from reports.forms import ShareBenchmarkForm, ShareLinkForm
from reports.models import ShareLinkView, storage_name
from reports.page import report_sections_render
from reports.selectors import report_get_for_share_link
from reports.sharing import (
    MAX_DAYS,
    ShareLinkState,
    organisation_share_benchmark_set,
    share_link_by_token,
    share_link_create,
    share_link_revoke,
    share_link_view_record,
    share_links_list,
)
from reports.views import DOCUMENT_NOUNS, document_filename, document_noun, report_document_ask

# The documents a shared report offers, in the order of its buttons: format -> label.
# The formats a share link offers, named as on the report page.
SHARED_FORMATS = {
    "pdf": gettext_lazy("Management summary (PDF)"),
    "odt": gettext_lazy("Proposal to the college (ODT)"),
    "docx": gettext_lazy("Proposal to the college (Word)"),
}
SHARED_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow, noarchive",
    "Referrer-Policy": "no-referrer",
}


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ADMIN_ROLES)
def assessment_share(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The assessment's share links: make one (its address shown once), see views, revoke."""
    form = ShareLinkForm(request.POST if request.method == "POST" else None)
    created_url = None
    status = 200
    if request.method == "POST":
        if assessment.is_draft or not form.is_valid():
            status = 400
        else:
            _link, token = share_link_create(
                assessment=assessment,
                membership=membership,
                days=form.cleaned_data["days"],
                note=form.cleaned_data["note"],
            )
            created_url = request.build_absolute_uri(reverse("shared:report", args=[token]))
            form = ShareLinkForm()
    response = render(
        request,
        "reports/share_link_list.html",
        {
            "assessment": assessment,
            "membership": membership,
            "form": form,
            "benchmark_form": ShareBenchmarkForm(
                initial={"share_benchmark": membership.organisation.share_benchmark}
            ),
            "links": share_links_list(assessment=assessment, membership=membership),
            "created_url": created_url,
            "max_days": MAX_DAYS,
        },
        status=status,
    )
    # The page may hold a new link's only copy.
    add_never_cache_headers(response)
    return response


@require_POST
@assessment_view(roles=ADMIN_ROLES)
def assessment_share_revoke(
    request: HttpRequest, assessment: Assessment, membership: Membership, link_pk: int
) -> HttpResponse:
    """Revoke one of the assessment's share links: it stops working on the next request."""
    if not share_link_revoke(assessment=assessment, membership=membership, link_pk=link_pk):
        raise Http404
    messages.success(request, _("The link is revoked: it no longer opens the report."))
    return redirect("reports:share", assessment.pk)


@require_POST
@assessment_view(roles=ADMIN_ROLES)
def assessment_share_benchmark(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The organisation's choice whether shared reports show the benchmark comparison."""
    form = ShareBenchmarkForm(request.POST)
    form.is_valid()  # a checkbox: absent is False, anything else True
    value = bool(form.cleaned_data.get("share_benchmark"))
    organisation_share_benchmark_set(membership=membership, value=value)
    if value:
        messages.success(request, _("Shared reports show the benchmark comparison."))
    else:
        messages.success(request, _("Shared reports do not show the benchmark comparison."))
    return redirect("reports:share", assessment.pk)


def _shared(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)  # includes no-store
    for name, value in SHARED_HEADERS.items():
        response[name] = value
    return response


def _gone(request: HttpRequest, state: ShareLinkState) -> HttpResponse:
    """A revoked, expired or no longer submitted link: a clear page, 410."""
    return _shared(
        render(request, "reports/shared_gone.html", {"reason": state.reason}, status=410)
    )


def _usable_link(token: str) -> ShareLinkState:
    state = share_link_by_token(token=token)
    if state is None:
        raise Http404
    return state


@require_safe
def shared_report(request: HttpRequest, token: str) -> HttpResponse:
    """The report a share link shows: that report only, for anyone with the link."""
    state = _usable_link(token)
    if not state.usable:
        return _gone(request, state)
    link = state.link
    share_link_view_record(link=link, kind=ShareLinkView.Kind.PAGE)
    report = report_get_for_share_link(
        link=link, language=get_language(), level=request.GET.get("compare")
    )
    return _shared(
        render(
            request,
            "reports/shared_report.html",
            {
                "report": report,
                "assessment": report.assessment,
                "organisation": link.organisation,
                "link": link,
                "token": token,
                "formats": [
                    (label, reverse("shared:report_document", args=[token, fmt]))
                    for fmt, label in SHARED_FORMATS.items()
                ],
                "sections": report_sections_render(report),
                "logo": organisation_logo_data_uri(link.organisation),
            },
        )
    )


@require_safe
def shared_report_document(request: HttpRequest, token: str, format: str) -> HttpResponse:
    """The shared report as PDF, ODT or DOCX, rendered by a worker; until then a page that waits.

    The link is checked on every request, the one that gets the file too; a served file is a
    view of the link.
    """
    if format not in SHARED_FORMATS:
        raise Http404
    state = _usable_link(token)
    if not state.usable:
        return _gone(request, state)
    link = state.link
    assessment = link.assessment
    assessment.organisation = link.organisation
    key = renders.report_document_key(
        assessment=assessment,
        open_actions_signature="",
        language=get_language(),
        fmt=format,
        variant=f"shared:{link.organisation.share_benchmark}",
    )
    wants_json = "application/json" in request.headers.get("Accept", "")
    context = {
        "organisation": link.organisation,
        "assessment": assessment,
        "token": token,
        "document": document_noun(format),
        "document_lower": DOCUMENT_NOUNS[format],
    }
    asked = report_document_ask(assessment=link.assessment, share_link=link, key=key, fmt=format)
    if asked.ready and not wants_json:
        share_link_view_record(link=link, kind=format)
        response = document_file_response(
            storage_name(key, format), format, document_filename(assessment)
        )
        return _shared(response)
    return _shared_wait(request, context, asked, wants_json)


def _shared_wait(
    request: HttpRequest, context: dict, asked: DocumentAsked, wants_json: bool
) -> HttpResponse:
    status, message, http_status = asked.status, asked.message, asked.http_status
    if wants_json:
        response = JsonResponse(
            {"status": status, "message": str(message) if message else None}, status=http_status
        )
    else:
        response = render(
            request,
            "reports/shared_document_progress.html",
            {**context, "status": status, "message": message},
            status=http_status,
        )
    if http_status in {429, 503}:
        response["Retry-After"] = "10"
    return _shared(response)
