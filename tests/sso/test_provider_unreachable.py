"""An identity provider that cannot be reached: a page that says so, not a server error."""

import pytest
from django.urls import reverse

from maturity.settings.base import parse_oidc_providers
from tests.oidc.identity_provider import PROVIDER_ID, provider_settings
from tests.servers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_idp(settings):
    """The provider is configured, but nothing listens at its address (a free loopback port)."""
    providers = settings.SOCIALACCOUNT_PROVIDERS
    issuer = f"http://127.0.0.1:{free_port()}"
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **providers["openid_connect"],
            "APPS": parse_oidc_providers(provider_settings(issuer)),
        }
    }


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "The sign-in service cannot be reached"),
        ("nl-be", "De aanmeldservice is niet bereikbaar"),
    ],
)
def test_sign_in_at_an_unreachable_provider_shows_a_page(
    client, settings, unreachable_idp, language, heading
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("openid_connect_login", args=[PROVIDER_ID])

    response = client.get(url)

    assert response.status_code == 502
    content = response.content.decode()
    assert f"<h1>{heading}</h1>" in content
    assert f'href="{reverse("login")}"' in content
