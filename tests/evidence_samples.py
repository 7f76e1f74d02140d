"""Small real files of every accepted evidence type, and the hostile ones the checks refuse."""

import io
import zipfile

from PIL import Image

CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, kind)
    return out.getvalue()


def png() -> bytes:
    return _image("PNG")


def jpeg() -> bytes:
    return _image("JPEG")


def csv() -> bytes:
    return b"maand;bereik\njanuari;1200\nfebruari;1350\n"


def _zip(entries: list[tuple[str, bytes, int]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content, method in entries:
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    return out.getvalue()


def docx() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML.encode(), zipfile.ZIP_DEFLATED),
            ("word/document.xml", b"<w:document/>", zipfile.ZIP_DEFLATED),
        ]
    )


def xlsx() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML.encode(), zipfile.ZIP_DEFLATED),
            ("xl/workbook.xml", b"<workbook/>", zipfile.ZIP_DEFLATED),
        ]
    )


def odt() -> bytes:
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED),
            ("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED),
        ]
    )


def docm_with_macros() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML.encode(), zipfile.ZIP_DEFLATED),
            ("word/document.xml", b"<w:document/>", zipfile.ZIP_DEFLATED),
            ("word/vbaProject.bin", b"\x00" * 64, zipfile.ZIP_DEFLATED),
        ]
    )


def zip_bomb_docx(unpacked_mb: int = 120) -> bytes:
    """A DOCX whose one part unpacks to ``unpacked_mb`` MB of zeros (about 0.1% of that packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return out.getvalue()


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"PE\x00\x00"


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png_with_zip() -> bytes:
    """A polyglot: a valid PNG with a ZIP (a DOCX) after its end."""
    return png() + docx()


def jpeg_with_html() -> bytes:
    """A polyglot: a JPEG followed by a page a browser could render."""
    return jpeg() + html()


def pdf_with_zip() -> bytes:
    """A polyglot: a PDF whose tail is also a ZIP archive."""
    return pdf() + docx()
