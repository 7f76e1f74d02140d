"""Perspectives of an assessment: the overview, add, edit, delete, invite a contributor."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from assessments.access import assessment_view
from assessments.models import ANSWERING_ROLES, ORGANISATION_ROLES, Assessment, Membership
from assessments.perspective_forms import ContributorInvitationForm, PerspectiveForm
from assessments.perspective_selectors import (
    perspective_get,
    perspective_member_choices,
    perspective_progress_list,
)
from assessments.services import (
    AlreadyMemberError,
    AssessmentLockedError,
    LastPerspectiveError,
    PerspectiveNameTakenError,
    TooManyPerspectivesError,
    invitation_create,
    perspective_create,
    perspective_delete,
    perspective_update,
)
from maturity.selectors import model_version_structure

# Lazy: translated when shown, in the reader's language.
NAME_TAKEN = gettext_lazy("This assessment has a perspective with this name already.")


def _locked(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    messages.info(request, _("This assessment is submitted and can no longer be changed."))
    return redirect("reports:report", pk=assessment.pk)


def _add(request: HttpRequest, assessment: Assessment, form: PerspectiveForm) -> bool:
    try:
        perspective = perspective_create(
            assessment=assessment, user=request.user, name=form.cleaned_data["name"]
        )
    except PerspectiveNameTakenError:
        form.add_error("name", NAME_TAKEN)
    except TooManyPerspectivesError:
        form.add_error(None, _("An assessment has at most 12 perspectives."))
    except ValidationError as error:
        form.add_error("name", error.message_dict.get("name", error.messages))
    else:
        messages.success(
            request,
            _("Perspective “%(name)s” added. Invite its people or fill it in yourself.")
            % {"name": perspective.name},
        )
        return True
    return False


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ORGANISATION_ROLES | {Membership.Role.CONTRIBUTOR})
def perspective_list(
    request: HttpRequest, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """Every perspective with who answers and how far; respondents and admins add more."""
    can_manage = membership.can_answer and assessment.is_draft
    form = PerspectiveForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not membership.can_answer:
            raise PermissionDenied
        if form is None:
            return _locked(request, assessment)
        if form.is_valid() and _add(request, assessment, form):
            return redirect("assessments:perspectives", pk=assessment.pk)
    structure = model_version_structure(version=assessment.model_version)
    progress = perspective_progress_list(
        assessment=assessment, membership=membership, criteria_total=len(structure.criteria)
    )
    return render(
        request,
        "assessments/perspective_list.html",
        {
            "assessment": assessment,
            "membership": membership,
            "progress": progress,
            "form": form,
            "several": assessment.perspective_total > 1,
        },
        status=400 if request.method == "POST" else 200,
    )


def _perspective_or_404(assessment: Assessment, perspective_pk: int):
    perspective = perspective_get(assessment=assessment, pk=perspective_pk)
    if perspective is None:
        raise Http404
    return perspective


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ANSWERING_ROLES)
def perspective_edit(
    request: HttpRequest, assessment: Assessment, membership: Membership, perspective_pk: int
) -> HttpResponse:
    """Rename a perspective and tick who answers in it."""
    perspective = _perspective_or_404(assessment, perspective_pk)
    if not assessment.is_draft:
        return _locked(request, assessment)
    form = PerspectiveForm(
        request.POST or None,
        members=perspective_member_choices(assessment=assessment),
        initial={
            "name": perspective.name,
            "members": list(perspective.members.all()),
            "deadline": perspective.deadline,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            perspective_update(
                assessment=assessment,
                perspective_id=perspective.pk,
                user=request.user,
                name=form.cleaned_data["name"],
                member_ids=[m.pk for m in form.cleaned_data["members"]],
                deadline=form.cleaned_data["deadline"],
            )
        except PerspectiveNameTakenError:
            form.add_error("name", NAME_TAKEN)
        except ValidationError as error:  # the model's checks, e.g. a control character
            form.add_error("name", error.message_dict.get("name", error.messages))
        except AssessmentLockedError:
            return _locked(request, assessment)
        else:
            messages.success(request, _("The perspective was saved."))
            return redirect("assessments:perspectives", pk=assessment.pk)
    return render(
        request,
        "assessments/perspective_form.html",
        {"assessment": assessment, "perspective": perspective, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ANSWERING_ROLES)
def perspective_delete_view(
    request: HttpRequest, assessment: Assessment, membership: Membership, perspective_pk: int
) -> HttpResponse:
    """Ask, then delete a perspective and its answers (the audit trail keeps them)."""
    perspective = _perspective_or_404(assessment, perspective_pk)
    if not assessment.is_draft:
        return _locked(request, assessment)
    if request.method == "POST":
        try:
            count = perspective_delete(
                assessment=assessment, perspective_id=perspective.pk, user=request.user
            )
        except LastPerspectiveError:
            messages.error(request, _("An assessment keeps at least one perspective."))
        except AssessmentLockedError:
            return _locked(request, assessment)
        else:
            messages.success(
                request,
                ngettext(
                    "Perspective “%(name)s” and its %(count)d answer were deleted; the change "
                    "history keeps the answer.",
                    "Perspective “%(name)s” and its %(count)d answers were deleted; the change "
                    "history keeps the answers.",
                    count,
                )
                % {"name": perspective.name, "count": count},
            )
        return redirect("assessments:perspectives", pk=assessment.pk)
    return render(
        request,
        "assessments/perspective_confirm_delete.html",
        {
            "assessment": assessment,
            "perspective": perspective,
            "answered": perspective.answers.exclude(value="").count(),
            "last": assessment.perspective_total <= 1,
        },
    )


@require_http_methods(["GET", "POST"])
@assessment_view(roles=ANSWERING_ROLES)
def perspective_invite(
    request: HttpRequest, assessment: Assessment, membership: Membership, perspective_pk: int
) -> HttpResponse:
    """Invite someone by e-mail to answer in this one perspective (a contributor)."""
    perspective = _perspective_or_404(assessment, perspective_pk)
    if not assessment.is_draft:
        return _locked(request, assessment)
    form = ContributorInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                organisation=membership.organisation,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=Membership.Role.CONTRIBUTOR,
                accept_url=request.build_absolute_uri(reverse("invitation_accept", args=["TOKEN"])),
                perspective=perspective,
            )
        except AlreadyMemberError:
            form.add_error(
                "email",
                _(
                    "This person is a member of the organisation already: tick them under "
                    "“Who answers in this perspective” instead."
                ),
            )
        else:
            messages.success(
                request,
                _("An invitation to answer in “%(name)s” was sent to %(email)s.")
                % {"name": perspective.name, "email": form.cleaned_data["email"]},
            )
            return redirect("assessments:perspectives", pk=assessment.pk)
    return render(
        request,
        "assessments/perspective_invite.html",
        {"assessment": assessment, "perspective": perspective, "form": form},
        status=400 if request.method == "POST" else 200,
    )
