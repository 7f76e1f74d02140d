"""The login page: password login can be turned off; lockout still guards password logins."""

import pytest

from maturity.settings.base import parse_oidc_providers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROVIDERS_JSON = (
    '[{"id": "vlaanderen", "name": "je Vlaamse overheid-account",'
    ' "server_url": "http://127.0.0.1:9/", "client_id": "c", "secret": "s"}]'
)


@pytest.fixture
def one_provider(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": parse_oidc_providers(PROVIDERS_JSON),
        }
    }


def test_without_providers_the_page_is_the_password_form(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="password"' in page.text
    assert "Sign in with" not in page.text
    assert "autofocus" in page.text


def test_with_password_login_off_only_the_providers_are_shown(client, settings, one_provider):
    settings.PASSWORD_LOGIN = False
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in with je Vlaamse overheid-account" in page.text
    assert "/accounts/oidc/vlaanderen/login/" in page.text
    assert 'name="password"' not in page.text
    assert "Forgot your password?" not in page.text


def test_with_password_login_off_a_password_post_is_refused(client, settings, password):
    settings.PASSWORD_LOGIN = False
    user = UserFactory()
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_password_login_still_works_beside_the_providers(client, one_provider, password):
    user = UserFactory()
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_lockout_still_guards_password_logins(client, one_provider, password):
    user = UserFactory()
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_settings_refuse_a_provider_without_its_fields():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="client_id"):
        parse_oidc_providers('[{"id": "x", "name": "X", "server_url": "http://x"}]')
    with pytest.raises(ImproperlyConfigured, match="JSON"):
        parse_oidc_providers("[{")
    assert parse_oidc_providers("") == []


def test_a_provider_added_in_the_admin_gets_a_button_too(client):
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="entra",
        name="Microsoft",
        client_id="c",
        secret="s",
        settings={"server_url": "https://login.example/tenant/v2.0"},
    )
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in with Microsoft" in page.text
    assert "/accounts/oidc/entra/login/" in page.text


def test_the_login_page_reads_one_query_for_its_providers(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/accounts/login/")
