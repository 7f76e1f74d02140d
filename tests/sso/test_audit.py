"""The sign-in audit trail: what is recorded, and who sees which lines."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache

from assessments.models import Membership
from assessments.spreadsheet import BOM
from sso.models import SignInEvent, SignInRule
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.oidc.identity_provider import DEFAULT_ACCOUNTS, PROVIDER_ID, sign_in
from tests.sso.test_mfa import AUTHENTICATE, SECRET, code_now

pytestmark = pytest.mark.django_db
Kind = SignInEvent.Kind


@pytest.fixture(autouse=True)
def _used_codes_forgotten():
    cache.clear()
    yield
    cache.clear()


def kinds(**filters) -> list[str]:
    return list(SignInEvent.objects.filter(**filters).order_by("pk").values_list("kind", flat=True))


def test_a_password_sign_in_and_sign_out_are_recorded(client, password):
    user = UserFactory()
    client.post("/accounts/login/", {"username": user.username, "password": password})
    client.post("/accounts/logout/")
    sign_in_line, sign_out_line = SignInEvent.objects.filter(user=user).order_by("pk")
    assert (sign_in_line.kind, sign_in_line.method) == (Kind.SIGN_IN, "password")
    assert sign_in_line.identifier == user.username
    assert sign_out_line.kind == Kind.SIGN_OUT


def test_a_wrong_password_is_recorded_with_the_username_typed(client):
    user = UserFactory()
    client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    client.post("/accounts/login/", {"username": "nobody-here", "password": "wrong"})
    known, unknown = SignInEvent.objects.order_by("pk")
    assert (known.kind, known.succeeded, known.user) == (Kind.SIGN_IN_FAILED, False, user)
    assert (unknown.user, unknown.identifier) == (None, "nobody-here")


def test_the_second_step_is_recorded_passed_and_failed(client, password):
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    TOTP.activate(user, SECRET)
    client.post("/accounts/login/", {"username": user.username, "password": password})
    client.post(AUTHENTICATE, {"code": "000000" if code_now(SECRET) != "000000" else "111111"})
    client.post(AUTHENTICATE, {"code": code_now(SECRET)})
    assert kinds(user=user) == [Kind.SECOND_FACTOR_FAILED, Kind.SECOND_FACTOR, Kind.SIGN_IN]
    line = SignInEvent.objects.get(user=user, kind=Kind.SIGN_IN)
    assert (line.method, line.detail) == ("password", "+ totp")


def test_an_enrolment_is_recorded(client, password, django_capture_on_commit_callbacks):
    user = MembershipFactory(role=Membership.Role.ADMIN).user
    client.post("/accounts/login/", {"username": user.username, "password": password})
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/totp/activate/", {"code": code_now(secret)})
    added = SignInEvent.objects.filter(user=user, kind=Kind.SECOND_FACTOR_ADDED)
    assert sorted(added.values_list("method", flat=True)) == ["recovery_codes", "totp"]


def test_an_sso_sign_in_and_the_rule_events_are_recorded(idp, browser_client):
    organisation = OrganisationFactory()
    SignInRule.objects.create(
        organisation=organisation,
        provider_id=PROVIDER_ID,
        claim="org_code",
        value="ORG-A",
        role=Membership.Role.RESPONDENT,
    )
    sign_in(browser_client, "alice")
    line = SignInEvent.objects.get(kind=Kind.SIGN_IN)
    assert (line.method, line.provider_id) == ("identity_provider", PROVIDER_ID)
    joined = SignInEvent.objects.get(kind=Kind.RULE_JOINED)
    assert (joined.organisation, joined.user) == (organisation, line.user)

    browser_client.post("/accounts/logout/")
    idp.set_accounts({**DEFAULT_ACCOUNTS, "alice": {**DEFAULT_ACCOUNTS["alice"], "org_code": ""}})
    sign_in(browser_client, "alice")
    ended = SignInEvent.objects.get(kind=Kind.RULE_ENDED)
    assert (ended.organisation, ended.user) == (organisation, line.user)


def test_a_refused_sso_sign_in_is_recorded(idp, browser_client):
    UserFactory(username="alice.local", email="alice@example.org")
    # The identity provider names a local account's address without having verified it.
    idp.set_accounts(
        {**DEFAULT_ACCOUNTS, "alice": {**DEFAULT_ACCOUNTS["alice"], "email_verified": False}}
    )
    response = sign_in(browser_client, "alice")
    assert response.status_code == 403
    line = SignInEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert (line.identifier, line.provider_id, line.succeeded) == (
        "alice@example.org",
        PROVIDER_ID,
        False,
    )


def test_an_admin_sees_their_members_lines_only(client_for, people, stranger):
    from sso.services import sign_in_event_record

    sign_in_event_record(kind=Kind.SIGN_IN, user=people.respondent, method="password")
    sign_in_event_record(kind=Kind.SIGN_IN, user=stranger, method="password")
    left = UserFactory(username="left-by-rule")
    sign_in_event_record(kind=Kind.RULE_ENDED, user=left, organisation_id=people.organisation.pk)
    page = client_for(people.admin).get("/sign-in-rules/sign-ins/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    shown = {event.user for event in page.context["page"].object_list}
    # The admin's own sign-in (of this test client) is a member's line too.
    assert shown == {people.respondent, people.admin, left}


def test_the_page_needs_an_organisation_admin(client, client_for, people):
    anonymous = client.get("/sign-in-rules/sign-ins/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for user in (people.respondent, people.viewer):
        assert client_for(user).get("/sign-in-rules/sign-ins/").status_code == 403
        assert client_for(user).get("/sign-in-rules/sign-ins.csv").status_code == 403


def test_the_page_reads_a_fixed_number_of_queries(
    client_for, people, django_assert_max_num_queries
):
    from sso.services import sign_in_event_record

    client = client_for(people.admin)
    for _ in range(3):
        sign_in_event_record(kind=Kind.SIGN_IN, user=people.respondent)
    client.get("/sign-in-rules/sign-ins/")
    with django_assert_max_num_queries(12) as few:
        client.get("/sign-in-rules/sign-ins/")
    for user in UserFactory.create_batch(10):
        MembershipFactory(user=user, organisation=people.organisation)
        sign_in_event_record(kind=Kind.SIGN_IN, user=user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/sign-in-rules/sign-ins/")


def test_the_csv_has_every_line_and_guards_formulas(client_for, people):
    from sso.services import sign_in_event_record

    member = MembershipFactory(organisation=people.organisation, user__username="@sum").user
    sign_in_event_record(kind=Kind.SIGN_IN_FAILED, succeeded=False, user=member, detail="=1+1")
    response = client_for(people.admin).get(
        "/sign-in-rules/sign-ins.csv", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith(BOM + '"Time","User"')
    assert '"\'@sum"' in text
    assert '"\'=1+1"' in text
    assert '"Sign-in failed","failed"' in text


def test_staff_read_the_whole_trail_in_the_admin(client_for, stranger):
    from sso.services import sign_in_event_record

    sign_in_event_record(kind=Kind.SIGN_IN, user=stranger)
    staff = UserFactory(is_staff=True, is_superuser=True)
    page = client_for(staff).get("/admin/sso/signinevent/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert stranger.username in page.text
