"""allauth's OpenID Connect provider with a nonce: sent with each sign-in, checked in the ID token.

allauth 65 sends PKCE and ``state`` but no ``nonce``. The nonce binds the ID token to the browser
session that started the sign-in (OpenID Connect Core 3.1.2.1); it is kept in allauth's stashed
state and compared by ``sso.adapter.SocialAccountAdapter.pre_social_login``.
"""

import logging
import secrets
from urllib.parse import urlencode, urlsplit

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from requests import RequestException

NONCE_STATE_KEY = "oidc_nonce"

logger = logging.getLogger(__name__)


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
    """allauth's adapter; also keeps what the logout at the identity provider needs.

    The raw ID token (the logout's id_token_hint) and the discovery document's
    ``end_session_endpoint``, read while the sign-in has the document anyway: the logout then
    needs no request to the identity provider, and every page of the session can allow the
    logout form's redirect there (sso.middleware.IdentityProviderLogoutMiddleware).
    """

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        sociallogin = super().complete_login(request, app, token, **kwargs)
        id_token = kwargs["response"].get("id_token")
        endpoint = self.openid_config.get("end_session_endpoint")
        if id_token and isinstance(endpoint, str) and endpoint.startswith(("https://", "http://")):
            request.session[ID_TOKEN_SESSION_KEY] = {
                "id_token": id_token,
                "end_session_endpoint": endpoint,
                "client_id": app.client_id,
            }
        else:
            request.session.pop(ID_TOKEN_SESSION_KEY, None)
        return sociallogin


@login_not_required
def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """allauth's sign-in at an identity provider. It first reads the provider's discovery
    document; when the provider cannot be reached that raised, and the person saw a server
    error. Now a page says so, with the way back to the password form."""
    try:
        return oidc_views.login(request, provider_id)
    except RequestException as error:
        logger.warning("Identity provider %s unreachable: %s", provider_id, type(error).__name__)
        return render(request, "socialaccount/provider_unreachable.html", status=502)


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    """allauth's callback view with the ID-token-keeping adapter."""
    try:
        view = OAuth2CallbackView.adapter_view(IdTokenKeepingAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def end_session_kept(*, request: HttpRequest) -> dict | None:
    """What the session keeps for the logout at its identity provider, or None."""
    kept = request.session.get(ID_TOKEN_SESSION_KEY)
    if isinstance(kept, dict) and kept.get("id_token") and kept.get("end_session_endpoint"):
        return kept
    return None


def end_session_url(*, request: HttpRequest) -> str | None:
    """Where to end the session at the identity provider of this session's sign-in, if anywhere.

    Read before the local logout (which empties the session). None when the session did not
    sign in at an identity provider or its discovery document had no ``end_session_endpoint``:
    then only the local logout happens.
    """
    kept = end_session_kept(request=request)
    if kept is None:
        return None
    endpoint = kept["end_session_endpoint"]
    query = urlencode(
        {
            "id_token_hint": kept["id_token"],
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            "client_id": kept["client_id"],
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def end_session_origin(*, request: HttpRequest) -> str | None:
    """The scheme and host of the session's end_session_endpoint (for the pages' CSP)."""
    kept = end_session_kept(request=request)
    if kept is None:
        return None
    parts = urlsplit(kept["end_session_endpoint"])
    return f"{parts.scheme}://{parts.netloc}"
