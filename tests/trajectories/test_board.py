"""The group board shows of each member exactly the items it consents to, from the next request."""

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from actions.models import Action
from actions.services import action_create, action_set_status, action_update
from assessments.models import Assessment
from assessments.services import assessment_reopen
from tests.actions.conftest import action_input
from tests.factories import SharingMemberFactory
from tests.trajectories.conftest import ALL_OFF, ALL_ON, consent, submit
from trajectories import services
from trajectories.board import _start_and_now, board_build, peer_match_text
from trajectories.selectors import trajectory_access

pytestmark = pytest.mark.django_db

VOORBEELD, VERDER, NIEUW = "Gemeente Voorbeeld", "Gemeente Verder", "Gemeente Nieuw"
ITEMS = ("share_phase", "share_profile", "share_actions", "share_priorities")


def board_for(group, user=None):
    access = trajectory_access(user=user or group.coach, pk=group.trajectory.pk)
    return board_build(access=access)


def member_on(board, name):
    return next(m for m in board.members if m.name == name)


def shown(member) -> dict:
    """Which items the board fills in for a member."""
    return {
        "share_phase": member.now is not None and member.start is not None,
        "share_profile": member.profile is not None,
        "share_actions": member.actions is not None,
        "share_priorities": member.priorities is not None,
    }


def test_without_consent_the_board_shows_names_only(group):
    board = board_for(group)

    assert board.member_names == [NIEUW, VERDER, VOORBEELD]
    assert not any(m.shares_anything for m in board.members)
    assert board.common_gaps == [] and board.peer_matches == []


@pytest.mark.parametrize("item", ITEMS)
def test_each_consent_item_shows_exactly_that_item(group, item):
    consent(group, VOORBEELD, dataclasses.replace(ALL_OFF, **{item: True}, priorities=("webcare",)))

    member = member_on(board_for(group), VOORBEELD)

    assert shown(member) == {name: name == item for name in ITEMS}


@pytest.mark.parametrize("item", ITEMS)
def test_withdrawing_one_item_hides_it_at_once_and_keeps_the_others(group, item):
    consent(group, VOORBEELD, ALL_ON)
    assert all(shown(member_on(board_for(group), VOORBEELD)).values())

    consent(group, VOORBEELD, dataclasses.replace(ALL_ON, **{item: False}))

    assert shown(member_on(board_for(group), VOORBEELD)) == {name: name != item for name in ITEMS}


def test_phase_and_index_at_the_start_and_now_are_the_shown_figures(group):
    consent(group, VERDER, ALL_ON)

    member = member_on(board_for(group), VERDER)

    # Before the start: phase 2 reached, 0.25/0.7 of phase 3; now phase 3, 0.25/0.7 of phase 4.
    assert (member.start.phase_order, str(member.start.index)) == (2, "2.3")
    assert (member.now.phase_order, str(member.now.index)) == (3, "3.3")


def test_the_start_is_counted_in_brussels_days():
    """Submitted at 23:30 UTC on the start date is the next day in Brussels: after the start."""
    first = {"submitted_at": datetime(2026, 11, 2, 9, 0, tzinfo=UTC)}
    late_evening = {"submitted_at": datetime(2026, 12, 8, 23, 30, tzinfo=UTC)}
    now = {"submitted_at": datetime(2026, 12, 20, 9, 0, tzinfo=UTC)}

    start, latest = _start_and_now([first, late_evening, now], date(2026, 12, 8))

    assert (start, latest) == (first, now)


def test_shared_actions_are_open_ones_without_notes(group):
    Action.objects.create(
        organisation=group.organisations[VOORBEELD],
        title="Afgeronde actie",
        due_date=timezone.localdate(),
        status=Action.Status.DONE,
        completed_at=timezone.now(),
    )
    consent(group, VOORBEELD, ALL_ON)

    actions = member_on(board_for(group), VOORBEELD).actions

    assert [a.title for a in actions] == ["Reactieschema opstellen"]
    assert not hasattr(actions[0], "notes")


def test_a_member_that_shares_nothing_is_no_peer_and_no_gap(group):
    consent(group, VOORBEELD, ALL_ON)
    consent(group, VERDER, ALL_OFF)

    board = board_for(group)

    assert board.peer_matches == []
    assert board.gap_base == 1


def test_peer_match_names_the_member_further_on_a_priority(group):
    consent(group, VOORBEELD, ALL_ON)  # priority webcare, phase 1 on every dimension
    consent(group, VERDER, dataclasses.replace(ALL_OFF, share_profile=True))  # phase 3

    board = board_for(group)

    assert [(p.member_name, p.peer_name, p.phases_further) for p in board.peer_matches] == [
        (VOORBEELD, VERDER, 2)
    ]
    with translation.override("en"):
        assert peer_match_text(board.peer_matches[0]).startswith("Gemeente Verder is 2 phases")


def test_no_peer_match_without_the_peers_profile_or_the_members_priorities(group):
    consent(group, VOORBEELD, ALL_ON)
    consent(group, VERDER, dataclasses.replace(ALL_ON, share_profile=False))
    assert board_for(group).peer_matches == []

    consent(group, VERDER, ALL_ON)
    consent(group, VOORBEELD, dataclasses.replace(ALL_ON, share_priorities=False))
    assert board_for(group).peer_matches == []


def test_a_peer_on_the_same_phase_is_no_match(group):
    submit(group.organisations[NIEUW], group.admins[NIEUW], {1: "4", 2: "2", 3: "1", 4: "0"})
    consent(group, VOORBEELD, ALL_ON)
    consent(group, NIEUW, ALL_ON)

    assert board_for(group).peer_matches == []


def test_common_gaps_count_the_members_with_the_same_open_criteria(group):
    submit(group.organisations[NIEUW], group.admins[NIEUW], {1: "4", 2: "1", 3: "0", 4: "0"})
    for name in (VOORBEELD, VERDER, NIEUW):
        consent(group, name, dataclasses.replace(ALL_OFF, share_phase=True))

    board = board_for(group)

    assert board.gap_base == 3
    assert board.common_gaps
    assert {gap.count for gap in board.common_gaps} == {2}  # Voorbeeld and Nieuw: phase 2 open


def test_the_coach_sees_who_has_not_submitted_and_members_do_not(group):
    assert board_for(group).not_submitted == [NIEUW]
    assert board_for(group, group.admins[VOORBEELD]).not_submitted is None


def test_a_test_assessment_does_not_count_on_the_board(group):
    Assessment.objects.filter(organisation=group.organisations[VERDER], title="Nu").update(
        is_test=True
    )
    consent(group, VERDER, ALL_ON)

    assert str(member_on(board_for(group), VERDER).now.index) == "2.3"


def _grow(group, organisations: int, years: int, actions: int) -> None:
    """More members, each with `years` submitted results and `actions` open actions."""
    from assessments.models import Organisation
    from tests.factories import OrganisationFactory

    source = Assessment.objects.filter(organisation=group.organisations[VERDER]).first()
    now = timezone.now()
    for number in range(organisations):
        organisation: Organisation = OrganisationFactory(name=f"Gemeente Extra {number}")
        Assessment.objects.bulk_create(
            Assessment(
                organisation=organisation,
                model_version=source.model_version,
                title=f"Meting {year}",
                status=Assessment.Status.SUBMITTED,
                submitted_at=now - timedelta(days=365 * year),
                result=source.result,
                phase_order=source.phase_order,
                maturity_index=source.maturity_index,
            )
            for year in range(years)
        )
        Action.objects.bulk_create(
            Action(organisation=organisation, title=f"Actie {n}", due_date=timezone.localdate())
            for n in range(actions)
        )
        SharingMemberFactory(trajectory=group.trajectory, organisation=organisation)


def test_the_board_reads_in_constant_queries(group, django_assert_num_queries):
    for name in (VOORBEELD, VERDER):
        consent(group, name, ALL_ON)
    board_for(group)  # the model's structure is cached per process from now on
    cache.clear()  # the computed board too: the next one is computed anew
    access = trajectory_access(user=group.coach, pk=group.trajectory.pk)
    with django_assert_num_queries(5):
        small = board_build(access=access)
    with django_assert_num_queries(2):  # cached: the members' consent and revisions, sessions
        assert board_build(access=access) == small

    # The scale: 40 members, 5 years of history, 200 actions each.
    _grow(group, organisations=38, years=5, actions=200)
    with django_assert_num_queries(5):
        large = board_build(access=access)
    with django_assert_num_queries(2):
        assert board_build(access=access) == large

    assert len(large.sharing_members) == len(small.sharing_members) + 38
    assert len(large.peer_matches) > len(small.peer_matches)
    extra = member_on(large, "Gemeente Extra 0")
    assert (len(extra.actions), extra.actions_total) == (5, 200)


# The board is cached: every change a member makes shows on the next request all the same.


def test_a_cached_board_shows_a_new_submission_at_once(group, people):
    consent(group, VOORBEELD, ALL_ON)
    assert str(member_on(board_for(group), VOORBEELD).now.index) != "3.3"

    submit(people.organisation, people.admin, {1: "4", 2: "4", 3: "3", 4: "1"}, "Nieuw")

    assert str(member_on(board_for(group), VOORBEELD).now.index) == "3.3"


def test_a_cached_board_shows_a_reopened_assessment_gone_at_once(group):
    consent(group, VERDER, ALL_ON)
    assert member_on(board_for(group), VERDER).now.phase_order == 3

    latest = Assessment.objects.get(organisation=group.organisations[VERDER], title="Nu")
    assessment_reopen(assessment=latest, user=group.admins[VERDER], reason="Foutje")

    assert member_on(board_for(group), VERDER).now.phase_order == 2


def test_a_cached_board_shows_every_action_change_at_once(group, people):
    consent(group, VOORBEELD, ALL_ON)
    action = Action.objects.get(organisation=people.organisation)
    assert [a.title for a in member_on(board_for(group), VOORBEELD).actions] == [action.title]

    action_update(
        action=action, user=people.admin, data=action_input(title="Webcareschema opstellen")
    )
    assert [a.title for a in member_on(board_for(group), VOORBEELD).actions] == [
        "Webcareschema opstellen"
    ]

    action_set_status(action=action, user=people.admin, status=Action.Status.DONE)
    assert member_on(board_for(group), VOORBEELD).actions == []

    action_create(organisation=people.organisation, user=people.admin, data=action_input())
    assert member_on(board_for(group), VOORBEELD).actions_total == 1
    Action.objects.filter(organisation=people.organisation, status=Action.Status.PLANNED).delete()
    assert member_on(board_for(group), VOORBEELD).actions_total == 0


def test_a_cached_coach_board_never_reaches_a_member(group, people):
    consent(group, VOORBEELD, ALL_ON)
    assert board_for(group).not_submitted == [NIEUW]

    assert board_for(group, user=people.admin).not_submitted is None


def test_a_member_that_leaves_is_gone_from_a_cached_board_at_once(group):
    consent(group, VERDER, ALL_ON)
    assert VERDER in board_for(group).member_names

    services.member_leave(member_pk=group.members[VERDER].pk, user=group.admins[VERDER])

    board = board_for(group)
    assert VERDER not in board.member_names
    assert VERDER not in [m.name for m in board.members]
