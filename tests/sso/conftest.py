import pytest
from django.test import Client

from maturity.settings.base import parse_oidc_providers
from tests.oidc.identity_provider import (
    APP_HOST,
    CALLBACK_PATH,
    DEFAULT_ACCOUNTS,
    identity_provider_start,
    provider_settings,
)


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    provider = identity_provider_start(
        tmp_path_factory.mktemp("oidc"), redirect_uris=[f"http://{APP_HOST}{CALLBACK_PATH}"]
    )
    yield provider
    provider.stop()


@pytest.fixture
def idp(identity_provider, settings):
    """The test provider, configured as Groeipad's identity provider, with the default accounts."""
    identity_provider.set_accounts(DEFAULT_ACCOUNTS)
    providers = settings.SOCIALACCOUNT_PROVIDERS
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **providers["openid_connect"],
            "APPS": parse_oidc_providers(provider_settings(identity_provider.issuer)),
        }
    }
    return identity_provider


@pytest.fixture
def browser_client() -> Client:
    """A test client on the host the provider's redirect_uri names."""
    return Client(HTTP_HOST=APP_HOST)


@pytest.fixture(scope="module")
def late_identity_provider(tmp_path_factory):
    """A provider whose clock is a minute behind and whose ID tokens live one second."""
    provider = identity_provider_start(
        tmp_path_factory.mktemp("oidc-late"),
        redirect_uris=[f"http://{APP_HOST}{CALLBACK_PATH}"],
        extra_env={"ID_TOKEN_TTL": "1", "CLOCK_OFFSET_SECONDS": "-60"},
    )
    yield provider
    provider.stop()


@pytest.fixture
def late_idp(late_identity_provider, settings):
    """Groeipad's identity provider is the late one."""
    providers = settings.SOCIALACCOUNT_PROVIDERS
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **providers["openid_connect"],
            "APPS": parse_oidc_providers(provider_settings(late_identity_provider.issuer)),
        }
    }
    return late_identity_provider
