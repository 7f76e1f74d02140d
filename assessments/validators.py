"""Validators shared by the models of organisations, assessments and action plans."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# A name goes into e-mail subjects and page titles: one line, no control characters.
single_line = RegexValidator(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029]",
    inverse_match=True,
    message=_("Use one line without control characters (no line breaks or tabs)."),
    code="single_line",
)
