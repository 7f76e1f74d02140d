"""allauth's OpenID Connect provider with a nonce: sent with each sign-in, checked in the ID token.

allauth 65 sends PKCE and ``state`` but no ``nonce``. The nonce binds the ID token to the browser
session that started the sign-in (OpenID Connect Core 3.1.2.1); it is kept in allauth's stashed
state and compared by ``sso.adapter.SocialAccountAdapter.pre_social_login``.
"""

import secrets

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

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
