"""Numbers in the report, written the way the reader's language writes them."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from maturity.figures import index_shown

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.555 → "56 %" in Dutch, "56%" in English: whole percentages, as the design asks."""
    if value is None:
        return "–"
    number = number_format(round(float(value) * 100))
    return f"{number}%" if (get_language() or "").startswith("en") else f"{number}\u00a0%"


@register.filter
def index_format(value: float | None) -> str:
    """The maturity index with one decimal in the reader's notation (2,7 or 2.7)."""
    if value is None:
        return "–"
    # Cut as every comparison of indexes cuts it (`maturity.figures`).
    return number_format(index_shown(value), decimal_pos=1)


@register.filter
def signed_delta(value: float | None) -> str:
    """▲ 0,4 / ▼ 0,2 / = 0,0: the change, not carried by colour alone."""
    if value is None:
        return "–"
    number = number_format(abs(float(value)), decimal_pos=1)
    if value > 0:
        return f"▲ +{number}"
    if value < 0:
        return f"▼ −{number}"
    return f"= {number}"


@register.filter
def signed_number(value: float | None) -> str:
    """+0,4 / −0,8 / 0,0: a change with its sign, in the reader's notation."""
    if value is None:
        return "–"
    number = number_format(abs(float(value)), decimal_pos=1)
    if value > 0:
        return f"+{number}"
    if value < 0:
        return f"−{number}"
    return number


@register.filter
def css_string(value: object) -> str:
    """Text as the inside of a CSS string ("…"): everything but letters, digits and spaces
    escaped as CSS hex escapes, so a name cannot end the string or the style sheet."""
    return "".join(
        char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in str(value)
    )
