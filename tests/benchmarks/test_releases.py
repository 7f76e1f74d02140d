"""Issue 31, F1: the benchmark cannot be differenced over time.

The two attacks of the probe, as tests: a sector analyst who saves sector.csv before and after
one organisation opts out, and a member who reads result.json before and after one organisation
opts in, find nothing: the figures stay until at least BENCHMARK_MIN_CHANGES organisations of a
group changed, joined or left. Plus the rule itself, the command and the admin button.
"""

import csv
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Membership
from benchmarks.models import Participation, Release
from benchmarks.services import participation_set, release_decisions
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client):
    analyst = UserFactory(username="koepel")
    analyst.user_permissions.add(Permission.objects.get(codename="view_sector"))
    client.force_login(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sector_rows(client) -> list[list[str]]:
    """The sector CSV's figures, without the line that dates the release."""
    response = client.get(reverse("benchmarks:sector_csv"), {"model": "benchmodel"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return [row for row in rows if row[0] != "release"]


def opt_out(organisation) -> None:
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    participation_set(user=admin, organisation=organisation, opted_in=False)


def test_a_sector_csv_before_and_after_one_opt_out_differs_in_nothing(analyst_client, sector):
    sector.many(7, region="Limburg")
    leaving = sector.many(6, region="Antwerpen", population=12_000)
    sector.release()
    before = sector_rows(analyst_client)

    opt_out(leaving[0])
    sector.release()

    assert sector_rows(analyst_client) == before


def test_nor_after_two_opt_outs_and_a_submit_one_at_a_time(analyst_client, sector):
    # Fewer than 3 changes in every group, released after each: still nothing to subtract.
    sector.many(7, region="Limburg")
    others = sector.many(6, region="Antwerpen", population=12_000)
    sector.release()
    before = sector_rows(analyst_client)

    for change in (
        lambda: opt_out(others[0]),
        lambda: sector.assessment(others[2], level=4, days_ago=1),
    ):
        change()
        sector.release()
        assert sector_rows(analyst_client) == before


def test_a_members_result_json_does_not_move_when_one_organisation_opts_in(
    client_for, people, sector
):
    organisation = people.organisation
    organisation.population, organisation.region = 30_000, "Oost-Vlaanderen"
    organisation.save()
    Participation.objects.create(organisation=organisation, opted_in=True)
    mine = sector.assessment(organisation, days_ago=5)
    sector.many(8)
    sector.release()
    client = client_for(people.viewer)
    url = reverse("reports:result_json", args=[mine.pk])
    before = client.get(url).json()["benchmark"]

    newcomer = sector.organisation(level=0, opted_in=False)
    Participation.objects.filter(organisation=newcomer).update(opted_in=True)
    sector.release()
    after = client.get(url).json()["benchmark"]

    assert {**after, "released_on": None} == {**before, "released_on": None}
    assert after["n"] == 9  # the newcomer is not in it


def test_three_changes_recompute_the_group(analyst_client, sector):
    sector.many(7, region="Limburg")
    sector.release()
    before = sector_rows(analyst_client)

    sector.many(3, region="Limburg")
    release = sector.release()

    assert sector_rows(analyst_client) != before
    assert release.groups[""]["n"] == 10


def test_a_parent_is_held_back_while_its_child_keeps_out_of_date_figures():
    from benchmarks.disclosure import Participant

    def member(organisation_id, region, index=1.0):
        return Participant(
            organisation_id, organisation_id, "gemeente", "25k-50k", region, index, "p1"
        )

    def stored(members):
        return {
            "members": {str(m.organisation_id): f"{m.assessment_id}:{m.index}" for m in members}
        }

    old_a = [member(i, "A") for i in range(6)]
    old_b = [member(i, "B") for i in range(6, 12)]
    released_before = {
        (): old_a + old_b,
        ("gemeente",): old_a + old_b,
        ("gemeente", "25k-50k"): old_a + old_b,
        ("gemeente", "25k-50k", "A"): old_a,
        ("gemeente", "25k-50k", "B"): old_b,
    }
    previous = {"|".join(path): stored(members) for path, members in released_before.items()}
    # One joins A (1 change: A keeps its figures), three join B (B is computed anew).
    new_a = [*old_a, member(20, "A")]
    new_b = [*old_b, *(member(i, "B") for i in (21, 22, 23))]
    released_now = {
        (): new_a + new_b,
        ("gemeente",): new_a + new_b,
        ("gemeente", "25k-50k"): new_a + new_b,
        ("gemeente", "25k-50k", "A"): new_a,
        ("gemeente", "25k-50k", "B"): new_b,
    }

    decisions = release_decisions(released=released_now, previous=previous, min_changes=3)

    # The band anew minus A as it was would single out A's newcomer: the band and above wait.
    assert decisions == {
        (): "keep",
        ("gemeente",): "keep",
        ("gemeente", "25k-50k"): "keep",
        ("gemeente", "25k-50k", "A"): "keep",
        ("gemeente", "25k-50k", "B"): "recompute",
    }


def test_the_command_releases_every_published_model(sector, capsys):
    sector.many(6)

    call_command("release_benchmarks")

    release = Release.objects.get()
    assert release.model_slug == "benchmodel" and "" in release.groups
    assert "benchmodel: " in capsys.readouterr().out


def test_staff_release_from_the_admin(client, sector):
    sector.many(6)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="add_release"))
    client.force_login(staff)

    response = client.post(reverse("admin:benchmarks_release_now"))

    assert response.status_code == 302
    assert Release.objects.get().released_by == staff


def test_staff_without_the_permission_cannot_release(client, sector):
    client.force_login(UserFactory(is_staff=True))

    assert client.post(reverse("admin:benchmarks_release_now")).status_code == 403
    assert client.get(reverse("admin:benchmarks_release_now")).status_code == 405
    assert not Release.objects.exists()


def test_a_member_cannot_reach_the_release_button(client, people):
    client.force_login(people.admin)

    response = client.post(reverse("admin:benchmarks_release_now"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Release.objects.exists()


def test_the_sector_page_says_the_release_date_in_dutch(client, sector):
    sector.many(6)
    release = sector.release()
    analyst = UserFactory()
    analyst.user_permissions.add(Permission.objects.get(codename="view_sector"))
    client.force_login(analyst)

    content = client.get(reverse("benchmarks:sector")).content.decode()

    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]  # fmt: skip
    moment = timezone.localtime(release.released_at)
    assert f"Stand op {moment.day} {months[moment.month - 1]} {moment.year}" in content
