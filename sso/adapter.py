"""allauth's hooks: no local sign-up, the nonce check, and no take-over of existing accounts."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.datakit import parse_bool_safely
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render

from sso.linking import link_pending_stash
from sso.models import SignInEvent
from sso.oidc import NONCE_STATE_KEY
from sso.services import sign_in_event_record


def _refuse(request, reason: str, *, sociallogin=None):
    sign_in_event_record(
        kind=SignInEvent.Kind.SIGN_IN_FAILED,
        succeeded=False,
        identifier=sociallogin.user.email if sociallogin is not None else "",
        method=SignInEvent.Method.IDENTITY_PROVIDER,
        provider_id=sociallogin.account.provider if sociallogin is not None else "",
        detail=reason,
    )
    return ImmediateHttpResponse(
        render(request, "sso/sign_in_refused.html", {"reason": reason}, status=403)
    )


def _error_detail(error, exception) -> str:
    """What went wrong, for the trail: allauth's error code and the exception's cause's class."""
    parts = [str(error or "")]
    if exception is not None:
        parts.append(f"{type(exception).__name__}: {exception}")
        if exception.__cause__ is not None:
            parts.append(type(exception.__cause__).__name__)
    return "; ".join(part for part in parts if part)[:300]


class AccountAdapter(DefaultAccountAdapter):
    """Local accounts are made by invitations and staff, never by a sign-up form."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def add_message(self, *args, **kwargs) -> None:
        # allauth's "Successfully signed in as <username>": a password login says nothing either.
        return None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A first sign-in makes a user without any organisation, staff flag or role."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return True

    def pre_social_login(self, request, sociallogin) -> None:
        expected = (sociallogin.state or {}).get(NONCE_STATE_KEY)
        received = sociallogin.account.extra_data.get("id_token", {}).get("nonce")
        if not expected or not isinstance(received, str):
            raise _refuse(request, "nonce", sociallogin=sociallogin)
        if not secrets.compare_digest(expected, received):
            raise _refuse(request, "nonce", sociallogin=sociallogin)
        # For the audit trail's line of this sign-in: how the identity provider says it signed in.
        request._groeipad_id_token_amr = sociallogin.account.extra_data.get("id_token", {}).get(
            "amr"
        )
        if sociallogin.is_existing:
            return
        # An address the identity provider names never opens an existing account by itself: it
        # is linked only when the provider verified the address and the person then enters that
        # account's password (sso.views.link_confirm).
        email = sociallogin.user.email
        if not email:
            return
        local = list(get_user_model().objects.filter(email__iexact=email)[:2])
        if not local:
            return
        extra = sociallogin.account.extra_data
        claims = {**extra.get("id_token", {}), **extra.get("userinfo", {})}
        if len(local) > 1 or not parse_bool_safely(claims.get("email_verified")):
            raise _refuse(request, "existing_account", sociallogin=sociallogin)
        link_pending_stash(request=request, sociallogin=sociallogin, user=local[0])
        raise ImmediateHttpResponse(redirect("sso_link_confirm"))

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """A sign-in the callback refused (state, token, signature, audience): in the trail."""
        sign_in_event_record(
            kind=SignInEvent.Kind.SIGN_IN_FAILED,
            succeeded=False,
            method=SignInEvent.Method.IDENTITY_PROVIDER,
            provider_id=getattr(getattr(provider, "app", None), "provider_id", "") or "",
            detail=_error_detail(error, exception),
        )

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.is_staff = user.is_superuser = False
        return user
