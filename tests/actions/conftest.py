"""Fixtures of the action plan tests: a plan builder and the default model's first criteria."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import Action
from actions.services import ActionInput, action_create
from assessments.models import Membership
from maturity.selectors import model_version_structure


@pytest.fixture(autouse=True)
def empty_caches():
    from maturity import caching

    caching.clear_all()


@pytest.fixture
def criteria(default_model):
    """The default model's criteria in questionnaire order."""
    return list(model_version_structure(version=default_model).criteria)


def action_input(**overrides) -> ActionInput:
    values = {
        "title": "Sociale-mediabeleid schrijven",
        "criterion_key": "",
        "owner_member": None,
        "owner_name": "jeugddienst",
        "due_date": timezone.localdate() + timedelta(days=30),
        "status": Action.Status.PLANNED,
        "notes": "",
    }
    values.update(overrides)
    return ActionInput(**values)


@pytest.fixture
def make_action(people):
    """`make_action(**fields)`: an action of the people's organisation, added by the respondent."""

    def make(**overrides) -> Action:
        return action_create(
            organisation=people.organisation, user=people.respondent, data=action_input(**overrides)
        )

    return make


@pytest.fixture
def respondent_membership(people) -> Membership:
    return Membership.objects.get(user=people.respondent, organisation=people.organisation)
