"""Views: check access, call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments import reports
from assessments.forms import (
    AccountForm,
    AssessmentCreateForm,
    CsvUploadForm,
    InvitationForm,
    QuestionnaireStepForm,
)
from assessments.models import Invitation, Membership
from assessments.selectors import (
    CURRENT_ORGANISATION_SESSION_KEY,
    assessment_answer_changes,
    assessment_answer_states,
    assessment_answers,
    assessment_events,
    assessment_get,
    membership_current,
    membership_for_organisation,
    organisation_list_assessments,
)
from assessments.services import (
    AssessmentIncompleteError,
    AssessmentLockedError,
    CsvImportError,
    NoPublishedModelError,
    answers_export_csv,
    answers_import_csv,
    answers_save,
    assessment_create,
    assessment_reopen,
    assessment_submit,
    invitation_accept,
    invitation_create,
    membership_remove,
    user_create_for_invitation,
)
from maturity.models import AnswerValue
from maturity.selectors import model_version_structure


def _current_membership(request: HttpRequest) -> Membership:
    """The membership the user works in now; 404 for someone without an organisation."""
    membership = membership_current(request=request)
    if membership is None:
        raise Http404
    return membership


def _require_answerer(membership: Membership) -> None:
    if not membership.can_answer:
        raise PermissionDenied


def _require_admin(membership: Membership) -> None:
    if not membership.is_admin:
        raise PermissionDenied


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The organisation's assessments with status, progress and phase."""
    membership = membership_current(request=request)
    if membership is None:
        return render(request, "assessments/no_organisation.html")
    assessments = list(organisation_list_assessments(membership=membership))
    return render(
        request,
        "assessments/dashboard.html",
        {
            "membership": membership,
            "assessments": assessments,
            "create_form": AssessmentCreateForm() if membership.can_answer else None,
        },
    )


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's organisations."""
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        raise Http404 from None
    membership = membership_for_organisation(user=request.user, organisation_id=organisation_id)
    request.session[CURRENT_ORGANISATION_SESSION_KEY] = membership.organisation_id
    messages.success(
        request,
        _("You are now working for %(organisation)s.") % {"organisation": membership.organisation},
    )
    return redirect("dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest) -> HttpResponse:
    """Start an assessment for the current organisation."""
    membership = _current_membership(request)
    _require_answerer(membership)
    form = AssessmentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_create(
                organisation=membership.organisation,
                user=request.user,
                title=form.cleaned_data["title"],
            )
        except NoPublishedModelError:
            messages.error(
                request, _("There is no published maturity model yet. Ask a model editor.")
            )
        else:
            messages.success(
                request, _("The assessment “%(title)s” has started.") % {"title": assessment}
            )
            return redirect("assessments:step", pk=assessment.pk, number=1)
    return render(request, "assessments/assessment_form.html", {"form": form})


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a draft to its questionnaire and a submitted assessment to its report."""
    assessment, membership = assessment_get(request=request, pk=pk)
    if assessment.is_draft and membership.can_answer:
        return redirect("assessments:step", pk=pk, number=1)
    return redirect("assessments:report", pk=pk)


def _step_context(assessment, structure, number, form, answered):
    dimensions = structure.dimensions
    return {
        "assessment": assessment,
        "structure": structure,
        "dimension": dimensions[number - 1],
        "number": number,
        "steps": list(enumerate(dimensions, start=1)),
        "step_count": len(dimensions),
        "form": form,
        "answered": answered,
        "total": len(structure.criteria),
        "percent": round(100 * answered / len(structure.criteria)) if structure.criteria else 0,
    }


def _after_save(*, action: str, pk: int, number: int, step_count: int) -> HttpResponse:
    """Where Save, Next, Previous and Review lead after a successful save."""
    if action == "next":
        if number < step_count:
            return redirect("assessments:step", pk=pk, number=number + 1)
        return redirect("assessments:review", pk=pk)
    if action == "previous" and number > 1:
        return redirect("assessments:step", pk=pk, number=number - 1)
    if action == "review":
        return redirect("assessments:review", pk=pk)
    return redirect("assessments:step", pk=pk, number=number)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_step(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One step (dimension) of the questionnaire: show, save, move on."""
    assessment, membership = assessment_get(request=request, pk=pk)
    _require_answerer(membership)
    if not assessment.is_draft:
        messages.info(request, _("This assessment is submitted and can no longer be changed."))
        return redirect("assessments:report", pk=pk)
    structure = model_version_structure(version=assessment.model_version)
    if not 1 <= number <= len(structure.dimensions):
        raise Http404
    criteria = structure.criteria_of_dimension(structure.dimensions[number - 1])
    answers = assessment_answer_states(assessment=assessment)
    status = 200
    form = QuestionnaireStepForm(request.POST or None, criteria=criteria, answers=answers)

    if request.method == "POST" and not form.is_valid():
        messages.error(
            request, _("Nothing was saved yet. Correct the marked questions and save again.")
        )
        status = 400
    elif request.method == "POST":
        try:
            outcome = answers_save(
                assessment=assessment, user=request.user, answers=form.answer_inputs()
            )
        except AssessmentLockedError:
            messages.error(
                request, _("This assessment was submitted meanwhile; nothing was saved.")
            )
            return redirect("assessments:report", pk=pk)
        if outcome.changed:
            messages.success(
                request,
                ngettext(
                    "%(count)d answer saved.", "%(count)d answers saved.", len(outcome.changed)
                )
                % {"count": len(outcome.changed)},
            )
        if not outcome.conflicts:
            return _after_save(
                action=request.POST.get("action", "save"),
                pk=pk,
                number=number,
                step_count=len(structure.dimensions),
            )
        messages.warning(
            request,
            ngettext(
                "A colleague changed an answer on this page after you opened it: %(statements)s. "
                "We kept their answer; check it below and save again if you want to change it.",
                "A colleague changed %(count)d answers on this page after you opened it: "
                "%(statements)s. We kept their answers; check them below and save again if you "
                "want to change them.",
                len(outcome.conflicts),
            )
            % {
                "count": len(outcome.conflicts),
                "statements": "; ".join(f"“{c.criterion.statement}”" for c in outcome.conflicts),
            },
        )
        answers = assessment_answer_states(assessment=assessment)
        form = QuestionnaireStepForm(
            criteria=criteria,
            answers=answers,
            conflict_keys=frozenset(c.criterion.key for c in outcome.conflicts),
        )
        status = 409
    answered = sum(1 for a in answers.values() if a.value)
    return render(
        request,
        "assessments/questionnaire_step.html",
        _step_context(assessment, structure, number, form, answered),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    """What is still unanswered, per step, and the submit button."""
    assessment, membership = assessment_get(request=request, pk=pk)
    _require_answerer(membership)
    if not assessment.is_draft:
        return redirect("assessments:report", pk=pk)
    structure = model_version_structure(version=assessment.model_version)
    if request.method == "POST":
        try:
            assessment_submit(assessment=assessment, user=request.user)
        except AssessmentIncompleteError as error:
            messages.error(
                request,
                ngettext(
                    "%(count)d question is still unanswered.",
                    "%(count)d questions are still unanswered.",
                    len(error.missing),
                )
                % {"count": len(error.missing)},
            )
        except AssessmentLockedError:
            return redirect("assessments:report", pk=pk)
        else:
            messages.success(request, _("The assessment is submitted. Here is the result."))
            return redirect("assessments:report", pk=pk)
    answers = assessment_answer_states(assessment=assessment)
    unanswered = []
    for number, dimension in enumerate(structure.dimensions, start=1):
        missing = [
            c
            for c in structure.criteria_of_dimension(dimension)
            if not (c.pk in answers and answers[c.pk].value)
        ]
        if missing:
            unanswered.append((number, dimension, missing))
    answered = sum(1 for a in answers.values() if a.value)
    return render(
        request,
        "assessments/assessment_review.html",
        {
            "assessment": assessment,
            "unanswered": unanswered,
            "answered": answered,
            "total": len(structure.criteria),
            "percent": round(100 * answered / len(structure.criteria)) if structure.criteria else 0,
            "step_count": len(structure.dimensions),
        },
    )


@login_required
@require_POST
def assessment_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation admin makes a submitted assessment editable again."""
    assessment, membership = assessment_get(request=request, pk=pk)
    _require_admin(membership)
    assessment_reopen(
        assessment=assessment, user=request.user, reason=request.POST.get("reason", "")
    )
    messages.success(
        request, _("The assessment is open again; it is scored anew when it is submitted.")
    )
    return redirect("assessments:step", pk=pk, number=1)


@login_required
def answers_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the answers as CSV (UTF-8 with BOM so spreadsheet programs read it right)."""
    assessment, _membership = assessment_get(request=request, pk=pk)
    content = answers_export_csv(
        assessment=assessment, answers=assessment_answers(assessment=assessment)
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="groeipad-{assessment.pk}-answers.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def answers_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a CSV of answers into a draft; a file with any bad row changes nothing."""
    assessment, membership = assessment_get(request=request, pk=pk)
    _require_answerer(membership)
    if not assessment.is_draft:
        messages.error(request, _("A submitted assessment cannot import answers."))
        return redirect("assessments:report", pk=pk)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            changed = answers_import_csv(
                assessment=assessment, user=request.user, content=form.cleaned_data["file"].read()
            )
        except CsvImportError as error:
            problems = error.problems
        except AssessmentLockedError:
            return redirect("assessments:report", pk=pk)
        else:
            messages.success(
                request,
                ngettext(
                    "The file was imported: %(count)d answer changed.",
                    "The file was imported: %(count)d answers changed.",
                    changed,
                )
                % {"count": changed},
            )
            return redirect("assessments:review", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessments/answers_import.html",
        {"assessment": assessment, "form": form, "problems": problems},
        status=status,
    )


@login_required
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The phase report with growth path, charts, next steps and history."""
    assessment, membership = assessment_get(request=request, pk=pk)
    report = SimpleLazyObject(lambda: reports.report_build(assessment=assessment))
    return render(
        request,
        "assessments/assessment_report.html",
        {
            "assessment": assessment,
            "membership": membership,
            "report": report,
            "sections": reports.report_sections(assessment=assessment, report=report),
        },
    )


@login_required
def assessment_result_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored result of a submitted assessment, as JSON."""
    assessment, _membership = assessment_get(request=request, pk=pk)
    if assessment.is_draft:
        raise Http404
    structure = model_version_structure(version=assessment.model_version)
    return JsonResponse(
        reports.result_for_export(assessment=assessment, structure=structure),
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def assessment_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit trail: who changed which answer when, from what to what (organisation admins)."""
    assessment, membership = assessment_get(request=request, pk=pk)
    _require_admin(membership)
    structure = model_version_structure(version=assessment.model_version)
    page = Paginator(assessment_answer_changes(assessment=assessment), 100).get_page(
        request.GET.get("page")
    )
    criteria = {c.pk: c for c in structure.criteria}
    labels = dict(AnswerValue.choices)
    return render(
        request,
        "assessments/answerchange_list.html",
        {
            "assessment": assessment,
            "page": page,
            "rows": [
                (
                    change,
                    criteria.get(change.criterion_id),
                    labels.get(change.old_value, "–"),
                    labels.get(change.new_value, "–"),
                )
                for change in page
            ],
            "events": assessment_events(assessment=assessment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    """The organisation's members and invitations; organisation admins invite and remove."""
    membership = _current_membership(request)
    _require_admin(membership)
    organisation = membership.organisation
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation_create(
            organisation=organisation,
            invited_by=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            accept_url=request.build_absolute_uri(reverse("invitation_accept", args=["TOKEN"])),
        )
        messages.success(
            request,
            _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("members")
    return render(
        request,
        "assessments/membership_list.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user").order_by(
                "user__username"
            ),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, membership_pk: int) -> HttpResponse:
    """Remove a member from the current organisation."""
    current = _current_membership(request)
    _require_admin(current)
    target = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_pk,
        organisation_id=current.organisation_id,
    )
    try:
        membership_remove(membership=target, removed_by=request.user)
    except PermissionError:
        messages.error(request, _("An organisation keeps at least one organisation admin."))
    else:
        messages.success(request, _("%(user)s is no longer a member.") % {"user": target.user})
    return redirect("members")


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: join with the current account, or create one."""
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return render(request, "assessments/invitation_invalid.html", status=404)
    form = None if request.user.is_authenticated else AccountForm(request.POST or None)
    if request.method == "POST":
        if request.user.is_authenticated:
            user = request.user
        elif form.is_valid():
            user = user_create_for_invitation(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        else:
            user = None
        if user is not None:
            try:
                membership = invitation_accept(invitation=invitation, user=user)
            except PermissionError:
                return render(request, "assessments/invitation_invalid.html", status=404)
            request.session[CURRENT_ORGANISATION_SESSION_KEY] = membership.organisation_id
            messages.success(
                request,
                _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation},
            )
            return redirect("dashboard")
    return render(
        request,
        "assessments/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=400 if request.method == "POST" else 200,
    )
