"""The adapter from model rows to the scoring service's plain data."""

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db.models import QuerySet

from maturity import caching
from maturity.models import ModelVersion
from maturity.scoring import CriterionSpec, DimensionSpec, ModelSpec, PhaseSpec
from maturity.selectors import build_spec, model_version_structure
from tests.factories import build_model_version

pytestmark = pytest.mark.django_db

# phases, dimensions, criteria: one query each, whatever the number of criteria
STRUCTURE_QUERIES = 3


@pytest.mark.parametrize("criteria_count", [8, 40, 160])
def test_building_the_spec_takes_the_same_queries_for_any_number_of_criteria(
    criteria_count, django_assert_num_queries
):
    version = build_model_version(criteria_count=criteria_count, publish=False)

    with django_assert_num_queries(STRUCTURE_QUERIES):
        structure = model_version_structure(version=version)
        assert len(structure.spec.criteria) == criteria_count
        assert [c.phase.key for c in structure.criteria]


def test_a_published_structure_is_loaded_once(django_assert_num_queries):
    version = build_model_version(criteria_count=12)
    caching.clear_all()
    model_version_structure(version=version)

    with django_assert_num_queries(0):
        model_version_structure(version=version)


def test_a_draft_structure_is_always_read_fresh():
    version = build_model_version(criteria_count=12, publish=False)
    model_version_structure(version=version)
    version.criteria.filter(key="crit-001").update(weight="2.50")

    spec = model_version_structure(version=version).spec

    assert next(c for c in spec.criteria if c.key == "crit-001").weight == Fraction(5, 2)


def test_the_spec_carries_exact_thresholds_and_weights():
    version = build_model_version(criteria_count=8)
    spec = model_version_structure(version=version).spec

    assert {p.threshold for p in spec.phases} == {Fraction(7, 10)}
    assert spec.minimum_coverage == Fraction(1, 2)
    assert all(isinstance(c.weight, Fraction) for c in spec.criteria)


def spec_version():
    """A draft of two dimensions whose coverage and one threshold are not the defaults."""
    version = build_model_version(criteria_count=8, dimension_count=2, slug="spec", publish=False)
    version.minimum_coverage = Decimal("0.75")
    version.save()
    version.phases.filter(key="converseren").update(threshold=Decimal("0.60"))
    return version


def test_the_spec_is_the_versions_rows_as_plain_exact_data():
    version = spec_version()

    spec = model_version_structure(version=version).spec

    phases = ["ontdekken", "experimenteren", "converseren", "samenwerken"]
    assert spec == ModelSpec(
        slug="spec",
        version=1,
        phases=tuple(
            PhaseSpec(
                key=key, order=order, threshold=Fraction(3, 5) if order == 3 else Fraction(7, 10)
            )
            for order, key in enumerate(phases, start=1)
        ),
        dimensions=(DimensionSpec(key="dim-1", order=1), DimensionSpec(key="dim-2", order=2)),
        criteria=tuple(
            CriterionSpec(
                key=f"crit-{i + 1:03d}",
                phase=phases[i % 4],
                dimension=f"dim-{i // 4 + 1}",
                order=i + 1,
                weight=Fraction(1),
            )
            for i in range(8)
        ),
        minimum_coverage=Fraction(3, 4),
    )


def test_a_criterion_whose_phase_or_dimension_is_not_given_has_an_empty_key():
    structure = model_version_structure(version=spec_version())

    spec = build_spec(
        version=structure.version, phases=(), dimensions=(), criteria=structure.criteria
    )

    assert {(c.phase, c.dimension) for c in spec.criteria} == {("", "")}
    assert spec.problems  # the scoring service names what is missing


def test_the_structure_carries_its_rows_and_the_criteria_follow_them_without_queries(
    django_assert_num_queries,
):
    version = spec_version()
    structure = model_version_structure(version=version)

    assert structure.version is version
    assert [p.key for p in structure.phases] == [
        "ontdekken",
        "experimenteren",
        "converseren",
        "samenwerken",
    ]
    assert [d.key for d in structure.dimensions] == ["dim-1", "dim-2"]
    with django_assert_num_queries(0):
        assert {c.version.slug for c in structure.criteria} == {"spec"}
        assert all(c.version is version for c in structure.criteria)


def test_two_versions_published_at_the_same_time_have_their_own_structures():
    caching.clear_all()
    first = build_model_version(criteria_count=4, slug="een")
    second = build_model_version(criteria_count=8, slug="twee")
    ModelVersion.objects.filter(pk=first.pk).update(status=ModelVersion.Status.ARCHIVED)
    # The same moment (bypassing the rule that a published version never changes).
    QuerySet.update(ModelVersion.objects.filter(pk=second.pk), published_at=first.published_at)
    second.refresh_from_db()

    assert len(model_version_structure(version=first).criteria) == 4
    assert len(model_version_structure(version=second).criteria) == 8


def test_a_version_published_anew_under_the_same_id_is_read_again():
    """A restored database, or a test database, can give an id a second version."""
    caching.clear_all()
    version = build_model_version(criteria_count=4)
    assert {c.weight for c in model_version_structure(version=version).spec.criteria} == {1}
    QuerySet.update(version.criteria.all(), weight=Decimal("2.00"))
    version.published_at += timedelta(seconds=1)

    spec = model_version_structure(version=version).spec

    assert {c.weight for c in spec.criteria} == {2}
