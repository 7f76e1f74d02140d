"""A second factor and the sign-out at both ends, in a browser, at 1,280 and 375 px, with axe."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache

from maturity.settings.base import parse_oidc_providers
from tests.e2e.conftest import login, page_language
from tests.e2e.test_every_page_accessible import assert_accessible_at_every_width
from tests.factories import TEST_PASSWORD, UserFactory
from tests.oidc.identity_provider import CALLBACK_PATH, identity_provider_start, provider_settings
from tests.sso.test_mfa import code_now

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("language"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
ENROL_HEADING = {"nl-be": "Stel een authenticator-app in", "en": "Set up an authenticator app"}
SECOND_STEP = {"nl-be": "Tweede stap van de aanmelding", "en": "Second step of the sign-in"}
WRONG_CODE = {"nl-be": "Ongeldige code.", "en": "Incorrect code."}
BUTTON = {"nl-be": "Aanmelden met Test IdP", "en": "Sign in with Test IdP"}
LOG_OUT = {"nl-be": "Afmelden", "en": "Log out"}


@pytest.fixture(autouse=True)
def _used_codes_forgotten():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def idp(live_server, settings, tmp_path):
    provider = identity_provider_start(
        tmp_path, redirect_uris=[f"{live_server.url}{CALLBACK_PATH}"]
    )
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": parse_oidc_providers(provider_settings(provider.issuer)),
        }
    }
    yield provider
    provider.stop()


def _password_step(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def _log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=LOG_OUT[page_language(page)]).click()


@pytest.mark.second_factor_required
def test_an_admin_enrols_and_signs_in_with_a_code_and_a_recovery_code(page, live_server, demo_data):
    login(page, live_server, "beheer", demo_data)
    language = page_language(page)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    assert page.locator("h1").inner_text() == ENROL_HEADING[language]
    assert page.get_by_role("img").first.is_visible()  # the QR code
    assert_accessible_at_every_width(page, f"enrolment ({language})")
    # The rest of the site waits for the enrolment.
    page.goto(f"{live_server.url}/members/")
    assert page.url.endswith("/accounts/2fa/totp/activate/")

    secret = page.locator("#authenticator-secret").input_value()
    page.fill("#id_code", "000000" if code_now(secret) != "000000" else "111111")
    page.click("main form button[type=submit]")
    assert WRONG_CODE[language] in page.locator("main").inner_text()
    assert_accessible_at_every_width(page, f"enrolment with a wrong code ({language})")
    page.fill("#id_code", code_now(secret))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/accounts/2fa/recovery-codes/")
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible_at_every_width(page, f"recovery codes ({language})")
    page.goto(f"{live_server.url}/members/")
    assert page.url.endswith("/members/")
    page.goto(f"{live_server.url}/sign-in-rules/sign-ins/")
    assert page.locator("#sign-in-events tbody tr").count() >= 3
    assert_accessible_at_every_width(page, f"the sign-in audit trail ({language})")
    page.goto(f"{live_server.url}/accounts/2fa/")
    assert_accessible_at_every_width(page, f"two-step sign-in overview ({language})")

    # Next sign-in: the password, then the app's code.
    _log_out(page)
    _password_step(page, live_server, "beheer", demo_data)
    assert page.url.endswith("/accounts/2fa/authenticate/")
    assert page.locator("h1").inner_text() == SECOND_STEP[language]
    assert_accessible_at_every_width(page, f"second step ({language})")
    page.fill("#id_code", code_now(secret))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}/"

    # A recovery code instead of the app: it works once only.
    for attempt in range(2):
        _log_out(page)
        _password_step(page, live_server, "beheer", demo_data)
        page.fill("#id_code", codes[0])
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if attempt == 0:
            assert page.url == f"{live_server.url}/"
    assert page.url.endswith("/accounts/2fa/authenticate/")
    assert WRONG_CODE[language] in page.locator("main").inner_text()
    assert_accessible_at_every_width(page, f"second step with a used code ({language})")


def test_an_sso_sign_in_and_the_sign_out_at_both_ends(page, live_server, idp):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    language = page_language(page)
    page.get_by_role("link", name=BUTTON[language]).click()
    page.get_by_role("button", name="(alice)").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "alice@example.org" in page.locator("main").inner_text()
    assert_accessible_at_every_width(page, f"after the sign-in at the provider ({language})")

    _log_out(page)
    assert page.url.startswith(f"{idp.issuer}/session/end")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, sign me out").click()
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    # The provider's session ended too: its sign-in page asks again.
    page.get_by_role("link", name=BUTTON[language]).click()
    page.wait_for_url(f"{idp.issuer}/interaction/**")
    assert page.get_by_role("button", name="(alice)").is_visible()


LINK_HEADING = {"nl-be": "Koppel je accounts", "en": "Link your accounts"}
WRONG_PASSWORD = {
    "nl-be": "Dat is niet het wachtwoord van dit account.",
    "en": "That is not the password of this account.",
}


def test_an_sso_sign_in_links_an_existing_account_after_its_password(
    page, live_server, idp, console_errors
):
    local = UserFactory(username="alice.local", email="alice@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    language = page_language(page)
    page.get_by_role("link", name=BUTTON[language]).click()
    page.get_by_role("button", name="(alice)").click()
    page.wait_for_url(f"{live_server.url}/accounts/oidc/link/")
    assert page.locator("h1").inner_text() == LINK_HEADING[language]
    assert_accessible_at_every_width(page, f"link page ({language})")
    page.fill("#id_password", "not-the-password")
    page.click("main form button[type=submit]")
    assert WRONG_PASSWORD[language] in page.locator("main").inner_text()
    # The refused form comes back with status 400, which the browser logs as an error.
    console_errors.allow("status of 400")
    assert_accessible_at_every_width(page, f"link page with a wrong password ({language})")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}/"
    assert SocialAccount.objects.get(uid="alice").user == local
