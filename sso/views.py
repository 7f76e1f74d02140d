"""The login page with the identity providers, and the organisation admin's sign-in rules."""

from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.access import organisation_view
from assessments.models import ADMIN_ROLES, Membership
from assessments.spreadsheet import csv_response
from sso.exports import sign_in_events_export_csv
from sso.forms import LinkConfirmForm, RequireMFAForm, SignInRuleForm
from sso.linking import link_confirm, link_pending_get
from sso.oidc import end_session_url
from sso.selectors import (
    identity_provider_list,
    organisation_rule_members,
    organisation_sign_in_events,
    organisation_sign_in_rule_get,
    organisation_sign_in_rules,
)
from sso.services import (
    organisation_require_mfa_set,
    sign_in_rule_create,
    sign_in_rule_delete,
)


class LoginView(auth_views.LoginView):
    """Django's login page, with a button per identity provider; passwords can be turned off."""

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # allauth's login stages take over from the checked password: with an authenticator
        # app, its code is asked before the session is signed in (allauth.mfa).
        user = form.get_user()
        login = Login(user=user, redirect_url=self.get_success_url())
        return perform_password_login(self.request, {"username": user.get_username()}, login)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = identity_provider_list(request=self.request)
        context["password_login"] = settings.PASSWORD_LOGIN
        return context


class LogoutView(auth_views.LogoutView):
    """Django's logout; after a sign-in at an identity provider, also the logout there."""

    def post(self, request, *args, **kwargs):
        identity_provider_logout = end_session_url(request=request)
        response = super().post(request, *args, **kwargs)
        if identity_provider_logout:
            return HttpResponseRedirect(identity_provider_logout)
        return response


@require_http_methods(["GET", "POST"])
@organisation_view(roles=ADMIN_ROLES)
def sign_in_rules(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organisation's sign-in rules, who joined by which, and a form for a new rule."""
    form = SignInRuleForm(request.POST or None, providers=identity_provider_list(request=request))
    if request.method == "POST" and form.is_valid():
        try:
            sign_in_rule_create(
                organisation=membership.organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The sign-in rule was added."))
            return redirect("sso:rules")
    return render(
        request,
        "sso/signinrule_list.html",
        {
            "organisation": membership.organisation,
            "rules": organisation_sign_in_rules(membership=membership),
            "rule_members": organisation_rule_members(membership=membership),
            "form": form,
            "require_mfa_form": RequireMFAForm(
                initial={"require_mfa": membership.organisation.require_mfa}
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@organisation_view(roles=ADMIN_ROLES)
def require_mfa_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Switch the organisation's second-factor requirement for password sign-ins on or off."""
    form = RequireMFAForm(request.POST)
    form.is_valid()  # a checkbox: absent is False, anything else True
    value = bool(form.cleaned_data.get("require_mfa"))
    organisation_require_mfa_set(
        organisation=membership.organisation, user=request.user, value=value
    )
    if value:
        messages.success(
            request, _("Every member who signs in with a password now needs an authenticator app.")
        )
    else:
        messages.success(
            request,
            _("Of the members who sign in with a password, only admins need an authenticator app."),
        )
    return redirect("sso:rules")


@require_POST
@organisation_view(roles=ADMIN_ROLES)
def sign_in_rule_delete_view(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    """Delete a rule of the organisation; who joined by it leaves."""
    rule = organisation_sign_in_rule_get(membership=membership, pk=pk)
    if rule is None:
        raise Http404
    sign_in_rule_delete(rule=rule, user=request.user)
    messages.success(request, _("The sign-in rule was deleted; who joined by it has left."))
    return redirect("sso:rules")


@require_safe
def sign_in_cancelled(request: HttpRequest) -> HttpResponse:
    """Someone cancelled the sign-in at the identity provider."""
    return render(request, "socialaccount/login_cancelled.html")


@require_safe
def sign_in_error(request: HttpRequest) -> HttpResponse:
    """allauth's address for a failed sign-in: the same page as its own error response."""
    return render(request, "socialaccount/authentication_error.html", status=401)


@require_safe
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site signs in through the login page, second factor included."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


SIGN_IN_EVENTS_PAGE_SIZE = 50


@require_safe
@organisation_view(roles=ADMIN_ROLES)
def sign_in_events(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The sign-in audit trail of the organisation's members, newest first, a page at a time."""
    page = Paginator(
        organisation_sign_in_events(membership=membership), SIGN_IN_EVENTS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "sso/signinevent_list.html",
        {"organisation": membership.organisation, "page": page},
    )


@require_safe
@organisation_view(roles=ADMIN_ROLES)
def sign_in_events_csv(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The whole audit trail of the organisation's members as CSV (formula-guarded)."""
    content = sign_in_events_export_csv(events=organisation_sign_in_events(membership=membership))
    return csv_response(content, _("sign-ins") + ".csv")


WRONG_PASSWORD = gettext_lazy("That is not the password of this account.")


@require_http_methods(["GET", "POST"])
def link_confirm_view(request: HttpRequest) -> HttpResponse:
    """Confirm with the existing account's password that a sign-in may be linked to it."""
    user = link_pending_get(request=request)
    if user is None:
        raise Http404
    form = LinkConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = link_confirm(request=request, user=user, password=form.cleaned_data["password"])
        if response is not None:
            return response
        form.add_error("password", WRONG_PASSWORD)
    return render(
        request,
        "sso/link_confirm.html",
        {"form": form, "email": user.email, "username": user.get_username()},
        status=400 if request.method == "POST" else 200,
    )
