"""Linking a sign-in at the identity provider to an existing local account, with its password."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from assessments.models import Invitation, Membership
from sso.models import SignInEvent
from tests.factories import OrganisationFactory, UserFactory
from tests.oidc.identity_provider import DEFAULT_ACCOUNTS, PROVIDER_ID, sign_in

pytestmark = pytest.mark.django_db
LINK = "/accounts/oidc/link/"


@pytest.fixture
def local_alice(db):
    return UserFactory(username="alice.local", email="Alice@Example.org")


def test_a_verified_address_of_a_local_account_asks_for_its_password(
    idp, browser_client, local_alice
):
    response = sign_in(browser_client, "alice")
    assert response["Location"] == LINK
    page = browser_client.get(LINK, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "alice.local" in page.text
    assert "_auth_user_id" not in browser_client.session
    assert not SocialAccount.objects.exists()


def test_the_right_password_links_and_signs_in(idp, browser_client, local_alice, password):
    organisation = OrganisationFactory()
    Invitation.objects.create(
        organisation=organisation, email="alice@example.org", role=Membership.Role.VIEWER
    )
    sign_in(browser_client, "alice")
    response = browser_client.post(LINK, {"password": password})
    assert response.status_code == 302
    assert browser_client.session["_auth_user_id"] == str(local_alice.pk)
    account = SocialAccount.objects.get(provider=PROVIDER_ID, uid="alice")
    assert account.user == local_alice
    assert get_user_model().objects.count() == 1
    # The sign-in's claims were applied as at any sign-in: the invitation was taken.
    assert Membership.objects.get(user=local_alice).organisation == organisation
    assert SignInEvent.objects.filter(
        user=local_alice, kind=SignInEvent.Kind.ACCOUNT_LINKED
    ).exists()
    # The next sign-in at the identity provider opens the account at once.
    browser_client.post("/accounts/logout/")
    again = sign_in(browser_client, "alice")
    assert again["Location"] != LINK
    assert browser_client.session["_auth_user_id"] == str(local_alice.pk)


def test_a_wrong_password_links_nothing(idp, browser_client, local_alice):
    sign_in(browser_client, "alice")
    response = browser_client.post(LINK, {"password": "not-it"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "That is not the password of this account." in response.text
    assert "_auth_user_id" not in browser_client.session
    assert not SocialAccount.objects.exists()
    failed = SignInEvent.objects.get(kind=SignInEvent.Kind.SIGN_IN_FAILED)
    assert failed.user == local_alice


def test_another_users_password_links_nothing(idp, browser_client, local_alice):
    """The password of another account (the person's own, say) does not open alice's."""
    mallory = UserFactory(username="mallory", email="mallory@example.org")
    mallory.set_password("mallorys-own-password-2026")
    mallory.save()
    sign_in(browser_client, "alice")
    browser_client.post(LINK, {"password": "mallorys-own-password-2026", "username": "mallory"})
    assert not SocialAccount.objects.exists()
    assert browser_client.session.get("_auth_user_id") is None


def test_an_unverified_address_is_refused_without_asking(idp, browser_client):
    UserFactory(username="bob.local", email="bob@example.org")
    response = sign_in(browser_client, "bob")  # bob's address is not verified at the provider
    assert response.status_code == 403
    assert browser_client.get(LINK).status_code == 404
    assert not SocialAccount.objects.exists()


def test_two_local_accounts_with_the_address_are_refused(idp, browser_client, local_alice):
    UserFactory(username="alice.other", email="alice@example.org")
    response = sign_in(browser_client, "alice")
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()


def test_the_identity_provider_claims_another_users_address(idp, browser_client, local_alice):
    """bob's provider account names alice's address, unverified: nothing is linked."""
    idp.set_accounts(
        {**DEFAULT_ACCOUNTS, "bob": {**DEFAULT_ACCOUNTS["bob"], "email": "alice@example.org"}}
    )
    response = sign_in(browser_client, "bob")
    assert response.status_code == 403
    assert browser_client.get(LINK).status_code == 404
    assert not SocialAccount.objects.exists()


def test_the_link_page_without_a_waiting_sign_in_is_not_found(client):
    assert client.get(LINK).status_code == 404
    assert client.post(LINK, {"password": "x"}).status_code == 404
