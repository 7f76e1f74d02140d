"""Formatting of benchmark figures: box-chart geometry and the labels of positions and groups."""

from django import template
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation
from assessments.templatetags.report_format import percent
from benchmarks.disclosure import MIN_GROUP, POPULATION_BAND_LABELS

register = template.Library()

SCALE_MAX = 4  # the maturity index runs from 0 to 4
CHART_MARGIN, CHART_WIDTH = 8, 384

POSITION_LABELS = {
    "below_q1": _("below the first quartile"),
    "at_q1": _("at the first quartile"),
    "q1_median": _("between the first quartile and the median"),
    "at_median": _("at the median"),
    "median_q3": _("between the median and the third quartile"),
    "at_q3": _("at the third quartile"),
    "above_q3": _("above the third quartile"),
}
LEVEL_LABELS = {
    "region": _("same kind, size and region"),
    "size": _("same kind and size, all regions"),
    "kind": _("same kind, all sizes"),
}
REASON_LABELS = {
    "unknown": _("your organisation's population or region is not known to Groeipad"),
    "too_small": _("fewer than %(k)s other organisations in this group take part"),
    "protected": _(
        "showing this group beside a wider one could reveal the results of fewer than "
        "%(k)s organisations"
    ),
}


def _x(value: float | str) -> float:
    return CHART_MARGIN + CHART_WIDTH * max(0.0, min(float(value), SCALE_MAX)) / SCALE_MAX


# SVG coordinates are written with a decimal point whatever the reader's language: the filters
# return text, so the template's number localisation (2,5 in Dutch) never touches them.


@register.filter
def benchmark_x(value: float | str) -> str:
    """A maturity index as an x coordinate in a box chart (viewBox 400 wide, 8 margin)."""
    return f"{_x(value):.1f}"


@register.filter
def benchmark_width(spread) -> str:
    """The width of a distribution's middle half (first to third quartile) in the chart."""
    return f"{_x(spread.q3) - _x(spread.q1):.1f}"


@register.filter
def benchmark_diamond(value: float) -> str:
    """The points of the diamond that marks the organisation's own value."""
    x = _x(value)
    return f"{x:.1f},2 {x + 8:.1f},12 {x:.1f},22 {x - 8:.1f},12"


@register.filter
def benchmark_position(position: str) -> str:
    return POSITION_LABELS.get(position, "")


@register.filter
def benchmark_level(level: str) -> str:
    return LEVEL_LABELS.get(level, "")


@register.filter
def benchmark_reason(reason: str) -> str:
    label = REASON_LABELS.get(reason)
    return label % {"k": MIN_GROUP} if label else ""


@register.filter
def benchmark_kind(kind: str) -> str:
    return Organisation.Kind(kind).label if kind in Organisation.Kind.values else kind


@register.filter
def benchmark_band(band: str) -> str:
    return POPULATION_BAND_LABELS.get(band, "")


@register.filter
def benchmark_percent(value: int) -> str:
    """A whole percentage written as the report writes percentages."""
    return percent(value / 100)
