"""Every role lands on its job (issue 29, item 8): a model editor without an organisation on the
models' overview, a sector analyst on the sector view, someone with no role at all on the
request for an invitation."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.management.commands.load_demo_data import model_editors_group
from assessments.services import assessment_create
from maturity.services import model_version_new_draft
from tests.factories import UserFactory, build_model_version
from tests.reassessment_models import next_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back():
    """The English pages leave English active in this thread: the next test starts in Dutch."""
    yield
    translation.deactivate()


def client_in(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(model_editors_group())
    return user


@pytest.fixture
def analyst():
    user = UserFactory(username="koepel")
    user.user_permissions.add(Permission.objects.get(codename="view_sector"))
    return user


def test_a_model_editor_lands_on_the_models_overview(editor):
    response = client_in(editor).get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("maturity:model_overview")


def test_a_sector_analyst_lands_on_the_sector_view(analyst):
    response = client_in(analyst).get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("benchmarks:sector")


def test_someone_without_a_role_is_asked_to_get_an_invitation():
    page = client_in(UserFactory()).get(reverse("dashboard"))

    assert page.status_code == 200
    assert "Ask the organisation admin of your municipality for an invitation" in (
        page.content.decode()
    )


def test_a_member_still_lands_on_the_dashboard(people, editor):
    page = client_in(people.respondent).get(reverse("dashboard"))

    assert page.status_code == 200


def test_the_overview_shows_drafts_versions_and_drafts_on_older_versions(people, editor):
    first = build_model_version(criteria_count=4, dimension_count=2, slug="groeipad")
    assessment_create(organisation=people.organisation, user=people.admin, title="Meting 2027")
    second = next_version(first, add={"crit-nieuw": "crit-001"})
    draft = model_version_new_draft(source=second)

    page = client_in(editor).get(reverse("maturity:model_overview")).content.decode()

    assert f"Version {draft.version} (draft)" in page
    assert "Version 2, current since" in page
    assert "Version 1 (archived)" in page
    assert "Gemeente Voorbeeld – “Meting 2027” (version 1" in page


@pytest.mark.parametrize("who", ["member", "no_role", "analyst", "staff_without_permissions"])
def test_only_model_editors_open_the_overview(people, analyst, who):
    user = {
        "member": people.admin,
        "no_role": UserFactory(),
        "analyst": analyst,
        "staff_without_permissions": UserFactory(is_staff=True),
    }[who]

    assert client_in(user).get(reverse("maturity:model_overview")).status_code == 403


def test_the_overview_sends_anonymous_visitors_to_log_in():
    response = Client().get(reverse("maturity:model_overview"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_overviews_queries_do_not_grow_with_versions_or_drafts(
    people, editor, django_assert_max_num_queries
):
    first = build_model_version(criteria_count=4, dimension_count=2, slug="groeipad")
    version = first
    for number in range(3):
        assessment_create(
            organisation=people.organisation, user=people.admin, title=f"Meting {number}"
        )
        version = next_version(version, add={f"crit-{number}x": "crit-001"})
    client = client_in(editor)
    client.get(reverse("maturity:model_overview"))

    # session, user, the editor's permissions (user, groups), versions, drafts on old versions,
    # the header's memberships
    with django_assert_max_num_queries(7):
        assert client.get(reverse("maturity:model_overview")).status_code == 200
