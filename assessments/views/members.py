"""Members and invitations: organisation admins invite and remove; invitees accept."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import BadRequest
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import CURRENT_ORGANISATION_SESSION_KEY, organisation_view
from assessments.forms import AccountForm, InvitationForm
from assessments.models import ADMIN_ROLES, Membership
from assessments.selectors import (
    invitation_get_by_token,
    organisation_invitation_get,
    organisation_member_get,
    organisation_members,
    organisation_open_invitations,
)
from assessments.services import (
    INVITATION_USED_MESSAGE,
    AlreadyMemberError,
    InvitationUnusableError,
    InvitationUsedError,
    LastAdminError,
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    membership_change_role,
    membership_remove,
)


def _person(user) -> str:
    """How messages name someone: the full name, the login only when there is no name."""
    return user.get_full_name() or user.get_username()


def _accept_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("invitation_accept", args=["TOKEN"]))


def _invite(request: HttpRequest, membership: Membership, form: InvitationForm) -> bool:
    """Send the invitation of a valid form; False (with a form error) for a current member."""
    try:
        invitation_create(
            organisation=membership.organisation,
            invited_by=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            accept_url=_accept_url(request),
        )
    except AlreadyMemberError:
        form.add_error("email", _("This person is a member of the organisation already."))
        return False
    messages.success(
        request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]}
    )
    return True


@require_http_methods(["GET", "POST"])
@organisation_view(roles=ADMIN_ROLES)
def members(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organisation's members and invitations; organisation admins invite and remove."""
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _invite(request, membership, form):
        return redirect("members")
    return render(
        request,
        "assessments/membership_list.html",
        {
            "organisation": membership.organisation,
            "memberships": organisation_members(membership=membership),
            "roles": Membership.Role.choices,
            "invitations": organisation_open_invitations(membership=membership),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _on_open_invitation(request, membership, invitation_pk, action, done_message) -> HttpResponse:
    """Run ``action`` on an open invitation of the current organisation, then show the members."""
    invitation = organisation_invitation_get(membership=membership, pk=invitation_pk)
    if invitation is None:
        raise Http404
    try:
        action(invitation)
    except InvitationUnusableError:
        messages.error(request, _("This invitation was accepted or revoked already."))
    else:
        messages.success(request, done_message % {"email": invitation.email})
    return redirect("members")


@require_POST
@organisation_view(roles=ADMIN_ROLES)
def invitation_revoke_view(
    request: HttpRequest, membership: Membership, invitation_pk: int
) -> HttpResponse:
    """Withdraw an open invitation of the current organisation; its link stops working."""
    return _on_open_invitation(
        request,
        membership,
        invitation_pk,
        lambda invitation: invitation_revoke(invitation=invitation, revoked_by=request.user),
        _("The invitation to %(email)s was revoked."),
    )


@require_POST
@organisation_view(roles=ADMIN_ROLES)
def invitation_resend_view(
    request: HttpRequest, membership: Membership, invitation_pk: int
) -> HttpResponse:
    """Send an open invitation again with a new link; the old link stops working."""
    return _on_open_invitation(
        request,
        membership,
        invitation_pk,
        lambda invitation: invitation_resend(
            invitation=invitation, resent_by=request.user, accept_url=_accept_url(request)
        ),
        _("The invitation to %(email)s was sent again with a new link."),
    )


@require_POST
@organisation_view(roles=ADMIN_ROLES)
def member_remove(request: HttpRequest, membership: Membership, membership_pk: int) -> HttpResponse:
    """Remove a member from the current organisation."""
    target = organisation_member_get(membership=membership, pk=membership_pk)
    if target is None:
        raise Http404
    try:
        membership_remove(membership=target, removed_by=request.user)
    except LastAdminError:
        messages.error(request, _("An organisation keeps at least one organisation admin."))
    else:
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": _person(target.user)}
        )
    return redirect("members")


@require_POST
@organisation_view(roles=ADMIN_ROLES)
def member_role(request: HttpRequest, membership: Membership, membership_pk: int) -> HttpResponse:
    """Give a member of the current organisation another role."""
    target = organisation_member_get(membership=membership, pk=membership_pk)
    if target is None:
        raise Http404
    role = request.POST.get("role", "")
    if role not in Membership.Role.values:
        raise BadRequest("unknown role")
    try:
        changed = membership_change_role(membership=target, role=role, changed_by=request.user)
    except LastAdminError:
        messages.error(
            request,
            _("%(name)s stays organisation admin: an organisation keeps at least one.")
            % {"name": _person(target.user)},
        )
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": _person(target.user), "role": changed.get_role_display().lower()},
        )
    return redirect("members")


def _accept(request: HttpRequest, invitation, form: AccountForm | None) -> Membership | None:
    """The membership of the signed-in user, or of a new account and its membership at once."""
    if request.user.is_authenticated:
        return invitation_accept(invitation=invitation, user=request.user)
    if not form.is_valid():
        return None
    try:
        membership = invitation_accept_with_new_account(
            invitation=invitation,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            name=form.cleaned_data["name"],
        )
    except IntegrityError:  # the username was taken a moment ago: nothing was created
        form.add_error("username", _("This username is taken; choose another."))
        return None
    login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    return membership


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: join with the current account, or create one."""
    invitation = invitation_get_by_token(token=token)
    if invitation is None or not invitation.is_usable:
        return render(request, "assessments/invitation_invalid.html", status=404)
    form = None if request.user.is_authenticated else AccountForm(request.POST or None)
    membership = None
    if request.method == "POST":
        try:
            membership = _accept(request, invitation, form)
        except InvitationUsedError:
            # Someone accepted it a moment ago (a double click, a second tab): no account made.
            context = {"message": INVITATION_USED_MESSAGE}
            return render(request, "assessments/invitation_invalid.html", context, status=409)
        except InvitationUnusableError:
            return render(request, "assessments/invitation_invalid.html", status=404)
    if membership is not None:
        request.session[CURRENT_ORGANISATION_SESSION_KEY] = membership.organisation_id
        messages.success(
            request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation}
        )
        return redirect("dashboard")
    return render(
        request,
        "assessments/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=400 if request.method == "POST" else 200,
    )
