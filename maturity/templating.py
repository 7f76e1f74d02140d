"""The Jinja2 environment of the second template engine: the questionnaire's fieldsets."""

from django.utils import translation
from jinja2 import Environment, StrictUndefined


def jinja2_environment(**options) -> Environment:
    """Jinja2 with Django's gettext, so `_("…")` in a template follows the active language.

    A misspelt variable raises instead of rendering empty (Django's backend would pass a
    lenient `Undefined`); autoescape comes on from the backend's options.
    """
    options["undefined"] = StrictUndefined
    environment = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701
    environment.install_gettext_translations(translation, newstyle=True)
    return environment
