"""Evidence behind an answer: links and files that show the answer is more than an opinion.

A model of its own beside ``Answer`` (a foreign key to it), not fields on it: an answer has any
number of pieces of evidence, and the answer's own writes (the one-statement autosave, the
revision check) stay as they are. It lives in ``assessments`` because everything that shows or
moves evidence is there too (the step and review pages, the answers CSV, the re-assessment that
carries answers over); an app of its own would have to be imported by ``assessments``, against
the direction of the dependencies.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.validators import single_line

EVIDENCE_DESCRIPTION_MAX_LENGTH = 200
EVIDENCE_URL_MAX_LENGTH = 2000
EVIDENCE_FILENAME_MAX_LENGTH = 120


class Evidence(models.Model):
    """A link or a file that backs one answer, with a short description."""

    class Kind(models.TextChoices):
        LINK = "link", _("link")
        FILE = "file", _("file")

    answer = models.ForeignKey(
        "assessments.Answer",
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("answer"),
    )
    # The answer's organisation, kept here for the quota (one indexed sum per upload).
    organisation = models.ForeignKey(
        "assessments.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    description = models.CharField(
        _("description"),
        max_length=EVIDENCE_DESCRIPTION_MAX_LENGTH,
        blank=True,
        validators=[single_line],
    )
    url = models.URLField(_("link"), max_length=EVIDENCE_URL_MAX_LENGTH, blank=True)
    # A file: its name in the evidence storage (random, never the uploaded name), the name
    # shown and offered on download (made safe at upload), its size and the type found in its
    # content at upload, which is the type it is served with.
    stored_name = models.CharField(_("stored name"), max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=EVIDENCE_FILENAME_MAX_LENGTH, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    # Carried over from the previous assessment with its answer: the same stored file.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried over from"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="link", stored_name="", size=0) & ~Q(url="")
                    | Q(kind="file", url="") & ~Q(stored_name="") & Q(size__gt=0)
                ),
                name="evidence_link_or_file",
                violation_error_message=_("Evidence is either a link or a file."),
            )
        ]
        indexes = [models.Index(fields=["organisation", "kind"], name="evidence_org_kind_idx")]

    def __str__(self) -> str:
        return self.filename or self.url

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE
