"""An assessment's life cycle: manage (deadline, test or counted), delete a draft, new version."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from assessments.access import assessment_view
from assessments.forms import AssessmentDeleteForm, DeadlineForm
from assessments.models import ADMIN_ROLES, ANSWERING_ROLES, Assessment, Membership
from assessments.reassessment import version_move_preview
from assessments.selectors import assessment_version_offer
from assessments.services import (
    AssessmentLockedError,
    NotSubmittedError,
    TitleMismatchError,
    assessment_delete,
    assessment_mark_test,
    assessment_set_deadline,
)
from assessments.services.version_move import (
    NoNewerVersionError,
    assessment_keep_version,
    assessment_move_to_version,
)

TITLE_MISMATCH = gettext_lazy("That is not the title of this assessment: nothing was deleted.")


def _manage_post(request: HttpRequest, assessment: Assessment, form: DeadlineForm) -> bool:
    """Carry out what the manage page posted; whether it worked (else the page shows why)."""
    action = request.POST.get("action", "")
    if action == "deadline" and assessment.is_draft:
        if not form.is_valid():
            return False
        assessment_set_deadline(
            assessment=assessment, user=request.user, deadline=form.cleaned_data["deadline"]
        )
        messages.success(request, _("The deadline was saved."))
        return True
    if action in ("mark_test", "restore") and not assessment.is_draft:
        assessment_mark_test(
            assessment=assessment, user=request.user, is_test=action == "mark_test"
        )
        if action == "mark_test":
            messages.success(
                request,
                _(
                    "“%(title)s” is marked as a test: it no longer counts in the history, the "
                    "trend, the benchmark or as a starting point. Its report stays readable."
                )
                % {"title": assessment.title},
            )
        else:
            messages.success(request, _("“%(title)s” counts again.") % {"title": assessment.title})
        return True
    messages.error(request, _("This cannot be done with this assessment (any more)."))
    return False


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ADMIN_ROLES)
def assessment_manage(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """Organisation admins: a draft's deadline and deletion; whether a submitted one counts."""
    form = DeadlineForm(
        request.POST if request.POST.get("action") == "deadline" else None,
        initial={"deadline": assessment.deadline},
    )
    if request.method == "POST":
        try:
            done = _manage_post(request, assessment, form)
        except (AssessmentLockedError, NotSubmittedError):
            messages.error(request, _("The assessment changed meanwhile: look again."))
            done = True
        if done:
            return redirect("assessments:manage", pk=assessment.pk)
    return render(
        request,
        "assessments/assessment_manage.html",
        {"assessment": assessment, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ADMIN_ROLES)
def assessment_delete_view(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """Organisation admins: delete a draft with its answers, after typing its title."""
    if not assessment.is_draft:
        messages.info(
            request,
            _(
                "A submitted assessment is not deleted: mark it as a test, then it no longer "
                "counts."
            ),
        )
        return redirect("assessments:manage", pk=assessment.pk)
    form = AssessmentDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deleted = assessment_delete(
                assessment=assessment,
                user=request.user,
                typed_title=form.cleaned_data["typed_title"],
            )
        except TitleMismatchError:
            form.add_error("typed_title", TITLE_MISMATCH)
        except AssessmentLockedError:
            return redirect("assessments:manage", pk=assessment.pk)
        else:
            messages.success(
                request,
                ngettext(
                    "“%(title)s” and its %(count)d answer were deleted.",
                    "“%(title)s” and its %(count)d answers were deleted.",
                    deleted.answers,
                )
                % {"title": deleted.title, "count": deleted.answers},
            )
            return redirect("dashboard")
    answered = assessment.answers.exclude(value="").count()
    return render(
        request,
        "assessments/assessment_confirm_delete.html",
        {"assessment": assessment, "form": form, "answered": answered},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ANSWERING_ROLES)
def assessment_version(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """A newer model version for a draft: what moving changes; move to it, or stay."""
    offer = assessment_version_offer(assessment=assessment) if assessment.is_draft else None
    if offer is None:
        return redirect(
            "assessments:detail" if assessment.is_draft else "reports:report", pk=assessment.pk
        )
    if request.method == "POST":
        try:
            if request.POST.get("choice") == "move":
                moved = assessment_move_to_version(assessment=assessment, user=request.user)
                messages.success(
                    request,
                    _(
                        "The assessment now uses version %(version)s: %(carried)d answers went "
                        "along, %(new)d questions are new, %(removed)d are no longer asked."
                    )
                    % {
                        "version": moved.version.version,
                        "carried": moved.carried,
                        "new": len(moved.new),
                        "removed": len(moved.removed),
                    },
                )
                return redirect("assessments:detail", pk=assessment.pk)
            assessment_keep_version(assessment=assessment, user=request.user)
        except (NoNewerVersionError, AssessmentLockedError):
            messages.info(request, _("The assessment changed meanwhile: look again."))
            return redirect("dashboard")
        messages.success(
            request,
            _("The assessment stays on version %(version)s.")
            % {"version": assessment.model_version.version},
        )
        return redirect("dashboard")
    return render(
        request,
        "assessments/assessment_version.html",
        {
            "assessment": assessment,
            "offer": offer,
            "preview": version_move_preview(assessment=assessment, version=offer),
        },
    )
