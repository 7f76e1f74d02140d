"""The organisation's second-factor setting on the sign-in rules page: axe at 1,280 and 375 px."""

import pytest

from assessments.models import Organisation
from tests.e2e.conftest import login, page_language
from tests.e2e.test_every_page_accessible import assert_accessible_at_every_width

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("language")]
LABEL = {
    "nl-be": "Vereis een authenticator-app van elk lid dat zich met een wachtwoord aanmeldt",
    "en": "Require an authenticator app of every member who signs in with a password",
}
SAVE = {"nl-be": "Opslaan", "en": "Save"}
SWITCHED_ON = {
    "nl-be": "Elk lid dat zich met een wachtwoord aanmeldt, heeft nu een authenticator-app nodig.",
    "en": "Every member who signs in with a password now needs an authenticator app.",
}


def test_an_admin_requires_a_second_factor_of_all_members(page, live_server, demo_data):
    login(page, live_server, "beheer", demo_data)
    page.goto(f"{live_server.url}/sign-in-rules/")
    language = page_language(page)
    assert_accessible_at_every_width(page, f"sign-in rules with the setting ({language})")
    checkbox = page.get_by_label(LABEL[language])
    assert not checkbox.is_checked()
    checkbox.check()
    with page.expect_navigation():
        page.locator("#require-mfa-form").get_by_role("button", name=SAVE[language]).click()
    assert SWITCHED_ON[language] in page.locator("main").inner_text()
    assert page.get_by_label(LABEL[language]).is_checked()
    assert_accessible_at_every_width(page, f"sign-in rules, setting saved ({language})")
    assert Organisation.objects.get(memberships__user__username="beheer").require_mfa
