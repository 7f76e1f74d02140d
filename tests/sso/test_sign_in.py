"""Sign-in with a real OpenID Connect provider: what a first sign-in grants, and what is refused."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.auth import get_user_model

from assessments.models import Invitation, Membership
from sso.models import RuleMembership, SignInRule
from tests.factories import OrganisationFactory, UserFactory
from tests.oidc.identity_provider import (
    APP_HOST,
    CALLBACK_PATH,
    DEFAULT_ACCOUNTS,
    PROVIDER_ID,
    callback_path,
    sign_in,
    start_sign_in,
    walk_provider,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_login_page_has_a_button_per_provider(idp, browser_client):
    page = browser_client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in with Test IdP" in page.text
    assert 'name="password"' in page.text
    browser_client.cookies["django_language"] = "nl-be"
    assert "Aanmelden met Test IdP" in browser_client.get("/accounts/login/").text


def test_the_authorisation_request_uses_pkce_state_and_nonce(idp, browser_client):
    query = parse_qs(urlsplit(start_sign_in(browser_client, "alice")).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == ["test-client"]
    assert query["redirect_uri"] == [f"http://{APP_HOST}{CALLBACK_PATH}"]
    assert len(query["state"][0]) >= 12
    assert len(query["nonce"][0]) >= 32
    assert "org" in query["scope"][0].split()


def test_a_first_sign_in_grants_nothing(idp, browser_client):
    response = sign_in(browser_client, "alice")
    assert response.status_code == 302
    user = User.objects.get(socialaccount__provider=PROVIDER_ID, socialaccount__uid="alice")
    assert user.email == "alice@example.org"
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    page = browser_client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "You are not a member of an organisation yet" in page.text
    assert "alice@example.org" in page.text  # what to give the organisation admin


def test_a_second_sign_in_uses_the_same_account(idp, browser_client):
    sign_in(browser_client, "alice")
    browser_client.logout()
    sign_in(browser_client, "alice")
    assert SocialAccount.objects.filter(uid="alice").count() == 1
    assert User.objects.filter(email="alice@example.org").count() == 1


def test_a_pending_invitation_for_a_verified_address_joins(idp, browser_client):
    organisation = OrganisationFactory()
    invitation = Invitation.objects.create(
        organisation=organisation, email="Alice@Example.org", role=Membership.Role.VIEWER
    )
    sign_in(browser_client, "alice")
    membership = Membership.objects.get(user__email="alice@example.org")
    assert (membership.organisation, membership.role) == (organisation, Membership.Role.VIEWER)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == membership.user
    assert browser_client.get("/").status_code == 200


def test_an_unverified_address_does_not_take_the_invitation(idp, browser_client):
    organisation = OrganisationFactory()
    invitation = Invitation.objects.create(
        organisation=organisation, email="bob@example.org", role=Membership.Role.RESPONDENT
    )
    sign_in(browser_client, "bob")
    assert User.objects.filter(email="bob@example.org").exists()
    assert not Membership.objects.filter(organisation=organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_sign_in_rule_joins_and_the_membership_ends_with_the_claim(idp, browser_client):
    organisation = OrganisationFactory()
    rule = SignInRule.objects.create(
        organisation=organisation,
        provider_id=PROVIDER_ID,
        claim="org_code",
        value="ORG-A",
        role=Membership.Role.RESPONDENT,
    )
    sign_in(browser_client, "alice")
    membership = Membership.objects.get(organisation=organisation)
    assert membership.role == Membership.Role.RESPONDENT
    assert membership.user.email == "alice@example.org"
    assert RuleMembership.objects.get(membership=membership).rule == rule

    browser_client.logout()
    idp.set_accounts({**DEFAULT_ACCOUNTS, "alice": {**DEFAULT_ACCOUNTS["alice"], "org_code": ""}})
    sign_in(browser_client, "alice")
    assert not Membership.objects.filter(organisation=organisation).exists()
    assert not RuleMembership.objects.exists()


def test_a_rule_of_another_value_does_not_join(idp, browser_client):
    organisation = OrganisationFactory()
    SignInRule.objects.create(
        organisation=organisation,
        provider_id=PROVIDER_ID,
        claim="org_code",
        value="ORG-B",
        role=Membership.Role.VIEWER,
    )
    sign_in(browser_client, "alice")
    assert not Membership.objects.filter(organisation=organisation).exists()


def test_a_forged_state_is_refused_and_makes_no_account(idp, browser_client):
    authorize_url = start_sign_in(browser_client, "alice")
    callback = walk_provider(authorize_url, stop_prefix=f"http://{APP_HOST}{CALLBACK_PATH}")
    query = parse_qs(urlsplit(callback).query)
    response = browser_client.get(
        CALLBACK_PATH,
        {"code": query["code"][0], "state": "forged-state-value"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 401
    assert "could not be verified" in response.text
    assert not User.objects.exists()
    assert "_auth_user_id" not in browser_client.session


def test_a_callback_from_another_browser_is_refused(idp, browser_client, client):
    """The code and state reached another session (a login CSRF): it has no such state."""
    authorize_url = start_sign_in(browser_client, "alice")
    callback = walk_provider(authorize_url, stop_prefix=f"http://{APP_HOST}{CALLBACK_PATH}")
    other = type(browser_client)(HTTP_HOST=APP_HOST)
    response = other.get(callback_path(callback))
    assert "_auth_user_id" not in other.session
    assert response.status_code != 302 or "login" in response["Location"]
    assert not User.objects.exists()


def test_a_wrong_nonce_is_refused_and_makes_no_account(idp, browser_client):
    authorize_url = start_sign_in(browser_client, "alice")
    session = browser_client.session
    states = session["socialaccount_states"]
    for state in states.values():
        state[0]["oidc_nonce"] = "a-nonce-this-sign-in-never-sent"
    session.save()
    callback = walk_provider(authorize_url, stop_prefix=f"http://{APP_HOST}{CALLBACK_PATH}")
    response = browser_client.get(callback_path(callback), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "could not be verified" in response.text
    assert not User.objects.exists()
    assert "_auth_user_id" not in browser_client.session


def test_an_existing_local_account_is_not_taken_over(idp, browser_client):
    """A verified address asks for the account's password first (tests/sso/test_linking.py)."""
    local = UserFactory(username="alice.local", email="alice@example.org")
    response = sign_in(browser_client, "alice")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/oidc/link/"
    assert "_auth_user_id" not in browser_client.session
    assert not SocialAccount.objects.exists()
    assert list(User.objects.all()) == [local]


def _id_token_for(idp, client_id: str, secret: str) -> str:
    """A real ID token of the provider for ``client_id``, by a hand-made code flow with PKCE."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    redirect_uri = f"http://{APP_HOST}{CALLBACK_PATH}"
    authorize_url = f"{idp.issuer}/auth?" + urlencode(
        {
            "client_id": client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "scope": "openid email",
            "state": "s" * 16,
            "nonce": "n" * 32,
            "code_challenge": challenge.decode(),
            "code_challenge_method": "S256",
            "login_hint": "alice",
        }
    )
    callback = walk_provider(authorize_url, stop_prefix=redirect_uri)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    response = requests.post(
        f"{idp.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": client_id,
            "client_secret": secret,
        },
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["id_token"]


def test_an_id_token_for_another_audience_is_refused(idp, rf):
    """The check the callback runs on the token response's ID token (signature, iss, aud)."""
    request = rf.get(CALLBACK_PATH)
    adapter = OpenIDConnectOAuth2Adapter(request, PROVIDER_ID)
    app = adapter.get_provider().app
    ours = adapter._decode_id_token(app, _id_token_for(idp, "test-client", "test-secret"))
    assert (ours["aud"], ours["sub"]) == ("test-client", "alice")
    with pytest.raises(OAuth2Error):
        adapter._decode_id_token(app, _id_token_for(idp, "other-client", "other-secret"))
