"""The action plan: next steps an organisation owns, dates and checks at the next assessment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Membership, Organisation
from assessments.validators import single_line

TITLE_MAX_LENGTH = 200
NOTES_MAX_LENGTH = 2000
OWNER_NAME_MAX_LENGTH = 100


class Action(models.Model):
    """One step of an organisation's action plan, owned by a member or a named service."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, validators=[single_line])
    # A key, not a foreign key: the link survives new model versions (criteria match by key).
    criterion_key = models.SlugField(_("criterion"), max_length=80, blank=True)
    owner_member = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name=_("owner (member)"),
    )
    owner_name = models.CharField(
        _("owner (service or person)"),
        max_length=OWNER_NAME_MAX_LENGTH,
        blank=True,
        validators=[single_line],
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("notes"), max_length=NOTES_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # When it was marked done: what "finished since the previous assessment" compares with.
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # When its owner was last reminded: at most one reminder per action per week.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"], name="action_plan_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "cancelled"]),
                name="action_status_known",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="action_title_not_empty"),
            models.CheckConstraint(
                condition=Q(owner_member__isnull=True) | Q(owner_name=""),
                name="action_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False)
                | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="action_completed_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def owner_label(self) -> str:
        """Who owns it, as people read it: the member's name or the named service."""
        if self.owner_member_id is not None:
            user = self.owner_member.user
            return user.get_full_name() or user.get_username()
        return self.owner_name


OPEN_STATUSES = (Action.Status.PLANNED, Action.Status.IN_PROGRESS)


class ActionChange(models.Model):
    """The history of an action: who changed which field when, from what to what."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=30)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("action change")
        verbose_name_plural = _("action changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action_id}.{self.field}: {self.old_value} → {self.new_value}"


class LanguagePreference(models.Model):
    """The language a user last signed in with: reminders are written in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class MailPreference(models.Model):
    """Which optional e-mails a user wants; no row means the defaults (the weekly digest on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference"
    )
    weekly_digest = models.BooleanField(_("weekly digest for organisation admins"), default=True)

    class Meta:
        verbose_name = _("mail preference")
        verbose_name_plural = _("mail preferences")

    def __str__(self) -> str:
        return f"{self.user}: digest {'on' if self.weekly_digest else 'off'}"
