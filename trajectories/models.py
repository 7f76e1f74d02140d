"""Group trajectories: a coach takes several organisations along the growth path together.

A coach is not a member of the organisations in the group: what a coach (or a member) may see
starts from the trajectory's own rows — `Coach` for the coach organisation's people, an accepted
`TrajectoryMember` for the member organisations — and of each member only what it consents to.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation
from assessments.validators import single_line
from documents.models import DocumentRender, document_storage_name
from maturity.models import ModelVersion

NAME_MAX_LENGTH = 200
TOPIC_MAX_LENGTH = 200
AGENDA_MAX_LENGTH = 5000


class Trajectory(models.Model):
    """A named group of organisations that a coach organisation takes along the growth path."""

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, validators=[single_line])
    coach_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="coached_trajectories",
        verbose_name=_("coach organisation"),
    )
    # The members' results are compared on this model (by its slug: any published version).
    model_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("maturity model"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="trajectory_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Coach(models.Model):
    """A person of the coach organisation who leads the trajectory."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="coaches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coach")
        verbose_name_plural = _("coaches")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "user"], name="coach_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.trajectory}"


class TrajectoryMember(models.Model):
    """An organisation invited into a trajectory, and what it consents to share with the group.

    Every consent starts off: sharing is an explicit choice of the organisation's admin, and
    withdrawing it takes effect on the next request (nothing of a member is cached).
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Taking part")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="trajectory_memberships",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    share_phase = models.BooleanField(_("phase and index"), default=False)
    share_profile = models.BooleanField(_("dimension profile"), default=False)
    share_actions = models.BooleanField(_("action plan"), default=False)
    share_priorities = models.BooleanField(_("priorities"), default=False)
    # Dimension keys of the trajectory's model the organisation wants to work on.
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    # Goes up with every change of consent: what a cache of the board would be keyed by.
    consent_version = models.PositiveIntegerField(default=0, editable=False)
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    consent_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("trajectory member")
        verbose_name_plural = _("trajectory members")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "organisation"], name="trajectory_member_unique_organisation"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["invited", "accepted", "declined", "left"]),
                name="trajectory_member_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.trajectory}"

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


class Session(models.Model):
    """One meeting of the group: a date within the trajectory, a topic and an agenda."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX_LENGTH, validators=[single_line])
    agenda = models.TextField(_("agenda"), max_length=AGENDA_MAX_LENGTH, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.topic}"


class Practice(models.Model):
    """A good practice a member shares with the group: an action that worked on a criterion.

    Written by the member's own people from a finished action whose criterion improved at the
    next assessment; visible to the group while the member takes part, until it is withdrawn.
    """

    member = models.ForeignKey(TrajectoryMember, on_delete=models.CASCADE, related_name="practices")
    action = models.ForeignKey(
        "actions.Action", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    criterion_key = models.SlugField(_("criterion"), max_length=80)
    title = models.CharField(_("title"), max_length=TOPIC_MAX_LENGTH, validators=[single_line])
    what_we_did = models.TextField(_("what we did"), max_length=AGENDA_MAX_LENGTH)
    what_it_took = models.TextField(_("what it took"), max_length=AGENDA_MAX_LENGTH, blank=True)
    before = models.CharField(max_length=20, blank=True)
    after = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["criterion_key", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "action"], name="practice_one_per_action")
        ]

    def __str__(self) -> str:
        return self.title


AGENDAS_FOLDER = "agendas"


def agenda_storage_name(key: str, fmt: str) -> str:
    """Where the agenda of this content signature is stored (no user text: a hex digest)."""
    return document_storage_name(AGENDAS_FOLDER, key, fmt)


class AgendaRender(DocumentRender):
    """One rendering of a session's agenda (ODT or PDF), keyed by what it shows (`key`).

    The same session content in the same language and format asked for again finds this row
    and its stored file instead of rendering again (`trajectories.agenda_renders`, through
    `documents.renders`). The file is in Django's default storage under
    ``agendas/<format>/<key>.<format>``: the key, a SHA-256 hex digest, holds no user text.
    Not the report's `RenderedDocument`: that one belongs to an assessment, an organisation and
    `reports`, which trajectories may not import; both inherit `documents.models.DocumentRender`.
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        ODT = "odt", "ODT"

    storage_folder = AGENDAS_FOLDER

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.PDF)

    class Meta:
        indexes = [
            models.Index(fields=["requested_by", "status"], name="agenda_render_user_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=["pdf", "odt"]), name="agenda_render_format_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.format}: {self.status}"


class OrganisationRevision(models.Model):
    """How often the data a group board shows of an organisation has changed: one row per
    organisation, kept by database triggers (migration 0004).

    The triggers count every insert, change and deletion of an action and of a submitted
    assessment (a submit, a reopen, a result, a test flag), whatever makes it: a service, the
    admin, a bulk create, a raw update. The board's cache key holds each member's row
    (`trajectories.board.board_key`), so reading 40 small rows is all a cached board pays to
    know it is current, instead of counting every member's actions. `epoch` is drawn anew
    whenever a row is created (after a flush, say), so a counter that starts over never repeats
    an earlier key. `organisation_id` is no foreign key on purpose: a trigger bumps the row while
    an organisation's actions are deleted with it, after Django has deleted the row.
    """

    organisation_id = models.BigIntegerField(primary_key=True)
    counter = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.epoch}:{self.counter}"
