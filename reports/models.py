"""A report PDF asked for: rendered by a worker, stored under its content signature."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models import Assessment, Organisation


class ReportPdf(models.Model):
    """One rendering of a report PDF, keyed by what the PDF shows (`key`, a SHA-256 hex digest).

    The same content asked for again finds this row (and its stored file) instead of rendering
    again. `requested_by` and `organisation` bound the work: one render per user at a time and a
    few per organisation (`reports.pdf_renders`). The file is in Django's default storage
    under ``reports/pdf/<key>.pdf``: the key holds no user text.
    """

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
        return storage_name(self.key)


PDF_FOLDER = "reports/pdf"


def storage_name(key: str) -> str:
    """Where the PDF of this content signature is stored (no user text: a hex digest)."""
    return f"{PDF_FOLDER}/{key}.pdf"
