"""allauth's hooks: no local sign-up, the nonce check, and no take-over of existing accounts."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.shortcuts import render

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
        # Linking to an existing account needs the account's password; until that exists, an
        # address the identity provider names never opens someone else's account.
        email = sociallogin.user.email
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise _refuse(request, "existing_account", sociallogin=sociallogin)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """A sign-in the callback refused (state, token, signature, audience): in the trail."""
        sign_in_event_record(
            kind=SignInEvent.Kind.SIGN_IN_FAILED,
            succeeded=False,
            method=SignInEvent.Method.IDENTITY_PROVIDER,
            provider_id=getattr(getattr(provider, "app", None), "provider_id", "") or "",
            detail=str(error or "")[:100],
        )

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.is_staff = user.is_superuser = False
        return user
