"""The benchmark pages: who may open them, what they show, the CSV, the report and result.json."""

import csv
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Membership, Organisation
from benchmarks.models import Participation
from tests.factories import MembershipFactory, UserFactory
from tests.test_translations import english_words

pytestmark = pytest.mark.django_db

SECTOR_URLS = ("benchmarks:sector", "benchmarks:sector_csv")


@pytest.fixture(autouse=True)
def english(client):
    """The texts checked below are the English ones (the default language is Dutch)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def analyst(db):
    user = UserFactory(username="koepel")
    user.user_permissions.add(Permission.objects.get(codename="view_sector"))
    return user


@pytest.fixture
def filled(sector):
    """A sector with two regions, so some groups are shown and some refused."""
    sector.many(7, region="Limburg")
    sector.many(6, region="Antwerpen", population=12_000)
    sector.many(5, kind=Organisation.Kind.OCMW, population=None, region="=cmd|' /C calc'!A0")
    return sector


# --- the organisation admin's choice ---------------------------------------------------------


def test_participation_page_needs_login(client):
    response = client.get(reverse("benchmarks:participation"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_participation_page_is_for_admins(client_for, people, role):
    client = client_for(getattr(people, role))
    assert client.get(reverse("benchmarks:participation")).status_code == 403
    assert client.post(reverse("benchmarks:participation"), {"opted_in": "on"}).status_code == 403
    assert not Participation.objects.exists()


def test_admin_sees_profile_and_opts_in_and_out(client_for, people):
    people.organisation.population = 31_000
    people.organisation.region = "Limburg"
    people.organisation.save()
    client = client_for(people.admin)
    page = client.get(reverse("benchmarks:participation"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "31,000" in content and "Limburg" in content and "25,000 to 50,000" in content
    assert "does not take part" in content  # off by default
    client.post(reverse("benchmarks:participation"), {"opted_in": "on"})
    assert Participation.objects.get(organisation=people.organisation).opted_in
    client.post(reverse("benchmarks:participation"), {})
    participation = Participation.objects.get(organisation=people.organisation)
    assert not participation.opted_in and participation.changed_by == people.admin


# --- the sector view -------------------------------------------------------------------------


@pytest.mark.parametrize("name", SECTOR_URLS)
def test_sector_view_needs_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", SECTOR_URLS)
def test_sector_view_refuses_members_and_staff(client_for, people, name, filled):
    for user in (people.admin, UserFactory(is_staff=True)):
        assert client_for(user).get(reverse(name)).status_code == 403


def test_sector_view_shows_released_groups_only(client_for, analyst, filled):
    response = client_for(analyst).get(reverse("benchmarks:sector"), {"model": "benchmodel"})
    assert response.status_code == 200
    view = response.context["view"]
    paths = [group.path for group in view.groups]
    assert () in paths and ("gemeente",) in paths and ("ocmw",) in paths
    assert ("gemeente", "25k-50k", "Limburg") in paths
    assert all(group.index.n >= 5 for group in view.groups)
    # The OCMWs' population is unknown: never a size or region group.
    assert not [path for path in paths if path[:1] == ("ocmw",) and len(path) > 1]
    assert "Deelnemer" not in response.content.decode()


def test_unknown_model_is_404(client_for, analyst, filled):
    assert client_for(analyst).get(reverse("benchmarks:sector"), {"model": "x"}).status_code == 404


def test_sector_view_hides_a_kind_whose_complement_is_one_to_four(client_for, analyst, sector):
    sector.many(7)
    sector.many(2, kind=Organisation.Kind.OCMW)
    view = client_for(analyst).get(reverse("benchmarks:sector")).context["view"]
    # 9 in all, 7 gemeenten: showing both would reveal the two OCMWs.
    assert [group.path for group in view.groups] == [()]
    assert view.hidden_groups > 0


def test_sector_csv_has_aggregates_only_and_is_formula_safe(client_for, analyst, filled):
    response = client_for(analyst).get(reverse("benchmarks:sector_csv"), {"model": "benchmodel"})
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:2] == ["Section", "Kind"]
    assert all(line.startswith('"') for line in text[1:].splitlines())  # every field quoted
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "Deelnemer" not in text
    measures = {row[6] for row in rows[1:]}
    assert {"number of organisations", "maturity index, median"} <= measures
    assert not any("min" in measure.split() or "max" in measure.split() for measure in measures)


def test_the_dutch_sector_csv_has_dutch_headers_semicolons_and_decimal_commas(
    client_for, analyst, filled
):
    client = client_for(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"

    text = client.get(reverse("benchmarks:sector_csv"), {"model": "benchmodel"}).content.decode()

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == [
        "Onderdeel",
        "Soort",
        "Inwonertal",
        "Regio",
        "Jaar",
        "Criterium",
        "Maat",
        "Waarde",
    ]
    assert not english_words(" ".join(rows[0]))
    medians = [row[7] for row in rows if row[6] == "maturiteitsindex, mediaan"]
    assert medians and all("," in value and "." not in value for value in medians)
    assert "gemeente" in {row[1].lower() for row in rows}


# session, user, the analyst's permissions (user, groups), published slugs, newest version of
# the slug, benchmark signature, memberships (page header); computed: + participants, phases
# per year, gaps (two: the single-perspective answers and the stored consensus)
SECTOR_CACHED_QUERIES = 8
SECTOR_COMPUTED_QUERIES = SECTOR_CACHED_QUERIES + 4


def test_sector_view_in_constant_queries(client_for, analyst, sector):
    client = client_for(analyst)
    sector.many(6)
    client.get(reverse("benchmarks:sector"))  # warms the model structure and the aggregates

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("benchmarks:sector")).status_code == 200
        return len(captured)

    cached = count()
    for organisation in sector.many(25, region="Limburg"):
        sector.assessment(organisation, days_ago=400)
    computed = count()  # new results: a new benchmark signature, the aggregates anew

    assert (cached, computed, count()) == (
        SECTOR_CACHED_QUERIES,
        SECTOR_COMPUTED_QUERIES,
        SECTOR_CACHED_QUERIES,
    )


# --- the report section and result.json ----------------------------------------------------


@pytest.fixture
def mine(sector, people):
    organisation = people.organisation
    organisation.population, organisation.region = 30_000, "Oost-Vlaanderen"
    organisation.save()
    Participation.objects.create(organisation=organisation, opted_in=True)
    return sector.assessment(organisation, days_ago=5)


def test_report_shows_the_comparison(client_for, people, mine, sector):
    sector.many(6)
    response = client_for(people.viewer).get(reverse("reports:report", args=[mine.pk]))
    content = response.content.decode()
    assert 'id="comparison"' in content
    assert "results of 6 other organisations" in content
    assert "<svg" in content and "Deelnemer" not in content


def test_report_explains_a_refused_narrower_group(client_for, people, mine, sector):
    sector.many(6)
    sector.many(2, region="Limburg")
    client = client_for(people.viewer)
    url = reverse("reports:report", args=[mine.pk])
    content = client.get(url, {"compare": "region"}).content.decode()
    assert "could reveal the results of fewer than 5 organisations" in content
    assert "?compare=size" in content
    assert "<svg" not in content.split('id="comparison"')[1]
    # a forged kind in the query is ignored: the group stays the organisation's own kind
    content = client.get(url, {"compare": "size", "kind": "provincie"}).content.decode()
    assert "results of 8 other organisations" in content


def test_report_comparison_vanishes_when_others_opt_out(client_for, people, mine, sector):
    others = sector.many(5)
    client = client_for(people.viewer)
    url = reverse("reports:report", args=[mine.pk])
    assert "results of 5 other organisations" in client.get(url).content.decode()
    Participation.objects.filter(organisation=others[0]).update(opted_in=False)
    content = client.get(url).content.decode()  # the cached report sections stay, not this
    assert "results of 5 other organisations" not in content
    assert "No comparison can be shown" in content


def test_result_json_has_benchmark_or_reason(client_for, people, mine, sector):
    client = client_for(people.viewer)
    url = reverse("reports:result_json", args=[mine.pk])
    data = client.get(url).json()
    assert data["benchmark"] is None and "fewer than 5" in data["benchmark_unavailable"]
    sector.many(5)
    data = client.get(url).json()
    assert data["benchmark"]["n"] == 5 and "benchmark_unavailable" not in data


def test_draft_report_has_no_comparison(client_for, people, sector):
    from assessments.services import assessment_create

    draft = assessment_create(organisation=people.organisation, user=people.admin, title="K")
    response = client_for(people.viewer).get(reverse("reports:report", args=[draft.pk]))
    assert 'id="comparison"' not in response.content.decode()


def test_member_of_other_organisation_never_sees_this_comparison(client_for, mine, sector):
    sector.many(6)
    stranger = MembershipFactory(role=Membership.Role.ADMIN).user
    assert client_for(stranger).get(reverse("reports:report", args=[mine.pk])).status_code == 404
