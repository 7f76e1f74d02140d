"""Staff manage organisations and their members in the admin; assessments are read-only there."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assessments.models import Membership, Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.values[attributes["name"]] = attributes.get("value") or ""


def hidden_inputs(html: str) -> dict[str, str]:
    """The hidden fields a browser would submit with the page's form."""
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.values


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_staff_creates_an_organisation_with_a_member(client, superuser):
    member = UserFactory()
    client.force_login(superuser)

    response = client.post(
        reverse("admin:assessments_organisation_add"),
        {
            "name": "Gemeente Nieuwstad",
            "slug": "gemeente-nieuwstad",
            "kind": "gemeente",
            "region": "Limburg",
            "official_code": "71022",
            "population": "12000",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": str(member.pk),
            "memberships-0-role": "admin",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(slug="gemeente-nieuwstad")
    assert organisation.memberships.get().role == Membership.Role.ADMIN


def test_the_assessment_admin_shows_but_does_not_change_assessments(client, superuser, submitted):
    client.force_login(superuser)
    url = reverse("admin:assessments_assessment_change", args=[submitted.pk])

    response = client.get(url)
    assert response.status_code == 200
    # Submit the page as a browser would (its hidden inline management fields included), with
    # a new title added: the save must succeed (302, not a form error) and change nothing.
    posted = client.post(
        url, {**hidden_inputs(response.content.decode()), "title": "Changed", "_save": "Save"}
    )

    assert posted.status_code == 302, posted.content.decode()[:2000]
    submitted.refresh_from_db()
    assert submitted.title == "Meting 2025"
    assert client.get(reverse("admin:assessments_assessment_add")).status_code == 403


def test_staff_without_organisation_permissions_cannot_open_organisations(client, people):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:assessments_organisation_changelist"))

    assert response.status_code == 403
