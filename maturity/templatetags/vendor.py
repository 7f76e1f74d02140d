"""`{% vendor_css %}` / `{% vendor_js %}`: a pinned file from the CDN with SRI, or from static."""

from django import template
from django.conf import settings
from django.templatetags.static import static

from maturity.assets import VENDOR_ASSETS

register = template.Library()


def _source(name: str) -> tuple[str, str]:
    asset = VENDOR_ASSETS[name]
    if settings.ASSETS_MODE == "local":
        return static(asset.static_path), asset.integrity
    return asset.cdn_url, asset.integrity


@register.inclusion_tag("includes/_vendor_css.html")
def vendor_css(name: str) -> dict[str, str]:
    """A stylesheet link for a pinned vendor file."""
    url, integrity = _source(name)
    return {"url": url, "integrity": integrity}


@register.inclusion_tag("includes/_vendor_js.html")
def vendor_js(name: str) -> dict[str, str]:
    """A deferred script tag for a pinned vendor file."""
    url, integrity = _source(name)
    return {"url": url, "integrity": integrity}
