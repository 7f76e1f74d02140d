"""An organisation's comparison: k >= 5 OTHER organisations, the fixed group hierarchy, opt-out,
model versions compared by key, constant queries."""

import statistics

import pytest

from assessments.models import Membership, Organisation
from benchmarks.disclosure import POSITIONS
from benchmarks.models import Participation
from benchmarks.selectors import assessment_benchmark_export, assessment_comparison
from benchmarks.services import participation_set
from maturity.selectors import model_version_structure
from tests.factories import MembershipFactory, build_model_version

pytestmark = pytest.mark.django_db


def own(sector, **kwargs):
    organisation = sector.organisation(**kwargs)
    membership = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    # As the report view has it: with its model version, whose structure is cached once loaded.
    assessment = organisation.assessments.select_related("model_version").get()
    model_version_structure(version=assessment.model_version)
    return membership, assessment


def test_five_other_organisations_are_needed(sector):
    membership, assessment = own(sector)
    sector.many(4)
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.group is None
    assert comparison.levels == {"region": "too_small", "size": "too_small", "kind": "too_small"}
    sector.many(1)
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.group.level == "region"
    assert comparison.index.n == 5  # the organisation itself is never in its own group


def test_the_narrower_group_is_refused_when_the_wider_one_differs_by_one_to_four(sector):
    membership, assessment = own(sector)
    sector.many(6)
    sector.many(2, region="Antwerpen")
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.levels["region"] == "protected"
    assert comparison.group.level == "size"
    assert comparison.refused == {"region": "protected"}
    assert comparison.index.n == 8
    refused = assessment_comparison(membership=membership, assessment=assessment, level="region")
    assert refused.group is None and refused.requested == "region"
    assert refused.offers == ["size", "kind"]


def test_a_forged_filter_cannot_pick_another_kind(sector, rf):
    membership, assessment = own(sector)
    sector.many(6)
    sector.many(6, kind=Organisation.Kind.PROVINCE, population=500_000)
    for level in ("kind", "provincie", "size", "<script>"):
        comparison = assessment_comparison(
            membership=membership, assessment=assessment, level=level
        )
        assert comparison.group is None or comparison.group.kind == "gemeente"
        assert comparison.group is None or comparison.index.n == 6


def test_opting_out_removes_the_results_at_once(sector):
    membership, assessment = own(sector)
    others = sector.many(5)
    assert assessment_comparison(membership=membership, assessment=assessment).index.n == 5
    admin = MembershipFactory(organisation=others[0], role=Membership.Role.ADMIN).user
    participation_set(user=admin, organisation=others[0], opted_in=False)
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.group is None
    assert assessment_benchmark_export(membership=membership, assessment=assessment) == {
        "benchmark": None,
        "benchmark_unavailable": "fewer than 5 other organisations of this kind take part",
    }


def test_never_opted_in_organisations_do_not_count(sector):
    membership, assessment = own(sector)
    sector.many(4)
    sector.many(3, opted_in=False)
    assert assessment_comparison(membership=membership, assessment=assessment).group is None


def test_only_the_latest_submitted_assessment_of_each_organisation_counts(sector):
    membership, assessment = own(sector)
    others = sector.many(5)
    latest = [sector.assessment(o, level=4, days_ago=1).maturity_index for o in others]
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.index.n == 5
    assert comparison.index.median == round(float(statistics.median(latest)), 2)


def test_dimensions_are_compared_by_key_across_model_versions(sector, model_version):
    newer = build_model_version(criteria_count=16, dimension_count=4, slug="benchmodel")
    sector.many(5, version=newer)  # dim-1..dim-4: dim-1..dim-3 are kept
    sector.many(5)  # the first version: dim-1..dim-3
    mover, newer_assessment = own(sector, version=newer)
    comparison = assessment_comparison(membership=mover, assessment=newer_assessment)
    assert comparison.index.n == 10
    by_key = {row.dimension.key: row for row in comparison.dimensions}
    assert by_key["dim-1"].distribution.n == 10
    # dim-4 exists only in the newer version: 5 of 10 have it, 5 without is a safe difference.
    assert by_key["dim-4"].distribution.n == 5
    sector.many(2)  # now 7 of 12 lack dim-4: still a safe difference
    comparison = assessment_comparison(membership=mover, assessment=newer_assessment)
    assert {row.dimension.key: row for row in comparison.dimensions}["dim-4"].distribution.n == 5


def test_a_dimension_missing_for_one_to_four_organisations_is_not_comparable(sector):
    newer = build_model_version(criteria_count=16, dimension_count=4, slug="benchmodel")
    sector.many(6, version=newer)
    sector.many(2)  # two organisations on the first version lack dim-4
    mover, newer_assessment = own(sector, version=newer)
    comparison = assessment_comparison(membership=mover, assessment=newer_assessment)
    rows = {row.dimension.key: row for row in comparison.dimensions}
    assert rows["dim-4"].distribution is None
    assert rows["dim-1"].distribution.n == 8


def test_other_model_slugs_never_mix(sector):
    membership, assessment = own(sector)
    other = build_model_version(slug="anders")
    sector.many(6, version=other)
    assert assessment_comparison(membership=membership, assessment=assessment).group is None


def test_none_for_another_organisations_membership(sector):
    _membership, assessment = own(sector)
    stranger = MembershipFactory(role=Membership.Role.ADMIN)
    assert assessment_comparison(membership=stranger, assessment=assessment) is None


def test_result_export_has_the_documented_shape(sector):
    membership, assessment = own(sector)
    sector.many(6)
    exported = assessment_benchmark_export(membership=membership, assessment=assessment)
    benchmark = exported["benchmark"]
    assert set(benchmark) == {"group", "n", "index_quartiles", "position"}
    assert benchmark["group"] == {
        "kind": "gemeente",
        "population_band": "25k-50k",
        "region": "Oost-Vlaanderen",
    }
    assert benchmark["n"] == 6 and len(benchmark["index_quartiles"]) == 3
    assert benchmark["position"] in POSITIONS


def test_constant_queries_whatever_the_number_of_organisations(sector, django_assert_num_queries):
    membership, assessment = own(sector)
    sector.many(6)
    with django_assert_num_queries(1):
        assessment_comparison(membership=membership, assessment=assessment)
    for organisation in sector.many(30, region="Limburg"):
        sector.assessment(organisation, days_ago=400)
    with django_assert_num_queries(1):
        wider = assessment_comparison(membership=membership, assessment=assessment, level="size")
    assert wider.index.n == 36


def test_participation_service_refuses_non_admins(people):
    from assessments.services import NotAllowedError

    with pytest.raises(NotAllowedError):
        participation_set(user=people.viewer, organisation=people.organisation, opted_in=True)
    assert not Participation.objects.exists()
    participation_set(user=people.admin, organisation=people.organisation, opted_in=True)
    assert Participation.objects.get().opted_in
