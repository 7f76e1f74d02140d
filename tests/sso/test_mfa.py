"""The second factor (allauth.mfa): enrolment required of staff and admins, real TOTP codes."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.cache import cache

from assessments.models import Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ENROL = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


@pytest.fixture(autouse=True)
def _used_codes_forgotten():
    """allauth remembers used TOTP codes in the cache: a code must not leak into the next test."""
    cache.clear()
    yield
    cache.clear()


def code_now(secret: str, *, steps_back: int = 0) -> str:
    """The code an authenticator app shows now (waits out the last second of a 30 s window)."""
    if 30 - time.time() % 30 < 1.5:
        time.sleep(1.6)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 - steps_back))


def password_login(client, user, password):
    return client.post(
        "/accounts/login/",
        {"username": user.username, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def with_app(user) -> list[str]:
    """Give the user an authenticator app with SECRET; return their recovery codes."""
    TOTP.activate(user, SECRET)
    return RecoveryCodes.activate(user).generate_codes()


def test_an_admin_without_an_app_is_sent_to_the_enrolment_first(client, password):
    admin = MembershipFactory(role=Membership.Role.ADMIN).user
    response = password_login(client, admin, password)
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert response.status_code == 302
    dashboard = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert dashboard.status_code == 302
    assert dashboard["Location"] == ENROL
    page = client.get(ENROL, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Set up an authenticator app before you continue" in page.text


def test_staff_without_an_app_is_sent_to_the_enrolment_first(client, password):
    staff = UserFactory(is_staff=True)
    password_login(client, staff, password)
    assert client.get("/admin/")["Location"] == ENROL


def test_enrolment_with_a_real_code_gives_recovery_codes_and_frees_the_site(client, password):
    admin = MembershipFactory(role=Membership.Role.ADMIN).user
    password_login(client, admin, password)
    secret = client.get(ENROL).context["form"].secret
    response = client.post(ENROL, {"code": code_now(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    codes = client.get("/accounts/2fa/recovery-codes/", HTTP_ACCEPT_LANGUAGE="en")
    assert codes.text.count("<li>") >= 10
    assert client.get("/").status_code == 200


def test_enrolment_refuses_a_wrong_code(client, password):
    admin = MembershipFactory(role=Membership.Role.ADMIN).user
    password_login(client, admin, password)
    secret = client.get(ENROL).context["form"].secret
    wrong = f"{(int(code_now(secret)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert not Authenticator.objects.filter(user=admin).exists()


def test_the_wrong_code_message_is_dutch_from_allauths_catalogue(client, password):
    """nl-BE falls back to allauth's nl catalogue for allauth's own messages."""
    admin = MembershipFactory(role=Membership.Role.ADMIN).user
    password_login(client, admin, password)
    client.cookies["django_language"] = "nl-be"
    secret = client.get(ENROL).context["form"].secret
    wrong = f"{(int(code_now(secret)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong})
    assert "Ongeldige code." in response.text
    assert "Stel een authenticator-app in" in response.text


def test_a_respondent_is_not_required_to_enrol(client, password):
    respondent = MembershipFactory(role=Membership.Role.RESPONDENT).user
    password_login(client, respondent, password)
    assert client.get("/").status_code == 200


def test_with_an_app_the_password_alone_does_not_sign_in(client, password):
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    with_app(user)
    response = password_login(client, user, password)
    assert response["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in client.session
    page = client.get(AUTHENTICATE, HTTP_ACCEPT_LANGUAGE="en")
    assert "Second step of the sign-in" in page.text


def test_the_apps_code_completes_the_sign_in(client, password):
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    with_app(user)
    password_login(client, user, password)
    response = client.post(AUTHENTICATE, {"code": code_now(SECRET)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/").status_code == 200


def test_a_wrong_code_does_not_sign_in(client, password):
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    with_app(user)
    password_login(client, user, password)
    wrong = f"{(int(code_now(SECRET)) + 1) % 1_000_000:06d}"
    response = client.post(AUTHENTICATE, {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert "_auth_user_id" not in client.session


def test_an_old_code_does_not_sign_in(client, password):
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    with_app(user)
    password_login(client, user, password)
    client.post(AUTHENTICATE, {"code": code_now(SECRET, steps_back=4)})
    assert "_auth_user_id" not in client.session


def test_a_used_code_does_not_sign_in_again(client, password):
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    with_app(user)
    code = code_now(SECRET)
    password_login(client, user, password)
    client.post(AUTHENTICATE, {"code": code})
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    password_login(client, user, password)
    response = client.post(AUTHENTICATE, {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
    assert "_auth_user_id" not in client.session
    assert "Incorrect code." in response.text


def test_a_recovery_code_signs_in_once(client, password):
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    recovery = with_app(user)[0]
    password_login(client, user, password)
    client.post(AUTHENTICATE, {"code": recovery})
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    password_login(client, user, password)
    client.post(AUTHENTICATE, {"code": recovery})
    assert "_auth_user_id" not in client.session


def test_an_admin_cannot_remove_the_app(client, password):
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    with_app(user)
    password_login(client, user, password)
    client.post(AUTHENTICATE, {"code": code_now(SECRET)})
    page = client.get("/accounts/2fa/totp/deactivate/", HTTP_ACCEPT_LANGUAGE="en")
    assert "You cannot deactivate two-factor authentication." in page.text
    client.post("/accounts/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_a_respondent_can_remove_the_app(client, password):
    user = MembershipFactory(role=Membership.Role.RESPONDENT).user
    with_app(user)
    password_login(client, user, password)
    client.post(AUTHENTICATE, {"code": code_now(SECRET)})
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_the_admin_sites_own_login_form_leads_to_the_login_page(client):
    response = client.get("/admin/login/", {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_the_overview_needs_a_sign_in(client):
    response = client.get("/accounts/2fa/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_guessing_codes_is_throttled(client, password):
    """allauth's login_failed limit: five wrong codes in 5 min, then even a right one waits."""
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    with_app(user)
    password_login(client, user, password)
    right = code_now(SECRET)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        client.post(AUTHENTICATE, {"code": wrong})
    response = client.post(AUTHENTICATE, {"code": right}, HTTP_ACCEPT_LANGUAGE="en")
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.text
