"""The report as an editable document (ODT, DOCX) and the one entry point for every format.

`document_render(report, fmt)` returns the bytes of the report as "pdf", "odt" or "docx": the
PDF from `reports.pdf`, the others from one document structure (`structure.py`) written out
twice (`odt.py`, `docx.py`). The writers are imported on first use, as WeasyPrint is.
"""

from reports.report import Report

FORMATS = ("pdf", "odt", "docx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_render(report: Report, fmt: str, *, logo=None) -> bytes:
    """The report in one of FORMATS, in the active language (no query).

    `logo`: a `reports.documents.structure.Image` (PNG) for the ODT's and DOCX's page header.
    """
    if fmt == "pdf":
        from reports.pdf import render_pdf

        return render_pdf(report)
    from reports.documents.structure import report_document

    document = report_document(report, logo=logo)
    if fmt == "odt":
        from reports.documents.odt import render_odt

        return render_odt(document)
    if fmt == "docx":
        from reports.documents.docx import render_docx

        return render_docx(document)
    raise ValueError(f"Unknown document format: {fmt!r}")
