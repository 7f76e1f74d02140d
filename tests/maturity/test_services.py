"""Publishing, new drafts and the default model: the services that write the maturity model."""

from dataclasses import replace
from fractions import Fraction

import pytest
from django.utils import timezone, translation

from maturity.models import Criterion, ModelVersion
from maturity.scoring import DimensionSpec, PhaseSpec, spec_problems
from maturity.selectors import model_version_latest_published, model_version_structure
from maturity.services import (
    PublishError,
    describe_spec_problem,
    model_version_archive,
    model_version_export,
    model_version_new_draft,
    model_version_problems,
    model_version_publish,
)
from tests.factories import build_model_version

pytestmark = pytest.mark.django_db

TEXT_FIELDS = {
    "version": ("name", "description"),
    "phases": ("name", "summary", "description"),
    "dimensions": ("name", "description"),
    "criteria": ("statement", "help_text", "advice"),
}


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English, the source language, whatever the catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def unpublished() -> ModelVersion:
    """A draft that passes every publish rule: 4 phases with 2 criteria each."""
    return build_model_version(criteria_count=8, dimension_count=2, publish=False)


def spec_messages(spec) -> list[str]:
    return [describe_spec_problem(problem) for problem in spec_problems(spec)]


def sound_spec(version: ModelVersion):
    return model_version_structure(version=version).spec


# --- Publish rules, one per test -------------------------------------------------------------


def test_a_sound_draft_has_no_problems(unpublished):
    assert model_version_problems(version=unpublished) == []


def test_publishing_refuses_a_model_without_four_phases(unpublished):
    phase = unpublished.phases.get(order=4)
    phase.criteria.all().delete()
    phase.delete()

    with pytest.raises(PublishError) as error:
        model_version_publish(version=unpublished)

    assert "A model needs exactly four phases; this one has 3." in error.value.problems


def test_publishing_refuses_a_phase_without_criteria(unpublished):
    unpublished.criteria.filter(phase__key="converseren").delete()

    with pytest.raises(PublishError) as error:
        model_version_publish(version=unpublished)

    assert error.value.problems == ["Phase “converseren” has no criteria."]


def test_publishing_refuses_a_criterion_whose_phase_is_of_another_version(unpublished):
    other = build_model_version(criteria_count=4, slug="ander", publish=False)
    criterion = unpublished.criteria.get(key="crit-001")
    criterion.phase = other.phases.get(order=1)
    criterion.save()  # save() does not run clean(), which would refuse this

    with pytest.raises(PublishError) as error:
        model_version_publish(version=unpublished)

    assert "Criterion “crit-001” refers to a phase that does not exist." in error.value.problems


def test_publishing_refuses_a_criterion_whose_dimension_is_of_another_version(unpublished):
    other = build_model_version(criteria_count=4, slug="ander", publish=False)
    criterion = unpublished.criteria.get(key="crit-002")
    criterion.dimension = other.dimensions.get(order=1)
    criterion.save()

    with pytest.raises(PublishError) as error:
        model_version_publish(version=unpublished)

    assert error.value.problems == [
        "Criterion “crit-002” refers to a dimension that does not exist."
    ]


def test_a_refused_draft_stays_a_draft(unpublished):
    unpublished.criteria.filter(phase__key="converseren").delete()

    with pytest.raises(PublishError):
        model_version_publish(version=unpublished)

    unpublished.refresh_from_db()
    assert unpublished.status == ModelVersion.Status.DRAFT
    assert unpublished.published_at is None


def test_publishing_lists_every_problem_at_once(unpublished):
    unpublished.criteria.filter(phase__key__in=["ontdekken", "samenwerken"]).delete()

    with pytest.raises(PublishError) as error:
        model_version_publish(version=unpublished)

    assert error.value.problems == [
        "Phase “ontdekken” has no criteria.",
        "Phase “samenwerken” has no criteria.",
    ]


def test_only_a_draft_can_be_published():
    published = build_model_version()

    with pytest.raises(PublishError) as error:
        model_version_publish(version=published)

    assert error.value.problems == ["Only a draft can be published."]


# The database refuses weights ≤ 0, thresholds outside (0, 1] and duplicate keys, so a stored
# draft cannot break these rules; they are checked on the spec that publishing checks.


def test_the_weight_rule_names_the_criterion(unpublished):
    spec = sound_spec(unpublished)
    criteria = list(spec.criteria)
    criteria[2] = replace(criteria[2], weight=Fraction(0))

    messages = spec_messages(replace(spec, criteria=tuple(criteria)))

    assert messages == [f"Criterion “{criteria[2].key}” needs a weight greater than 0."]


def test_the_weight_rule_refuses_a_negative_weight(unpublished):
    spec = sound_spec(unpublished)
    criteria = list(spec.criteria)
    criteria[0] = replace(criteria[0], weight=Fraction(-1))

    messages = spec_messages(replace(spec, criteria=tuple(criteria)))

    assert messages == [f"Criterion “{criteria[0].key}” needs a weight greater than 0."]


@pytest.mark.parametrize("threshold", [Fraction(0), Fraction(3, 2)])
def test_the_threshold_rule_names_the_phase(unpublished, threshold):
    spec = sound_spec(unpublished)
    phases = list(spec.phases)
    phases[1] = replace(phases[1], threshold=threshold)

    messages = spec_messages(replace(spec, phases=tuple(phases)))

    assert messages == [
        "The threshold of phase “experimenteren” must be greater than 0 and at most 1."
    ]


def test_a_threshold_of_one_passes_the_threshold_rule(unpublished):
    spec = sound_spec(unpublished)
    phases = list(spec.phases)
    phases[1] = replace(phases[1], threshold=Fraction(1))

    assert spec_messages(replace(spec, phases=tuple(phases))) == []


def test_the_duplicate_criterion_key_rule_names_the_key(unpublished):
    spec = sound_spec(unpublished)
    criteria = list(spec.criteria)
    criteria[1] = replace(criteria[1], key=criteria[0].key)

    messages = spec_messages(replace(spec, criteria=tuple(criteria)))

    assert messages == [f"The criterion key “{criteria[0].key}” is used more than once."]


def test_the_duplicate_phase_key_rule_names_the_key(unpublished):
    spec = sound_spec(unpublished)
    phases = list(spec.phases)
    phases[3] = PhaseSpec(key="converseren", order=4, threshold=Fraction(7, 10))

    messages = spec_messages(replace(spec, phases=tuple(phases)))

    assert "The phase key “converseren” is used more than once." in messages


def test_the_duplicate_dimension_key_rule_names_the_key(unpublished):
    spec = sound_spec(unpublished)
    dimensions = (*spec.dimensions, DimensionSpec(key="dim-1", order=3))

    messages = spec_messages(replace(spec, dimensions=dimensions))

    assert messages == ["The dimension key “dim-1” is used more than once."]


def test_the_phase_order_rule_refuses_a_gap(unpublished):
    spec = sound_spec(unpublished)
    phases = list(spec.phases)
    phases[3] = replace(phases[3], order=5)

    messages = spec_messages(replace(spec, phases=tuple(phases)))

    assert messages == ["The phases must be numbered 1, 2, 3 and 4."]


def test_the_minimum_coverage_rule_refuses_zero(unpublished):
    spec = replace(sound_spec(unpublished), minimum_coverage=Fraction(0))

    assert spec_messages(spec) == ["The minimum coverage must be greater than 0 and at most 1."]


# --- Publishing and archiving ----------------------------------------------------------------


def test_publishing_sets_the_status_and_the_publication_time(unpublished):
    before = timezone.now()

    published = model_version_publish(version=unpublished)

    unpublished.refresh_from_db()
    assert unpublished.status == ModelVersion.Status.PUBLISHED
    assert before <= unpublished.published_at <= timezone.now()
    assert published.published_at == unpublished.published_at


def test_only_a_published_version_can_be_archived(unpublished):
    with pytest.raises(PublishError):
        model_version_archive(version=unpublished)

    unpublished.refresh_from_db()
    assert unpublished.status == ModelVersion.Status.DRAFT


def test_an_archived_version_is_no_longer_the_latest_published():
    version = build_model_version()

    model_version_archive(version=version)

    assert model_version_latest_published() is None


# --- New drafts ------------------------------------------------------------------------------


def test_a_new_draft_gets_the_next_version_number():
    source = build_model_version()

    new = model_version_new_draft(source=source)

    assert (new.slug, new.version, new.status) == (
        source.slug,
        source.version + 1,
        ModelVersion.Status.DRAFT,
    )


def test_a_new_draft_has_no_publication_time():
    new = model_version_new_draft(source=build_model_version())

    assert new.published_at is None


def test_a_new_draft_copies_every_phase_dimension_and_criterion_with_the_same_keys():
    source = build_model_version(criteria_count=12, dimension_count=3)

    new = model_version_new_draft(source=source)

    copied = model_version_export(version=new)
    original = model_version_export(version=source)
    for export in (copied, original):
        del export["version"], export["status"]
    assert copied == original


def test_a_new_draft_links_its_criteria_to_its_own_phases_and_dimensions():
    source = build_model_version()

    new = model_version_new_draft(source=source)

    assert not Criterion.objects.filter(version=new).exclude(phase__version=new).exists()
    assert not Criterion.objects.filter(version=new).exclude(dimension__version=new).exists()


def test_making_a_new_draft_leaves_the_source_unchanged():
    source = build_model_version()
    before = model_version_export(version=source)

    model_version_new_draft(source=source)

    source.refresh_from_db()
    assert model_version_export(version=source) == before


def test_a_new_draft_of_an_older_version_is_numbered_after_the_newest():
    first = build_model_version()
    build_model_version()

    new = model_version_new_draft(source=first)

    assert new.version == 3


def test_a_new_draft_can_be_edited():
    new = model_version_new_draft(source=build_model_version())
    criterion = new.criteria.get(key="crit-001")

    criterion.statement_nl = "Aangepaste stelling"
    criterion.save()

    assert new.criteria.get(key="crit-001").statement_nl == "Aangepaste stelling"


# --- The latest published version ------------------------------------------------------------


def test_the_latest_published_version_is_the_newest_published_one():
    build_model_version()
    newest = model_version_publish(version=model_version_new_draft(source=build_model_version()))

    assert model_version_latest_published() == newest


def test_the_latest_published_version_ignores_drafts():
    published = build_model_version()
    model_version_new_draft(source=published)

    assert model_version_latest_published() == published


def test_the_latest_published_version_goes_by_publication_time_not_number():
    source = build_model_version()
    second = model_version_new_draft(source=source)
    third = model_version_new_draft(source=source)
    model_version_publish(version=third)

    published_last = model_version_publish(version=second)

    assert model_version_latest_published() == published_last


def test_the_latest_published_version_of_a_slug_ignores_other_models():
    wanted = build_model_version(slug="gewenst")
    build_model_version(slug="ander")  # published later

    assert model_version_latest_published(slug="gewenst") == wanted


def test_there_is_no_latest_published_version_without_a_published_one():
    build_model_version(publish=False)

    assert model_version_latest_published() is None


# --- The default model -----------------------------------------------------------------------


def test_the_default_model_passes_its_own_publish_rules(default_model):
    assert model_version_problems(version=default_model) == []


def test_the_default_model_is_published(default_model):
    assert default_model.status == ModelVersion.Status.PUBLISHED


def test_the_default_model_has_at_least_32_criteria(default_model):
    assert default_model.criteria.count() >= 32


def test_every_phase_of_the_default_model_has_at_least_six_criteria(default_model):
    counts = {phase.key: phase.criteria.count() for phase in default_model.phases.all()}

    assert len(counts) == 4
    assert all(count >= 6 for count in counts.values()), counts


def test_every_dimension_of_the_default_model_has_at_least_four_criteria(default_model):
    counts = {d.key: d.criteria.count() for d in default_model.dimensions.all()}

    assert all(count >= 4 for count in counts.values()), counts


def test_every_text_of_the_default_model_is_filled_in_in_dutch_and_english(default_model):
    rows = [("version", default_model)] + [
        (section, row)
        for section in ("phases", "dimensions", "criteria")
        for row in getattr(default_model, section).all()
    ]

    empty = [
        f"{section} {getattr(row, 'key', '')} {field}_{language}"
        for section, row in rows
        for field in TEXT_FIELDS[section]
        for language in ("nl", "en")
        if not getattr(row, f"{field}_{language}").strip()
    ]

    assert empty == []
