"""The adapter from model rows to the scoring service's plain data."""

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from maturity import caching
from maturity.models import CriterionReplacement, ModelVersion
from maturity.scoring import CriterionSpec, DimensionSpec, ModelSpec, PhaseSpec
from maturity.selectors import (
    ModelOverview,
    OlderDraft,
    build_spec,
    criterion_key_replacements,
    model_drafts_on_older_versions,
    model_overview_list,
    model_version_get,
    model_version_latest_published,
    model_version_structure,
)
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


@pytest.mark.parametrize("pk", [0, -1, 2**63, 2**64])
def test_a_version_id_outside_the_range_is_none_without_a_query(pk, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert model_version_get(pk=pk) is None


def test_any_version_is_found_by_its_id_a_draft_too():
    ModelVersion.objects.create(id=1, slug="een", version=1, name_nl="Een")
    ModelVersion.objects.create(id=1000, slug="duizend", version=1, name_nl="Duizend")

    assert model_version_get(pk=1).slug == "een"
    assert model_version_get(pk=1000).slug == "duizend"
    assert model_version_get(pk=999) is None


def test_the_latest_published_version_by_publication_then_number():
    old = build_model_version(criteria_count=4, slug="m")
    newer = build_model_version(criteria_count=4, slug="m")
    build_model_version(criteria_count=4, slug="m", publish=False)  # a draft: never
    QuerySet.update(
        ModelVersion.objects.filter(pk=old.pk), published_at=newer.published_at + timedelta(1)
    )
    assert model_version_latest_published(slug="m") == old  # published last, a lower number
    QuerySet.update(ModelVersion.objects.filter(pk=old.pk), published_at=newer.published_at)
    assert model_version_latest_published(slug="m") == newer  # the same moment: the number


def test_the_criteria_of_a_dimension_are_its_own():
    structure = model_version_structure(version=spec_version())

    keys = [c.key for c in structure.criteria_of_dimension(structure.dimensions[1])]
    assert keys == ["crit-005", "crit-006", "crit-007", "crit-008"]


def with_crosswalk(slug: str, *replacements: tuple[str, str]) -> ModelVersion:
    """A new version of the model with these replacements, published (that fixes them)."""
    version = build_model_version(criteria_count=4, slug=slug, publish=False)
    for old_key, new_key in replacements:
        CriterionReplacement.objects.create(version=version, old_key=old_key, new_key=new_key)
    version.status, version.published_at = ModelVersion.Status.PUBLISHED, timezone.now()
    version.save()
    return version


def test_the_crosswalk_follows_its_versions_in_order_and_its_model_only():
    caching.clear_all()
    with_crosswalk("m")
    second = with_crosswalk("m", ("a", "b"))
    third = with_crosswalk("m", ("b", "c"))
    # Stored in the other order: the later version's row first.
    QuerySet.update(CriterionReplacement.objects.filter(version=second), version=third)
    QuerySet.update(
        CriterionReplacement.objects.filter(old_key="b"), version=second, old_key="a", new_key="b"
    )
    QuerySet.update(CriterionReplacement.objects.filter(version=third), old_key="b", new_key="c")
    with_crosswalk("ander")
    other = with_crosswalk("ander", ("x", "y"))

    assert list(
        CriterionReplacement.objects.order_by("pk").values_list("version__version", "old_key")
    ) == [(3, "b"), (2, "a"), (2, "x")]
    assert criterion_key_replacements(version=third) == {"a": "c", "b": "c"}
    assert criterion_key_replacements(version=other) == {"x": "y"}


def test_two_versions_published_at_the_same_time_have_their_own_crosswalks():
    caching.clear_all()
    first = with_crosswalk("een", ("a", "b"))
    second = with_crosswalk("twee")
    QuerySet.update(ModelVersion.objects.filter(pk=second.pk), published_at=first.published_at)
    second.refresh_from_db()

    assert criterion_key_replacements(version=first) == {"a": "b"}
    assert criterion_key_replacements(version=second) == {}


def test_a_crosswalk_published_anew_under_the_same_id_is_read_again():
    caching.clear_all()
    version = with_crosswalk("m", ("a", "b"))
    assert criterion_key_replacements(version=version) == {"a": "b"}
    QuerySet.update(CriterionReplacement.objects.all(), new_key="c")
    version.published_at += timedelta(seconds=1)

    assert criterion_key_replacements(version=version) == {"a": "c"}


def test_the_drafts_on_older_versions_are_every_organisations_by_name_version_and_id():
    from assessments.models import Assessment
    from tests.factories import OrganisationFactory

    versions = [build_model_version(criteria_count=4, slug="m") for _ in range(3)]
    other_model = build_model_version(criteria_count=4, slug="ander")
    beta, alfa = OrganisationFactory(name="Beta"), OrganisationFactory(name="Alfa")

    def draft(organisation, version, title, **fields):
        return Assessment.objects.create(
            organisation=organisation, model_version=version, title=title, **fields
        )

    b1 = draft(beta, versions[0], "B1")
    a2 = draft(alfa, versions[1], "A2")
    a1_late = draft(alfa, versions[0], "A1 later")
    a1 = draft(alfa, versions[0], "A1", created_at=a1_late.created_at - timedelta(days=1))
    draft(alfa, versions[2], "A3")  # not below
    draft(alfa, other_model, "Other")
    draft(alfa, versions[0], "Submitted", status="submitted", result={}, submitted_at=a1.created_at)

    found = model_drafts_on_older_versions(slug="m", below=3)

    def older(assessment, organisation, number):
        return OlderDraft(
            assessment.pk, assessment.title, organisation, number, assessment.created_at
        )

    assert found == [
        older(a1_late, "Alfa", 1),
        older(a1, "Alfa", 1),
        older(a2, "Alfa", 2),
        older(b1, "Beta", 1),
    ]


def test_the_overview_is_each_model_with_its_versions_and_the_drafts_on_archived_ones():
    from django.contrib.auth.models import Permission

    from assessments.models import Assessment
    from tests.factories import OrganisationFactory, UserFactory

    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_modelversion"))
    b1, b2, b3 = (build_model_version(criteria_count=4, slug="b") for _ in range(3))
    ModelVersion.objects.filter(pk__in=[b1.pk, b2.pk]).update(status=ModelVersion.Status.ARCHIVED)
    b4, b5 = (build_model_version(criteria_count=4, slug="b", publish=False) for _ in range(2))
    a1 = build_model_version(criteria_count=4, slug="a", publish=False)  # no published one
    beta, alfa = OrganisationFactory(name="Beta"), OrganisationFactory(name="Alfa")

    def draft(organisation, version, title, **fields):
        return Assessment.objects.create(
            organisation=organisation, model_version=version, title=title, **fields
        )

    # Made in another order than shown: by organisation name, version number, then id.
    alfa_b2 = draft(alfa, b2, "Alfa on 2")
    beta_b1 = draft(beta, b1, "Beta on 1")
    alfa_b1 = draft(alfa, b1, "Alfa on 1")
    draft(alfa, b3, "On the current one")
    draft(alfa, b1, "Done", status="submitted", result={}, submitted_at=timezone.now())
    b1.refresh_from_db()
    b2.refresh_from_db()

    overview = model_overview_list(user=editor)

    older = tuple(
        OlderDraft(a.pk, a.title, a.organisation.name, a.model_version.version, a.created_at)
        for a in (alfa_b1, alfa_b2, beta_b1)
    )
    assert overview == [
        ModelOverview(slug="a", drafts=(a1,), current=None, archived=(), older_drafts=()),
        ModelOverview(slug="b", drafts=(b5, b4), current=b3, archived=(b2, b1), older_drafts=older),
    ]
    assert model_overview_list(user=UserFactory(is_staff=True)) is None
