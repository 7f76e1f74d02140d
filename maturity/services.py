"""Writes to the maturity model: drafts, publishing, import and export."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from maturity.model_file import MODEL_FORMAT, model_version_validate_file
from maturity.models import MODEL_LANGUAGES, Criterion, Dimension, ModelVersion, Phase
from maturity.scoring import SpecProblem, spec_problems
from maturity.selectors import build_spec


class PublishError(Exception):
    """A draft that does not pass the publish rules; `problems` names each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ModelImportError(Exception):
    """A model file that cannot be imported; `problems` names each place and what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def describe_spec_problem(problem: SpecProblem) -> str:
    """A model editor's sentence for one publish rule that a version breaks."""
    messages = {
        "phase_count": _("A model needs exactly four phases; this one has %(subject)s."),
        "phase_order": _("The phases must be numbered 1, 2, 3 and 4."),
        "phase_without_criteria": _("Phase “%(subject)s” has no criteria."),
        "weight_not_positive": _("Criterion “%(subject)s” needs a weight greater than 0."),
        "threshold_out_of_range": _(
            "The threshold of phase “%(subject)s” must be greater than 0 and at most 1."
        ),
        "minimum_coverage_out_of_range": _(
            "The minimum coverage must be greater than 0 and at most 1."
        ),
        "duplicate_phase_key": _("The phase key “%(subject)s” is used more than once."),
        "duplicate_dimension_key": _("The dimension key “%(subject)s” is used more than once."),
        "duplicate_criterion_key": _("The criterion key “%(subject)s” is used more than once."),
        "unknown_phase": _("Criterion “%(subject)s” refers to a phase that does not exist."),
        "unknown_dimension": _(
            "Criterion “%(subject)s” refers to a dimension that does not exist."
        ),
    }
    return messages.get(problem.code, problem.code) % {"subject": problem.subject}


def model_version_problems(*, version: ModelVersion) -> list[str]:
    """Every publish rule this version breaks, as sentences (empty when it may be published)."""
    spec = build_spec(
        version=version,
        phases=tuple(version.phases.order_by("order")),
        dimensions=tuple(version.dimensions.order_by("order")),
        criteria=tuple(version.criteria.all()),
    )
    return [describe_spec_problem(problem) for problem in spec_problems(spec)]


@transaction.atomic
def model_version_publish(*, version: ModelVersion) -> ModelVersion:
    """Publish a draft after checking every publish rule; it can never change afterwards.

    The version it replaces (the model's published one) is archived in the same transaction, so
    one version of a model is current: the one new assessments use. Archiving changes nothing
    else: assessments made on the old version keep it, and their reports stay as they were.
    """
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise PublishError([_("Only a draft can be published.")])
    problems = model_version_problems(version=version)
    if problems:
        raise PublishError(problems)
    ModelVersion.objects.published().filter(slug=version.slug).update(
        status=ModelVersion.Status.ARCHIVED
    )
    version.status = ModelVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return version


@transaction.atomic
def model_version_archive(*, version: ModelVersion) -> ModelVersion:
    """Archive a published version: existing assessments keep it, new ones no longer use it."""
    if version.status != ModelVersion.Status.PUBLISHED:
        raise PublishError([_("Only a published version can be archived.")])
    ModelVersion.objects.filter(pk=version.pk).update(status=ModelVersion.Status.ARCHIVED)
    version.refresh_from_db()
    return version


def _next_version_number(slug: str) -> int:
    current = ModelVersion.objects.filter(slug=slug).aggregate(highest=Max("version"))["highest"]
    return (current or 0) + 1


@transaction.atomic
def model_version_new_draft(*, source: ModelVersion) -> ModelVersion:
    """Copy a version, with the same keys, into a new draft that can be edited."""
    return _create_version(data=model_version_export(version=source), slug=source.slug)


def _text(value: Any) -> dict[str, str]:
    return {language: value.get(language, "") for language in MODEL_LANGUAGES}


def model_version_export(*, version: ModelVersion) -> dict[str, Any]:
    """The whole version in the documented JSON format (docs/model-format.md)."""

    def texts(obj, field: str) -> dict[str, str]:
        return {language: getattr(obj, f"{field}_{language}") for language in MODEL_LANGUAGES}

    phases = list(version.phases.order_by("order"))
    dimensions = list(version.dimensions.order_by("order"))
    criteria = list(
        version.criteria.select_related("phase", "dimension").order_by(
            "dimension__order", "order", "key"
        )
    )
    return {
        "format": MODEL_FORMAT,
        "slug": version.slug,
        "version": version.version,
        "status": version.status,
        "name": texts(version, "name"),
        "description": texts(version, "description"),
        "minimum_coverage": str(version.minimum_coverage),
        "phases": [
            {
                "key": p.key,
                "order": p.order,
                "threshold": str(p.threshold),
                "name": texts(p, "name"),
                "summary": texts(p, "summary"),
                "description": texts(p, "description"),
            }
            for p in phases
        ],
        "dimensions": [
            {
                "key": d.key,
                "order": d.order,
                "name": texts(d, "name"),
                "description": texts(d, "description"),
            }
            for d in dimensions
        ],
        "criteria": [
            {
                "key": c.key,
                "phase": c.phase.key,
                "dimension": c.dimension.key,
                "order": c.order,
                "weight": str(c.weight),
                "statement": texts(c, "statement"),
                "help_text": texts(c, "help_text"),
                "advice": texts(c, "advice"),
                "advice_title": texts(c, "advice_title"),
            }
            for c in criteria
        ],
    }


def _translations(item: dict[str, Any], *fields: str) -> dict[str, str]:
    """A file item's texts as model field values: {"name": {"nl": …}} → {"name_nl": …}."""
    return {
        f"{field}_{language}": text
        for field in fields
        for language, text in _text(item.get(field, {})).items()
    }


def _create_version(*, data: dict[str, Any], slug: str) -> ModelVersion:
    version = ModelVersion(
        slug=slug,
        version=_next_version_number(slug),
        status=ModelVersion.Status.DRAFT,
        minimum_coverage=Decimal(str(data["minimum_coverage"])),
        **_translations(data, "name", "description"),
    )
    version.full_clean()
    version.save()
    phases = {}
    for item in data["phases"]:
        phase = Phase(
            version=version,
            key=item["key"],
            order=item["order"],
            threshold=Decimal(str(item["threshold"])),
            **_translations(item, "name", "summary", "description"),
        )
        phases[phase.key] = phase
    Phase.objects.bulk_create(phases.values())
    dimensions = {}
    for item in data["dimensions"]:
        dimension = Dimension(
            version=version,
            key=item["key"],
            order=item["order"],
            **_translations(item, "name", "description"),
        )
        dimensions[dimension.key] = dimension
    Dimension.objects.bulk_create(dimensions.values())
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            key=item["key"],
            phase=phases[item["phase"]],
            dimension=dimensions[item["dimension"]],
            order=item["order"],
            weight=Decimal(str(item["weight"])),
            **_translations(item, "statement", "help_text", "advice", "advice_title"),
        )
        for item in data["criteria"]
    )
    return version


@transaction.atomic
def model_version_import(*, data: Any) -> ModelVersion:
    """Create a draft from a model file, checked whole first; on any error nothing is written."""
    problems = model_version_validate_file(data=data)
    if problems:
        raise ModelImportError(problems)
    return _create_version(data=data, slug=data["slug"])
