"""Answers as CSV: the download, and the upload that shows what it changes before it does."""

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from assessments.access import assessment_view
from assessments.forms import CsvUploadForm
from assessments.models import ANSWERING_ROLES, Assessment, Membership
from assessments.selectors import assessment_answers
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


def _export_session_key(assessment: Assessment) -> str:
    return f"answers_exported_at:{assessment.pk}"


@require_safe
@assessment_view()
def answers_csv(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """Download the answers as CSV (UTF-8 with BOM so spreadsheet programs read it right)."""
    content = answers_export_csv(
        assessment=assessment, answers=assessment_answers(assessment=assessment)
    )
    # When this user exported: an import later flags the answers changed after it.
    request.session[_export_session_key(assessment)] = timezone.now().isoformat()
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="groeipad-{assessment.pk}-answers.csv"'
    return response


def _preview(request, assessment: Assessment, content: bytes, *, status: int = 200):
    """Show what the file would change, with the signed token that confirms it."""
    exported = request.session.get(_export_session_key(assessment))
    preview = answers_preview_csv(
        assessment=assessment,
        content=content,
        exported_at=parse_datetime(exported) if exported else None,
    )
    token = signing.dumps(
        {
            "assessment": assessment.pk,
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
            "preview": preview,
            "flagged": sum(1 for change in preview.changes if change.after_export),
            "exported": bool(exported),
            "token": token,
        },
        status=status,
    )


def _confirm(request, assessment: Assessment) -> HttpResponse:
    """Import the previewed file, if nothing changed since the preview; else show it again."""
    try:
        payload = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        payload = None
    if not payload or (payload["assessment"], payload["user"]) != (
        assessment.pk,
        request.user.pk,
    ):
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("assessments:import", pk=assessment.pk)
    content = payload["content"].encode("utf-8")
    try:
        changed = answers_import_csv(
            assessment=assessment,
            user=request.user,
            content=content,
            expected_revisions=payload["revisions"],
        )
    except ImportOutdatedError:
        messages.warning(
            request,
            _(
                "Answers changed since you saw this preview, so nothing was imported. "
                "Check the changes below again."
            ),
        )
        return _preview(request, assessment, content, status=409)
    messages.success(
        request,
        ngettext(
            "The file was imported: %(count)d answer changed.",
            "The file was imported: %(count)d answers changed.",
            changed,
        )
        % {"count": changed},
    )
    return redirect("assessments:review", pk=assessment.pk)


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ANSWERING_ROLES)
def answers_import(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """Upload a CSV, see what it changes, confirm; a file with any bad row changes nothing."""
    if not assessment.is_draft:
        messages.error(request, _("A submitted assessment cannot import answers."))
        return redirect("assessments:report", pk=assessment.pk)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    try:
        if request.method == "POST" and "token" in request.POST:
            return _confirm(request, assessment)
        if request.method == "POST" and form.is_valid():
            return _preview(request, assessment, form.cleaned_data["file"].read())
    except CsvImportError as error:
        problems = error.problems
    except AssessmentLockedError:
        return redirect("assessments:report", pk=assessment.pk)
    return render(
        request,
        "assessments/answers_import.html",
        {"assessment": assessment, "form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )
