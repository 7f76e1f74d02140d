"""What no form field or query parameter may carry, and where that is enforced.

Two rules, shared by every app:

- **Nothing a database cannot store** (`UNSTORABLE`: NUL, which PostgreSQL refuses in text, and
  lone surrogates, which no UTF-8 column holds) in a query parameter, a form field's name or
  value, or the path. `UnstorableInputMiddleware` answers such a request with 400 and a page in
  the reader's language before any view, so before any database query.
- **Single-line fields are one line**: a form field that is not a text area refuses control
  characters (line breaks, tab, ESC, DEL, NEL, U+2028/2029, …) as a form error
  (`SingleLineFieldsMixin`), the same rule the models' `single_line` validator applies, so a
  service's `full_clean()` never meets them. Every form of the project uses it except the
  questionnaire's two (`QuestionnaireStepForm`, `AnswerAutosaveForm`): their only free text is
  the multi-line comment, and they share field objects between requests for speed.
  `tests/security/test_bad_input.py::test_every_form_keeps_single_line_fields_to_one_line`
  holds that list.
"""

import re
from collections.abc import Callable, Iterable

from django import forms
from django.core.validators import RegexValidator
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# A name goes into e-mail subjects and page titles: one line, no control characters.
single_line = RegexValidator(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029]",
    inverse_match=True,
    message=_("Use one line without control characters (no line breaks or tabs)."),
    code="single_line",
)

UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def has_unstorable(values: Iterable[str]) -> bool:
    """Whether any of the texts holds a character no database column can store."""
    return any(UNSTORABLE.search(value) for value in values)


class SingleLineFieldsMixin:
    """Every text field of the form that is not a text area or a password refuses control
    characters. Applied when the form validates, so fields added after ``__init__`` count too."""

    def full_clean(self) -> None:
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.Textarea | forms.PasswordInput)
                and single_line not in field.validators
            ):
                field.validators.append(single_line)
        super().full_clean()


def _request_texts(request: HttpRequest) -> Iterable[str]:
    yield request.path_info
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            yield key
            yield from (value for value in values if isinstance(value, str))


class UnstorableInputMiddleware:
    """Answer 400 to a request whose path, query or form carries a character no database stores.

    Placed after the locale middleware (the page is in the reader's language) and before
    everything that may read the database; the page itself needs nothing from it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_unstorable(_request_texts(request)):
            return invalid_characters_response()
        return self.get_response(request)


def invalid_characters_response() -> HttpResponse:
    """The 400 page for a request with characters we cannot store; it reads no database."""
    page = render_to_string("errors/400_characters.html", {"language": get_language()})
    response = HttpResponse(page, status=400)
    add_never_cache_headers(response)
    return response
