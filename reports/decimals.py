"""The report's numbers written as the stored result writes them, so live and stored agree."""

from fractions import Fraction


def result_decimal(value: Fraction | float) -> float:
    """A number of the result as the stored result writes it: a float with 4 decimals.

    Live (exact) and stored (rounded) results thus show the very same figures.
    """
    return float(round(Fraction(value), 4))


def whole_percent(value: float) -> float:
    """A share (0–1) as a whole percentage, as the charts draw it."""
    return round(100 * value)
