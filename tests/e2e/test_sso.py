"""Signing in with the organisation's account in a browser, at a real OpenID Connect provider."""

import pytest
from django.contrib.auth import get_user_model

from assessments.models import Invitation, Membership
from maturity.settings.base import parse_oidc_providers
from sso.models import SignInRule
from tests.e2e.conftest import HTML_LANG, assert_accessible, login, page_language
from tests.factories import OrganisationFactory
from tests.oidc.identity_provider import (
    CALLBACK_PATH,
    identity_provider_start,
    provider_settings,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("language"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
BUTTON = {"nl-be": "Aanmelden met Test IdP", "en": "Sign in with Test IdP"}
NOT_VERIFIED = {
    "nl-be": "Het antwoord van de identiteitsprovider kon niet gecontroleerd worden",
    "en": "The answer of the identity provider could not be verified",
}
NO_ORGANISATION = {
    "nl-be": "nog geen lid van een organisatie",
    "en": "You are not a member of an organisation yet",
}


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


def _sign_in_at_the_provider(page, live_server, account: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    language = page_language(page)
    button = page.get_by_role("link", name=BUTTON[language])
    assert button.is_visible()
    assert_accessible(page, f"login page with a provider ({language})")
    button.click()
    page.get_by_role("button", name=f"({account})").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_first_sign_in_shows_whom_to_ask(page, live_server, idp):
    _sign_in_at_the_provider(page, live_server, "alice")
    language = page_language(page)
    assert page.locator("html").get_attribute("lang") == HTML_LANG[language]
    assert NO_ORGANISATION[language] in page.locator("main").inner_text()
    assert "alice@example.org" in page.locator("main").inner_text()
    assert page.locator(".alert").count() == 0  # no message of allauth's own
    assert page.locator("h1").count() == 1
    assert_accessible(page, f"no organisation after a first sign-in ({language})")
    user = get_user_model().objects.get(email="alice@example.org")
    assert not user.is_staff
    assert not Membership.objects.filter(user=user).exists()


def test_the_sign_in_rules_page_with_a_member_who_joined_by_a_rule(
    page, live_server, idp, demo_data
):
    membership = Membership.objects.get(user__username="beheer")
    SignInRule.objects.create(
        organisation=membership.organisation,
        provider_id="test",
        claim="org_code",
        value="ORG-A",
        role=Membership.Role.RESPONDENT,
    )
    _sign_in_at_the_provider(page, live_server, "alice")
    assert Membership.objects.get(user__email="alice@example.org").role == "respondent"
    page.context.clear_cookies(name="sessionid")
    login(page, live_server, "beheer", demo_data)
    page.goto(f"{live_server.url}/sign-in-rules/")
    assert "Alice Janssens" in page.locator("#rule-members").inner_text()
    assert page.locator("h1").count() == 1
    assert_accessible(page, f"sign-in rules ({page_language(page)})")


def test_a_pending_invitation_joins_with_the_invited_role(page, live_server, idp):
    organisation = OrganisationFactory(name="Gemeente Uitnodiging")
    Invitation.objects.create(
        organisation=organisation, email="alice@example.org", role=Membership.Role.VIEWER
    )

    _sign_in_at_the_provider(page, live_server, "alice")

    language = page_language(page)
    assert NO_ORGANISATION[language] not in page.locator("main").inner_text()
    assert "Gemeente Uitnodiging" in page.locator("body").inner_text()
    membership = Membership.objects.get(user__email="alice@example.org")
    assert (membership.organisation, membership.role) == (organisation, Membership.Role.VIEWER)
    assert_accessible(page, f"dashboard after joining by invitation ({language})")


def test_a_forged_state_gets_a_clear_page_and_no_account(page, live_server, idp, console_errors):
    """A callback whose state this browser's sign-in never sent (a link someone else made)."""
    page.goto(f"{live_server.url}/accounts/login/")
    language = page_language(page)
    page.get_by_role("link", name=BUTTON[language]).click()
    page.get_by_role("button", name="(alice)").wait_for()  # at the provider: a state is pending

    answer = page.goto(f"{live_server.url}{CALLBACK_PATH}?code=stolen-code&state=forged-state")

    assert answer.status == 401
    console_errors.allow("status of 401")
    assert NOT_VERIFIED[language] in page.locator("main").inner_text()
    assert page.locator("h1").count() == 1
    assert_accessible(page, f"refused sign-in ({language})")
    assert not get_user_model().objects.exists()
