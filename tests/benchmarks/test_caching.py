"""The cached comparison section and sector aggregates never show a group as it was.

Each test loads a page (which fills the cache), changes what the benchmark reads the way a
person or a raw database update would, and loads the page again: the change shows at once.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments.models import Assessment, Membership, Organisation
from assessments.services import assessment_create, assessment_reopen
from benchmarks.models import Participation
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


def test_an_opt_out_leaves_the_cached_comparison_at_once(report, sector):
    others = sector.many(5)
    assert "results of 5 other organisations" in report()
    Participation.objects.filter(organisation=others[0]).update(opted_in=False)
    assert "No comparison can be shown" in report()


def test_another_organisations_new_region_leaves_the_cached_comparison(report, sector):
    others = sector.many(6)
    sector.many(5, region="Limburg")
    assert "results of 6 other organisations" in report()
    Organisation.objects.filter(pk=others[0].pk).update(region="Limburg")
    assert "results of 5 other organisations" in report()


def test_the_own_profile_picks_the_cached_group_anew(report, people, sector):
    sector.many(6)
    sector.many(6, population=70_000)
    assert "results of 6 other organisations" in report()
    Organisation.objects.filter(pk=people.organisation.pk).update(population=None)
    assert "population or region is not known" in report()


def test_each_level_asked_for_is_kept_apart(report, sector):
    sector.many(6)
    sector.many(2, region="Limburg")
    assert "results of 8 other organisations" in report()
    assert "could reveal the results" in report(compare="region")
    assert "results of 8 other organisations" in report(compare="<forged>")


def test_an_opt_out_leaves_the_cached_sector_view_at_once(sector_page, sector):
    others = sector.many(6)
    assert "<td>6</td>" in sector_page()
    assert "<td>6</td>" in sector_page()  # from the cache, as markup
    Participation.objects.filter(organisation=others[0]).update(opted_in=False)
    page = sector_page()
    assert "<td>6</td>" not in page and "<td>5</td>" in page
