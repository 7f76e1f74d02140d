"""Logging in, the greeting and the language switch."""

import pytest

from tests.e2e.conftest import assert_accessible, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_login_page_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "nl-BE"
    assert page.locator("h1").count() == 1
    assert page.locator("#id_username").is_visible()
    assert page.locator("label[for=id_password]").is_visible()
    assert_accessible(page, "login page")


def test_wrong_password_shows_an_error_tied_to_the_fields(page, live_server, people):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", people.respondent.username)
    page.fill("#id_password", "not-the-password")
    page.click("main form button[type=submit]")
    assert page.locator("#login-error").is_visible()
    assert page.locator("#id_password").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "login page with error")


def test_login_greets_the_user_and_switches_language_in_place(page, live_server, people, password):
    user = people.respondent
    user.first_name, user.last_name = "Rita", "Respondent"
    user.save()
    login(page, live_server, user.username, password)

    assert page.url == f"{live_server.url}/"
    assert "Rita Respondent" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "nl-BE"
    assert people.organisation.name in page.locator("header").inner_text()

    page.goto(f"{live_server.url}/groeipad/")
    page.select_option("#language-switch", "en")
    with page.expect_navigation():
        page.click("header form[action*='setlang'] button[type=submit]")

    assert page.url == f"{live_server.url}/groeipad/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#language-switch").input_value() == "en"
    assert page.locator("h1").inner_text() == (
        "The growth path of social media in local government"
    )
    assert page.get_by_role("button", name="Log out").is_visible()
    assert_accessible(page, "growth path in English")

    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Welcome, Rita Respondent"
