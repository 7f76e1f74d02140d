"""Login throttling and the idle session timeout."""

import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from maturity.middleware import SESSION_TOUCHED_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_five_failed_logins_lock_the_account_from_that_address(client, password):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, user.username, "wrong-password").status_code == 200
    assert post_login(client, user.username, "wrong-password").status_code == 429

    response = post_login(client, user.username, password)

    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failed_logins_still_let_the_right_password_in(client, password):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, user.username, "wrong-password")

    response = post_login(client, user.username, password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_lockout_does_not_block_another_username_from_the_same_address(client, password):
    locked, other = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, locked.username, "wrong-password")

    assert post_login(client, other.username, password).status_code == 302


@contextmanager
def clock_at(moment):
    """Move the clocks the session store (timezone.now) and the idle middleware (time) read."""
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("time.time", return_value=moment.timestamp()),
    ):
        yield


def test_sessions_expire_after_eight_idle_hours_not_while_in_use(client):
    client.force_login(UserFactory())
    start = timezone.now()
    with clock_at(start + timedelta(hours=7, minutes=59)):
        assert client.get(reverse("dashboard")).status_code == 200, "still within 8 hours"
    # Seven hours later: over eight hours since login, but under eight since the last request.
    last_use = start + timedelta(hours=14, minutes=59)
    with clock_at(last_use):
        assert client.get(reverse("dashboard")).status_code == 200, "renewed by the last use"
    with clock_at(last_use + timedelta(hours=8, minutes=1)):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not getattr(settings, "SESSION_EXPIRE_AT_BROWSER_CLOSE", False)


def test_an_active_session_is_renewed_at_most_every_few_minutes(client):
    client.force_login(UserFactory())
    client.get("/groeipad/")
    first_touch = client.session[SESSION_TOUCHED_KEY]
    client.get("/groeipad/")
    assert client.session[SESSION_TOUCHED_KEY] == first_touch

    session = client.session
    session[SESSION_TOUCHED_KEY] = int(time.time()) - settings.SESSION_RENEW_AFTER - 1
    session.save()
    client.get("/groeipad/")

    assert client.session[SESSION_TOUCHED_KEY] > first_touch - settings.SESSION_RENEW_AFTER


def test_password_validators_refuse_a_short_common_password():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("welkom123")
