"""Writing the action plan: roles, bad input, history, constraints."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from actions.models import Action, ActionChange
from actions.services import (
    DueDateOutOfRangeError,
    ForeignOwnerError,
    OwnerAmbiguousError,
    UnknownCriterionError,
    action_create,
    action_set_status,
    action_update,
)
from assessments.models import Membership
from assessments.services import NotAllowedError
from tests.actions.conftest import action_input
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_respondent_adds_an_action_and_its_history_starts(make_action, people):
    action = make_action(title="  Plan maken  ")

    assert action.title == "Plan maken"
    assert action.created_by == people.respondent
    change = ActionChange.objects.get(action=action)
    assert (change.field, change.changed_by) == ("created", people.respondent)


def test_a_viewer_cannot_add_an_action(people):
    with pytest.raises(NotAllowedError):
        action_create(organisation=people.organisation, user=people.viewer, data=action_input())


def test_a_member_of_another_organisation_cannot_change_an_action(make_action, stranger):
    action = make_action()

    with pytest.raises(NotAllowedError):
        action_set_status(action=action, user=stranger, status=Action.Status.DONE)


def test_an_owner_from_another_organisation_is_refused(people):
    outsider = MembershipFactory(role=Membership.Role.RESPONDENT)

    with pytest.raises(ForeignOwnerError):
        action_create(
            organisation=people.organisation,
            user=people.respondent,
            data=action_input(owner_member=outsider, owner_name=""),
        )


def test_an_unknown_criterion_key_is_refused(default_model, people):
    with pytest.raises(UnknownCriterionError):
        action_create(
            organisation=people.organisation,
            user=people.respondent,
            data=action_input(criterion_key="bestaat-niet"),
        )


def test_a_known_criterion_key_is_accepted(make_action, criteria):
    assert make_action(criterion_key=criteria[0].key).criterion_key == criteria[0].key


@pytest.mark.parametrize("days", [-366, 10 * 365 + 1])
def test_a_due_date_far_away_is_refused(people, days):
    with pytest.raises(DueDateOutOfRangeError):
        action_create(
            organisation=people.organisation,
            user=people.respondent,
            data=action_input(due_date=timezone.localdate() + timedelta(days=days)),
        )


def test_an_old_due_date_that_did_not_change_does_not_block_marking_done(make_action, people):
    action = make_action()
    long_ago = timezone.localdate() - timedelta(days=800)
    Action.objects.filter(pk=action.pk).update(due_date=long_ago)
    action.refresh_from_db()

    done = action_set_status(action=action, user=people.respondent, status=Action.Status.DONE)

    assert done.status == Action.Status.DONE


def test_both_a_member_and_a_service_as_owner_is_refused(people, respondent_membership):
    with pytest.raises(OwnerAmbiguousError):
        action_create(
            organisation=people.organisation,
            user=people.respondent,
            data=action_input(owner_member=respondent_membership, owner_name="jeugddienst"),
        )


def test_every_changed_field_goes_into_the_history(make_action, people, respondent_membership):
    action = make_action()

    action_update(
        action=action,
        user=people.admin,
        data=action_input(
            title="Nieuw", owner_member=respondent_membership, owner_name="", notes="Nota"
        ),
    )

    changes = {
        c.field: (c.old_value, c.new_value, c.changed_by)
        for c in ActionChange.objects.filter(action=action).exclude(field="created")
    }
    name = people.respondent.get_full_name()
    assert changes == {
        "title": ("Sociale-mediabeleid schrijven", "Nieuw", people.admin),
        "owner": ("jeugddienst", name, people.admin),
        "notes": ("", "Nota", people.admin),
    }


def test_marking_done_records_when_and_reopening_clears_it(make_action, people):
    action = make_action()

    done = action_set_status(action=action, user=people.respondent, status=Action.Status.DONE)
    assert done.completed_at is not None
    again = action_set_status(action=done, user=people.respondent, status=Action.Status.PLANNED)
    assert again.completed_at is None


def test_an_unchanged_save_writes_no_history(make_action, people):
    action = make_action()

    action_update(action=action, user=people.respondent, data=action_input())

    assert ActionChange.objects.filter(action=action).count() == 1


def test_the_database_refuses_two_owners(make_action, respondent_membership):
    action = make_action()

    with pytest.raises(IntegrityError):
        Action.objects.filter(pk=action.pk).update(owner_member=respondent_membership)


def test_the_database_refuses_done_without_completion_time(make_action):
    action = make_action()

    with pytest.raises(IntegrityError):
        Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)
