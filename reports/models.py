"""A report document (PDF, ODT, DOCX) asked for: rendered by a worker, stored by content."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models import Assessment, Organisation


class RenderedDocument(models.Model):
    """One rendering of a report document, keyed by what it shows (`key`, a SHA-256 hex digest).

    The same content in the same format asked for again finds this row (and its stored file)
    instead of rendering again. `requested_by` and `organisation` bound the work: one render per
    user at a time and a few per organisation (`reports.renders`). The file is in Django's
    default storage under ``reports/<format>/<key>.<format>``: the key holds no user text.
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        ODT = "odt", "ODT"
        DOCX = "docx", "DOCX"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RENDERING = "rendering"
        DONE = "done"
        FAILED = "failed"

    key = models.CharField(max_length=64, unique=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=10)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.PDF)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["requested_by", "status"], name="report_pdf_user_status"),
            models.Index(fields=["organisation", "status"], name="report_pdf_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.status}"

    @property
    def storage_name(self) -> str:
        return storage_name(self.key, self.format)


DOCUMENTS_FOLDER = "reports"


def storage_name(key: str, fmt: str) -> str:
    """Where the document of this content signature is stored (no user text: a hex digest)."""
    return f"{DOCUMENTS_FOLDER}/{fmt}/{key}.{fmt}"
