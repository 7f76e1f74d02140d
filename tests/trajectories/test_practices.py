"""Good practices: a finished action whose criterion improved, shared by the member itself."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services import action_create
from maturity.selectors import model_version_structure
from tests.actions.conftest import action_input
from tests.trajectories.conftest import submit
from trajectories import services
from trajectories.models import Practice
from trajectories.services import NotAllowedError, PracticeInput, TrajectoryInputError

pytestmark = pytest.mark.django_db

VOORBEELD, VERDER = "Gemeente Voorbeeld", "Gemeente Verder"


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def phase_criterion(group, order: int) -> str:
    structure = model_version_structure(version=group.trajectory.model_version)
    return next(c.key for c in structure.criteria if c.phase.order == order)


def finished(group, key: str, title: str) -> Action:
    action = action_create(
        organisation=group.organisations[VOORBEELD],
        user=group.admins[VOORBEELD],
        data=action_input(title=title, criterion_key=key),
    )
    Action.objects.filter(pk=action.pk).update(
        status=Action.Status.DONE, completed_at=timezone.now()
    )
    return action


@pytest.fixture
def worked(group):
    """Voorbeeld finished an action on a phase-2 criterion and then answered it better."""
    action = finished(group, phase_criterion(group, 2), "Reactieschema ingevoerd")
    submit(
        group.organisations[VOORBEELD], group.admins[VOORBEELD], {1: "4", 2: "3", 3: "1", 4: "0"}
    )
    return action


def share(group, action, user=None, title="Reactieschema in 3 stappen"):
    return services.practice_share(
        member_pk=group.members[VOORBEELD].pk,
        user=user or group.admins[VOORBEELD],
        data=PracticeInput(action.pk, title, "We schreven een schema.", "Twee halve dagen."),
    )


def test_an_improved_action_is_shared_and_the_group_reads_it(group, worked, client_for):
    practice = share(group, worked)
    assert practice.before and practice.after and practice.before != practice.after

    url = reverse("trajectories:practices", args=[group.trajectory.pk])
    for user in (group.coach, group.admins[VERDER]):
        content = client_for(user).get(url).content.decode()
        assert "Reactieschema in 3 stappen" in content and "Twee halve dagen." in content


def test_the_practices_filter_by_criterion(group, worked, client_for):
    share(group, worked)
    url = reverse("trajectories:practices", args=[group.trajectory.pk])
    client = client_for(group.coach)
    assert (
        "Reactieschema in 3 stappen"
        in client.get(url, {"criterion": worked.criterion_key}).content.decode()
    )
    other = phase_criterion(group, 1)
    assert (
        "Reactieschema in 3 stappen" not in client.get(url, {"criterion": other}).content.decode()
    )


def test_an_action_whose_criterion_did_not_improve_cannot_be_shared(group, worked):
    same = finished(group, phase_criterion(group, 3), "Niets veranderd")
    with pytest.raises(TrajectoryInputError) as error:
        share(group, same)
    assert error.value.message == services.NOT_IMPROVED


def test_an_action_is_shared_once(group, worked):
    share(group, worked)
    with pytest.raises(TrajectoryInputError) as error:
        share(group, worked)
    assert error.value.message == services.ALREADY_SHARED


def test_only_the_members_own_people_share(group, worked, people):
    for user in (people.viewer, group.coach, group.admins[VERDER]):
        with pytest.raises(NotAllowedError):
            share(group, worked, user=user)


def test_another_organisations_action_cannot_be_shared_as_ours(group, worked):
    theirs = action_create(
        organisation=group.organisations[VERDER],
        user=group.admins[VERDER],
        data=action_input(title="Van Verder", criterion_key=worked.criterion_key),
    )
    with pytest.raises(TrajectoryInputError):
        share(group, theirs)


def test_withdrawing_or_leaving_hides_the_practice(group, worked, client_for, people):
    practice = share(group, worked)
    url = reverse("trajectories:practices", args=[group.trajectory.pk])
    # Another member cannot withdraw it: 404, and it stays.
    assert client_for(group.admins[VERDER]).post(url, {"practice": practice.pk}).status_code == 404
    assert Practice.objects.filter(pk=practice.pk).exists()

    response = client_for(people.respondent).post(url, {"practice": practice.pk})
    assert response.status_code == 302
    assert not Practice.objects.filter(pk=practice.pk).exists()

    share(group, worked)
    services.member_leave(member_pk=group.members[VOORBEELD].pk, user=people.admin)
    assert "Reactieschema in 3 stappen" not in client_for(group.coach).get(url).content.decode()


def test_the_share_page_offers_improved_actions_only(group, worked, client_for, people):
    finished(group, phase_criterion(group, 3), "Niets veranderd")
    url = reverse("trajectories:practice_new", args=[group.trajectory.pk])
    content = client_for(people.respondent).get(url).content.decode()
    assert "Reactieschema ingevoerd" in content and "Niets veranderd" not in content
    assert client_for(people.viewer).get(url).status_code == 403
    assert client_for(group.coach).get(url).status_code == 403
    response = client_for(people.respondent).post(
        url, {"action": worked.pk, "title": "Via de pagina", "what_we_did": "Zo."}
    )
    assert response.status_code == 302
    assert Practice.objects.get().title == "Via de pagina"


def test_the_report_shows_the_groups_practices_on_its_advice(group, worked, client_for):
    from assessments.models import Assessment

    share(group, worked)
    # Nieuw is at phase 1 too: its advice is the phase-2 criteria, the practice's among them.
    nieuw = group.organisations["Gemeente Nieuw"]
    assessment = submit(nieuw, group.admins["Gemeente Nieuw"], {1: "4", 2: "1", 3: "0", 4: "0"})
    client = client_for(group.admins["Gemeente Nieuw"])
    url = reverse("reports:report", args=[assessment.pk])
    assert "Reactieschema in 3 stappen" in client.get(url).content.decode()

    services.member_leave(
        member_pk=group.members["Gemeente Nieuw"].pk, user=group.admins["Gemeente Nieuw"]
    )
    assert "Reactieschema in 3 stappen" not in client.get(url).content.decode()
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_a_practice_shows_inside_the_advice_item_of_its_criterion(
    group, worked, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from maturity.models import Criterion

    nieuw = group.organisations["Gemeente Nieuw"]
    assessment = submit(nieuw, group.admins["Gemeente Nieuw"], {1: "4", 2: "1", 3: "0", 4: "0"})
    client = client_for(group.admins["Gemeente Nieuw"])
    url = reverse("reports:report", args=[assessment.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    budget = len(without.captured_queries)  # now: every request empties the query log
    share(group, worked)
    client.get(url)  # the sections' key holds the practices: rendered anew once, then cached

    with django_assert_max_num_queries(budget):
        content = client.get(url).content.decode()

    statement = Criterion.objects.get(
        version=group.trajectory.model_version, key=worked.criterion_key
    ).statement_en
    items = [item for item in content.split('<li class="mb-2">')[1:] if "Your answer" in item]
    (own,) = [item for item in items if statement in item.split("</strong>")[0]]
    assert "Reactieschema in 3 stappen" in own and "Gemeente Voorbeeld (Webcare 2027)" in own
    assert content.count("Reactieschema in 3 stappen") == 1


def test_a_practice_of_another_trajectory_is_not_withdrawn_through_this_one(
    group, worked, client_for, people
):
    from trajectories.models import Trajectory, TrajectoryMember

    other = Trajectory.objects.create(
        name="Andere groep",
        coach_organisation=group.coach_organisation,
        model_version=group.trajectory.model_version,
        start_date=group.trajectory.start_date,
        end_date=group.trajectory.end_date,
    )
    member = TrajectoryMember.objects.create(
        trajectory=other,
        organisation=group.organisations[VOORBEELD],
        status=TrajectoryMember.Status.ACCEPTED,
    )
    theirs = Practice.objects.create(
        member=member, criterion_key=worked.criterion_key, title="Elders", what_we_did="Iets"
    )
    url = reverse("trajectories:practices", args=[group.trajectory.pk])

    response = client_for(people.respondent).post(url, {"practice": theirs.pk})

    assert response.status_code == 404
    assert Practice.objects.filter(pk=theirs.pk).exists()
    with pytest.raises(NotAllowedError):
        services.practice_withdraw(
            trajectory=group.trajectory, practice_pk=theirs.pk, user=people.respondent
        )
