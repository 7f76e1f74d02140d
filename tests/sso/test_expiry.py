"""An expired ID token and an expired sign-in state are refused; no account is made."""

import time

import pytest
from django.contrib.auth import get_user_model

from sso.models import SignInEvent
from tests.oidc.identity_provider import (
    APP_HOST,
    CALLBACK_PATH,
    callback_path,
    sign_in,
    start_sign_in,
    walk_provider,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_an_expired_id_token_is_refused_and_makes_no_account(late_idp, browser_client):
    response = sign_in(browser_client, "alice")
    assert response.status_code == 401
    assert (
        "could not be verified"
        in browser_client.get("/accounts/3rdparty/login/error/", HTTP_ACCEPT_LANGUAGE="en").text
    )
    assert not User.objects.exists()
    assert "_auth_user_id" not in browser_client.session
    refused = SignInEvent.objects.get(kind=SignInEvent.Kind.SIGN_IN_FAILED)
    assert "ExpiredSignatureError" in refused.detail


def test_the_same_provider_on_time_signs_in(idp, browser_client):
    """The control: the refusal above is the token's age, not the flow."""
    assert sign_in(browser_client, "alice").status_code == 302
    assert "_auth_user_id" in browser_client.session


def test_a_sign_in_state_older_than_ten_minutes_is_refused(idp, browser_client):
    authorize_url = start_sign_in(browser_client, "alice")
    session = browser_client.session
    for state in session["socialaccount_states"].values():
        state[1] = time.time() - 601  # started eleven minutes ago
    session.save()
    callback = walk_provider(authorize_url, stop_prefix=f"http://{APP_HOST}{CALLBACK_PATH}")
    response = browser_client.get(callback_path(callback), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "could not be verified" in response.text
    assert not User.objects.exists()
    assert "_auth_user_id" not in browser_client.session
