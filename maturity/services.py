"""Writes to the maturity model: drafts, publishing, import and export."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maturity.models import MODEL_LANGUAGES, Criterion, Dimension, ModelVersion, Phase
from maturity.scoring import PHASE_COUNT, PHASE_ORDERS, SpecProblem, spec_problems
from maturity.selectors import build_spec

MODEL_FORMAT = "groeipad-model/1"


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
    """Publish a draft after checking every publish rule; it can never change afterwards."""
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise PublishError([_("Only a draft can be published.")])
    problems = model_version_problems(version=version)
    if problems:
        raise PublishError(problems)
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
            }
            for c in criteria
        ],
    }


SECTION_MODELS: dict[str, type[Model]] = {
    "phases": Phase,
    "dimensions": Dimension,
    "criteria": Criterion,
}


class _Checker:
    """Collects every problem of a model file with the place it occurs."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}")

    def mapping(self, value: Any, place: str) -> dict | None:
        if not isinstance(value, dict):
            self.add(place, _("must be an object"))
            return None
        return value

    def length(self, value: str, place: str, max_length: int | None) -> None:
        if max_length is not None and len(value) > max_length:
            self.add(place, _("is longer than %(max)d characters") % {"max": max_length})

    def key(self, item: dict, place: str, model: type[Model]) -> str | None:
        value = item.get("key")
        if not isinstance(value, str) or not value:
            self.add(f"{place}.key", _("is missing"))
            return None
        if slugify(value) != value:
            self.add(f"{place}.key", _("may only contain a-z, 0-9 and hyphens"))
        self.length(value, f"{place}.key", model._meta.get_field("key").max_length)
        return value

    def text(
        self, item: dict, field: str, place: str, *, required: bool, model: type[Model]
    ) -> None:
        value = item.get(field)
        if value is None and not required:
            return
        if not isinstance(value, dict):
            self.add(f"{place}.{field}", _("is missing (an object with “nl” and “en”)"))
            return
        for language, text in value.items():
            if language not in MODEL_LANGUAGES or not isinstance(text, str):
                self.add(f"{place}.{field}.{language}", _("is not a known language with a text"))
                continue
            max_length = model._meta.get_field(f"{field}_{language}").max_length
            self.length(text, f"{place}.{field}.{language}", max_length)
        if required and not value.get("nl"):
            self.add(f"{place}.{field}.nl", _("is missing"))

    def integer(self, item: dict, field: str, place: str) -> int | None:
        value = item.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.add(f"{place}.{field}", _("must be a whole number"))
            return None
        return value

    def decimal(self, item: dict, field: str, place: str, *, at_most_one: bool) -> None:
        value = item.get(field)
        if value is None:
            self.add(f"{place}.{field}", _("is missing"))
            return
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.add(f"{place}.{field}", _("must be a number like “0.70”"))
            return
        if not number.is_finite() or number <= 0 or (at_most_one and number > 1):
            self.add(
                f"{place}.{field}",
                _("must be greater than 0 and at most 1")
                if at_most_one
                else _("must be greater than 0"),
            )
        elif number != number.quantize(Decimal("0.01")) or number >= 1000:
            self.add(f"{place}.{field}", _("may have at most two decimals and be below 1000"))


def model_version_validate_file(*, data: Any) -> list[str]:
    """Every problem of a model file, each naming its place; empty when it can be imported."""
    check = _Checker()
    root = check.mapping(data, "(file)")
    if root is None:
        return check.problems
    if root.get("format") != MODEL_FORMAT:
        check.add("format", _("must be “%(format)s”") % {"format": MODEL_FORMAT})
    slug = root.get("slug")
    if not isinstance(slug, str) or not slug or slugify(slug) != slug or len(slug) > 80:
        check.add("slug", _("is missing or not a slug (a-z, 0-9 and hyphens)"))
    check.text(root, "name", "name", required=True, model=ModelVersion)
    check.text(root, "description", "description", required=False, model=ModelVersion)
    check.decimal(root, "minimum_coverage", "minimum_coverage", at_most_one=True)

    keys: dict[str, set[str]] = {}
    for section in ("phases", "dimensions", "criteria"):
        keys[section] = set()
        items = root.get(section)
        if not isinstance(items, list):
            check.add(section, _("must be a list"))
            continue
        for index, raw in enumerate(items):
            place = f"{section}[{index}]"
            item = check.mapping(raw, place)
            if item is None:
                continue
            key = check.key(item, place, SECTION_MODELS[section])
            if key is not None:
                if key in keys[section]:
                    check.add(f"{place}.key", _("“%(key)s” is used twice") % {"key": key})
                keys[section].add(key)
            check.integer(item, "order", place)
            if section == "phases":
                check.decimal(item, "threshold", place, at_most_one=True)
                check.text(item, "name", place, required=True, model=Phase)
                check.text(item, "summary", place, required=False, model=Phase)
                check.text(item, "description", place, required=False, model=Phase)
            elif section == "dimensions":
                check.text(item, "name", place, required=True, model=Dimension)
                check.text(item, "description", place, required=False, model=Dimension)
            else:
                check.decimal(item, "weight", place, at_most_one=False)
                check.text(item, "statement", place, required=True, model=Criterion)
                check.text(item, "help_text", place, required=False, model=Criterion)
                check.text(item, "advice", place, required=False, model=Criterion)
                for field, section_of_key in (("phase", "phases"), ("dimension", "dimensions")):
                    reference = item.get(field)
                    if not isinstance(reference, str) or reference not in keys[section_of_key]:
                        check.add(
                            f"{place}.{field}",
                            _("“%(key)s” is not a known key") % {"key": reference},
                        )
    phases = root.get("phases")
    if isinstance(phases, list):
        if len(phases) != PHASE_COUNT:
            check.add(
                "phases",
                _("a model needs exactly four phases, this file has %(count)d")
                % {"count": len(phases)},
            )
        orders = sorted(
            p.get("order")
            for p in phases
            if isinstance(p, dict) and isinstance(p.get("order"), int)
        )
        if len(phases) == PHASE_COUNT and tuple(orders) != PHASE_ORDERS:
            check.add("phases", _("the phases must be numbered 1, 2, 3 and 4"))
        criteria = root.get("criteria") if isinstance(root.get("criteria"), list) else []
        # Only strings: a malformed reference or key (e.g. an object) must not break the check.
        used = {
            c.get("phase")
            for c in criteria
            if isinstance(c, dict) and isinstance(c.get("phase"), str)
        }
        for index, phase in enumerate(phases):
            key = phase.get("key") if isinstance(phase, dict) else None
            if isinstance(key, str) and key not in used:
                check.add(
                    f"phases[{index}]",
                    _("phase “%(key)s” has no criteria") % {"key": key},
                )
    dimensions = root.get("dimensions")
    if isinstance(dimensions, list):
        orders = sorted(
            d["order"] for d in dimensions if isinstance(d, dict) and _is_count(d.get("order"))
        )
        if orders != list(range(1, len(dimensions) + 1)):
            check.add(
                "dimensions",
                _("the dimensions must be numbered 1 to %(count)d, once each")
                % {"count": len(dimensions)},
            )
    criteria = root.get("criteria")
    if isinstance(criteria, list):
        seen: set[tuple[str, int]] = set()
        for index, item in enumerate(criteria):
            if not isinstance(item, dict) or not _is_count(item.get("order")):
                continue
            position = (str(item.get("dimension")), item["order"])
            if position in seen:
                check.add(
                    f"criteria[{index}].order",
                    _("another criterion of this dimension has the same order"),
                )
            seen.add(position)
    return check.problems


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _create_version(*, data: dict[str, Any], slug: str) -> ModelVersion:
    version = ModelVersion(
        slug=slug,
        version=_next_version_number(slug),
        status=ModelVersion.Status.DRAFT,
        minimum_coverage=Decimal(str(data["minimum_coverage"])),
        **{f"name_{lang}": text for lang, text in _text(data["name"]).items()},
        **{f"description_{lang}": t for lang, t in _text(data.get("description", {})).items()},
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
            **{
                f"{field}_{lang}": text
                for field in ("name", "summary", "description")
                for lang, text in _text(item.get(field, {})).items()
            },
        )
        phases[phase.key] = phase
    Phase.objects.bulk_create(phases.values())
    dimensions = {}
    for item in data["dimensions"]:
        dimension = Dimension(
            version=version,
            key=item["key"],
            order=item["order"],
            **{
                f"{field}_{lang}": text
                for field in ("name", "description")
                for lang, text in _text(item.get(field, {})).items()
            },
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
            **{
                f"{field}_{lang}": text
                for field in ("statement", "help_text", "advice")
                for lang, text in _text(item.get(field, {})).items()
            },
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
