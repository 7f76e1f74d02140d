"""`{% vendor_css %}` / `{% vendor_js %}`: a pinned file from the CDN with SRI, or from static."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html

from maturity.assets import VENDOR_ASSETS

register = template.Library()


def _source(name: str) -> tuple[str, str]:
    asset = VENDOR_ASSETS[name]
    if settings.ASSETS_MODE == "local":
        return static(asset.static_path), asset.integrity
    return asset.cdn_url, asset.integrity


@register.simple_tag
def vendor_css(name: str) -> str:
    """A stylesheet link for a pinned vendor file."""
    url, integrity = _source(name)
    return format_html(
        '<link rel="stylesheet" href="{}" integrity="{}" crossorigin="anonymous">', url, integrity
    )


@register.simple_tag
def vendor_js(name: str) -> str:
    """A deferred script tag for a pinned vendor file."""
    url, integrity = _source(name)
    return format_html(
        '<script src="{}" integrity="{}" crossorigin="anonymous" defer></script>', url, integrity
    )
