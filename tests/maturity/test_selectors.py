"""The adapter from model rows to the scoring service's plain data."""

from fractions import Fraction

import pytest

from maturity import caching
from maturity.selectors import model_version_structure
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
