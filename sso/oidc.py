"""allauth's OpenID Connect provider with a nonce: sent with each sign-in, checked in the ID token.

allauth 65 sends PKCE and ``state`` but no ``nonce``. The nonce binds the ID token to the browser
session that started the sign-in (OpenID Connect Core 3.1.2.1); it is kept in allauth's stashed
state and compared by ``sso.adapter.SocialAccountAdapter.pre_social_login``.
"""

import logging
import secrets
from urllib.parse import urlencode

import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest
from django.urls import reverse

logger = logging.getLogger(__name__)

NONCE_STATE_KEY = "oidc_nonce"


class NonceCheckingOpenIDConnectProvider(OpenIDConnectProvider):
    """Adds a fresh nonce to every authorisation request and keeps it in the sign-in's state."""

    # Its URLs and views are allauth's own.
    package = "allauth.socialaccount.providers.openid_connect"

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        nonce = secrets.token_urlsafe(32)
        auth_params = {**auth_params, "nonce": nonce}
        kwargs[NONCE_STATE_KEY] = nonce
        return super().redirect(request, process, next_url, data, auth_params=auth_params, **kwargs)


# The raw ID token of the session's sign-in at an identity provider, for the logout there.
ID_TOKEN_SESSION_KEY = "groeipad_oidc_id_token"  # noqa: S105  (a session key, no secret)


class IdTokenKeepingAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's adapter; also keeps the raw ID token in the session (RP-initiated logout)."""

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        sociallogin = super().complete_login(request, app, token, **kwargs)
        id_token = kwargs["response"].get("id_token")
        if id_token:
            request.session[ID_TOKEN_SESSION_KEY] = {
                "provider_id": self.provider_id,
                "id_token": id_token,
            }
        return sociallogin


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    """allauth's callback view with the ID-token-keeping adapter."""
    try:
        view = OAuth2CallbackView.adapter_view(IdTokenKeepingAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def end_session_url(*, request: HttpRequest) -> str | None:
    """Where to end the session at the identity provider of this session's sign-in, if anywhere.

    Read before the local logout (which empties the session). None when the session did not
    sign in at an identity provider, the provider has no ``end_session_endpoint`` in its
    discovery document, or the provider cannot be reached: the local logout happens anyway.
    """
    kept = request.session.get(ID_TOKEN_SESSION_KEY)
    if not isinstance(kept, dict) or not kept.get("id_token"):
        return None
    try:
        adapter = OpenIDConnectOAuth2Adapter(request, kept["provider_id"])
        endpoint = adapter.openid_config.get("end_session_endpoint")
        client_id = adapter.get_provider().app.client_id
    except (SocialApp.DoesNotExist, requests.RequestException, ValueError):
        logger.warning("identity provider %s not reachable for logout", kept.get("provider_id"))
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": kept["id_token"],
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            "client_id": client_id,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
