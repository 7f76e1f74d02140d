"""The report as an editable document (ODT, DOCX) and the one entry point for every format.

`document_render(report, fmt)` returns the bytes of the report as "pdf", "odt" or "docx": the
PDF from `reports.pdf`, the others from one document structure (`structure.py`, made of the
blocks of `documents.structure`) written out twice (`documents.odt`, `documents.docx`). The
writers are imported on first use, as WeasyPrint is.
"""

import io

from django.utils.translation import gettext as _
from PIL import Image as PILImage

from assessments.logo import organisation_logo_bytes
from assessments.models import Organisation
from documents import CONTENT_TYPES  # noqa: F401  (re-exported: the views' content types)
from documents.structure import Image
from reports.report import Report

FORMATS = ("pdf", "odt", "docx")


# The logo's box in the page header: as high as two lines of the header text, never wider than
# a third of it.
LOGO_HEIGHT_CM = 1.2
LOGO_MAX_WIDTH_CM = 4.0


def organisation_logo_image(organisation: Organisation) -> Image | None:
    """The organisation's raster logo as a PNG for the documents' page header, or None.

    An SVG logo (accepted only as a plain drawing) stays out: neither writer embeds SVG, and
    rasterising it would need a renderer we do not ship. The PDF and the shared page show it.
    """
    found = organisation_logo_bytes(organisation)
    if found is None or found[1] == "image/svg+xml":
        return None
    with PILImage.open(io.BytesIO(found[0])) as picture:
        width, height = picture.size
        png = io.BytesIO()
        picture.save(png, format="PNG")
    width_cm = LOGO_HEIGHT_CM * width / height
    height_cm = LOGO_HEIGHT_CM
    if width_cm > LOGO_MAX_WIDTH_CM:
        width_cm, height_cm = LOGO_MAX_WIDTH_CM, LOGO_MAX_WIDTH_CM * height / width
    alt = _("Logo of %(name)s") % {"name": organisation.name}
    return Image(png.getvalue(), alt, width_cm, height_cm, alt)


def document_render(report: Report, fmt: str, *, logo=None) -> bytes:
    """The report in one of FORMATS, in the active language (no query).

    `logo`: a `documents.structure.Image` (PNG) for the ODT's and DOCX's page header.
    """
    if fmt == "pdf":
        from reports.pdf import render_pdf

        return render_pdf(report)
    from reports.documents.structure import report_document

    document = report_document(report, logo=logo)
    if fmt == "odt":
        from documents.odt import render_odt

        return render_odt(document)
    if fmt == "docx":
        from documents.docx import render_docx

        return render_docx(document)
    raise ValueError(f"Unknown document format: {fmt!r}")
