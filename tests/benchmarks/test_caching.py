"""The cached comparison section and sector aggregates always show the latest release.

The sector view's keys (`benchmarks.caching`) are tested part by part at the end, as the report's
are in tests/reports/test_caching.py.

Each test loads a page (which fills the cache), changes what the benchmark reads the way a
person or a raw database update would, and loads the page again: nothing moves until a new
release, which shows at once (issue 31, F1).
"""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments.models import Assessment, Membership, Organisation
from assessments.services import assessment_create, assessment_reopen
from benchmarks import caching as benchmark_caching
from benchmarks.models import Participation, Release, Revision
from benchmarks.selectors import benchmark_signature
from maturity import caching
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_empty_caches(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    caching.clear_all()
    yield
    caching.clear_all()


@pytest.fixture
def mine(sector, people):
    organisation = people.organisation
    organisation.population, organisation.region = 30_000, "Oost-Vlaanderen"
    organisation.save()
    Participation.objects.create(organisation=organisation, opted_in=True)
    return sector.assessment(organisation, days_ago=5)


@pytest.fixture
def report(client_for, people, mine):
    client = client_for(people.viewer)
    url = reverse("reports:report", args=[mine.pk])
    return lambda **query: client.get(url, query).content.decode().split('id="comparison"')[1]


@pytest.fixture
def sector_page(client_for):
    analyst = UserFactory(username="koepel")
    analyst.user_permissions.add(Permission.objects.get(codename="view_sector"))
    client = client_for(analyst)
    return lambda: client.get(reverse("benchmarks:sector")).content.decode()


def test_the_signature_changes_with_every_input_of_the_benchmark(sector):
    others = sector.many(6)
    seen = {benchmark_signature()}

    def changed() -> bool:
        signature = benchmark_signature()
        new = signature not in seen
        seen.add(signature)
        return new

    # Raw updates on purpose: the database itself counts the change, whatever writes it.
    Participation.objects.filter(organisation=others[0]).update(opted_in=False)
    assert changed()
    Organisation.objects.filter(pk=others[1].pk).update(population=80_000)
    assert changed()
    Organisation.objects.filter(pk=others[2].pk).update(region="Limburg")
    assert changed()
    Organisation.objects.filter(pk=others[3].pk).update(kind=Organisation.Kind.OCMW)
    assert changed()
    older = others[4].assessments.get()
    sector.assessment(others[4], level=4, days_ago=1)  # a submit
    assert changed()
    admin = MembershipFactory(organisation=others[4], role=Membership.Role.ADMIN).user
    assessment_reopen(assessment=older, user=admin)
    assert changed()
    others[5].assessments.get().delete()
    assert changed()
    Participation.objects.create(organisation=OrganisationFactory(), opted_in=True)
    assert changed()


def test_the_signature_stays_while_nothing_a_benchmark_reads_changes(sector):
    others = sector.many(6)
    admin = MembershipFactory(organisation=others[1], role=Membership.Role.ADMIN).user
    before = benchmark_signature()

    Organisation.objects.filter(pk=others[0].pk).update(name="Nieuwe naam", official_code="1")
    draft = assessment_create(organisation=others[1], user=admin, title="Concept")
    Assessment.objects.filter(pk=draft.pk).update(title="Concept 2")
    draft.delete()

    assert benchmark_signature() == before


def test_a_new_release_leaves_the_cached_comparison_at_once(report, sector):
    others = sector.many(5)
    sector.release()
    assert "a group of 6 organisations" in report()
    Participation.objects.filter(organisation__in=others[:2]).update(opted_in=False)
    assert "a group of 6 organisations" in report()  # not before the next release (F1)
    sector.release()
    assert "No comparison can be shown" in report()


def test_another_organisations_new_region_leaves_the_cached_comparison(report, sector):
    others = sector.many(6)
    sector.many(5, region="Limburg")
    sector.release()
    assert "a group of 7 organisations" in report()
    Organisation.objects.filter(pk__in=[o.pk for o in others[:3]]).update(region="Limburg")
    sector.release()
    # Oost-Vlaanderen is too small now; the size group of all 12 is shown instead.
    assert "a group of 12 organisations" in report()


def test_the_own_profile_picks_the_cached_group_anew(report, people, sector):
    sector.many(6)
    sector.many(6, population=70_000)
    sector.release()
    assert "a group of 7 organisations" in report()
    Organisation.objects.filter(pk=people.organisation.pk).update(population=None)
    assert "population or region is not known" in report()


def test_each_level_asked_for_is_kept_apart(report, sector):
    sector.many(6)
    sector.many(2, region="Limburg")
    sector.release()
    assert "a group of 9 organisations" in report()
    assert "could reveal the results" in report(compare="region")
    assert "a group of 9 organisations" in report(compare="<forged>")


def test_a_new_release_leaves_the_cached_sector_view_at_once(sector_page, sector):
    others = sector.many(8)
    sector.release()
    assert "<td>8</td>" in sector_page()
    assert "<td>8</td>" in sector_page()  # from the cache, as markup
    Participation.objects.filter(organisation__in=others[:3]).update(opted_in=False)
    assert "<td>8</td>" in sector_page()  # not before the next release (F1)
    sector.release()
    page = sector_page()
    assert "<td>8</td>" not in page and "<td>5</td>" in page


def test_the_cached_sector_tables_follow_the_reader_language(client_for, sector):
    sector.many(8)
    sector.release()
    analyst = UserFactory(username="koepel")
    analyst.user_permissions.add(Permission.objects.get(codename="view_sector"))
    client = client_for(analyst)

    def sector_in(language: str) -> str:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client.get(reverse("benchmarks:sector")).content.decode()

    dutch = sector_in("nl-be")
    english = sector_in("en")

    assert "Fasen per jaar" in dutch and "Phases per year" not in dutch
    assert "Phases per year" in english and "Fasen per jaar" not in english
    assert "Fasen per jaar" in sector_in("nl-be")


def comparison_of(client, assessment, language: str) -> str:
    """The comparison section of a report page, read in a language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("reports:report", args=[assessment.pk])).content.decode()
    return page.split('id="comparison"')[1]


def test_an_admins_cached_comparison_is_never_served_to_a_viewer(client_for, people, mine, sector):
    sector.many(5)
    sector.release()
    opt_in_link = reverse("benchmarks:participation")
    assert opt_in_link in comparison_of(client_for(people.admin), mine, "en")

    viewer_section = comparison_of(client_for(people.viewer), mine, "en")

    assert "a group of 6 organisations" in viewer_section
    assert opt_in_link not in viewer_section
    assert "Change whether your organisation takes part" not in viewer_section


def test_a_viewers_cached_comparison_is_never_served_to_an_admin(client_for, people, mine, sector):
    sector.many(5)
    sector.release()
    assert reverse("benchmarks:participation") not in comparison_of(
        client_for(people.viewer), mine, "en"
    )

    assert reverse("benchmarks:participation") in comparison_of(
        client_for(people.admin), mine, "en"
    )


def test_the_cached_comparison_follows_the_reader_language(client_for, people, mine, sector):
    sector.many(5)
    sector.release()
    client = client_for(people.viewer)
    dutch = comparison_of(client, mine, "nl-be")
    english = comparison_of(client, mine, "en")

    assert "Vergelijking" in dutch and "a group of 6 organisations" not in dutch
    assert "a group of 6 organisations" in english and "Vergelijking" not in english
    assert "Vergelijking" in comparison_of(client, mine, "nl-be")


def test_an_admins_cached_comparison_is_never_served_to_a_respondent(
    client_for, people, mine, sector
):
    # Both may add actions: only "admin or not" tells their cached pages apart.
    sector.many(5)
    sector.release()
    opt_in_link = reverse("benchmarks:participation")
    assert opt_in_link in comparison_of(client_for(people.admin), mine, "en")

    respondent_section = comparison_of(client_for(people.respondent), mine, "en")

    assert "a group of 6 organisations" in respondent_section
    assert opt_in_link not in respondent_section


def test_the_signature_is_the_revisions_epoch_and_counter_and_the_latest_release(sector):
    sector.many(6)
    sector.release()
    latest = sector.release()
    revision = Revision.objects.get(pk=1)
    Revision.objects.filter(pk=1).update(counter=revision.counter + 41)

    assert benchmark_signature() == f"{revision.epoch}:{revision.counter + 41}:{latest.pk}"


def test_without_a_revision_row_the_signature_names_the_latest_release(sector):
    sector.many(6)
    sector.release()
    latest = sector.release()
    Revision.objects.all().delete()  # as after a flush: the next write makes the row anew

    assert benchmark_signature() == f"empty:{latest.pk}"
    Release.objects.all().delete()
    assert benchmark_signature() == "empty:None"


# --- the sector view's keys, part by part -------------------------------------------------------

PUBLISHED = datetime(2026, 12, 1, tzinfo=UTC)
AGGREGATES_KEY = {
    "model_slug": "gemeenten",
    "version_id": 3,
    "published_at": PUBLISHED,
    "benchmark": "e:1:4",
}
# Each part changed on its own: another model, a newer version of it (its phases and criteria),
# the same version id published anew (after a restore), a new benchmark revision or release.
AGGREGATES_CHANGED = {
    "model_slug": "ocmw",
    "version_id": 4,
    "published_at": datetime(2026, 12, 2, tzinfo=UTC),
    "benchmark": "e:2:4",
}
TABLES_CHANGED = AGGREGATES_CHANGED | {"language": "en"}


def aggregates(compute, **changes):
    return benchmark_caching.sector_aggregates(**(AGGREGATES_KEY | changes), compute=compute)


def tables(render, **changes):
    key = AGGREGATES_KEY | {"language": "nl-be"} | changes
    return benchmark_caching.sector_tables(**key, render=render)


def test_the_same_sector_aggregates_and_tables_are_made_once():
    assert aggregates(lambda: {"groups": 1}) == {"groups": 1}
    assert tables(lambda: "<table>1</table>") == "<table>1</table>"

    assert aggregates(lambda: {"groups": 2}) == {"groups": 1}
    assert tables(lambda: "<table>2</table>") == "<table>1</table>"


@pytest.mark.parametrize("part", sorted(AGGREGATES_CHANGED))
def test_each_part_of_the_aggregates_key_computes_them_anew(part):
    aggregates(lambda: {"groups": 1})

    assert aggregates(lambda: {"groups": 2}, **{part: AGGREGATES_CHANGED[part]}) == {"groups": 2}


@pytest.mark.parametrize("part", sorted(TABLES_CHANGED))
def test_each_part_of_the_tables_key_renders_them_anew(part):
    tables(lambda: "<table>1</table>")

    assert tables(lambda: "<table>2</table>", **{part: TABLES_CHANGED[part]}) == "<table>2</table>"
