"""The model file format (docs/model-format.md): every problem of a file, found before writing."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maturity.models import MODEL_LANGUAGES, Criterion, Dimension, ModelVersion, Phase
from maturity.scoring import PHASE_COUNT, PHASE_ORDERS

MODEL_FORMAT = "groeipad-model/1"
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
    _check_header(check, root)
    keys: dict[str, set[str]] = {}
    for section in ("phases", "dimensions", "criteria"):
        keys[section] = set()
        items = root.get(section)
        if not isinstance(items, list):
            check.add(section, _("must be a list"))
            continue
        for index, raw in enumerate(items):
            _check_item(check, section, f"{section}[{index}]", raw, keys)
    if isinstance(root.get("phases"), list):
        _check_phases(check, root["phases"], root.get("criteria"))
    if isinstance(root.get("dimensions"), list):
        _check_dimension_orders(check, root["dimensions"])
    if isinstance(root.get("criteria"), list):
        _check_criterion_orders(check, root["criteria"])
    return check.problems


def _check_header(check: _Checker, root: dict) -> None:
    if root.get("format") != MODEL_FORMAT:
        check.add("format", _("must be “%(format)s”") % {"format": MODEL_FORMAT})
    slug = root.get("slug")
    if not isinstance(slug, str) or not slug or slugify(slug) != slug or len(slug) > 80:
        check.add("slug", _("is missing or not a slug (a-z, 0-9 and hyphens)"))
    check.text(root, "name", "name", required=True, model=ModelVersion)
    check.text(root, "description", "description", required=False, model=ModelVersion)
    check.decimal(root, "minimum_coverage", "minimum_coverage", at_most_one=True)


def _check_item(
    check: _Checker, section: str, place: str, raw: Any, keys: dict[str, set[str]]
) -> None:
    """One phase, dimension or criterion; criteria refer to keys of the sections before them."""
    item = check.mapping(raw, place)
    if item is None:
        return
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
        check.text(item, "advice_title", place, required=False, model=Criterion)
        for field, section_of_key in (("phase", "phases"), ("dimension", "dimensions")):
            reference = item.get(field)
            if not isinstance(reference, str) or reference not in keys[section_of_key]:
                check.add(
                    f"{place}.{field}", _("“%(key)s” is not a known key") % {"key": reference}
                )


def _check_phases(check: _Checker, phases: list, criteria: Any) -> None:
    if len(phases) != PHASE_COUNT:
        check.add(
            "phases",
            _("a model needs exactly four phases, this file has %(count)d")
            % {"count": len(phases)},
        )
    orders = sorted(
        p.get("order") for p in phases if isinstance(p, dict) and isinstance(p.get("order"), int)
    )
    if len(phases) == PHASE_COUNT and orders != list(PHASE_ORDERS):
        check.add("phases", _("the phases must be numbered 1, 2, 3 and 4"))
    criteria = criteria if isinstance(criteria, list) else []
    # Only strings: a malformed reference or key (e.g. an object) must not break the check.
    used = {
        c.get("phase") for c in criteria if isinstance(c, dict) and isinstance(c.get("phase"), str)
    }
    for index, phase in enumerate(phases):
        key = phase.get("key") if isinstance(phase, dict) else None
        if isinstance(key, str) and key not in used:
            check.add(f"phases[{index}]", _("phase “%(key)s” has no criteria") % {"key": key})


def _check_dimension_orders(check: _Checker, dimensions: list) -> None:
    orders = sorted(
        d["order"] for d in dimensions if isinstance(d, dict) and _is_count(d.get("order"))
    )
    if orders != list(range(1, len(dimensions) + 1)):
        check.add(
            "dimensions",
            _("the dimensions must be numbered 1 to %(count)d, once each")
            % {"count": len(dimensions)},
        )


def _check_criterion_orders(check: _Checker, criteria: list) -> None:
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


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
