"""Autosave: the questionnaire's script posts each answer here the moment it is given."""

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import answer_set_view
from assessments.forms import AnswerAutosaveForm
from assessments.models import ANSWERING_ROLES, Membership
from assessments.perspective_selectors import AnswerSet
from assessments.services import AssessmentLockedError, OneAnswerOutcome, answer_save_one
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


@require_POST
@answer_set_view(roles=ANSWERING_ROLES)
def answer_autosave(
    request: HttpRequest, answer_set: AnswerSet, membership: Membership, criterion_key: str
) -> JsonResponse:
    """Save one criterion's answer in a perspective; JSON says saved, conflict or why not."""
    assessment = answer_set.assessment
    if not assessment.is_draft:
        return _submitted()
    criterion = model_version_structure(version=assessment.model_version).criteria_by_key.get(
        criterion_key
    )
    if criterion is None:
        raise Http404
    form = AnswerAutosaveForm(request.POST)
    if not form.is_valid():
        return JsonResponse(
            {
                "status": "invalid",
                "message": _("Not saved: %(errors)s")
                % {"errors": " ".join(e for errors in form.errors.values() for e in errors)},
            },
            status=400,
        )
    try:
        outcome = answer_save_one(
            assessment=assessment,
            user=request.user,
            criterion=criterion,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
            loaded_revision=form.cleaned_data["revision"],
            perspective_id=answer_set.perspective_id,
        )
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
