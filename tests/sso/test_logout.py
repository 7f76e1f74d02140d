"""Signing out of Groeipad also ends the session at the identity provider (RP-initiated logout)."""

import re
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from sso.oidc import ID_TOKEN_SESSION_KEY
from tests.factories import UserFactory
from tests.oidc.identity_provider import (
    APP_HOST,
    CALLBACK_PATH,
    callback_path,
    sign_in,
    start_sign_in,
    walk_provider,
)

pytestmark = pytest.mark.django_db
CALLBACK = f"http://{APP_HOST}{CALLBACK_PATH}"


def signed_in_at_provider(idp_browser: requests.Session, browser_client) -> bool:
    """Does a new sign-in pass the provider without its sign-in page (its session lives)?"""
    response = idp_browser.get(start_sign_in(browser_client, "alice"), allow_redirects=False)
    return response.headers["Location"].startswith(CALLBACK)


def test_signing_out_ends_the_session_at_the_identity_provider(idp, browser_client):
    idp_browser = requests.Session()
    callback = walk_provider(
        start_sign_in(browser_client, "alice"), stop_prefix=CALLBACK, session=idp_browser
    )
    browser_client.get(callback_path(callback))
    assert signed_in_at_provider(idp_browser, browser_client)

    response = browser_client.post("/accounts/logout/")
    assert "_auth_user_id" not in browser_client.session
    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(f"{idp.issuer}/session/end?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["post_logout_redirect_uri"] == [f"http://{APP_HOST}/accounts/login/"]
    assert query["client_id"] == ["test-client"]
    assert query["id_token_hint"][0].count(".") == 2

    confirm_page = idp_browser.get(end_session)
    assert confirm_page.status_code == 200, confirm_page.text[:300]
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', confirm_page.text).group(1))
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', confirm_page.text).group(1)
    back = idp_browser.post(
        urljoin(end_session, action), data={"xsrf": xsrf, "logout": "yes"}, allow_redirects=False
    )
    assert back.status_code in {302, 303}
    assert back.headers["Location"].startswith(f"http://{APP_HOST}/accounts/login/")
    assert not signed_in_at_provider(idp_browser, browser_client)


def test_a_password_session_signs_out_here_only(client, password):
    user = UserFactory()
    client.post("/accounts/login/", {"username": user.username, "password": password})
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_without_an_end_session_endpoint_the_logout_is_local(client):
    client.force_login(UserFactory())
    session = client.session
    session[ID_TOKEN_SESSION_KEY] = {"id_token": "a.b.c", "end_session_endpoint": None}
    session.save()
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_the_pages_let_the_logout_form_go_to_the_identity_provider(idp, browser_client):
    """Browsers check a form's redirect against form-action: the provider's origin is added."""
    before = browser_client.get("/accounts/login/")["Content-Security-Policy"]
    assert "form-action 'self';" in before + ";"
    sign_in(browser_client, "alice")
    policy = browser_client.get("/")["Content-Security-Policy"]
    form_action = next(p for p in policy.split(";") if p.strip().startswith("form-action"))
    assert form_action.split() == ["form-action", "'self'", idp.issuer]


def test_the_admin_sites_logout_is_groeipads(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.post("/admin/logout/")
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
