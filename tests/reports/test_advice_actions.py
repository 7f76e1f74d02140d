"""The report's advice items know the action plan: the actions on a criterion, the add link."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from actions.models import Action
from actions.services import action_set_status
from assessments.models import Assessment
from tests.actions.conftest import action_input
from tests.reports.test_report import reader, report_url

pytestmark = pytest.mark.django_db


def advice_item(content: str, statement: str) -> str:
    """The advice item (its <li>) whose criterion has this statement."""
    items = re.findall(r'<li class="mb-2">.*?</li>\s*(?=<li class="mb-2">|</ol>)', content, re.S)
    matching = [item for item in items if statement in item]
    assert len(matching) == 1, statement
    return matching[0]


@pytest.fixture
def advised(submitted: Assessment):
    """The criterion of the report's first advice item."""
    key = submitted.result["advice"][0]["criterion_key"]
    return submitted.model_version.criteria.get(key=key)


def add_action(people, criterion, **fields) -> Action:
    from actions.services import action_create

    data = {"criterion_key": criterion.key, "title": "Doelen met de diensten bepalen"} | fields
    return action_create(
        organisation=people.organisation, user=people.respondent, data=action_input(**data)
    )


def test_an_advice_item_shows_the_open_action_on_its_criterion_instead_of_the_add_link(
    people, submitted, advised
):
    due = timezone.localdate() + timedelta(days=40)
    action = add_action(people, advised, owner_name="jeugddienst", due_date=due)

    content = reader(people.respondent).get(report_url(submitted)).content.decode()

    item = advice_item(content, advised.statement_en)
    assert reverse("actions:detail", args=[action.pk]) in item
    assert "Doelen met de diensten bepalen" in item
    assert "Planned" in item and "jeugddienst" in item
    with translation.override("en"):
        assert f"due {date_format(due)}" in item
    assert reverse("actions:new") not in item


def test_a_finished_action_is_shown_and_another_may_be_added(people, submitted, advised):
    action = add_action(people, advised)
    action_set_status(action=action, user=people.respondent, status=Action.Status.DONE)

    content = reader(people.respondent).get(report_url(submitted)).content.decode()

    item = advice_item(content, advised.statement_en)
    assert "Done" in item and "done on" in item
    assert "Add another action" in item


def test_a_cancelled_action_is_not_shown(people, submitted, advised):
    action = add_action(people, advised)
    action_set_status(action=action, user=people.respondent, status=Action.Status.CANCELLED)

    content = reader(people.respondent).get(report_url(submitted)).content.decode()

    item = advice_item(content, advised.statement_en)
    assert "Doelen met de diensten bepalen" not in item
    assert "Add to the action plan" in item


@pytest.mark.parametrize(
    ("role", "sees_link"), [("respondent", True), ("admin", True), ("viewer", False)]
)
def test_only_roles_that_may_add_an_action_see_the_add_link(people, submitted, role, sees_link):
    # The viewer first: the report is cached, and the cache must keep the roles apart.
    reader(people.viewer).get(report_url(submitted))

    content = reader(getattr(people, role)).get(report_url(submitted)).content.decode()

    assert (reverse("actions:new") in content) is sees_link
    assert "Next steps" in content


def test_a_viewer_sees_the_actions_on_the_advice(people, submitted, advised):
    add_action(people, advised)

    content = reader(people.viewer).get(report_url(submitted)).content.decode()

    assert "Doelen met de diensten bepalen" in advice_item(content, advised.statement_en)


def test_the_cached_report_shows_an_action_added_after_it_was_rendered(people, submitted, advised):
    client = reader(people.respondent)
    client.get(report_url(submitted))  # rendered and cached without the action

    add_action(people, advised)

    item = advice_item(client.get(report_url(submitted)).content.decode(), advised.statement_en)
    assert "Doelen met de diensten bepalen" in item


def test_another_organisations_actions_are_not_shown(people, submitted, advised, stranger):
    from actions.services import action_create

    other = stranger.memberships.get().organisation
    action_create(
        organisation=other,
        user=stranger,
        data=action_input(criterion_key=advised.key, title="Vreemde actie"),
    )

    content = reader(people.respondent).get(report_url(submitted)).content.decode()

    assert "Vreemde actie" not in content


def test_dutch_dates_on_the_advice_are_localised(people, submitted, advised):
    add_action(people, advised, due_date=date(2027, 11, 27))

    content = reader(people.respondent, "nl-be").get(report_url(submitted)).content.decode()

    item = advice_item(content, advised.statement_nl)
    assert "27 november 2027" in item
    assert "Nov 2027" not in item
