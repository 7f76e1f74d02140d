"""The questionnaire shows the action plan's actions on a question beside it."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services import action_create, action_set_status
from assessments.models import Assessment
from maturity.selectors import model_version_structure
from tests.actions.conftest import action_input
from tests.perspectives import add_perspective, contributor_for

pytestmark = pytest.mark.django_db


def step_page(user, assessment: Assessment, language: str = "en", url: str = "") -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get(url or reverse("assessments:step", args=[assessment.pk, 1]))
    assert response.status_code == 200
    return response.content.decode()


def fieldset(content: str, key: str) -> str:
    start = content.index(f'id="criterion-{key}"')
    return content[start : content.index("</fieldset>", start)]


@pytest.fixture
def first_step_keys(draft) -> list[str]:
    structure = model_version_structure(version=draft.model_version)
    return [c.key for c in structure.criteria_of_dimension(structure.dimensions[0])]


def add(people, key: str, **fields) -> Action:
    return action_create(
        organisation=people.organisation,
        user=people.respondent,
        data=action_input(criterion_key=key, **fields),
    )


def test_open_and_finished_actions_are_shown_beside_their_question(people, draft, first_step_keys):
    key = first_step_keys[0]
    add(people, key, title="Doelgroepen beschrijven", owner_name="jeugddienst")
    done = add(people, key, title="Bevraging bij inwoners")
    action_set_status(action=done, user=people.respondent, status=Action.Status.DONE)

    content = step_page(people.respondent, draft)

    shown = fieldset(content, key)
    assert "On the action plan" in shown
    assert "Doelgroepen beschrijven" in shown and "jeugddienst" in shown
    assert "Bevraging bij inwoners" in shown and "done on" in shown
    assert shown.index("Doelgroepen beschrijven") < shown.index("Bevraging bij inwoners")
    assert reverse("actions:detail", args=[done.pk]) in shown
    assert "On the action plan" not in fieldset(content, first_step_keys[1])


def test_a_cancelled_action_is_not_shown(people, draft, first_step_keys):
    action = add(people, first_step_keys[0], title="Geschrapte actie")
    action_set_status(action=action, user=people.respondent, status=Action.Status.CANCELLED)

    assert "Geschrapte actie" not in step_page(people.respondent, draft)


def test_an_overdue_action_is_marked(people, draft, first_step_keys):
    action = add(people, first_step_keys[0], title="Te laat")
    Action.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - timedelta(days=3))

    assert "text-bg-danger" in fieldset(step_page(people.respondent, draft), first_step_keys[0])


def test_the_due_date_reads_in_dutch(people, draft, first_step_keys):
    add(people, first_step_keys[0], title="Actie", due_date=date(2027, 11, 27))

    shown = fieldset(step_page(people.respondent, draft, "nl-be"), first_step_keys[0])

    assert "tegen 27 november 2027" in shown
    assert "Nov" not in shown


def test_another_organisations_actions_are_not_shown(people, draft, first_step_keys, stranger):
    action_create(
        organisation=stranger.memberships.get().organisation,
        user=stranger,
        data=action_input(criterion_key=first_step_keys[0], title="Vreemde actie"),
    )

    assert "Vreemde actie" not in step_page(people.respondent, draft)


def test_a_contributor_does_not_see_the_action_plan(people, draft, first_step_keys):
    add(people, first_step_keys[0], title="Interne actie")
    jeugd = add_perspective(draft, people.respondent, "Jeugddienst")
    contributor = contributor_for(people, jeugd)
    url = reverse("assessments:perspective_step", args=[draft.pk, jeugd.pk, 1])

    content = step_page(contributor, draft, url=url)

    assert "Interne actie" not in content
    assert "On the action plan" not in content


def test_the_viewer_still_cannot_open_a_step(client_for, people, draft):
    response = client_for(people.viewer).get(reverse("assessments:step", args=[draft.pk, 1]))

    assert response.status_code == 403


def test_a_question_with_many_actions_shows_three_and_links_to_the_rest(
    people, draft, first_step_keys
):
    key = first_step_keys[0]
    today = timezone.localdate()
    for number in range(5):
        add(people, key, title=f"Actie {number}", due_date=today + timedelta(days=number + 1))
    add(people, first_step_keys[1], title="Op een andere vraag")

    shown = fieldset(step_page(people.respondent, draft), key)

    assert [f"Actie {n}" in shown for n in range(5)] == [True, True, True, False, False]
    assert "2 more actions on the action plan" in shown
    more = reverse("actions:plan") + f"?status=all&amp;criterion={key}"
    assert more in shown
    plan = step_page(people.respondent, draft, url=more.replace("&amp;", "&"))
    assert all(f"Actie {n}" in plan for n in range(5))
    assert "Op een andere vraag" not in plan
    assert "Only the actions on the question" in plan


def test_the_link_to_the_rest_reads_in_dutch(people, draft, first_step_keys):
    for number in range(4):
        add(people, first_step_keys[0], title=f"Actie {number}")

    shown = fieldset(step_page(people.respondent, draft, "nl-be"), first_step_keys[0])

    assert "Nog 1 actie op het actieplan" in shown


def test_three_actions_need_no_link(people, draft, first_step_keys):
    for number in range(3):
        add(people, first_step_keys[0], title=f"Actie {number}")

    shown = fieldset(step_page(people.respondent, draft), first_step_keys[0])

    assert all(f"Actie {n}" in shown for n in range(3))
    assert "more action" not in shown
