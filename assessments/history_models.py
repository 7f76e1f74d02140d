"""The recorded history of assessments: every answer change and every turn (submit, reopen)."""

import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maturity.models import Criterion


class ValidationStep(models.TextChoices):
    """What a row of the answer history records about validation."""

    VALIDATED = "validated", _("Validated")
    QUESTION = "question", _("Question asked")
    REPLY = "reply", _("Question answered")
    RESET = "reset", _("Changed: validation reset")


class AnswerChange(models.Model):
    """The audit trail of answers: who changed what, when, from what to what."""

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="answer_changes",
        verbose_name=_("assessment"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    old_value = models.CharField(_("answer before"), max_length=2, blank=True)
    new_value = models.CharField(_("answer after"), max_length=2, blank=True)
    old_comment = models.TextField(_("comment before"), blank=True)
    new_comment = models.TextField(_("comment after"), blank=True)
    old_confidence = models.CharField(_("confidence before"), max_length=12, blank=True)
    new_confidence = models.CharField(_("confidence after"), max_length=12, blank=True)
    # A validation step rather than a change of the answer (or a change that reset one).
    validation = models.CharField(
        _("validation step"), max_length=10, choices=ValidationStep.choices, blank=True
    )
    # The validator's question or the respondent's reply, as written.
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=20, default="form")
    # The name, not a key: the trail outlives a perspective that is deleted. Empty: the consensus.
    perspective_name = models.CharField(_("perspective"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("answer change")
        verbose_name_plural = _("answer changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.old_value} → {self.new_value}"


class AssessmentEvent(models.Model):
    """A recorded turn in an assessment's life: submitted, reopened, imported, marked as a test."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened")
        IMPORTED = "imported", _("Answers imported from CSV")
        MARKED_TEST = "marked_test", _("Marked as a test (does not count)")
        RESTORED = "restored", _("Counts again (no longer a test)")
        MOVED = "moved", _("Moved to a newer model version")
        VERSION_KEPT = "version_kept", _("Stays on its model version")
        VALIDATION_ON = "validation_on", _("Validation of the answers switched on")
        VALIDATION_OFF = "validation_off", _("Validation of the answers switched off")

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("assessment"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d}"

    @property
    def reason(self) -> str:
        """The note without the index a reopen records after it."""
        return _REOPEN_INDEX.sub("", self.note).strip()

    @property
    def previous_index(self) -> Decimal | None:
        """The index the assessment had before it was reopened, as a number to format."""
        match = _REOPEN_INDEX.search(self.note) if self.kind == self.Kind.REOPENED else None
        return Decimal(match.group(1)) if match else None


# assessment_reopen appends "(index 1.9263)" to the note: the audit trail keeps that text as
# written, and the pages show the number formatted for the reader's language.
_REOPEN_INDEX = re.compile(r"\s*\(index (\d+(?:\.\d+)?)\)$")
