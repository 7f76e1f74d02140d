"""Evidence of one answer: the list with its forms (a link, a file), removal, and the download."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.access import answer_set_view
from assessments.evidence_files import EvidenceFileError
from assessments.evidence_forms import EvidenceFileForm, EvidenceLinkForm
from assessments.evidence_selectors import evidence_by_criterion, evidence_get
from assessments.models import ANSWERING_ROLES, Membership
from assessments.perspective_selectors import AnswerSet
from assessments.services import AssessmentLockedError
from assessments.services.evidence import (
    EvidenceNotFoundError,
    evidence_delete,
    evidence_file_add,
    evidence_link_add,
    evidence_storage,
)
from maturity import caching
from maturity.selectors import model_version_structure

UPLOADS_LIMITED = _(
    "You have uploaded many files in a short time. Wait a while before you upload the next one."
)
SUBMITTED = _("This assessment is submitted: its evidence can no longer be changed.")


def _criterion(answer_set: AnswerSet, criterion_key: str):
    structure = model_version_structure(version=answer_set.assessment.model_version)
    criterion = structure.criteria_by_key.get(criterion_key)
    if criterion is None:
        raise Http404
    return structure, criterion


def _can_change(answer_set: AnswerSet, membership: Membership) -> bool:
    return answer_set.assessment.is_draft and (membership.can_answer or membership.is_contributor)


def _page(
    request,
    answer_set: AnswerSet,
    membership: Membership,
    criterion_key: str,
    *,
    link_form=None,
    file_form=None,
    status: int = 200,
) -> HttpResponse:
    structure, criterion = _criterion(answer_set, criterion_key)
    items = evidence_by_criterion(
        perspective_id=answer_set.perspective_id, criteria=[criterion]
    ).get(criterion.key, [])
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    dimension = next(d for d in structure.dimensions if d.pk == criterion.dimension_id)
    number = structure.dimensions.index(dimension) + 1
    context = {
        "assessment": answer_set.assessment,
        "answer_set": answer_set,
        "criterion": criterion,
        "items": items,
        "can_change": _can_change(answer_set, membership),
        "link_form": link_form or EvidenceLinkForm(),
        "file_form": file_form or EvidenceFileForm(limit=limit),
        "step_url": answer_set.url("step", number),
        "upload_url": answer_set.url("evidence_upload", criterion.key),
    }
    return render(request, "assessments/evidence_list.html", context, status=status)


@require_http_methods(["GET", "POST"])
@answer_set_view(roles=None)
def evidence_list(
    request: HttpRequest, answer_set: AnswerSet, membership: Membership, criterion_key: str
) -> HttpResponse:
    """One answer's evidence; answering members add a link here (files: ``evidence_upload``)."""
    if request.method == "GET":
        return _page(request, answer_set, membership, criterion_key)
    if membership.role not in ANSWERING_ROLES and not membership.is_contributor:
        raise Http404
    _structure, criterion = _criterion(answer_set, criterion_key)
    form = EvidenceLinkForm(request.POST)
    if not form.is_valid():
        return _page(request, answer_set, membership, criterion_key, link_form=form, status=400)
    try:
        evidence_link_add(
            assessment=answer_set.assessment,
            user=request.user,
            perspective_id=answer_set.perspective_id,
            criterion=criterion,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
        )
    except AssessmentLockedError:
        messages.error(request, SUBMITTED)
        return _page(request, answer_set, membership, criterion_key, status=409)
    except EvidenceFileError as error:
        form.add_error("url", str(error.message))
        return _page(request, answer_set, membership, criterion_key, link_form=form, status=400)
    messages.success(request, _("Link added."))
    return redirect(answer_set.url("evidence", criterion.key))


@require_POST
@answer_set_view(roles=ANSWERING_ROLES)
def evidence_upload(
    request: HttpRequest, answer_set: AnswerSet, membership: Membership, criterion_key: str
) -> HttpResponse:
    """Add a file, checked by content and stored. ``EvidenceUploadMiddleware`` refused it already
    if its declared length was over the limit, and bounded the stream otherwise."""
    handler = getattr(request, "evidence_upload_handler", None)
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    _structure, criterion = _criterion(answer_set, criterion_key)
    if not answer_set.assessment.is_draft:
        messages.error(request, SUBMITTED)
        return _page(request, answer_set, membership, criterion_key, status=409)
    if not caching.evidence_upload_allowed(
        user_id=request.user.pk, per_hour=settings.EVIDENCE_UPLOADS_PER_HOUR
    ):
        messages.error(request, UPLOADS_LIMITED)
        return _page(request, answer_set, membership, criterion_key, status=429)
    form = EvidenceFileForm(request.POST, request.FILES, handler=handler, limit=limit)
    if not form.is_valid():
        return _page(request, answer_set, membership, criterion_key, file_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        evidence_file_add(
            assessment=answer_set.assessment,
            user=request.user,
            perspective_id=answer_set.perspective_id,
            criterion=criterion,
            file=upload,
            filename=form.filename,
            size=upload.size,
            description=form.cleaned_data["description"],
        )
    except AssessmentLockedError:
        messages.error(request, SUBMITTED)
        return _page(request, answer_set, membership, criterion_key, status=409)
    except EvidenceFileError as error:
        form.add_error("file", str(error.message))
        return _page(request, answer_set, membership, criterion_key, file_form=form, status=400)
    messages.success(request, _("File added."))
    return redirect(answer_set.url("evidence", criterion.key))


@require_POST
@answer_set_view(roles=ANSWERING_ROLES)
def evidence_remove(
    request: HttpRequest,
    answer_set: AnswerSet,
    membership: Membership,
    criterion_key: str,
    evidence_pk: int,
) -> HttpResponse:
    """Remove one piece of evidence from a draft's answer."""
    _structure, criterion = _criterion(answer_set, criterion_key)
    if (
        evidence_get(
            perspective_id=answer_set.perspective_id, criterion=criterion, evidence_pk=evidence_pk
        )
        is None
    ):
        raise Http404
    try:
        evidence_delete(
            assessment=answer_set.assessment,
            user=request.user,
            perspective_id=answer_set.perspective_id,
            evidence_id=evidence_pk,
        )
    except AssessmentLockedError:
        messages.error(request, SUBMITTED)
        return _page(request, answer_set, membership, criterion_key, status=409)
    except EvidenceNotFoundError:
        raise Http404 from None
    messages.success(request, _("Evidence removed."))
    return redirect(answer_set.url("evidence", criterion.key))


@require_safe
@answer_set_view(roles=None)
def evidence_file(
    request: HttpRequest,
    answer_set: AnswerSet,
    membership: Membership,
    criterion_key: str,
    evidence_pk: int,
) -> FileResponse:
    """Download a file as an attachment, with the type its content was found to be at upload."""
    _structure, criterion = _criterion(answer_set, criterion_key)
    evidence = evidence_get(
        perspective_id=answer_set.perspective_id, criterion=criterion, evidence_pk=evidence_pk
    )
    if evidence is None or not evidence.is_file:
        raise Http404
    try:
        stream = evidence_storage().open(evidence.stored_name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        stream, as_attachment=True, filename=evidence.filename, content_type=evidence.content_type
    )
    response["Content-Length"] = str(evidence.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
