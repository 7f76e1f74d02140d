"""Perspectives: several groups' answer sets in one assessment, and the consensus that is scored."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.validators import single_line
from maturity.models import AnswerValue, Criterion

PERSPECTIVE_NAME_MAX_LENGTH = 100
CONSENSUS_NOTE_MAX_LENGTH = 2000


class Perspective(models.Model):
    """One group's answers in an assessment: Communicatiedienst, Directie, Jeugddienst, …

    Every assessment has at least one; with one, it is the assessment's answer set as before.
    """

    # The design's first respondent: the communicatiedienst fills in the questionnaire.
    DEFAULT_NAME = "Communicatiedienst"

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="perspectives",
        verbose_name=_("assessment"),
    )
    name = models.CharField(
        _("name"), max_length=PERSPECTIVE_NAME_MAX_LENGTH, validators=[single_line]
    )
    members = models.ManyToManyField(
        "assessments.Membership",
        blank=True,
        related_name="perspectives",
        verbose_name=_("members who answer"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "assessment",
                name="perspective_unique_name",
                violation_error_message=_("This assessment has a perspective with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ConsensusAnswer(models.Model):
    """A criterion's answer as the team settled it, where it differs from the rule's proposal.

    The consensus is the rule (docs/scoring.md) applied to the perspectives' answers, with these
    rows taking precedence; ``note`` says why ("besproken op 12/3: …").
    """

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="consensus_answers",
        verbose_name=_("assessment"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    value = models.CharField(_("answer"), max_length=2, choices=AnswerValue.choices)
    note = models.TextField(_("note"), blank=True, max_length=CONSENSUS_NOTE_MAX_LENGTH)
    # Written by the submit for every criterion nobody settled, so that a submitted assessment's
    # scored answers are stored rows; a reopen deletes these again.
    from_rule = models.BooleanField(_("proposed by the rule"), default=False)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("consensus answer")
        verbose_name_plural = _("consensus answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"],
                name="consensus_answer_unique_per_criterion",
                violation_error_message=_("This criterion has a consensus answer already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"
