"""Validation of answers: the list a validator works through, and each validation step."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from assessments.access import assessment_view
from assessments.assurance import assessment_answer_exists, assessment_validation_items
from assessments.forms import AnswerValidationForm, ValidationSettingForm
from assessments.models import ADMIN_ROLES, ANSWERING_ROLES, Answer, Assessment, Membership
from assessments.services import (
    AnswerChangedError,
    AssessmentLockedError,
    EmptyTextError,
    NoQuestionError,
    OwnAnswerError,
    ValidationOffError,
    answer_question_ask,
    answer_question_reply,
    answer_validate,
    assessment_validation_set,
    validation_counts,
)
from maturity.models import AnswerValue
from maturity.selectors import model_version_structure

# The filters of the list: URL value → the stored state (None: every answer).
STATE_FILTERS = {
    "all": None,
    "open": "",
    "question": Answer.ValidationState.QUESTION,
    "answered": Answer.ValidationState.ANSWERED,
    "validated": Answer.ValidationState.VALIDATED,
}

# Each refusal of a validation step, as the message the page shows (the tests assert them); a
# role that may not take the step is a 403 (the access decorator turns NotAllowedError into it).
REFUSALS = {
    AssessmentLockedError: gettext_lazy(
        "This assessment is submitted: its answers can no longer be validated."
    ),
    ValidationOffError: gettext_lazy("Validation is not switched on for this assessment."),
    OwnAnswerError: gettext_lazy(
        "You gave or last changed this answer yourself: another admin validates it."
    ),
    AnswerChangedError: gettext_lazy(
        "This answer changed since you opened the page: look at it again."
    ),
    NoQuestionError: gettext_lazy("There is no open question on this answer."),
    EmptyTextError: gettext_lazy("Write your question or reply first."),
}


@require_safe
@assessment_view(roles=None)
def assessment_validation(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """The answers and where each stands in its validation; the forms for each next step."""
    chosen = request.GET.get("state", "all")
    if chosen not in STATE_FILTERS:
        chosen = "all"
    structure = model_version_structure(version=assessment.model_version)
    items = assessment_validation_items(assessment=assessment, structure=structure)
    counts = validation_counts([item.answer.validation_state for item in items])
    wanted = STATE_FILTERS[chosen]
    shown = items if wanted is None else [i for i in items if i.answer.validation_state == wanted]
    labels = dict(AnswerValue.choices)
    return render(
        request,
        "assessments/answer_validation_list.html",
        {
            "assessment": assessment,
            "membership": membership,
            "items": [(item, labels.get(item.answer.value, "")) for item in shown],
            "counts": counts,
            "chosen": chosen,
            "filters": [
                ("all", _("All")),
                ("open", _("Not looked at")),
                ("question", _("Open questions")),
                ("answered", _("Replied")),
                ("validated", _("Validated")),
            ],
            "can_validate": membership.is_admin and assessment.is_draft,
            "can_reply": membership.can_answer and assessment.is_draft,
            "several": assessment.perspective_total > 1,
        },
    )


@require_POST
@assessment_view(roles=ADMIN_ROLES)
def assessment_validation_setting(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """An organisation admin switches validation of a draft's answers on or off."""
    form = ValidationSettingForm(request.POST)
    target = reverse("assessments:validation", args=[assessment.pk])
    if not form.is_valid():
        messages.error(request, _("Choose on or off."))
        return redirect(target)
    try:
        assessment_validation_set(
            assessment=assessment, user=request.user, required=form.cleaned_data["required"]
        )
    except AssessmentLockedError:
        messages.error(request, REFUSALS[AssessmentLockedError])
        return redirect(target)
    if form.cleaned_data["required"]:
        messages.success(
            request, _("Validation is on: submitting waits until every answer is validated.")
        )
    else:
        messages.success(request, _("Validation is off."))
    return redirect(target)


@require_POST
@assessment_view(roles=ANSWERING_ROLES)
def answer_validation_step(
    request: HttpRequest, assessment: Assessment, membership: Membership, answer_pk: int
) -> HttpResponse:
    """Validate an answer, ask a question about it (admins) or reply to the question."""
    if not assessment_answer_exists(assessment=assessment, answer_pk=answer_pk):
        raise Http404
    form = AnswerValidationForm(request.POST)
    target = reverse("assessments:validation", args=[assessment.pk])
    # Back to the list as it was filtered (only a known filter goes into the address).
    state = request.POST.get("state", "all")
    shown = f"?state={state}" if state in STATE_FILTERS else ""
    back = f"{target}{shown}#answer-{answer_pk}"
    if not form.is_valid():
        messages.error(
            request,
            _("Nothing was saved: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return redirect(back)
    action, text = form.cleaned_data["action"], form.cleaned_data["text"]
    revision = form.cleaned_data["revision"] or 0
    step = {"assessment": assessment, "user": request.user, "answer_pk": answer_pk}
    try:
        if action == "validate":
            answer_validate(**step, revision=revision)
            messages.success(request, _("The answer is validated."))
        elif action == "question":
            answer_question_ask(**step, revision=revision, question=text)
            messages.success(request, _("Your question is on the answer; the respondents see it."))
        else:
            answer_question_reply(**step, reply=text)
            messages.success(request, _("Your reply is saved; the validator looks at it again."))
    except tuple(REFUSALS) as error:
        messages.error(request, REFUSALS[type(error)])
    return redirect(back)
