"""An organisation's comparison: k >= 5 OTHER organisations, the fixed group hierarchy, opt-out,
model versions compared by key, constant queries; always as of the latest release (issue 31)."""

import statistics
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Assessment, Membership, Organisation
from benchmarks.disclosure import (
    POSITIONS,
    Distribution,
    comparison_path,
    population_band,
    position,
)
from benchmarks.models import Participation
from benchmarks.selectors import (
    UNAVAILABLE_REASONS,
    Comparison,
    assessment_benchmark_export,
    assessment_comparison,
    assessment_comparison_for_organisation,
    benchmark_export,
)
from benchmarks.services import benchmark_release_create, participation_set
from maturity.selectors import model_version_structure
from tests.factories import PHASE_KEYS, MembershipFactory, build_model_version

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
    sector.release()
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.group is None
    assert comparison.levels == {"region": "too_small", "size": "too_small", "kind": "too_small"}
    sector.many(1)
    sector.release()  # 1 joined: fewer than 3 changes, the group keeps its figures of 5
    assert assessment_comparison(membership=membership, assessment=assessment).group is None
    sector.many(2)
    sector.release()  # 3 joined since: computed anew
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.group.level == "region"
    # The release's group, the organisation itself included: 7 others besides it.
    assert comparison.index.n == 8


def test_the_narrower_group_is_refused_when_the_wider_one_differs_by_one_to_four(sector):
    membership, assessment = own(sector)
    sector.many(6)
    sector.many(2, region="Antwerpen")
    sector.release()
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.levels["region"] == "protected"
    assert comparison.group.level == "size"
    assert comparison.refused == {"region": "protected"}
    assert comparison.index.n == 9
    refused = assessment_comparison(membership=membership, assessment=assessment, level="region")
    assert refused.group is None and refused.requested == "region"
    assert refused.offers == ["size", "kind"]


def test_a_forged_filter_cannot_pick_another_kind(sector, rf):
    membership, assessment = own(sector)
    sector.many(6)
    sector.many(6, kind=Organisation.Kind.PROVINCE, population=500_000)
    sector.release()
    for level in ("kind", "provincie", "size", "<script>"):
        comparison = assessment_comparison(
            membership=membership, assessment=assessment, level=level
        )
        assert comparison.group is None or comparison.group.kind == "gemeente"
        assert comparison.group is None or comparison.index.n == 7


def test_an_opt_out_that_leaves_too_few_removes_the_group_at_the_next_release(sector):
    membership, assessment = own(sector)
    others = sector.many(5)
    sector.release()
    assert assessment_comparison(membership=membership, assessment=assessment).index.n == 6
    for leaving in others[:2]:
        admin = MembershipFactory(organisation=leaving, role=Membership.Role.ADMIN).user
        participation_set(user=admin, organisation=leaving, opted_in=False)
    # Until the next release the page does not move (issue 31, F1) ...
    assert assessment_comparison(membership=membership, assessment=assessment).index.n == 6
    sector.release()
    # ... then a group that is too small is not shown at all.
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.group is None
    assert assessment_benchmark_export(membership=membership, assessment=assessment) == {
        "benchmark": None,
        "benchmark_unavailable": "fewer than 5 other organisations of this kind take part",
        "benchmark_released_on": timezone.localdate(comparison.released_at).isoformat(),
    }


def test_never_opted_in_organisations_do_not_count(sector):
    membership, assessment = own(sector)
    sector.many(4)
    sector.many(3, opted_in=False)
    sector.release()
    assert assessment_comparison(membership=membership, assessment=assessment).group is None


def test_only_the_latest_submitted_assessment_of_each_organisation_counts(sector):
    membership, assessment = own(sector)
    others = sector.many(5)
    latest = [sector.assessment(o, level=4, days_ago=1).maturity_index for o in others]
    sector.release()
    comparison = assessment_comparison(membership=membership, assessment=assessment)
    assert comparison.index.n == 6
    # The latest results, not the earlier ones, give this median (one decimal: issue 31, F2).
    values = [*latest, assessment.maturity_index]
    assert abs(comparison.index.median - float(statistics.median(values))) <= 0.15


def test_dimensions_are_compared_by_key_across_model_versions(sector, model_version):
    newer = build_model_version(criteria_count=16, dimension_count=4, slug="benchmodel")
    sector.many(5, version=newer)  # dim-1..dim-4: dim-1..dim-3 are kept
    sector.many(5)  # the first version: dim-1..dim-3
    mover, newer_assessment = own(sector, version=newer)
    sector.release()
    comparison = assessment_comparison(membership=mover, assessment=newer_assessment)
    assert comparison.index.n == 11
    by_key = {row.dimension.key: row for row in comparison.dimensions}
    assert by_key["dim-1"].distribution.n == 11
    # dim-4 exists only in the newer version: 6 of 11 have it, 5 without is a safe difference.
    assert by_key["dim-4"].distribution.n == 11  # the group's size; 6 of them have dim-4
    sector.many(3)  # now 8 of 14 lack dim-4: still a safe difference
    sector.release()
    comparison = assessment_comparison(membership=mover, assessment=newer_assessment)
    assert {row.dimension.key: row for row in comparison.dimensions}["dim-4"].distribution


def test_a_dimension_missing_for_one_to_four_organisations_is_not_comparable(sector):
    newer = build_model_version(criteria_count=16, dimension_count=4, slug="benchmodel")
    sector.many(6, version=newer)
    sector.many(2)  # two organisations on the first version lack dim-4
    mover, newer_assessment = own(sector, version=newer)
    sector.release()
    comparison = assessment_comparison(membership=mover, assessment=newer_assessment)
    rows = {row.dimension.key: row for row in comparison.dimensions}
    assert rows["dim-4"].distribution is None
    assert rows["dim-1"].distribution.n == 9


def test_other_model_slugs_never_mix(sector):
    membership, assessment = own(sector)
    other = build_model_version(slug="anders")
    sector.many(6, version=other)
    sector.release()
    benchmark_release_create(model_slug="anders")
    assert assessment_comparison(membership=membership, assessment=assessment).group is None


def test_none_for_another_organisations_membership(sector):
    _membership, assessment = own(sector)
    stranger = MembershipFactory(role=Membership.Role.ADMIN)
    assert assessment_comparison(membership=stranger, assessment=assessment) is None


def test_result_export_has_the_documented_shape(sector):
    membership, assessment = own(sector)
    sector.many(6)
    release = sector.release()
    exported = assessment_benchmark_export(membership=membership, assessment=assessment)
    benchmark = exported["benchmark"]
    assert set(benchmark) == {"group", "n", "index_quartiles", "position", "released_on"}
    assert benchmark["released_on"] == timezone.localdate(release.released_at).isoformat()
    assert benchmark["group"] == {
        "kind": "gemeente",
        "population_band": "25k-50k",
        "region": "Oost-Vlaanderen",
    }
    assert benchmark["n"] == 7 and len(benchmark["index_quartiles"]) == 3
    assert benchmark["position"] in POSITIONS


def test_constant_queries_whatever_the_number_of_organisations(sector, django_assert_num_queries):
    membership, assessment = own(sector)
    sector.many(6)
    sector.release()
    with django_assert_num_queries(1):  # the latest release
        assessment_comparison(membership=membership, assessment=assessment)
    for organisation in sector.many(30, region="Limburg"):
        sector.assessment(organisation, days_ago=400)
    sector.release()
    with django_assert_num_queries(1):
        wider = assessment_comparison(membership=membership, assessment=assessment, level="size")
    assert wider.index.n == 37


def test_participation_service_refuses_non_admins(people):
    from assessments.services import NotAllowedError

    with pytest.raises(NotAllowedError):
        participation_set(user=people.viewer, organisation=people.organisation, opted_in=True)
    assert not Participation.objects.exists()
    participation_set(user=people.admin, organisation=people.organisation, opted_in=True)
    assert Participation.objects.get().opted_in


def test_the_comparison_shows_the_groups_stored_quartiles_and_phase_shares(sector):
    membership, assessment = own(sector)
    sector.many(6)
    release = sector.release()
    organisation = membership.organisation
    path = comparison_path(
        kind=organisation.kind,
        band=population_band(organisation.population),
        region=organisation.region,
        level="region",
    )
    first, second, third, fourth = PHASE_KEYS
    # Rewritten by hand so each share is a number of its own: 1, 2, 0 and 3 of 11 in the phases of
    # this version, 5 in a phase only an older version had ("other").
    group = release.groups["|".join(path)]
    group["phases"] = {first: 1, second: 2, fourth: 3, "gone-phase": 5}
    group["index"] = [1.2, 2.0, 2.9, True]
    release.save(update_fields=["groups"])
    own_key = assessment.result["phase"]["key"]

    comparison = assessment_comparison(membership=membership, assessment=assessment)

    assert comparison.group.level == "region"
    assert comparison.index == Distribution(group["n"], 1.2, 2.0, 2.9, True)
    assert [
        (share.phase.key if share.phase else None, share.percent, share.is_own)
        for share in comparison.phases
    ] == [
        (first, 9, own_key == first),
        (second, 18, own_key == second),
        (third, 0, own_key == third),
        (fourth, 27, own_key == fourth),
        (None, 45, False),
    ]


@pytest.mark.parametrize(
    ("asked", "band", "region"),
    [(None, "25k-50k", "Oost-Vlaanderen"), ("size", "25k-50k", None), ("kind", None, None)],
)
def test_the_group_names_only_what_its_level_shares(sector, asked, band, region):
    membership, assessment = own(sector)
    sector.many(6)
    sector.release()

    comparison = assessment_comparison(membership=membership, assessment=assessment, level=asked)

    assert comparison.requested == asked
    assert comparison.group.level == (asked or "region")
    assert (comparison.group.population_band, comparison.group.region) == (band, region)


@pytest.mark.parametrize("opted_in", [True, False])
def test_the_comparison_says_whether_the_organisation_takes_part(sector, opted_in):
    membership, assessment = own(sector, opted_in=opted_in)
    sector.many(6)
    sector.release()

    comparison = assessment_comparison(membership=membership, assessment=assessment)

    assert comparison.group is not None
    assert comparison.takes_part is opted_in


def test_the_own_index_is_shown_with_two_decimals(sector):
    membership, assessment = own(sector)
    sector.many(6)
    sector.release()
    assessment.maturity_index = Decimal("2.3456")
    assessment.save(update_fields=["maturity_index"])

    comparison = assessment_comparison(membership=membership, assessment=assessment)

    assert comparison.own_index == 2.35


def test_before_the_first_release_no_group_is_shown(sector):
    membership, assessment = own(sector)
    sector.many(6)  # enough organisations, but no release yet

    comparison = assessment_comparison(membership=membership, assessment=assessment)

    assert (comparison.group, comparison.released_at) == (None, None)
    assert comparison.levels == {"region": "too_small", "size": "too_small", "kind": "too_small"}


def test_each_dimension_row_shows_two_decimals_and_its_own_position(sector):
    newer = build_model_version(criteria_count=16, dimension_count=4, slug="benchmodel")
    sector.many(6, version=newer)
    sector.many(2)  # two organisations on the first version lack dim-4: not comparable
    mover, assessment = own(sector, version=newer)
    sector.release()
    indexes = {"dim-1": "2.3456", "dim-2": "0.5", "dim-3": "3.999", "dim-4": "1.2345"}
    for item in assessment.result["dimensions"]:
        item["index"] = indexes[item["key"]]  # more decimals than shown (not saved)

    comparison = assessment_comparison(membership=mover, assessment=assessment)

    rows = {row.dimension.key: row for row in comparison.dimensions}
    assert {key: row.own for key, row in rows.items()} == {
        "dim-1": 2.35,
        "dim-2": 0.5,
        "dim-3": 4.0,
        "dim-4": 1.23,
    }
    assert rows["dim-4"].distribution is None and rows["dim-4"].position == ""
    for key in ("dim-1", "dim-2", "dim-3"):
        # The position of the unrounded value, as `position` names it.
        assert rows[key].position == position(float(indexes[key]), rows[key].distribution)
        assert rows[key].position in POSITIONS


def test_no_comparison_for_a_draft_or_another_organisations_assessment(sector):
    mine = sector.organisation()
    theirs = sector.organisation()
    sector.many(6)
    sector.release()
    draft = sector.assessment(mine, level=3, days_ago=1)
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.DRAFT, result=None)
    draft.refresh_from_db()
    submitted = mine.assessments.get(status=Assessment.Status.SUBMITTED)

    assert assessment_comparison_for_organisation(organisation=mine, assessment=draft) is None
    assert assessment_comparison_for_organisation(organisation=theirs, assessment=submitted) is None
    assert assessment_comparison_for_organisation(organisation=mine, assessment=submitted)


def test_a_release_without_the_group_of_all_says_the_organisation_does_not_take_part(sector):
    membership, assessment = own(sector)
    sector.many(6)
    release = sector.release()
    # A release written otherwise (a tool, an older release) may lack the root group "".
    del release.groups[""]
    release.save(update_fields=["groups"])

    comparison = assessment_comparison(membership=membership, assessment=assessment)

    assert comparison.group is not None
    assert comparison.takes_part is False


def test_the_export_without_a_comparison_says_too_small_and_no_date():
    assert benchmark_export(None) == {
        "benchmark": None,
        "benchmark_unavailable": UNAVAILABLE_REASONS["too_small"],
        "benchmark_released_on": None,
    }


def test_the_export_of_a_refused_comparison_gives_the_widest_levels_reason(sector):
    sector.many(6)
    release = sector.release()
    refused = Comparison(
        levels={"region": "protected", "size": "protected", "kind": "protected"},
        requested=None,
        released_at=release.released_at,
    )

    assert benchmark_export(refused) == {
        "benchmark": None,
        "benchmark_unavailable": UNAVAILABLE_REASONS["protected"],
        "benchmark_released_on": timezone.localdate(release.released_at).isoformat(),
    }
