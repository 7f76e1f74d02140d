"""The action plan's selectors read directly: the id guard, the owner and dimension filters, the
order, and what each query loads along (the pages' query counts depend on it)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import Action
from actions.selectors import (
    STATUS_ALL,
    ActionFilter,
    action_changes,
    action_export_rows,
    action_get,
    action_list,
    action_list_by_criterion,
    action_list_done_since,
    action_list_first_by_criterion,
    action_list_first_open,
    action_owner_names,
)
from actions.services import action_set_status, action_update
from assessments.models import Membership
from maturity.selectors import model_version_structure
from tests.actions.conftest import action_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_membership(people) -> Membership:
    return Membership.objects.get(user=people.admin, organisation=people.organisation)


def titles(actions) -> list[str]:
    return [action.title for action in actions]


@pytest.mark.parametrize("pk", [0, -1, 2**63, 2**64])
def test_an_id_outside_the_databases_range_is_none_without_a_query(
    admin_membership, pk, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert action_get(membership=admin_membership, pk=pk) is None


def test_a_large_id_inside_the_range_is_found(admin_membership):
    Action.objects.create(  # an id above 2 * 63
        id=1000,
        organisation=admin_membership.organisation,
        title="Duizendste",
        owner_name="jeugddienst",
        due_date=timezone.localdate(),
    )

    assert action_get(membership=admin_membership, pk=1000).title == "Duizendste"


def test_an_action_comes_with_its_owners_user_and_its_last_editor_in_one_query(
    admin_membership, make_action, django_assert_num_queries
):
    action = make_action(owner_member=admin_membership, owner_name="")
    expected = (admin_membership.user.username, Action.objects.get(pk=action.pk).changed_by_id)

    with django_assert_num_queries(1):
        found = action_get(membership=admin_membership, pk=action.pk)
        assert (found.owner_member.user.username, found.changed_by.pk) == expected


def test_the_changes_are_the_actions_own_with_their_editor_in_one_query(
    people, make_action, django_assert_num_queries
):
    action = make_action()
    other = make_action(title="Een andere actie")
    action_update(action=action, user=people.admin, data=action_input(title="Nieuwe titel"))

    with django_assert_num_queries(1):
        changes = list(action_changes(action=action))
        editors = {change.changed_by for change in changes}

    assert changes and {change.action_id for change in changes} == {action.pk}
    assert editors == {people.respondent, people.admin}
    assert other.pk not in {change.action_id for change in changes}


def test_the_plan_is_ordered_by_due_date_with_the_owners_user_loaded(
    admin_membership, make_action, django_assert_num_queries
):
    today = timezone.localdate()
    make_action(title="Later", due_date=today + timedelta(days=40))
    soon = today + timedelta(days=5)
    make_action(title="Eerst", due_date=soon, owner_member=admin_membership, owner_name="")

    with django_assert_num_queries(1):
        found = list(
            action_list(membership=admin_membership, narrowed=ActionFilter(), structure=None)
        )
        owners = [a.owner_member.user if a.owner_member else None for a in found]

    assert titles(found) == ["Eerst", "Later"]
    assert owners == [admin_membership.user, None]


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("name-Jan-Piet", ["Van Jan-Piet"]),  # a hyphen in the name: split at the first one
        ("name-42", ["Van 42"]),  # a name of digits is a name, not a member's id
        ("member-abc", ["Van 42", "Van Jan-Piet", "Van niemand"]),  # forged: no filter
        ("", ["Van 42", "Van Jan-Piet", "Van niemand"]),
    ],
)
def test_the_owner_filter_reads_its_kind_before_the_first_hyphen(
    admin_membership, make_action, owner, expected
):
    make_action(title="Van Jan-Piet", owner_name="Jan-Piet")
    make_action(title="Van 42", owner_name="42")
    make_action(title="Van niemand", owner_name="abc-def")
    narrowed = ActionFilter(owner=owner)

    found = action_list(membership=admin_membership, narrowed=narrowed, structure=None)

    assert sorted(titles(found)) == expected


def test_the_member_filter_finds_the_members_actions(admin_membership, make_action):
    make_action(title="Van de beheerder", owner_member=admin_membership, owner_name="")
    make_action(title="Van iemand", owner_name=str(admin_membership.pk))
    narrowed = ActionFilter(owner=f"member-{admin_membership.pk}")

    found = action_list(membership=admin_membership, narrowed=narrowed, structure=None)

    assert titles(found) == ["Van de beheerder"]


def test_a_dimension_filter_without_a_model_or_of_an_unknown_dimension_finds_nothing(
    admin_membership, make_action, criteria, default_model
):
    make_action(criterion_key=criteria[0].key)
    structure = model_version_structure(version=default_model)
    known = ActionFilter(dimension=criteria[0].dimension.key)

    assert titles(action_list(membership=admin_membership, narrowed=known, structure=structure))
    assert not action_list(membership=admin_membership, narrowed=known, structure=None)
    unknown = ActionFilter(dimension="bestaat-niet")
    assert not action_list(membership=admin_membership, narrowed=unknown, structure=structure)


def test_the_owner_names_leave_out_the_actions_owned_by_a_member(admin_membership, make_action):
    make_action(owner_name="jeugddienst")
    make_action(owner_member=admin_membership, owner_name="")

    assert action_owner_names(membership=admin_membership) == ["jeugddienst"]


def test_a_criterions_actions_open_by_due_date_then_finished_latest_first_in_one_query(
    people, admin_membership, make_action, criteria, django_assert_num_queries
):
    key = criteria[0].key
    today = timezone.localdate()
    now = timezone.now()
    make_action(title="Open later", criterion_key=key, due_date=today + timedelta(days=20))
    make_action(
        title="Open soon",
        criterion_key=key,
        due_date=today + timedelta(days=2),
        owner_member=admin_membership,
        owner_name="",
    )
    for title, days_ago in (("Done long ago", 30), ("Done yesterday", 1)):
        done = make_action(title=title, criterion_key=key, due_date=today + timedelta(days=1))
        action_set_status(action=done, user=people.admin, status=Action.Status.DONE)
        Action.objects.filter(pk=done.pk).update(completed_at=now - timedelta(days=days_ago))

    with django_assert_num_queries(1):
        found = action_list_by_criterion(membership=admin_membership, criterion_keys=[key])
        owners = [a.owner_member.user if a.owner_member else None for a in found[key]]

    assert titles(found[key]) == ["Open soon", "Open later", "Done yesterday", "Done long ago"]
    assert owners == [admin_membership.user, None, None, None]


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
def test_the_first_actions_per_criterion_are_the_full_lists_head_with_its_length(
    people, admin_membership, make_action, criteria, django_assert_num_queries, limit
):
    """Beside a question the step shows the first few of what the report lists in full: the
    same order (open by due date, then finished, the latest first), cancelled ones left out."""
    today = timezone.localdate()
    now = timezone.now()
    keys = [criteria[0].key, criteria[1].key, criteria[2].key]
    for number in range(7):
        key = keys[number % 2]
        action = make_action(
            title=f"Actie {number}",
            criterion_key=key,
            due_date=today + timedelta(days=(number * 5) % 11),
            owner_member=admin_membership if number % 3 == 0 else None,
            owner_name="" if number % 3 == 0 else "jeugddienst",
        )
        if number % 3 == 1:
            action_set_status(action=action, user=people.admin, status=Action.Status.DONE)
            Action.objects.filter(pk=action.pk).update(completed_at=now - timedelta(days=number))
        if number == 6:
            action_set_status(action=action, user=people.admin, status=Action.Status.CANCELLED)
    full = action_list_by_criterion(membership=admin_membership, criterion_keys=keys)

    with django_assert_num_queries(1):
        first = action_list_first_by_criterion(
            membership=admin_membership, criterion_keys=keys, limit=limit
        )

    assert set(first) == set(full) == {keys[0], keys[1]}
    for key, actions in full.items():
        assert titles(first[key].actions) == titles(actions[:limit])
        assert [a.owner for a in first[key].actions] == [a.owner_label for a in actions[:limit]]
        assert first[key].total == len(actions)


def test_the_first_actions_need_no_query_without_keys(admin_membership, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert (
            action_list_first_by_criterion(membership=admin_membership, criterion_keys=[], limit=3)
            == {}
        )


def test_the_plan_narrowed_to_one_criterion(admin_membership, make_action, criteria):
    make_action(title="Op deze vraag", criterion_key=criteria[0].key)
    make_action(title="Op een andere vraag", criterion_key=criteria[1].key)
    make_action(title="Zonder vraag")
    narrowed = ActionFilter(status=STATUS_ALL, criterion=criteria[0].key)

    found = action_list(membership=admin_membership, narrowed=narrowed, structure=None)

    assert titles(found) == ["Op deze vraag"]


def test_the_export_is_ordered_by_due_date_with_the_owners_user_loaded(
    admin_membership, make_action, django_assert_num_queries
):
    today = timezone.localdate()
    make_action(title="Later", due_date=today + timedelta(days=40))
    soon = today + timedelta(days=5)
    make_action(title="Eerst", due_date=soon, owner_member=admin_membership, owner_name="")

    with django_assert_num_queries(1):
        found = list(action_export_rows(membership=admin_membership))
        owners = [a.owner_member.user if a.owner_member else None for a in found]

    assert titles(found) == ["Eerst", "Later"]
    assert owners == [admin_membership.user, None]


def test_the_first_open_actions_come_with_their_owners_user_and_none_count_zero(
    people, admin_membership, make_action, django_assert_num_queries
):
    assert action_list_first_open(membership=admin_membership, limit=3).total == 0
    make_action(title="Van de beheerder", owner_member=admin_membership, owner_name="")
    owner = admin_membership.user

    with django_assert_num_queries(1):
        first = action_list_first_open(membership=admin_membership, limit=3)
        assert [a.owner_member.user for a in first.actions] == [owner]
    assert first.total == 1


def test_the_actions_done_since_are_those_on_a_criterion_finished_after_it_latest_first(
    people, admin_membership, make_action, criteria
):
    now = timezone.now()
    since = now - timedelta(days=10)
    finished = {
        "Net erna": (criteria[0].key, now - timedelta(days=9)),
        "Gisteren": (criteria[1].key, now - timedelta(days=1)),
        "Ervoor": (criteria[2].key, now - timedelta(days=11)),
        "Precies toen": (criteria[3].key, since),  # not after: left out
        "Zonder criterium": ("", now - timedelta(days=2)),
    }
    for title, (key, completed_at) in finished.items():
        action = make_action(title=title, criterion_key=key)
        action_set_status(action=action, user=people.admin, status=Action.Status.DONE)
        Action.objects.filter(pk=action.pk).update(completed_at=completed_at)
    make_action(title="Nog open", criterion_key=criteria[4].key)

    found = action_list_done_since(membership=admin_membership, since=since)

    assert titles(found) == ["Gisteren", "Net erna"]
