"""The organisation's logo: checked by content, stored through Django's storage API.

Accepted: PNG and JPEG (opened and verified by Pillow, at most `LOGO_MAX_SIDE` pixels a side)
and SVG that is only a drawing: every element in an allowlist of SVG shapes, no script, no event
handler, no reference outside the file (`href`, `url(…)` other than `#…`), no style sheet, no
foreign object, no DTD or entity (defusedxml). An SVG with anything else is refused, not
cleaned: a logo is a file the organisation can save again plainly, and a cleaner that misses one
trick hands a script to every reader (docs/security.md, "The organisation's logo").

Stored under its SHA-256 (``organisations/logos/<sha256>.<ext>``: no user text in the name), so
the name changes with the content and the report PDF's key (which includes it) moves on. Shown
as a data URI (the shared page, the PDF, the admin's page): no separate address to protect.
"""

import base64
import hashlib
import io
import re
from dataclasses import dataclass

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from assessments.models import Organisation

LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_SIDE = 4000
LOGO_MIN_SIDE = 16

LOGO_TOO_LARGE_MESSAGE = _("The logo is larger than 1 MB. Choose a smaller file.")
LOGO_NOT_IMAGE_MESSAGE = _("This file is not a PNG, JPEG or SVG image.")
LOGO_DIMENSIONS_MESSAGE = _("The logo must be between 16 and 4,000 pixels wide and high.")
LOGO_SVG_REFUSED_MESSAGE = _(
    "This SVG contains a script, a link or other content a logo may not hold. "
    "Save it as a plain SVG drawing or as a PNG."
)

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# What a drawing needs. Not allowed, among others: script, foreignObject, image, use of
# external files, a, animate/set (they can change an href), style (style sheets can fetch).
SVG_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "metadata",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "symbol",
        "use",
        "marker",
        "filter",
        "feGaussianBlur",
        "feOffset",
        "feBlend",
        "feColorMatrix",
        "feComposite",
        "feFlood",
        "feMerge",
        "feMergeNode",
    }
)
# Editors' bookkeeping (Inkscape, Sodipodi, RDF metadata): inert in every renderer.
INERT_NAMESPACES = frozenset(
    {
        "http://www.inkscape.org/namespaces/inkscape",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://purl.org/dc/elements/1.1/",
        "http://creativecommons.org/ns#",
    }
)
LOCAL_URL = re.compile(r"url\(\s*['\"]?#", re.IGNORECASE)
ANY_URL = re.compile(r"url\s*\(", re.IGNORECASE)
DANGEROUS_VALUE = re.compile(r"javascript:|data:|@import|expression\s*\(", re.IGNORECASE)
SVG_LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*$")
RASTERS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg")}


class LogoError(Exception):
    """The file is no acceptable logo; `message` says why in the reader's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CheckedLogo:
    content: bytes
    content_type: str
    extension: str


def logo_check(content: bytes) -> CheckedLogo:
    """The logo's type, decided by its content; `LogoError` when it is not acceptable."""
    if len(content) > LOGO_MAX_BYTES:
        raise LogoError(LOGO_TOO_LARGE_MESSAGE)
    if not content:
        raise LogoError(LOGO_NOT_IMAGE_MESSAGE)
    raster = _raster_check(content)
    if raster is not None:
        return raster
    _svg_check(content)
    return CheckedLogo(content=content, content_type="image/svg+xml", extension="svg")


def _raster_check(content: bytes) -> CheckedLogo | None:
    """A PNG or JPEG checked by Pillow; None when Pillow does not recognise the file."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            width, height = image.size
            # Bounded before anything decodes the pixels.
            if kind in RASTERS and not (
                LOGO_MIN_SIDE <= width <= LOGO_MAX_SIDE and LOGO_MIN_SIDE <= height <= LOGO_MAX_SIDE
            ):
                raise LogoError(LOGO_DIMENSIONS_MESSAGE)
            image.verify()
    except UnidentifiedImageError:
        return None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise LogoError(LOGO_NOT_IMAGE_MESSAGE) from error
    if kind not in RASTERS:
        raise LogoError(LOGO_NOT_IMAGE_MESSAGE)
    content_type, extension = RASTERS[kind]
    return CheckedLogo(content=content, content_type=content_type, extension=extension)


def _namespace(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _brace, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _svg_check(content: bytes) -> None:
    """Refuse anything in an SVG beyond a drawing (see the module's docstring)."""
    try:
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise LogoError(LOGO_NOT_IMAGE_MESSAGE) from error
    if _namespace(root.tag) != (SVG_NS, "svg"):
        raise LogoError(LOGO_NOT_IMAGE_MESSAGE)
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        namespace, name = _namespace(element.tag)
        if namespace in INERT_NAMESPACES:
            continue
        if namespace != SVG_NS or name not in SVG_ELEMENTS:
            raise LogoError(LOGO_SVG_REFUSED_MESSAGE)
        for attribute, value in element.attrib.items():
            if not _attribute_allowed(attribute, value):
                raise LogoError(LOGO_SVG_REFUSED_MESSAGE)
    _svg_size_check(root)


def _attribute_allowed(attribute: str, value: str) -> bool:
    namespace, name = _namespace(attribute)
    if name.lower().startswith("on"):
        return False
    if name == "href" and namespace in ("", XLINK_NS):
        return value.strip().startswith("#")
    if DANGEROUS_VALUE.search(value):
        return False
    return not ANY_URL.search(value) or len(ANY_URL.findall(value)) == len(LOCAL_URL.findall(value))


def _svg_size_check(root) -> None:
    """An SVG's declared width and height (in pixels, when given so) are bounded too."""
    for name in ("width", "height"):
        match = SVG_LENGTH.match(root.get(name, ""))
        if match and not (LOGO_MIN_SIDE <= float(match.group(1)) <= LOGO_MAX_SIDE):
            raise LogoError(LOGO_DIMENSIONS_MESSAGE)


def logo_storage_name(checked: CheckedLogo) -> str:
    """Where a logo is stored: its SHA-256 and its type (no user text)."""
    digest = hashlib.sha256(checked.content).hexdigest()
    return f"organisations/logos/{digest}.{checked.extension}"


@transaction.atomic
def organisation_logo_set(*, organisation: Organisation, content: bytes) -> Organisation:
    """Check and store a new logo for the organisation; `LogoError` when it is refused.

    The caller checked that the user is an admin of `organisation` (the view's decorator);
    the old file stays in storage for PDFs rendered with it (their keys name it).
    """
    checked = logo_check(content)
    name = logo_storage_name(checked)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(checked.content))
        if saved != name:  # stored meanwhile by another request: keep one copy
            default_storage.delete(saved)
    Organisation.objects.filter(pk=organisation.pk).update(logo=name)
    organisation.logo.name = name
    return organisation


def organisation_logo_remove(*, organisation: Organisation) -> None:
    """The organisation has no logo any more (the file stays for PDFs made with it)."""
    Organisation.objects.filter(pk=organisation.pk).update(logo="")
    organisation.logo.name = ""


def organisation_logo_bytes(organisation: Organisation) -> tuple[bytes, str] | None:
    """The organisation's logo and its content type, or None: for the PDF and documents."""
    name = organisation.logo.name if organisation.logo else ""
    if not name:
        return None
    extension = name.rsplit(".", 1)[-1]
    content_type = {"png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml"}.get(extension)
    if content_type is None:
        return None
    try:
        with default_storage.open(name) as stored:
            return stored.read(), content_type
    except FileNotFoundError:
        return None


def organisation_logo_data_uri(organisation: Organisation) -> str | None:
    """The logo as a data URI for <img src> (pages) and WeasyPrint (PDF), or None."""
    found = organisation_logo_bytes(organisation)
    if found is None:
        return None
    content, content_type = found
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"
