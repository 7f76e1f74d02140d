"""The addresses of one perspective's questionnaire pages, for templates."""

from django import template

register = template.Library()


@register.simple_tag
def answer_set_url(answer_set, name: str, *args) -> str:
    """``{% answer_set_url answer_set "step" 2 %}``: the page of this perspective."""
    return answer_set.url(name, *args)
