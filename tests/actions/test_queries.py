"""The plan page stays in a fixed number of queries however many actions there are."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from assessments.models import Membership

pytestmark = pytest.mark.django_db

# session, user, memberships, latest model version, members, free-text owners, count, page
PLAN_BUDGET = 8


def bulk_actions(people, criteria, count: int) -> None:
    """`count` actions, a third owned by a member, linked to criteria, due over the year ahead."""
    member = Membership.objects.get(user=people.respondent)
    today = timezone.localdate()
    Action.objects.bulk_create(
        Action(
            organisation=people.organisation,
            title=f"Actie {number}",
            criterion_key=criteria[number % len(criteria)].key,
            owner_member=member if number % 3 == 0 else None,
            owner_name="" if number % 3 == 0 else f"dienst {number % 7}",
            due_date=today + timedelta(days=number % 365 - 30),
        )
        for number in range(count)
    )


def plan_queries(client, django_assert_max_num_queries, **query) -> int:
    client.get(reverse("actions:plan"))  # the model structure is loaded once per process
    with django_assert_max_num_queries(PLAN_BUDGET) as captured:
        response = client.get(reverse("actions:plan"), query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [5, 500])
def test_the_plan_page_within_budget(
    client_for, people, criteria, count, django_assert_max_num_queries
):
    bulk_actions(people, criteria, count)

    plan_queries(client_for(people.viewer), django_assert_max_num_queries, status="all")


def test_the_plan_page_queries_do_not_grow_with_actions(
    client_for, people, criteria, django_assert_max_num_queries
):
    client = client_for(people.respondent)
    bulk_actions(people, criteria, 5)
    few = plan_queries(client, django_assert_max_num_queries)
    bulk_actions(people, criteria, 495)
    many = plan_queries(client, django_assert_max_num_queries)

    assert few == many


def test_ten_thousand_actions_are_paginated_in_constant_queries(
    client_for, people, criteria, django_assert_max_num_queries
):
    bulk_actions(people, criteria, 10_000)
    client = client_for(people.admin)

    counts = {
        page: plan_queries(client, django_assert_max_num_queries, status="all", page=page)
        for page in (1, 400)
    }

    assert counts[1] == counts[400]
    last = client.get(reverse("actions:plan"), {"status": "all", "page": 400}).context["page"]
    assert len(last.object_list) == 25
    assert last.paginator.num_pages == 400


def test_filtering_by_dimension_and_owner_costs_no_extra_query(
    client_for, people, criteria, django_assert_max_num_queries
):
    bulk_actions(people, criteria, 100)
    client = client_for(people.viewer)
    member = Membership.objects.get(user=people.respondent)

    plain = plan_queries(client, django_assert_max_num_queries)
    narrowed = plan_queries(
        client,
        django_assert_max_num_queries,
        dimension=criteria[0].dimension.key,
        owner=f"member-{member.pk}",
    )

    assert plain == narrowed


def dashboard_queries(client, django_assert_max_num_queries) -> int:
    from tests.assessments.test_queries import DASHBOARD_BUDGET

    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(DASHBOARD_BUDGET) as captured:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "action-plan-tile" in response.content.decode()
    return len(captured)


def test_the_dashboard_queries_do_not_grow_with_actions_or_organisations(
    client_for, people, criteria, django_assert_max_num_queries, settings
):
    # The viewer becomes an admin of six organisations below; this test counts the dashboard's
    # queries, not the second factor an admin is then asked to set up (tests/sso).
    settings.GROEIPAD_MFA_REQUIRED = False
    from tests.factories import MembershipFactory

    client = client_for(people.viewer)
    bulk_actions(people, criteria, 3)
    few = dashboard_queries(client, django_assert_max_num_queries)
    bulk_actions(people, criteria, 300)
    for number in range(6):
        organisation = MembershipFactory(
            user=people.viewer, role=Membership.Role.ADMIN, organisation__name=f"Zele {number}"
        ).organisation
        Action.objects.create(
            organisation=organisation, title="Elders", owner_name="x", due_date=timezone.localdate()
        )
    many = dashboard_queries(client, django_assert_max_num_queries)

    assert few == many
    assert client.get(reverse("dashboard")).context["action_counts"].open == 303
