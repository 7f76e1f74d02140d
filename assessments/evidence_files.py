"""What an evidence file or link may be: its type found in its content, a safe name, a safe link.

Pure checks on bytes and text (no database, no storage). The type is decided by the content
(magic bytes; for the ZIP-based office formats a bounded look at the ZIP's central directory,
nothing is unpacked), never by the name or the type the browser sent. A file that is also
something else (a PNG with data after its end, a PDF with a ZIP appended) is refused.
"""

import io
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from assessments.evidence_models import EVIDENCE_FILENAME_MAX_LENGTH

# Messages the tests assert (in the user's language when shown).
FILE_EMPTY = _("The file is empty.")
FILE_TOO_LARGE = _("The file is larger than %(limit)s MB.")
FILE_TYPE_REFUSED = _(
    "This file type is not accepted, or its content does not match its name. Accepted: PDF, "
    "ODF and Office documents (odt, ods, odp, docx, xlsx, pptx), PNG, JPEG and CSV."
)
FILE_ZIP_REFUSED = _(
    "This document cannot be checked safely (it unpacks to too much or is damaged)."
)
FILENAME_REFUSED = _(
    "The file name may not contain a path (/ or \\) or control characters, and may be at most "
    "%(max)s characters long."
)
LINK_REFUSED = _("Only web links (http:// or https://) with a host name are accepted.")

HEAD_BYTES = 4096
# The ZIP's end-of-central-directory record is within the last 64 KiB + 22 bytes.
ZIP_TAIL_BYTES = 65536 + 22
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_CENTRAL_DIRECTORY = 1024 * 1024
ZIP_MAX_UNPACKED = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ODF_MIMETYPE_MAX = 100


@dataclass(frozen=True)
class FileType:
    """An accepted type: the MIME type served, and the extensions a name may have."""

    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", ("pdf",))
PNG = FileType("image/png", ("png",))
JPEG = FileType("image/jpeg", ("jpg", "jpeg"))
CSV = FileType("text/csv", ("csv",))
ODT = FileType("application/vnd.oasis.opendocument.text", ("odt",))
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", ("ods",))
ODP = FileType("application/vnd.oasis.opendocument.presentation", ("odp",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)
)
ODF_TYPES = {t.content_type: t for t in (ODT, ODS, ODP)}
# The part that makes a package a given OOXML document.
OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
ACCEPTED_TYPES = (PDF, PNG, JPEG, CSV, ODT, ODS, ODP, DOCX, XLSX, PPTX)
# Markup a browser would sniff as a page, whatever the file claims to be.
MARKUP = (b"<html", b"<script", b"<!doctype", b"<svg", b"<body", b"<iframe", b"<?xml", b"<head")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
ZIP_LOCAL_HEADER = b"PK\x03\x04"
ZIP_END_RECORD = b"PK\x05\x06"


class EvidenceFileError(Exception):
    """A file or a name that is refused; ``message`` says why, in the user's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def filename_check(name: str) -> str:
    """The name as sent, if safe to show and to offer on download; refused otherwise."""
    if (
        not name.strip()
        or len(name) > EVIDENCE_FILENAME_MAX_LENGTH
        or "/" in name
        or "\\" in name
        or any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in name)
        or name.strip(". ") == ""
    ):
        raise EvidenceFileError(FILENAME_REFUSED % {"max": EVIDENCE_FILENAME_MAX_LENGTH})
    return name.strip()


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _has_markup(head: bytes) -> bool:
    lowered = head[:1024].lower()
    return any(marker in lowered for marker in MARKUP)


def _read_tail(file, size: int, count: int) -> bytes:
    file.seek(max(0, size - count))
    return file.read(count)


def _zip_appended(file, size: int) -> bool:
    """Whether a ZIP's end record sits in the tail: a ZIP glued to another file (a polyglot)."""
    return ZIP_END_RECORD in _read_tail(file, size, ZIP_TAIL_BYTES)


def _pdf(file, head: bytes, size: int) -> FileType | None:
    if not head.startswith(b"%PDF-"):
        return None
    if b"%%EOF" not in _read_tail(file, size, 1024):
        return None
    return None if _zip_appended(file, size) else PDF


def _png(file, head: bytes, size: int) -> FileType | None:
    if not head.startswith(PNG_SIGNATURE):
        return None
    # Nothing after the IEND chunk: data there would be another file riding along.
    return PNG if _read_tail(file, size, len(PNG_END)) == PNG_END else None


def _jpeg(file, head: bytes, size: int) -> FileType | None:
    if not head.startswith(b"\xff\xd8\xff"):
        return None
    if _read_tail(file, size, 2) != b"\xff\xd9":
        return None
    return None if _zip_appended(file, size) else JPEG


def _csv(head: bytes, file, name: str) -> FileType | None:
    """Plain text in UTF-8 (BOM allowed) or Windows-1252, named .csv; no markup, no NUL."""
    if _extension(name) != "csv":
        return None
    file.seek(0)
    text = file.read()
    if b"\x00" in text:
        return None
    try:
        decoded = text.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            decoded = text.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in decoded):
        return None
    if decoded.lstrip().startswith("<"):
        return None
    return CSV


def _zip_document(file, size: int) -> FileType | None:
    """An ODF or OOXML document, from its central directory alone (bounded; nothing unpacked)."""
    tail = _read_tail(file, size, ZIP_TAIL_BYTES)
    end = tail.rfind(ZIP_END_RECORD)
    if end < 0 or len(tail) - end < 22:
        raise EvidenceFileError(FILE_ZIP_REFUSED)
    entries, directory_size = struct.unpack("<HI", tail[end + 10 : end + 16])
    if entries > ZIP_MAX_ENTRIES or directory_size > ZIP_MAX_CENTRAL_DIRECTORY:
        raise EvidenceFileError(FILE_ZIP_REFUSED)
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise EvidenceFileError(FILE_ZIP_REFUSED) from None
    _zip_bounds(infos, size)
    names = {info.filename for info in infos}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None  # macros: not a plain document
    first = infos[0] if infos else None
    if first is not None and first.filename == "mimetype":
        if first.compress_type != zipfile.ZIP_STORED or first.file_size > ODF_MIMETYPE_MAX:
            return None
        try:
            mimetype = archive.read(first).decode("ascii").strip()
        except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, OSError):
            raise EvidenceFileError(FILE_ZIP_REFUSED) from None
        return ODF_TYPES.get(mimetype)
    if "[Content_Types].xml" in names:
        found = [kind for part, kind in OOXML_MAIN_PARTS.items() if part in names]
        return found[0] if len(found) == 1 else None
    return None


def _zip_bounds(infos: list[zipfile.ZipInfo], size: int) -> None:
    """Refuse what would unpack to too much, or whose entries overlap (a ZIP bomb)."""
    unpacked = 0
    previous_end = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        unpacked += info.file_size
        if unpacked > ZIP_MAX_UNPACKED:
            raise EvidenceFileError(FILE_ZIP_REFUSED)
        if info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1) and info.file_size > 65536:
            raise EvidenceFileError(FILE_ZIP_REFUSED)
        if info.filename.startswith(("/", "\\")) or ".." in info.filename.split("/"):
            raise EvidenceFileError(FILE_ZIP_REFUSED)
        if info.header_offset < previous_end:
            raise EvidenceFileError(FILE_ZIP_REFUSED)
        previous_end = info.header_offset + 30 + len(info.filename) + info.compress_size
        if previous_end > size:
            raise EvidenceFileError(FILE_ZIP_REFUSED)


def file_type_detect(file, *, name: str, size: int) -> FileType:
    """The accepted type of this file's content, whose name must fit it; refused otherwise.

    ``file`` is seekable and ``size`` bytes long (at most the upload limit: the caller streamed
    it with that limit). At most the head, the tail and, for a ZIP, its central directory are
    read, except for a CSV, which is read whole to check it is text.
    """
    if size == 0:
        raise EvidenceFileError(FILE_EMPTY)
    file.seek(0)
    head = file.read(HEAD_BYTES)
    found: FileType | None
    if head.startswith(ZIP_LOCAL_HEADER):
        found = _zip_document(file, size)
    elif _has_markup(head):
        found = None
    else:
        found = _pdf(file, head, size) or _png(file, head, size) or _jpeg(file, head, size)
        if found is None and not head.startswith((b"%PDF", PNG_SIGNATURE, b"\xff\xd8")):
            found = _csv(head, file, name)
    file.seek(0)
    if found is None or _extension(name) not in found.extensions:
        raise EvidenceFileError(FILE_TYPE_REFUSED)
    return found


def link_check(url: str) -> str:
    """The link if it is an http(s) address with a host; javascript:, data: and the rest refused."""
    url = url.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zs") for ch in url):
        raise EvidenceFileError(LINK_REFUSED)
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise EvidenceFileError(LINK_REFUSED) from None
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username is not None:
        raise EvidenceFileError(LINK_REFUSED)
    return url


def link_domain(url: str) -> str:
    """The host a link leads to, shown beside it (without a leading www.)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def bytes_file(content: bytes) -> io.BytesIO:
    """A seekable file of these bytes (tests, the demo data)."""
    return io.BytesIO(content)
