"""Organisations, their members, and the assessments they fill in."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.answer_guard import (
    AnswerQuerySet,
    SubmittedAnswersError,
    submitted_answers_exist,
)
from assessments.evidence_models import Evidence
from assessments.history_models import AnswerChange, AssessmentEvent, ValidationStep
from assessments.perspective_models import ConsensusAnswer, Perspective
from assessments.validators import single_line
from maturity.models import AnswerValue, Criterion, ModelVersion

__all__ = [
    "ADMIN_ROLES",
    "ANSWERING_ROLES",
    "ORGANISATION_ROLES",
    "Answer",
    "AnswerChange",
    "Assessment",
    "AssessmentEvent",
    "Confidence",
    "ConsensusAnswer",
    "Evidence",
    "Invitation",
    "Membership",
    "Organisation",
    "Perspective",
    "ValidationState",
    "ValidationStep",
    "single_line",
]


class Organisation(models.Model):
    """A local government: municipality, OCMW, province, intercommunale."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "gemeente", _("Municipality")
        OCMW = "ocmw", _("OCMW (public social welfare centre)")
        PROVINCE = "provincie", _("Province")
        INTERCOMMUNALE = "intercommunale", _("Intercommunal association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    official_code = models.CharField(
        _("NIS or CBS code"), max_length=20, blank=True, help_text=_("Optional.")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # The organisation's logo (assessments/logo.py checks and stores it; "" none).
    logo = models.FileField(_("logo"), max_length=200, blank=True)
    # Whether a shared report (a share link for the college) shows the benchmark comparison.
    share_benchmark = models.BooleanField(_("show the benchmark on shared reports"), default=False)
    # Every member who signs in with a password needs an authenticator app (sso/mfa.py); set by
    # the organisation's admins on the sign-in rules page.
    require_mfa = models.BooleanField(_("require a second factor"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organisation."""

    class Role(models.TextChoices):
        RESPONDENT = "respondent", _("Respondent")
        VIEWER = "viewer", _("Viewer")
        ADMIN = "admin", _("Organisation admin")
        # Answers in the perspectives they are assigned to and sees nothing else.
        CONTRIBUTOR = "contributor", _("Contributor (one perspective)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique_user",
                violation_error_message=_("This person is a member of the organisation already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def can_answer(self) -> bool:
        return self.role in ANSWERING_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def is_contributor(self) -> bool:
        return self.role == self.Role.CONTRIBUTOR


# Who may do what; the view decorators and the services check against the same sets.
ANSWERING_ROLES = frozenset({Membership.Role.RESPONDENT, Membership.Role.ADMIN})
ADMIN_ROLES = frozenset({Membership.Role.ADMIN})
# The roles that see the organisation: everyone but a contributor, who sees one perspective.
ORGANISATION_ROLES = frozenset(
    {Membership.Role.RESPONDENT, Membership.Role.VIEWER, Membership.Role.ADMIN}
)


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=7)


class Invitation(models.Model):
    """A one-time link that lets a colleague join an organisation with a role."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=_invitation_token, editable=False
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # A contributor's invitation names the one perspective they will answer in.
    perspective = models.ForeignKey(
        Perspective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("perspective"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_usable(self) -> bool:
        open_ = self.accepted_at is None and self.revoked_at is None
        return open_ and self.expires_at > timezone.now()


class Assessment(models.Model):
    """One self-assessment of an organisation on one published model version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("organisation"),
    )
    model_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("model version"),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    phase_order = models.PositiveSmallIntegerField(
        _("phase reached"), null=True, blank=True, editable=False
    )
    maturity_index = models.DecimalField(
        _("maturity index"), max_digits=6, decimal_places=4, null=True, blank=True, editable=False
    )
    # The submitted assessment whose answers this one started from (a re-assessment).
    started_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started from"),
    )
    # A test ("niet meetellen"): readable, but out of the history, the trend, the benchmark and
    # the baselines a re-assessment can start from; a reopened test stays one. A database
    # trigger bumps the benchmark revision on any change of a submitted assessment, so cached
    # benchmark figures move on.
    is_test = models.BooleanField(_("test (does not count)"), default=False)
    # When it was last marked as a test or restored: part of the history signature, so a
    # cached report of a colleague assessment moves on too.
    test_changed_at = models.DateTimeField(
        _("marked or restored at"), null=True, blank=True, editable=False
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The model version this draft was moved from (to a newer one): what its notes compare with.
    moved_from = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved from model version"),
    )
    # Answers count only once an organisation admin (not the one who gave the answer) validated
    # them: submitting waits for that (docs/validation.md).
    validation_required = models.BooleanField(_("answers are validated"), default=False)
    # A newer model version the team chose not to move this draft to: its banner stays away.
    version_offer_dismissed = models.ForeignKey(
        ModelVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("newer version declined"),
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", result__isnull=True)
                | Q(status="submitted", result__isnull=False, submitted_at__isnull=False),
                name="assessment_result_only_when_submitted",
                violation_error_message=_(
                    "A draft has no result; a submitted assessment has a result and a date."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:  # every assessment has at least one perspective: its answers live there
            Perspective.objects.create(
                assessment=self, name=Perspective.DEFAULT_NAME, created_by=self.created_by
            )

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Confidence(models.TextChoices):
    """How sure the team is of an answer (docs/scoring.md: it does not change the score)."""

    SURE = "sure", _("sure")
    FAIRLY_SURE = "fairly_sure", _("fairly sure")
    UNSURE = "unsure", _("unsure")


class ValidationState(models.TextChoices):
    """Where an answer stands in its validation; empty: not looked at (again) yet."""

    VALIDATED = "validated", _("validated")
    QUESTION = "question", _("question asked")
    ANSWERED = "answered", _("question answered")


class Answer(models.Model):
    """One criterion's answer in one assessment; saved one by one so colleagues don't collide.

    Answers of a submitted assessment cannot change (save, delete, queryset update and delete
    raise SubmittedAnswersError) until an organisation admin reopens it.
    """

    Confidence = Confidence
    ValidationState = ValidationState

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("assessment"),
    )
    # The answer set it belongs to; always a perspective of ``assessment`` (the services set both).
    perspective = models.ForeignKey(
        Perspective,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("perspective"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    value = models.CharField(_("answer"), max_length=2, choices=AnswerValue.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    # Carried over from the previous assessment: it counts once someone confirms or changes it.
    to_confirm = models.BooleanField(_("to confirm"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    # How sure the team is of the answer; optional, and never part of the score.
    confidence = models.CharField(
        _("confidence"), max_length=12, choices=Confidence.choices, blank=True
    )
    # Validation (when the assessment asks for it): any change of the answer empties it again.
    validation_state = models.CharField(
        _("validation"), max_length=10, choices=ValidationState.choices, blank=True
    )
    validation_question = models.TextField(_("validator's question"), blank=True, max_length=2000)
    validation_reply = models.TextField(_("reply to the question"), blank=True, max_length=2000)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["perspective", "criterion"],
                name="answer_unique_per_perspective_criterion",
                violation_error_message=_(
                    "This criterion has an answer in this perspective already."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"

    def _refuse_if_submitted(self) -> None:
        answer_ids = [self.pk] if self.pk is not None else []
        if submitted_answers_exist(assessment_ids=[self.assessment_id], answer_ids=answer_ids):
            raise SubmittedAnswersError

    def save(self, *args, **kwargs):
        self._refuse_if_submitted()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_submitted()
        return super().delete(*args, **kwargs)
