"""Autosave: the questionnaire's script posts each answer here the moment it is given."""

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import resolve_url
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import answer_set_view
from assessments.models import ANSWERING_ROLES, Membership
from assessments.perspective_selectors import AnswerSet
from assessments.services import (
    AssessmentLockedError,
    OneAnswerOutcome,
    answer_save_one,
    answer_save_one_direct,
    answers_confirm,
)
from assessments.step_forms import AnswerAutosaveForm
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
            "confidence": theirs.confidence if theirs else "",
            "validation": theirs.validation_state if theirs else "",
            "who": who,
            "when": _time(theirs.updated_at) if theirs else "",
            "message": _("Changed by %(name)s — their answer is shown here now.")
            % {"name": who or _("a colleague")},
        },
        status=409,
    )


def _signed_out(request: HttpRequest) -> JsonResponse:
    """Not signed in (the session expired): JSON the page's script recognises, not the login page.

    A fetch would follow a redirect to the login form and see an HTML page with status 200; the
    script needs to know that nothing was saved (the step page links to the login form itself,
    with the step as ``next``).
    """
    return JsonResponse(
        {
            "status": "signed_out",
            "login_url": resolve_url(settings.LOGIN_URL),
            "message": _(
                "Not saved: you are signed out. Sign in again; your answers are kept in this "
                "browser and sent as soon as you are back."
            ),
        },
        status=401,
    )


def _time(moment) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


@require_POST
def answer_autosave(
    request: HttpRequest, pk: int, criterion_key: str, perspective_pk: int | None = None
) -> JsonResponse:
    """Save one criterion's answer in a perspective; JSON says saved, conflict or why not.

    A valid changed answer is first tried as one statement (``answer_save_one_direct``) that
    writes only what the checked path below would; whatever it leaves, the checked path
    decides, with its 401 (signed out), 404, 403, 409, 400 or conflict. ``confirm`` (a click on
    the carried-over answer shown) confirms the answer when it is unchanged.
    """
    if not request.user.is_authenticated:
        return _signed_out(request)
    form = AnswerAutosaveForm(request.POST)
    if form.is_valid() and not form.cleaned_data["confirm"]:
        outcome = answer_save_one_direct(
            user=request.user,
            assessment_pk=pk,
            perspective_pk=perspective_pk,
            criterion_key=criterion_key,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
            loaded_revision=form.cleaned_data["revision"],
            confidence=form.confidence_sent(),
        )
        if outcome is not None:
            return _saved(outcome)
    return _answer_autosave_checked(
        request, pk, perspective_pk=perspective_pk, criterion_key=criterion_key
    )


@answer_set_view(roles=ANSWERING_ROLES)
def _answer_autosave_checked(
    request: HttpRequest, answer_set: AnswerSet, membership: Membership, criterion_key: str
) -> JsonResponse:
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
            confidence=form.confidence_sent(),
        )
    except AssessmentLockedError:
        return _submitted()
    if outcome.conflict:
        return _conflict(outcome)
    if form.cleaned_data["confirm"] and outcome.saved_at is None:
        # The carried-over answer, unchanged and at the revision shown: confirm it as it is.
        try:
            answers_confirm(
                assessment=assessment,
                user=request.user,
                criterion_keys=[criterion_key],
                perspective_id=answer_set.perspective_id,
            )
        except AssessmentLockedError:
            return _submitted()
        return _confirmed()
    return _saved(outcome)


def _confirmed() -> JsonResponse:
    confirmed_at = _time(timezone.now())
    return JsonResponse(
        {
            "status": "confirmed",
            "time": confirmed_at,
            "message": _("Confirmed at %(time)s") % {"time": confirmed_at},
        }
    )


def _saved(outcome: OneAnswerOutcome) -> JsonResponse:
    saved_at = _time(outcome.saved_at or timezone.now())
    return JsonResponse(
        {
            "status": "saved",
            "revision": outcome.revision,
            # A changed answer is no longer validated; unchanged, nothing was written.
            "validation_reset": outcome.saved_at is not None,
            "time": saved_at,
            "message": _("Saved at %(time)s") % {"time": saved_at},
        }
    )
