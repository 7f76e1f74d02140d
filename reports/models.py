"""A report document (PDF, ODT, DOCX) asked for (rendered by a worker, stored by content), and
the share links that show one submitted assessment's report to someone without an account."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models import Assessment, Organisation, single_line
from documents.models import DocumentRender, document_storage_name

DOCUMENTS_FOLDER = "reports"


def storage_name(key: str, fmt: str) -> str:
    """Where the report document of this content signature is stored."""
    return document_storage_name(DOCUMENTS_FOLDER, key, fmt)


class RenderedDocument(DocumentRender):
    """One rendering of a report document, keyed by what it shows (`key`, a SHA-256 hex digest).

    The same content in the same format asked for again finds this row (and its stored file)
    instead of rendering again. `requested_by` (or `share_link`) and `organisation` bound the
    work: one render per requester at a time and a few per organisation (`reports.renders`,
    through `documents.renders`). The file is in Django's default storage under
    ``reports/<format>/<key>.<format>``: the key holds no user text.
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        ODT = "odt", "ODT"
        DOCX = "docx", "DOCX"

    storage_folder = DOCUMENTS_FOLDER

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # Who asked: a member, or (for a shared report) the share link; one of the two.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    share_link = models.ForeignKey(
        "ShareLink", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.PDF)

    class Meta:
        indexes = [
            models.Index(fields=["requested_by", "status"], name="report_pdf_user_status"),
            models.Index(fields=["organisation", "status"], name="report_pdf_org_status"),
            models.Index(fields=["share_link", "status"], name="report_pdf_link_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_by__isnull=False) | models.Q(share_link__isnull=False),
                name="report_pdf_requested_by_user_or_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.status}"


class ShareLink(models.Model):
    """A read-only link to one submitted assessment's report, for someone without an account.

    Only the SHA-256 of the token is stored (`token_hash`); the token itself is shown once, to
    the admin who made the link. Valid until `expires_at` unless revoked (`revoked_at`);
    validity is read from this row on every request, never cached (reports/sharing.py).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    note = models.CharField(max_length=200, blank=True, validators=[single_line])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="share_link_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.note or self.pk}"

    def is_usable(self, now) -> bool:
        """Neither revoked nor expired at `now`."""
        return self.revoked_at is None and now < self.expires_at


class ShareLinkView(models.Model):
    """One view of a shared report (the page or its PDF): the time only, no address."""

    class Kind(models.TextChoices):
        PAGE = "page"
        PDF = "pdf"
        ODT = "odt"
        DOCX = "docx"

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAGE)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["link", "viewed_at"], name="share_view_link_time")]

    def __str__(self) -> str:
        return f"{self.link_id} {self.kind} {timezone.localtime(self.viewed_at):%Y-%m-%d %H:%M}"
