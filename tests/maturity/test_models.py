"""The model layer keeps published versions unchanged and the database keeps the invariants."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from maturity.models import (
    AnswerValue,
    Criterion,
    Dimension,
    ImmutableVersionError,
    ModelVersion,
    Phase,
)
from maturity.services import model_version_archive
from tests.factories import build_model_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> ModelVersion:
    return build_model_version(criteria_count=8, dimension_count=2)


@pytest.fixture
def unpublished() -> ModelVersion:
    return build_model_version(criteria_count=8, dimension_count=2, slug="concept", publish=False)


# --- A published version cannot change -------------------------------------------------------


def test_saving_a_changed_published_version_raises(published):
    published.name_nl = "Andere naam"

    with pytest.raises(ImmutableVersionError):
        published.save()

    published.refresh_from_db()
    assert published.name_nl == "Testmodel 1"


def test_saving_a_published_version_back_to_draft_raises(published):
    published.status = ModelVersion.Status.DRAFT

    with pytest.raises(ImmutableVersionError):
        published.save()


def test_deleting_a_published_version_raises(published):
    with pytest.raises(ImmutableVersionError):
        published.delete()

    assert ModelVersion.objects.filter(pk=published.pk).exists()


def test_saving_a_phase_of_a_published_version_raises(published):
    phase = published.phases.get(order=1)
    phase.threshold = Decimal("0.50")

    with pytest.raises(ImmutableVersionError):
        phase.save()

    phase.refresh_from_db()
    assert phase.threshold == Decimal("0.70")


def test_deleting_a_phase_of_a_published_version_raises(published):
    phase = published.phases.get(order=1)

    with pytest.raises(ImmutableVersionError):
        phase.delete()


def test_saving_a_dimension_of_a_published_version_raises(published):
    dimension = published.dimensions.get(order=1)
    dimension.name_nl = "Andere dimensie"

    with pytest.raises(ImmutableVersionError):
        dimension.save()


def test_deleting_a_dimension_of_a_published_version_raises(published):
    dimension = published.dimensions.get(order=1)

    with pytest.raises(ImmutableVersionError):
        dimension.delete()


def test_saving_a_criterion_of_a_published_version_raises(published):
    criterion = published.criteria.get(key="crit-001")
    criterion.weight = Decimal("2.00")

    with pytest.raises(ImmutableVersionError):
        criterion.save()

    criterion.refresh_from_db()
    assert criterion.weight == Decimal("1.00")


def test_deleting_a_criterion_of_a_published_version_raises(published):
    criterion = published.criteria.get(key="crit-001")

    with pytest.raises(ImmutableVersionError):
        criterion.delete()

    assert published.criteria.filter(key="crit-001").exists()


def test_adding_a_criterion_to_a_published_version_raises(published):
    criterion = Criterion(
        version=published,
        key="nieuw",
        phase=published.phases.get(order=1),
        dimension=published.dimensions.get(order=1),
        statement_nl="Nieuwe stelling",
    )

    with pytest.raises(ImmutableVersionError):
        criterion.save()


def test_bulk_creating_a_criterion_in_a_published_version_raises(published):
    criterion = Criterion(
        version=published,
        key="nieuw",
        phase=published.phases.get(order=1),
        dimension=published.dimensions.get(order=1),
        statement_nl="Nieuwe stelling",
    )

    with pytest.raises(ImmutableVersionError):
        Criterion.objects.bulk_create([criterion])

    assert not published.criteria.filter(key="nieuw").exists()


def test_moving_a_criterion_out_of_a_published_version_raises(published, unpublished):
    criterion = published.criteria.get(key="crit-001")
    criterion.version = unpublished
    criterion.phase = unpublished.phases.get(order=1)
    criterion.dimension = unpublished.dimensions.get(order=1)

    with pytest.raises(ImmutableVersionError):
        criterion.save()


def test_bulk_update_of_criteria_of_a_published_version_raises(published):
    with pytest.raises(ImmutableVersionError):
        Criterion.objects.filter(version=published).update(weight=Decimal("3.00"))

    assert not published.criteria.filter(weight=Decimal("3.00")).exists()


def test_bulk_delete_of_criteria_of_a_published_version_raises(published):
    with pytest.raises(ImmutableVersionError):
        Criterion.objects.filter(version=published).delete()

    assert published.criteria.count() == 8


def test_bulk_update_of_phases_of_a_published_version_raises(published):
    with pytest.raises(ImmutableVersionError):
        Phase.objects.filter(version=published).update(name_en="Changed")


def test_bulk_delete_of_dimensions_of_a_published_version_raises(published):
    with pytest.raises(ImmutableVersionError):
        Dimension.objects.filter(version=published).delete()


def test_bulk_update_touching_a_published_version_among_drafts_raises(published, unpublished):
    with pytest.raises(ImmutableVersionError):
        Criterion.objects.all().update(advice_en="Changed")

    assert not Criterion.objects.filter(advice_en="Changed").exists()


def test_bulk_update_of_a_published_version_raises(published):
    with pytest.raises(ImmutableVersionError):
        ModelVersion.objects.filter(pk=published.pk).update(name_nl="Andere naam")


def test_bulk_update_cannot_turn_a_published_version_back_into_a_draft(published):
    with pytest.raises(ImmutableVersionError):
        ModelVersion.objects.filter(pk=published.pk).update(status=ModelVersion.Status.DRAFT)

    published.refresh_from_db()
    assert published.status == ModelVersion.Status.PUBLISHED


def test_bulk_delete_of_a_published_version_raises(published):
    with pytest.raises(ImmutableVersionError):
        ModelVersion.objects.filter(pk=published.pk).delete()


def test_an_archived_version_cannot_change(published):
    archived = model_version_archive(version=published)
    archived.name_en = "Renamed"

    with pytest.raises(ImmutableVersionError):
        archived.save()


def test_the_error_tells_to_make_a_new_draft(published):
    published.name_nl = "Andere naam"

    with pytest.raises(ImmutableVersionError, match="new draft"):
        published.save()


def test_saving_a_published_version_without_changes_is_allowed(published):
    published.save()

    published.refresh_from_db()
    assert published.status == ModelVersion.Status.PUBLISHED


# --- A draft can change ----------------------------------------------------------------------


def test_a_draft_version_can_be_renamed(unpublished):
    unpublished.name_nl = "Nieuwe naam"
    unpublished.save()

    unpublished.refresh_from_db()
    assert unpublished.name_nl == "Nieuwe naam"


def test_a_criterion_of_a_draft_can_change_its_weight(unpublished):
    criterion = unpublished.criteria.get(key="crit-001")
    criterion.weight = Decimal("2.50")
    criterion.save()

    criterion.refresh_from_db()
    assert criterion.weight == Decimal("2.50")


def test_a_phase_of_a_draft_can_change_its_threshold(unpublished):
    phase = unpublished.phases.get(order=2)
    phase.threshold = Decimal("0.80")
    phase.save()

    phase.refresh_from_db()
    assert phase.threshold == Decimal("0.80")


def test_parts_of_a_draft_can_be_updated_in_bulk(unpublished):
    updated = Criterion.objects.filter(version=unpublished).update(weight=Decimal("2.00"))

    assert updated == 8


def test_a_criterion_of_a_draft_can_be_deleted(unpublished):
    unpublished.criteria.get(key="crit-001").delete()

    assert not unpublished.criteria.filter(key="crit-001").exists()


def test_a_draft_version_can_be_deleted_with_its_parts(unpublished):
    unpublished.delete()

    assert not ModelVersion.objects.filter(slug="concept").exists()
    assert not Criterion.objects.filter(version_id=unpublished.pk).exists()


# --- Archiving -------------------------------------------------------------------------------


def test_archiving_a_published_version_is_allowed(published):
    archived = model_version_archive(version=published)

    assert archived.status == ModelVersion.Status.ARCHIVED
    published.refresh_from_db()
    assert published.status == ModelVersion.Status.ARCHIVED


def test_archiving_keeps_the_rest_of_the_version(published):
    model_version_archive(version=published)

    published.refresh_from_db()
    assert published.name_nl == "Testmodel 1"
    assert published.published_at is not None
    assert published.criteria.count() == 8


def test_saving_a_published_version_as_archived_is_allowed(published):
    published.status = ModelVersion.Status.ARCHIVED
    published.save()

    published.refresh_from_db()
    assert published.status == ModelVersion.Status.ARCHIVED


# --- Database constraints --------------------------------------------------------------------


def test_a_weight_of_zero_is_refused_by_the_database(unpublished):
    criterion = unpublished.criteria.get(key="crit-001")
    criterion.weight = Decimal("0")

    with pytest.raises(IntegrityError), transaction.atomic():
        criterion.save()


def test_a_negative_weight_is_refused_by_the_database(unpublished):
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(version=unpublished).update(weight=Decimal("-1"))


def test_a_threshold_of_zero_is_refused_by_the_database(unpublished):
    phase = unpublished.phases.get(order=1)
    phase.threshold = Decimal("0")

    with pytest.raises(IntegrityError), transaction.atomic():
        phase.save()


def test_a_threshold_above_one_is_refused_by_the_database(unpublished):
    phase = unpublished.phases.get(order=1)
    phase.threshold = Decimal("1.5")

    with pytest.raises(IntegrityError), transaction.atomic():
        phase.save()


def test_a_threshold_of_exactly_one_is_allowed(unpublished):
    phase = unpublished.phases.get(order=1)
    phase.threshold = Decimal("1")
    phase.save()

    phase.refresh_from_db()
    assert phase.threshold == Decimal("1.00")


def test_a_criterion_key_can_occur_only_once_per_version(unpublished):
    duplicate = Criterion(
        version=unpublished,
        key="crit-001",
        phase=unpublished.phases.get(order=1),
        dimension=unpublished.dimensions.get(order=1),
        statement_nl="Dubbele sleutel",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_same_criterion_key_may_occur_in_two_versions(published, unpublished):
    assert published.criteria.filter(key="crit-001").exists()
    assert unpublished.criteria.filter(key="crit-001").exists()


def test_a_phase_key_can_occur_only_once_per_version(unpublished):
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.filter(version=unpublished, order=2).update(key="ontdekken")


def test_a_fifth_phase_is_refused_by_the_database(unpublished):
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.create(version=unpublished, order=5, key="vijfde", name_nl="Vijfde")


def test_a_version_number_can_occur_only_once_per_slug(published):
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersion.objects.create(slug=published.slug, version=published.version, name_nl="X")


def test_a_minimum_coverage_above_one_is_refused_by_the_database(unpublished):
    unpublished.minimum_coverage = Decimal("1.5")

    with pytest.raises(IntegrityError), transaction.atomic():
        unpublished.save()


# --- AnswerValue.to_score --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0),
        ("1", 1),
        ("2", 2),
        ("3", 3),
        ("4", 4),
        ("dk", "dk"),
        ("na", "na"),
        ("", None),
        (None, None),
    ],
)
def test_answer_value_to_score_gives_what_the_scoring_service_takes(value, expected):
    assert AnswerValue.to_score(value) == expected


def test_every_answer_value_converts_to_a_score():
    scores = [AnswerValue.to_score(choice) for choice in AnswerValue.values]

    assert scores == [0, 1, 2, 3, 4, "dk", "na"]


# --- Texts in the active language ------------------------------------------------------------


def test_a_name_falls_back_to_dutch_when_the_english_text_is_empty(unpublished):
    phase = unpublished.phases.get(order=1)
    phase.name_en = ""

    with translation.override("en"):
        assert phase.name == phase.name_nl
