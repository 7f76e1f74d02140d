"""At most TRAJECTORY_QUEUE_LIMIT agenda renders waiting or running per trajectory: beyond that
an ask gets the reports' "try again later" (503), whoever asks; the worker runs eagerly."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from documents.renders import STALE_AFTER, RenderQueueFullError
from tests.security.test_races import in_threads
from tests.trajectories.conftest import Group
from trajectories import agenda_renders, services
from trajectories.agenda_renders import TRAJECTORY_QUEUE_LIMIT
from trajectories.models import AgendaRender, Trajectory

pytestmark = pytest.mark.django_db

TRY_LATER = "De bewerkbare agenda (ODT) kan nu niet worden klaargemaakt. Probeer later opnieuw."


def new_session(group: Group, topic: str, trajectory: Trajectory | None = None):
    return services.session_create(
        trajectory=trajectory or group.trajectory,
        user=group.coach,
        when=group.trajectory.start_date,
        topic=topic,
        agenda="1. Welkom",
    )


def others_waiting(session, count: int, *, status: str = "queued", age=timedelta(0)) -> None:
    """`count` renders of `session` asked by other people than the group's, each its own key."""
    for number in range(count):
        AgendaRender.objects.create(
            key=f"{number:064x}",
            session=session,
            requested_by=get_user_model().objects.create_user(username=f"vrager{number}"),
            language="nl-be",
            format="pdf",
            status=status,
            requested_at=timezone.now() - age,
        )


def ask_odt(client, session):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
    return client.get(reverse("trajectories:session_odt", args=[session.pk]))


def test_a_full_trajectory_answers_try_again_later_and_asks_nothing_of_the_worker(
    client_for, group
):
    session = new_session(group, "Webcare")
    others_waiting(new_session(group, "Andere sessie"), TRAJECTORY_QUEUE_LIMIT)

    response = ask_odt(client_for(group.coach), session)

    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert TRY_LATER in response.content.decode()
    assert AgendaRender.objects.filter(session=session).count() == 0


def test_a_member_of_a_full_trajectory_gets_the_same_answer_as_json(client_for, group):
    session = new_session(group, "Webcare")
    others_waiting(session, TRAJECTORY_QUEUE_LIMIT)
    client = client_for(group.admins["Gemeente Verder"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"

    answer = client.get(
        reverse("trajectories:session_odt", args=[session.pk]), HTTP_ACCEPT="application/json"
    )

    assert answer.status_code == 503
    assert answer.json() == {"status": "refused", "message": TRY_LATER, "status_url": None}


def test_one_place_left_renders_the_agenda(client_for, group):
    session = new_session(group, "Webcare")
    others_waiting(new_session(group, "Andere sessie"), TRAJECTORY_QUEUE_LIMIT - 1)

    response = ask_odt(client_for(group.coach), session)

    assert response.status_code == 200  # rendered by the (eager) worker, then served
    assert AgendaRender.objects.get(session=session).status == AgendaRender.Status.DONE


@pytest.mark.parametrize(
    ("status", "age"),
    [
        ("done", timedelta(0)),
        ("failed", timedelta(0)),
        ("queued", STALE_AFTER + timedelta(seconds=1)),  # lost its task: no longer counted
        ("rendering", STALE_AFTER + timedelta(seconds=1)),
    ],
)
def test_finished_and_stale_renders_do_not_count(client_for, group, status, age):
    session = new_session(group, "Webcare")
    others_waiting(
        new_session(group, "Andere sessie"), TRAJECTORY_QUEUE_LIMIT, status=status, age=age
    )

    assert ask_odt(client_for(group.coach), session).status_code == 200


def test_another_trajectory_s_renders_do_not_count(client_for, group):
    other = services.trajectory_create(
        user=group.coach,
        organisation=group.coach_organisation,
        name="Monitoring 2028",
        model_version=group.trajectory.model_version,
        start_date=group.trajectory.start_date,
        end_date=group.trajectory.end_date,
    )
    others_waiting(new_session(group, "Elders", trajectory=other), TRAJECTORY_QUEUE_LIMIT)
    session = new_session(group, "Webcare")

    assert ask_odt(client_for(group.coach), session).status_code == 200


def test_a_render_of_the_same_content_waiting_is_found_even_when_the_trajectory_is_full(
    client_for, group
):
    session = new_session(group, "Webcare")
    key = agenda_renders.agenda_render_key(
        session=session, trajectory=group.trajectory, language="nl-be", fmt="odt"
    )
    waiting = AgendaRender.objects.create(
        key=key, session=session, requested_by=group.coach, language="nl-be", format="odt"
    )
    others_waiting(new_session(group, "Andere sessie"), TRAJECTORY_QUEUE_LIMIT - 1)

    response = ask_odt(client_for(group.admins["Gemeente Verder"]), session)

    assert response.status_code == 202  # the waiting page of the render already asked for
    assert list(AgendaRender.objects.filter(session=session)) == [waiting]


@pytest.mark.django_db(transaction=True)
def test_parallel_asks_of_different_people_queue_no_more_than_the_bound(group):
    """Six people ask at once for six different agendas of one trajectory: LIMIT are queued, the
    others refused. The bound is counted under the trajectory's row lock (PostgreSQL); SQLite
    runs IMMEDIATE transactions, one after the other."""
    askers = [group.coach, *group.admins.values()]
    askers += [
        get_user_model().objects.create_user(username=f"vrager{n}") for n in range(6 - len(askers))
    ]
    sessions = [new_session(group, f"Sessie {n}") for n in range(len(askers))]

    def asking(session, user):
        key = agenda_renders.agenda_render_key(
            session=session, trajectory=group.trajectory, language="nl-be", fmt="pdf"
        )
        return lambda: agenda_renders.agenda_render_request(
            session=session, user=user, key=key, language="nl-be", fmt="pdf"
        )[1]

    outcomes = in_threads(*(asking(s, u) for s, u in zip(sessions, askers, strict=True)))

    assert outcomes.count(True) == TRAJECTORY_QUEUE_LIMIT
    refused = [o for o in outcomes if isinstance(o, RenderQueueFullError)]
    assert len(refused) == len(askers) - TRAJECTORY_QUEUE_LIMIT
    assert AgendaRender.objects.count() == TRAJECTORY_QUEUE_LIMIT
