"""The board's cache: its key holds everything the page shows, kept current by database triggers.

A cached board page reads its key (the members' consent and their organisations' data revision)
and the sections rendered under it; every change of consent, actions or submitted assessments
must give a new key on the very next request.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services import action_create, action_update
from assessments.models import Assessment, Organisation
from assessments.services import assessment_create, assessment_reopen
from maturity import caching
from tests.actions.conftest import action_input
from tests.factories import OrganisationFactory
from tests.trajectories.conftest import ALL_ON, consent, submit
from tests.trajectories.test_board import _grow
from trajectories import services
from trajectories.board import board_digest
from trajectories.models import OrganisationRevision, Practice, Trajectory, TrajectoryMember
from trajectories.services import ConsentInput

pytestmark = pytest.mark.django_db

VOORBEELD, VERDER, NIEUW = "Gemeente Voorbeeld", "Gemeente Verder", "Gemeente Nieuw"


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def revision(organisation) -> tuple | None:
    return (
        OrganisationRevision.objects.filter(organisation_id=organisation.pk)
        .values_list("epoch", "counter")
        .first()
    )


# --- The organisation revision: every write path bumps it --------------------------------


def test_every_change_of_an_action_bumps_the_organisations_revision(group, people):
    organisation = people.organisation
    seen = [revision(organisation)]

    def changed() -> bool:
        seen.append(revision(organisation))
        return seen[-1] != seen[-2]

    action = action_create(organisation=organisation, user=people.admin, data=action_input())
    assert changed()
    action_update(action=action, user=people.admin, data=action_input(title="Anders"))
    assert changed()
    Action.objects.filter(pk=action.pk).update(title="Rechtstreeks")  # no service, no signal
    assert changed()
    Action.objects.bulk_create(
        [Action(organisation=organisation, title="Bulk", due_date=date.today())]
    )
    assert changed()
    Action.objects.filter(pk=action.pk).delete()
    assert changed()


def test_an_action_moved_to_another_organisation_counts_for_both(group, people):
    action = Action.objects.get(organisation=people.organisation)
    other = group.organisations[VERDER]
    before = (revision(people.organisation), revision(other))

    Action.objects.filter(pk=action.pk).update(organisation=other)

    assert revision(people.organisation) != before[0] and revision(other) != before[1]


def test_submitted_assessments_bump_the_revision_and_drafts_do_not(group, people):
    organisation = people.organisation
    before = revision(organisation)
    draft = assessment_create(organisation=organisation, user=people.admin, title="Concept")
    Assessment.objects.filter(pk=draft.pk).update(title="Nog een concept")
    assert revision(organisation) == before

    submitted = submit(organisation, people.admin, {1: "4", 2: "4", 3: "3", 4: "1"}, "Nieuw")
    after_submit = revision(organisation)
    assert after_submit != before

    assessment_reopen(assessment=submitted, user=people.admin, reason="Foutje")
    assert revision(organisation) != after_submit


def test_deleting_a_submitted_assessment_bumps_the_revision(group):
    verder = group.organisations[VERDER]
    before = revision(verder)

    Assessment.objects.filter(organisation=verder, title="Nu").delete()

    assert revision(verder) != before


# --- What a report shows of its groups bumps every organisation of the group (0005) ---------


def revisions(*organisations) -> list:
    return [revision(organisation) for organisation in organisations]


def test_every_change_of_a_practice_bumps_every_organisation_of_its_trajectory(group, people):
    organisations = list(group.organisations.values())
    outsider = OrganisationFactory(name="Gemeente Buiten")
    Action.objects.create(organisation=outsider, title="Eigen", due_date=date.today())
    seen = [revisions(*organisations)]
    outside = revision(outsider)

    def every_one_changed() -> bool:
        seen.append(revisions(*organisations))
        return all(now != before for now, before in zip(seen[-1], seen[-2], strict=True))

    practice = Practice.objects.create(
        member=group.members[VERDER], criterion_key="x", title="Gedeeld", what_we_did="Iets"
    )
    assert every_one_changed()
    Practice.objects.filter(pk=practice.pk).update(title="Anders genoemd")  # no service
    assert every_one_changed()
    Practice.objects.filter(pk=practice.pk).delete()
    assert every_one_changed()
    assert revision(outsider) == outside


def test_members_joining_changing_and_leaving_bump_the_whole_group(group, people):
    organisations = list(group.organisations.values())
    newcomer = OrganisationFactory(name="Gemeente Later")
    before = revisions(*organisations)

    member = TrajectoryMember.objects.create(trajectory=group.trajectory, organisation=newcomer)
    after_invite = revisions(*organisations, newcomer)
    assert all(a != b for a, b in zip(after_invite, before, strict=False))
    assert after_invite[-1] is not None

    TrajectoryMember.objects.filter(pk=member.pk).update(status=TrajectoryMember.Status.ACCEPTED)
    after_joining = revisions(*organisations, newcomer)
    assert all(a != b for a, b in zip(after_joining, after_invite, strict=True))

    TrajectoryMember.objects.filter(pk=member.pk).delete()
    after_removal = revisions(*organisations, newcomer)
    assert all(a != b for a, b in zip(after_removal, after_joining, strict=True))


def test_renaming_a_trajectory_or_a_member_organisation_bumps_the_group_and_nothing_else(group):
    organisations = list(group.organisations.values())
    before = revisions(*organisations)
    Trajectory.objects.filter(pk=group.trajectory.pk).update(
        end_date=group.trajectory.end_date + timedelta(days=1)
    )
    assert revisions(*organisations) == before  # not a name: the report shows none of it

    Trajectory.objects.filter(pk=group.trajectory.pk).update(name="Webcare 2028")
    renamed = revisions(*organisations)
    assert all(a != b for a, b in zip(renamed, before, strict=True))

    Organisation.objects.filter(pk=group.organisations[VERDER].pk).update(region="Limburg")
    assert revisions(*organisations) == renamed
    Organisation.objects.filter(pk=group.organisations[VERDER].pk).update(name="Gemeente Verst")
    assert all(a != b for a, b in zip(revisions(*organisations), renamed, strict=True))


def test_a_practice_changed_in_the_database_shows_on_the_cached_report_at_once(
    group, people, client_for
):
    nieuw = group.organisations[NIEUW]
    verder_action = Action.objects.create(
        organisation=group.organisations[VERDER],
        title="Klaar",
        due_date=date.today(),
        status=Action.Status.DONE,
        completed_at=timezone.now(),
    )
    assessment = submit(nieuw, group.admins[NIEUW], {1: "4", 2: "1", 3: "0", 4: "0"}, "Eerste")
    key = assessment.result["advice"][0]["criterion_key"]
    TrajectoryMember.objects.filter(trajectory=group.trajectory).update(
        status=TrajectoryMember.Status.ACCEPTED
    )
    practice = Practice.objects.create(
        member=group.members[VERDER],
        action=verder_action,
        criterion_key=key,
        title="Eerste titel",
        what_we_did="Iets",
    )
    client = client_for(group.admins[NIEUW])
    url = reverse("reports:report", args=[assessment.pk])
    assert "Eerste titel" in client.get(url).content.decode()

    Practice.objects.filter(pk=practice.pk).update(title="Tweede titel")  # no service, no signal

    content = client.get(url).content.decode()
    assert "Tweede titel" in content and "Eerste titel" not in content


# --- The key: every part of what the page shows is in it ---------------------------------

PUBLISHED = timezone.now()
MEMBER = {
    "pk": 7,
    "organisation_id": 3,
    "organisation": SimpleNamespace(name="Gemeente Verder"),
    "consent_version": 2,
    "share_phase": True,
    "share_profile": True,
    "share_actions": True,
    "share_priorities": True,
    "priorities": ["webcare"],
    "revision_epoch": "e1",
    "revision_counter": 5,
}
# Each part of a member changed on its own: another member, a renamed organisation, a consent
# changed (version and each item), other priorities, a change of its data (a new revision or a
# row created anew after a flush).
MEMBER_CHANGES = {
    "pk": 8,
    "organisation_id": 4,
    "organisation": SimpleNamespace(name="Gemeente Anders"),
    "consent_version": 3,
    "share_phase": False,
    "share_profile": False,
    "share_actions": False,
    "share_priorities": False,
    "priorities": ["monitoring"],
    "revision_epoch": "e2",
    "revision_counter": 6,
}
TRAJECTORY = {"pk": 1, "start_date": date(2026, 1, 1)}
VERSION = {"pk": 4, "published_at": PUBLISHED}
READER = {"is_coach": False, "language": "nl-be"}
# The board's own parts: another trajectory or start date, another model version or one
# published anew, a coach (who sees who has not submitted), another language.
BOARD_CHANGES = {
    "trajectory.pk": 2,
    "trajectory.start_date": date(2026, 2, 1),
    "version.pk": 5,
    "version.published_at": PUBLISHED + timedelta(seconds=1),
    "is_coach": True,
    "language": "en",
}


def digest(*, member=None, members=None, **changes) -> str:
    trajectory = {**TRAJECTORY}
    version = {**VERSION}
    reader = {**READER}
    for name, value in changes.items():
        owner, _, part = name.partition(".")
        if part and owner == "trajectory":
            trajectory[part] = value
        elif part and owner == "version":
            version[part] = value
        else:
            reader[name] = value
    shown = SimpleNamespace(**{**MEMBER, **(member or {})})
    return board_digest(
        trajectory=SimpleNamespace(**trajectory, model_version=SimpleNamespace(**version)),
        members=[shown] if members is None else members,
        **reader,
    )


def test_the_same_board_has_the_same_key():
    assert digest() == digest()


@pytest.mark.parametrize("part", sorted(MEMBER_CHANGES))
def test_each_part_of_a_member_is_in_the_board_key(part):
    assert digest(member={part: MEMBER_CHANGES[part]}) != digest()


@pytest.mark.parametrize("part", sorted(BOARD_CHANGES))
def test_each_part_of_the_board_and_reader_is_in_the_board_key(part):
    assert digest(**{part: BOARD_CHANGES[part]}) != digest()


def test_a_member_that_leaves_changes_the_board_key():
    assert digest(members=[]) != digest()


# --- The cached page: what changes shows on the very next request -------------------------


def sections(client, group) -> str:
    """The board's cached sections of the page (without its CSRF tokens and sessions)."""
    page = client.get(reverse("trajectories:detail", args=[group.trajectory.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    return content[content.index('id="members-title"') : content.index('id="sessions-title"')]


WITHDRAWN = {
    "share_phase": ConsentInput(False, True, True, True, ("webcare",)),
    "share_profile": ConsentInput(True, False, True, True, ("webcare",)),
    "share_actions": ConsentInput(True, True, False, True, ("webcare",)),
    "share_priorities": ConsentInput(True, True, True, False, ()),
}


@pytest.mark.parametrize("item", sorted(WITHDRAWN))
def test_each_withdrawn_item_leaves_the_cached_page_at_once(client_for, group, people, item):
    consent(group, VOORBEELD, ALL_ON)
    client = client_for(group.admins[VERDER])
    shared = sections(client, group)
    assert sections(client, group) == shared  # cached

    consent(group, VOORBEELD, WITHDRAWN[item])
    withdrawn = sections(client, group)
    caching.clear_all()

    assert withdrawn != shared
    assert withdrawn == sections(client, group)  # what a page rendered anew shows


def test_a_changed_action_and_a_new_submission_show_on_the_cached_page_at_once(
    client_for, group, people
):
    consent(group, VOORBEELD, ALL_ON)
    client = client_for(group.admins[VERDER])
    assert "Reactieschema opstellen" in sections(client, group)

    Action.objects.filter(organisation=people.organisation).update(title="Webcareschema")
    assert "Webcareschema" in sections(client, group)

    submit(people.organisation, people.admin, {1: "4", 2: "4", 3: "3", 4: "1"}, "Nieuw")
    assert "3.3" in sections(client, group)


def test_the_coachs_cached_page_never_reaches_a_member(client_for, group):
    assert "Not yet submitted" in sections(client_for(group.coach), group)

    assert "Not yet submitted" not in sections(client_for(group.admins[VERDER]), group)


def test_a_cached_page_is_not_served_in_another_language(client_for, group, settings):
    client = client_for(group.coach)
    assert "Common gaps" in sections(client, group)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
    assert "Gemeenschappelijke werkpunten" in sections(client, group)


# --- Query counts: the board's page does not grow with the group ---------------------------


def page_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in context.captured_queries]


def test_the_board_page_reads_the_same_queries_however_large_the_group(client_for, group):
    for name in (VOORBEELD, VERDER):
        consent(group, name, ALL_ON)
    client = client_for(group.coach)
    url = reverse("trajectories:detail", args=[group.trajectory.pk])
    client.get(url)  # the model's structure is cached per process from now on
    caching.clear_all()
    small_cold = page_queries(client, url)
    small_cached = page_queries(client, url)

    # The scale and more: 40 members, 5 years of history, 200 actions each, sessions
    # and practices.
    _grow(group, organisations=37, years=5, actions=200)
    for number in range(6):
        services.session_create(
            trajectory=group.trajectory,
            user=group.coach,
            when=group.trajectory.start_date + timedelta(days=7 * number),
            topic=f"Sessie {number}",
            agenda="1. Welkom",
        )
    Practice.objects.bulk_create(
        Practice(member=member, criterion_key="crit-001", title="Praktijk", what_we_did="Iets")
        for member in TrajectoryMember.objects.filter(trajectory=group.trajectory)
    )
    caching.clear_all()
    large_cold = page_queries(client, url)
    large_cached = page_queries(client, url)

    assert len(large_cold) == len(small_cold)
    # The session, the user, their memberships, the trajectory with the coach check, the
    # user's own member rows, the board's key (members, consent, revisions), the sessions.
    assert len(large_cached) == len(small_cached) == 7
    page = client.get(url).content.decode()
    assert page.count("Sessie ") == 6 and "Gemeente Extra 36" in page
