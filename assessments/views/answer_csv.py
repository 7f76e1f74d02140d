"""Answers as CSV: the download, and the upload that shows what it changes before it does."""

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from assessments.access import answer_set_view
from assessments.evidence_selectors import evidence_of_answers
from assessments.forms import CsvUploadForm
from assessments.models import ANSWERING_ROLES, Membership
from assessments.perspective_selectors import AnswerSet, perspective_answers
from assessments.services import (
    AssessmentLockedError,
    CsvImportError,
    ImportOutdatedError,
    answers_export_csv,
    answers_import_csv,
    answers_preview_csv,
)

# The preview's token carries the file and the revisions it was compared with, signed, so the
# confirmation imports exactly what was shown, or nothing. An hour is long enough to read it.
IMPORT_SALT = "assessments.answers-import"
IMPORT_MAX_AGE = 60 * 60


def _export_session_key(answer_set: AnswerSet) -> str:
    return f"answers_exported_at:{answer_set.assessment.pk}:{answer_set.perspective_id}"


@require_safe
@answer_set_view(roles=None)
def answers_csv(
    request: HttpRequest, answer_set: AnswerSet, membership: Membership
) -> HttpResponse:
    """Download a perspective's answers as CSV (UTF-8 with BOM so spreadsheets read it right)."""
    assessment = answer_set.assessment
    content = answers_export_csv(
        assessment=assessment,
        answers=perspective_answers(perspective_id=answer_set.perspective_id),
        evidence=evidence_of_answers(perspective_id=answer_set.perspective_id),
    )
    # When this user exported: an import later flags the answers changed after it.
    request.session[_export_session_key(answer_set)] = timezone.now().isoformat()
    name = f"groeipad-{assessment.pk}-answers"
    if not answer_set.is_only:
        name = f"{name}-{slugify(answer_set.perspective_name) or answer_set.perspective_id}"
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _preview(request, answer_set: AnswerSet, content: bytes, *, status: int = 200):
    """Show what the file would change, with the signed token that confirms it."""
    assessment = answer_set.assessment
    exported = request.session.get(_export_session_key(answer_set))
    preview = answers_preview_csv(
        assessment=assessment,
        perspective_id=answer_set.perspective_id,
        content=content,
        exported_at=parse_datetime(exported) if exported else None,
    )
    token = signing.dumps(
        {
            "assessment": assessment.pk,
            "perspective": answer_set.perspective_id,
            "user": request.user.pk,
            "content": content.decode("utf-8-sig"),
            "revisions": preview.revisions,
        },
        salt=IMPORT_SALT,
        compress=True,
    )
    return render(
        request,
        "assessments/answers_import_preview.html",
        {
            "assessment": assessment,
            "answer_set": answer_set,
            "preview": preview,
            "flagged": sum(1 for change in preview.changes if change.after_export),
            "exported": bool(exported),
            "token": token,
        },
        status=status,
    )


def _confirm(request, answer_set: AnswerSet) -> HttpResponse:
    """Import the previewed file, if nothing changed since the preview; else show it again."""
    assessment = answer_set.assessment
    try:
        payload = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        payload = None
    signed_for = (assessment.pk, answer_set.perspective_id, request.user.pk)
    if not payload or (payload["assessment"], payload.get("perspective"), payload["user"]) != (
        signed_for
    ):
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect(answer_set.url("import"))
    content = payload["content"].encode("utf-8")
    try:
        changed = answers_import_csv(
            assessment=assessment,
            user=request.user,
            content=content,
            expected_revisions=payload["revisions"],
            perspective_id=answer_set.perspective_id,
        )
    except ImportOutdatedError:
        messages.warning(
            request,
            _(
                "Answers changed since you saw this preview, so nothing was imported. "
                "Check the changes below again."
            ),
        )
        return _preview(request, answer_set, content, status=409)
    messages.success(
        request,
        ngettext(
            "The file was imported: %(count)d answer changed.",
            "The file was imported: %(count)d answers changed.",
            changed,
        )
        % {"count": changed},
    )
    return redirect(answer_set.review_url())


@require_http_methods(["GET", "POST"])
@answer_set_view(roles=ANSWERING_ROLES)
def answers_import(
    request: HttpRequest, answer_set: AnswerSet, membership: Membership
) -> HttpResponse:
    """Upload a CSV, see what it changes, confirm; a file with any bad row changes nothing."""
    assessment = answer_set.assessment
    if not assessment.is_draft:
        messages.error(request, _("A submitted assessment cannot import answers."))
        return redirect("reports:report", pk=assessment.pk)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    try:
        if request.method == "POST" and "token" in request.POST:
            return _confirm(request, answer_set)
        if request.method == "POST" and form.is_valid():
            return _preview(request, answer_set, form.cleaned_data["file"].read())
    except CsvImportError as error:
        problems = error.problems
    except AssessmentLockedError:
        return redirect("reports:report", pk=assessment.pk)
    return render(
        request,
        "assessments/answers_import.html",
        {"assessment": assessment, "answer_set": answer_set, "form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )
