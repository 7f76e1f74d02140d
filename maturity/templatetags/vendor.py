"""`{% vendor_css %}` / `{% vendor_js %}`: a pinned file from the CDN with SRI, or from static."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString

from maturity.assets import VENDOR_ASSETS

register = template.Library()

# The tags' markup by template, asset and the settings it depends on: it cannot change while the
# process runs, and rendering the include on every page cost about 0.15 ms (docs/performance.md).
_rendered: dict[tuple, SafeString] = {}


def _source(name: str) -> tuple[str, str]:
    asset = VENDOR_ASSETS[name]
    if settings.ASSETS_MODE == "local":
        return static(asset.static_path), asset.integrity
    return asset.cdn_url, asset.integrity


def _tag(template_name: str, name: str) -> SafeString:
    key = (template_name, name, settings.ASSETS_MODE, settings.STATIC_URL, settings.DEBUG)
    html = _rendered.get(key)
    if html is None:
        url, integrity = _source(name)
        html = _rendered[key] = render_to_string(
            template_name, {"url": url, "integrity": integrity}
        )
    return html


@register.simple_tag
def vendor_css(name: str) -> SafeString:
    """A stylesheet link for a pinned vendor file."""
    return _tag("includes/_vendor_css.html", name)


@register.simple_tag
def vendor_js(name: str) -> SafeString:
    """A deferred script tag for a pinned vendor file."""
    return _tag("includes/_vendor_js.html", name)
