"""A coach with 30 trajectories (issue 35's scale): every page they open, and the pages of a
member organisation's admin who takes part in all of them, read the same number of queries as
with one trajectory; and the overview orders and groups them so that 30 stay readable."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from maturity import caching
from tests.factories import MembershipFactory, OrganisationFactory, SharingMemberFactory
from tests.trajectories.conftest import ALL_ON, consent
from trajectories.models import (
    AgendaRender,
    Coach,
    Practice,
    Session,
    Trajectory,
    TrajectoryMember,
)
from trajectories.selectors import trajectory_overview

pytestmark = pytest.mark.django_db

VOORBEELD = "Gemeente Voorbeeld"
TRAJECTORIES = 30


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _furnish(trajectory: Trajectory, member: TrajectoryMember, coach) -> Session:
    """Two sessions (one with a finished agenda render) and a practice of `member`."""
    sessions = [
        Session.objects.create(
            trajectory=trajectory,
            date=trajectory.start_date + timedelta(days=days),
            topic=f"Sessie {days}",
            agenda="1. Welkom",
        )
        for days in (7, 120)
    ]
    AgendaRender.objects.create(
        key=f"{sessions[0].pk:064d}",
        session=sessions[0],
        requested_by=coach,
        language="en",
        status=AgendaRender.Status.DONE,
    )
    Practice.objects.create(
        member=member, criterion_key="crit-001", title="Praktijk", what_we_did="Iets gedaan"
    )
    return sessions[0]


def _grow(group, count: int) -> None:
    """`count` more trajectories of the same coach, each with our organisation (sharing
    everything), one other accepted member, one invited, two sessions and a practice."""
    first = group.trajectory
    for number in range(count):
        trajectory = Trajectory.objects.create(
            name=f"Groep {number:02d}",
            coach_organisation=group.coach_organisation,
            model_version=first.model_version,
            start_date=first.start_date,
            end_date=first.end_date + timedelta(days=number),
        )
        Coach.objects.create(trajectory=trajectory, user=group.coach)
        ours = SharingMemberFactory(
            trajectory=trajectory, organisation=group.organisations[VOORBEELD]
        )
        for status in (TrajectoryMember.Status.ACCEPTED, TrajectoryMember.Status.INVITED):
            TrajectoryMember.objects.create(
                trajectory=trajectory,
                organisation=OrganisationFactory(name=f"Gemeente {number:02d} {status}"),
                status=status,
            )
        _furnish(trajectory, ours, group.coach)


def _pages(group, session: Session) -> dict[str, tuple[object, str]]:
    """(user, URL) of every page of the first trajectory a coach or our admin opens."""
    pk = group.trajectory.pk
    render = AgendaRender.objects.get(session=session)
    coach, admin = group.coach, group.admins[VOORBEELD]
    return {
        "coach list": (coach, reverse("trajectories:list")),
        "coach board": (coach, reverse("trajectories:detail", args=[pk])),
        "coach board.json": (coach, reverse("trajectories:board_json", args=[pk])),
        "coach members": (coach, reverse("trajectories:members", args=[pk])),
        "coach new session": (coach, reverse("trajectories:session_new", args=[pk])),
        "coach session": (coach, reverse("trajectories:session", args=[session.pk])),
        "coach agenda status": (
            coach,
            reverse("trajectories:session_agenda_status", args=[session.pk, render.pk]),
        ),
        "coach practices": (coach, reverse("trajectories:practices", args=[pk])),
        "member list": (admin, reverse("trajectories:list")),
        "member board": (admin, reverse("trajectories:detail", args=[pk])),
        "member sharing": (admin, reverse("trajectories:sharing", args=[pk])),
        "member session": (admin, reverse("trajectories:session", args=[session.pk])),
        "member practices": (admin, reverse("trajectories:practices", args=[pk])),
    }


def _queries(client, pages) -> dict[str, tuple[int, int]]:
    """Per page the queries of its first request (nothing cached) and of the next one."""
    counts = {}
    for name, (user, url) in pages.items():
        client.force_login(user)
        client.get(url)  # the model's structure is cached per process from now on
        caching.clear_all()
        measured = []
        for _cold_then_cached in range(2):
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200, name
            measured.append(len(context.captured_queries))
        counts[name] = tuple(measured)
    return counts


def test_every_page_of_a_coach_reads_the_same_queries_with_30_trajectories(client, group):
    consent(group, VOORBEELD, ALL_ON)
    session = _furnish(group.trajectory, group.members[VOORBEELD], group.coach)
    pages = _pages(group, session)
    one = _queries(client, pages)

    _grow(group, TRAJECTORIES - 1)
    assert Coach.objects.filter(user=group.coach).count() == TRAJECTORIES

    assert _queries(client, pages) == one


def test_the_overview_shows_30_trajectories_with_their_members_and_next_session(client_for, group):
    _grow(group, TRAJECTORIES - 1)
    page = client_for(group.coach).get(reverse("trajectories:list")).content.decode()
    assert page.count('class="list-group-item"') == TRAJECTORIES
    # Each grown group: our organisation and one other accepted, one invitation open.
    assert page.count("2 members · 1 invitation open") == TRAJECTORIES - 1
    first = Session.objects.filter(trajectory__name="Groep 00").order_by("date").last()
    with translation.override("en"):
        assert f"next session {date_format(first.date, 'DATE_FORMAT')}" in page


def test_running_trajectories_come_first_the_soonest_to_end_on_top(group):
    _grow(group, 4)
    today = timezone.localdate()
    Trajectory.objects.filter(name="Groep 01").update(
        start_date=today - timedelta(days=400), end_date=today - timedelta(days=30)
    )
    Trajectory.objects.filter(name="Groep 02").update(
        start_date=today - timedelta(days=400), end_date=today - timedelta(days=10)
    )

    overview = trajectory_overview(user=group.coach)

    # Groep 00 ends on the same day as Webcare 2027 (then by name), Groep 03 three days later.
    assert [t.name for t in overview.coached] == ["Groep 00", "Webcare 2027", "Groep 03"]
    assert [t.name for t in overview.coached_ended] == ["Groep 02", "Groep 01"]
    assert overview.taking_part == overview.taking_part_ended == []  # the coach is no member
    member_view = trajectory_overview(user=group.admins[VOORBEELD])
    assert [m.trajectory.name for m in member_view.taking_part] == [
        "Groep 00",
        "Webcare 2027",
        "Groep 03",
    ]
    assert [m.trajectory.name for m in member_view.taking_part_ended] == ["Groep 02", "Groep 01"]


def test_a_user_without_trajectories_is_told_how_they_get_one(client_for):
    user = MembershipFactory(organisation=OrganisationFactory(), role="viewer").user
    page = client_for(user).get(reverse("trajectories:list")).content.decode()
    assert "Your organisation takes part in no trajectory." in page
    assert "A coach invites your organisation" in page
    assert "Trajectories you coach" not in page  # a viewer cannot start one


def test_an_admin_without_trajectories_may_start_one(client_for):
    user = MembershipFactory(organisation=OrganisationFactory(), role="admin").user
    page = client_for(user).get(reverse("trajectories:list")).content.decode()
    assert "You do not coach a trajectory." in page
    assert reverse("trajectories:new") in page


def test_a_coach_whose_organisation_takes_part_nowhere_sees_only_what_they_coach(client_for, group):
    page = client_for(group.coach).get(reverse("trajectories:list")).content.decode()
    assert "Webcare 2027" in page
    assert "Trajectories you take part in" not in page
