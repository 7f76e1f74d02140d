"""Autosave: the questionnaire's script posts each answer here the moment it is given."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import assessment_view
from assessments.forms import AnswerAutosaveForm
from assessments.models import ANSWERING_ROLES, Assessment, Membership
from assessments.services import (
    AssessmentLockedError,
    AssessmentNotFoundError,
    NotAllowedError,
    OneAnswerOutcome,
    UnknownCriterionError,
    answer_save_one,
)
from maturity.models import AnswerValue
from maturity.selectors import model_version_structure


def _submitted() -> JsonResponse:
    return JsonResponse(
        {
            "status": "submitted",
            "message": _("This assessment was submitted meanwhile; nothing was saved."),
        },
        status=409,
    )


def _conflict(outcome: OneAnswerOutcome) -> JsonResponse:
    """The colleague's answer that was kept, who gave it and when, for the page to show."""
    theirs = outcome.theirs
    who = ""
    if theirs is not None and theirs.updated_by is not None:
        who = theirs.updated_by.get_full_name() or theirs.updated_by.username
    return JsonResponse(
        {
            "status": "conflict",
            "revision": outcome.revision,
            "value": theirs.value if theirs else "",
            "value_label": str(AnswerValue(theirs.value).label) if theirs and theirs.value else "",
            "comment": theirs.comment if theirs else "",
            "who": who,
            "when": _time(theirs.updated_at) if theirs else "",
            "message": _("Changed by %(name)s — their answer is shown here now.")
            % {"name": who or _("a colleague")},
        },
        status=409,
    )


def _time(moment) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


@assessment_view(roles=ANSWERING_ROLES)
def _invalid(
    request: HttpRequest,
    assessment: Assessment,
    membership: Membership,
    *,
    criterion_key: str,
    form: AnswerAutosaveForm,
) -> JsonResponse:
    """Bad fields: refused as the save would refuse the request first (404, 403, 409), else 400."""
    if not assessment.is_draft:
        return _submitted()
    if (
        criterion_key
        not in model_version_structure(version=assessment.model_version).criteria_by_key
    ):
        raise Http404
    return JsonResponse(
        {
            "status": "invalid",
            "message": _("Not saved: %(errors)s")
            % {"errors": " ".join(e for errors in form.errors.values() for e in errors)},
        },
        status=400,
    )


@require_POST
@login_required
def answer_autosave(request: HttpRequest, pk: int, criterion_key: str) -> JsonResponse:
    """Save one criterion's answer; JSON says saved (revision, time), conflict or why not.

    Access is checked by the save itself, in the query that locks the assessment (an autosave
    comes with every answer given); a request with bad fields goes through the usual check.
    """
    form = AnswerAutosaveForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, criterion_key=criterion_key, form=form)
    try:
        outcome = answer_save_one(
            assessment_id=pk,
            user=request.user,
            criterion_key=criterion_key,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
            loaded_revision=form.cleaned_data["revision"],
        )
    except (AssessmentNotFoundError, UnknownCriterionError):
        raise Http404 from None
    except NotAllowedError:
        raise PermissionDenied from None
    except AssessmentLockedError:
        return _submitted()
    if outcome.conflict:
        return _conflict(outcome)
    saved_at = _time(outcome.saved_at or timezone.now())
    return JsonResponse(
        {
            "status": "saved",
            "revision": outcome.revision,
            "time": saved_at,
            "message": _("Saved at %(time)s") % {"time": saved_at},
        }
    )
