"""Login throttling sees each client's own address, behind the proxy too (issue 13, point 2).

Behind one trusted proxy every request comes from the proxy's address; the client's is the
right-most X-Forwarded-For entry, the one the proxy appended. Without DJANGO_BEHIND_PROXY the
header is the client's own words and is ignored.
"""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_earlier_warning():
    """The proxy warning lives 24 h in the shared cache: Redis in the PostgreSQL pass, where an
    earlier test's forwarded request would otherwise still be there."""
    caches["shared"].clear()


PROXY = "10.0.0.2"


def post_login(client: Client, username: str, password: str, **meta):
    return client.post("/accounts/login/", {"username": username, "password": password}, **meta)


def lock_out(username: str, **meta) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, username, "wrong-password", **meta)
    assert post_login(client, username, "wrong-password", **meta).status_code == 429


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_a_lockout_of_one_client_does_not_lock_out_another(password):
    user = UserFactory()
    lock_out(user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    response = post_login(
        Client(), user.username, password, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )

    assert response.status_code == 302


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_a_forged_left_entry_does_not_escape_the_lockout(password):
    user = UserFactory()
    lock_out(user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    response = post_login(
        Client(),
        user.username,
        password,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )

    assert response.status_code == 429


@override_settings(BEHIND_PROXY=False)
def test_without_the_proxy_setting_a_forged_header_does_not_escape_the_lockout(password):
    user = UserFactory()
    lock_out(user.username, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.1")

    response = post_login(
        Client(),
        user.username,
        password,
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )

    assert response.status_code == 429


def test_the_proxy_flag_comes_from_the_environment_and_axes_asks_our_function():
    from tests.security.test_headers import PRODUCTION_ENV, run_python

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.BEHIND_PROXY, s.AXES_CLIENT_IP_CALLABLE)"
    )
    for value, expected in (("true", "True"), ("", "False")):
        result = run_python(code, {**PRODUCTION_ENV, "DJANGO_BEHIND_PROXY": value})
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [expected, "maturity.client_address.client_address"]


# --- issue 31: only the proxy's own X-Forwarded-For is believed --------------------------------


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=[PROXY])
def test_a_client_reaching_the_app_around_the_proxy_cannot_choose_its_address(password):
    user = UserFactory()
    lock_out(user.username, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1")

    # A new forged address each time gains nothing: the lockout is on the real address.
    response = post_login(
        Client(),
        user.username,
        password,
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.2",
    )

    assert response.status_code == 429


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_trusted_network_is_believed(password):
    user = UserFactory()
    lock_out(user.username, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.7")

    response = post_login(
        Client(),
        user.username,
        password,
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )

    assert response.status_code == 302


def test_the_trusted_proxy_is_loopback_by_default():
    assert settings.TRUSTED_PROXIES == ["127.0.0.1", "::1"]


@override_settings(BEHIND_PROXY=True)
def test_healthz_warns_after_a_forwarded_request_from_an_untrusted_address(client):
    assert "proxy" not in client.get("/healthz", REMOTE_ADDR="127.0.0.1").json()
    client.get("/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert "proxy" not in client.get("/healthz").json()  # through the proxy: all is well

    client.get("/accounts/login/", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="1.2.3.4")
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["proxy"]["address"] == "192.0.2.50"
    assert "not a trusted proxy" in response.json()["proxy"]["warning"]


def test_without_the_proxy_setting_healthz_does_not_warn(client):
    client.get("/accounts/login/", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert "proxy" not in client.get("/healthz").json()
