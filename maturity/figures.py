"""The one rounding of every figure a reader sees: a maturity index to one decimal.

Pages, the PDF and result.json show an index with one decimal; positions against quartiles and
"what changed" deltas are computed on those shown figures, so a reader who compares two numbers
on a page never finds a label or a delta that the numbers beside it contradict. Pure: no Django.
"""

from decimal import ROUND_DOWN, Decimal

ONE_DECIMAL = Decimal("0.1")


def index_shown(value: float) -> Decimal:
    """An index as it is shown: cut to one decimal, never rounded up (2.96 → 2.9, 3.357 → 3.3).

    Cut, because the whole number of an index is the phases reached: 2.96 shown as 3.0 would
    claim a phase that is not reached.
    """
    return Decimal(repr(float(value))).quantize(ONE_DECIMAL, rounding=ROUND_DOWN)


def index_delta(now: float, before: float) -> float:
    """The change between two indexes as the reader sees it: the difference of the shown ones."""
    return float(index_shown(now) - index_shown(before))
