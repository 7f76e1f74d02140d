"""The benchmark pages: who may open them, what they show, the CSV, the report and result.json."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Membership, Organisation
from assessments.services import neutralise_formula
from benchmarks.models import Participation
from tests.csv_formulas import HOSTILE_TEXTS, csv_formula_parts
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
    sector.release()
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
    sector.release()
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


@pytest.mark.parametrize("region", HOSTILE_TEXTS)
def test_no_part_of_the_sector_csv_starts_a_formula(client_for, analyst, sector, region):
    sector.many(5, region=region)
    sector.many(5, region="Limburg")
    sector.release()

    response = client_for(analyst).get(reverse("benchmarks:sector_csv"), {"model": "benchmodel"})

    text = response.content.decode()
    regions = {row[3].strip() for row in csv.reader(io.StringIO(text))}
    assert neutralise_formula(region.strip()) in regions  # the region is in it, neutralised
    assert csv_formula_parts(text) == []


# session, user, the analyst's permissions (user, groups), published slugs, newest version of
# the slug, the latest release's id and time, memberships (page header); computed: + the release
SECTOR_CACHED_QUERIES = 8
SECTOR_COMPUTED_QUERIES = SECTOR_CACHED_QUERIES + 1


def test_sector_view_in_constant_queries(client_for, analyst, sector):
    client = client_for(analyst)
    sector.many(6)
    sector.release()
    client.get(reverse("benchmarks:sector"))  # warms the model structure and the aggregates

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("benchmarks:sector")).status_code == 200
        return len(captured)

    cached = count()
    for organisation in sector.many(25, region="Limburg"):
        sector.assessment(organisation, days_ago=400)
    sector.release()
    computed = count()  # a new release: its aggregates are read once

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
    release = sector.release()
    response = client_for(people.viewer).get(reverse("reports:report", args=[mine.pk]))
    content = response.content.decode()
    assert 'id="comparison"' in content
    assert "benchmark figures of a group of 7 organisations" in content
    # The release's date in the reader's calendar (Brussels; near midnight UTC's is another day).
    assert f"As of {timezone.localdate(release.released_at):%-d} " in content
    assert "<svg" in content and "Deelnemer" not in content


def test_report_explains_a_refused_narrower_group(client_for, people, mine, sector):
    sector.many(6)
    sector.many(2, region="Limburg")
    sector.release()
    client = client_for(people.viewer)
    url = reverse("reports:report", args=[mine.pk])
    content = client.get(url, {"compare": "region"}).content.decode()
    assert "could reveal the results of fewer than 5 organisations" in content
    assert "?compare=size" in content
    assert "<svg" not in content.split('id="comparison"')[1]
    # a forged kind in the query is ignored: the group stays the organisation's own kind
    content = client.get(url, {"compare": "size", "kind": "provincie"}).content.decode()
    assert "a group of 9 organisations" in content


def test_report_comparison_vanishes_at_the_release_after_others_opt_out(
    client_for, people, mine, sector
):
    others = sector.many(5)
    sector.release()
    client = client_for(people.viewer)
    url = reverse("reports:report", args=[mine.pk])
    assert "a group of 6 organisations" in client.get(url).content.decode()
    Participation.objects.filter(organisation__in=others[:2]).update(opted_in=False)
    # Not the moment they leave (that would tell who left: issue 31, F1) ...
    assert "a group of 6 organisations" in client.get(url).content.decode()
    sector.release()
    content = client.get(url).content.decode()  # ... but at the next release
    assert "a group of 6 organisations" not in content
    assert "No comparison can be shown" in content


def test_result_json_has_benchmark_or_reason(client_for, people, mine, sector):
    client = client_for(people.viewer)
    url = reverse("reports:result_json", args=[mine.pk])
    data = client.get(url).json()
    assert data["benchmark"] is None and "fewer than 5" in data["benchmark_unavailable"]
    sector.many(5)
    release = sector.release()
    data = client.get(url).json()
    assert data["benchmark"]["n"] == 6 and "benchmark_unavailable" not in data
    assert data["benchmark"]["released_on"] == timezone.localdate(release.released_at).isoformat()


def test_a_release_just_before_midnight_utc_has_one_date_on_every_page(
    client_for, people, mine, sector, analyst
):
    """23:30 UTC on 7 December is 8 December in Brussels: the report, result.json and the
    sector CSV all say the 8th (they once took UTC's date for the last two)."""
    sector.many(6)
    release = sector.release()
    release.released_at = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    release.save(update_fields=["released_at"])
    client = client_for(people.viewer)
    report = client.get(reverse("reports:report", args=[mine.pk])).content.decode()
    data = client.get(reverse("reports:result_json", args=[mine.pk])).json()
    rows = list(
        csv.reader(
            io.StringIO(
                client_for(analyst)
                .get(reverse("benchmarks:sector_csv"), {"model": "benchmodel"})
                .content.decode()[1:]
            )
        )
    )
    assert "As of 8 December 2026" in report
    assert data["benchmark"]["released_on"] == "2026-12-08"
    assert [row[-1] for row in rows if row[0] == "release"] == ["2026-12-08"]


def test_draft_report_has_no_comparison(client_for, people, sector):
    from assessments.services import assessment_create

    draft = assessment_create(organisation=people.organisation, user=people.admin, title="K")
    response = client_for(people.viewer).get(reverse("reports:report", args=[draft.pk]))
    assert 'id="comparison"' not in response.content.decode()


def test_member_of_other_organisation_never_sees_this_comparison(client_for, mine, sector):
    sector.many(6)
    stranger = MembershipFactory(role=Membership.Role.ADMIN).user
    assert client_for(stranger).get(reverse("reports:report", args=[mine.pk])).status_code == 404


def sector_csv_rows(client, **query) -> list[list[str]]:
    response = client.get(reverse("benchmarks:sector_csv"), query)
    assert response.status_code == 200
    text = response.content.decode().removeprefix("\ufeff")
    # The separator of the reader's language: ";" in Dutch, "," in English.
    delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,").delimiter
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.mark.parametrize(("earlier", "shown"), [(4, False), (5, True)])
def test_a_year_is_shown_from_five_organisations_on(client_for, analyst, sector, earlier, shown):
    # 4 + 5 (or 5 + 5) organisations this year; `earlier` of them also submitted 400 days ago.
    # The complement (5 either way) is safe, so only the year's own size decides.
    organisations = sector.many(earlier + 5)
    for organisation in organisations[:earlier]:
        sector.assessment(organisation, days_ago=400)
    sector.release()
    client = client_for(analyst)
    view = client.get(reverse("benchmarks:sector")).context["view"]
    this_year, last_year = (timezone.now() - timedelta(days=d) for d in (10, 400))

    assert [(row.year, row.phases.n) for row in view.years] == [
        *([(last_year.year, earlier)] if shown else []),
        (this_year.year, earlier + 5),
    ]
    assert view.hidden_years == (0 if shown else 1)
    year_counts = {
        row[4]: row[7]
        for row in sector_csv_rows(client)
        if row[0] == "year" and row[6] == "number of organisations"
    }
    assert (str(last_year.year) in year_counts) is shown
    assert year_counts.get(str(last_year.year), str(earlier)) == str(earlier)


def test_sector_csv_neutralises_a_formula_in_a_region_that_is_shown(client_for, analyst, sector):
    region = "=cmd|' /C calc'!A0"
    sector.many(5, region=region)
    sector.release()
    rows = sector_csv_rows(client_for(analyst))

    region_rows = [row for row in rows if row[0] == "group" and row[3]]
    assert region_rows, "the region group of five is shown"
    assert {row[3] for row in region_rows} == {"'=cmd|' /C calc'!A0"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
