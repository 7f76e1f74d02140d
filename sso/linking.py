"""Linking a sign-in at an identity provider to an existing local account, with its password.

The identity provider must have verified the e-mail address, and exactly one local account
must have it. The sign-in waits in the session (for LINK_TIMEOUT_SECONDS) until the person
enters that account's password; a wrong password counts as a failed login for django-axes.
"""

import time

from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from allauth.socialaccount.models import SocialLogin
from django.contrib.auth import authenticate, get_user_model
from django.http import HttpRequest, HttpResponse

from sso.models import SignInEvent
from sso.services import sign_in_event_record

LINK_SESSION_KEY = "groeipad_sso_link_pending"
LINK_TIMEOUT_SECONDS = 10 * 60


def link_pending_stash(*, request: HttpRequest, sociallogin: SocialLogin, user) -> None:
    """Keep the sign-in in the session until the account's password confirms the link."""
    request.session[LINK_SESSION_KEY] = {
        "sociallogin": sociallogin.serialize(),
        "user_pk": user.pk,
        "at": time.time(),
    }


def link_pending_get(*, request: HttpRequest):
    """The local account a sign-in waits to be linked to, or None (none, or too old)."""
    pending = request.session.get(LINK_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > LINK_TIMEOUT_SECONDS:
        request.session.pop(LINK_SESSION_KEY, None)
        return None
    return get_user_model().objects.filter(pk=pending.get("user_pk"), is_active=True).first()


def link_confirm(*, request: HttpRequest, user, password: str) -> HttpResponse | None:
    """Link and sign in when ``password`` is the account's; None when it is not."""
    checked = authenticate(request, username=user.get_username(), password=password)
    if checked is None or checked.pk != user.pk:
        return None
    pending = request.session.pop(LINK_SESSION_KEY)
    sociallogin = SocialLogin.deserialize(pending["sociallogin"])
    sociallogin.connect(request, checked)
    provider_id = sociallogin.account.provider
    sign_in_event_record(
        kind=SignInEvent.Kind.ACCOUNT_LINKED,
        user=checked,
        method=SignInEvent.Method.IDENTITY_PROVIDER,
        provider_id=provider_id,
        detail=f"sub {sociallogin.account.uid}"[:300],
    )
    record_authentication(
        request, checked, "socialaccount", provider=provider_id, uid=sociallogin.account.uid
    )
    # allauth's login stages (a second factor, if the account has one), then the provisioning
    # of sso.signals with this sign-in's claims.
    login = Login(user=checked, redirect_url=None, signal_kwargs={"sociallogin": sociallogin})
    return perform_login(request, login)
