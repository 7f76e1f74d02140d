"""The Jinja2 environment of the second template engine: the questionnaire step's body."""

from django.urls import reverse
from django.utils import translation
from jinja2 import Environment, StrictUndefined


def url(name: str, *args) -> str:
    """``{{ url("assessments:perspectives", assessment.pk) }}``: Django's ``{% url %}``."""
    return reverse(name, args=args)


def jinja2_environment(**options) -> Environment:
    """Jinja2 with Django's gettext, so `_("…")` in a template follows the active language, and
    Django's ``url``.

    A misspelt variable raises instead of rendering empty (Django's backend would pass a
    lenient `Undefined`); autoescape comes on from the backend's options.
    """
    options["undefined"] = StrictUndefined
    environment = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701
    environment.install_gettext_translations(translation, newstyle=True)
    environment.globals["url"] = url
    return environment
