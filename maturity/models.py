"""The maturity model: versions of four phases, dimensions and weighted criteria."""

from decimal import Decimal

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maturity.scoring import PHASE_COUNT

MODEL_LANGUAGES = ("nl", "en")

# What a model editor reads when a constraint refuses a value; the admin forms show the same
# sentence on the field itself.
WEIGHT_POSITIVE_MESSAGE = _("The weight must be greater than 0.")
THRESHOLD_RANGE_MESSAGE = _("The threshold must be greater than 0 and at most 1.")
MINIMUM_COVERAGE_RANGE_MESSAGE = _("The minimum coverage must be greater than 0 and at most 1.")
PHASE_ORDER_RANGE_MESSAGE = _("A phase is numbered 1, 2, 3 or 4.")
CRITERION_KEY_TAKEN_MESSAGE = _("Another criterion of this version has this key.")


def translated(field: str) -> property:
    """A property giving `<field>_<language>` for the active language, Dutch as fallback."""

    def getter(self) -> str:
        language = (get_language() or "nl").split("-")[0]
        if language in MODEL_LANGUAGES:
            value = getattr(self, f"{field}_{language}")
            if value:
                return value
        return getattr(self, f"{field}_nl")

    return property(getter)


class AnswerValue(models.TextChoices):
    """The answer scale: five points of fulfilment plus two non-answers."""

    NONE = "0", _("0 – not at all")
    LIMITED = "1", _("1 – to a limited extent")
    PARTLY = "2", _("2 – partly")
    LARGELY = "3", _("3 – largely")
    FULLY = "4", _("4 – fully")
    DONT_KNOW = "dk", _("Don't know")
    NOT_APPLICABLE = "na", _("Not applicable")

    @classmethod
    def to_score(cls, value: str | None) -> int | str | None:
        """The value the scoring service takes: 0..4, "dk", "na" or None."""
        if value is None or value == "":
            return None
        return int(value) if value.isdigit() else value


class ImmutableVersionError(Exception):
    """Raised when code tries to change a published or archived model version."""

    def __init__(self, version_label: str = "") -> None:
        super().__init__(
            f"Model version {version_label} is published and can no longer change; "
            "make a new draft from it instead."
        )


def _status_of(version_id: int | None) -> str | None:
    if version_id is None:
        return None
    return ModelVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()


def _lock_statuses(version_ids) -> set[str]:
    """The statuses of these versions, their rows locked until the transaction ends.

    Publishing locks the version's row too, so an edit and a publish of the same version take
    turns: the edit cannot pass the check, let the publish commit, and then write.
    """
    return set(
        ModelVersion.objects.select_for_update()
        .filter(pk__in=version_ids)
        .values_list("status", flat=True)
    )


def _refuse_frozen(version_ids, label: str = "") -> None:
    if _lock_statuses(version_ids) - {ModelVersion.Status.DRAFT}:
        raise ImmutableVersionError(label)


class VersionPartQuerySet(models.QuerySet):
    """Refuses bulk writes that would touch a published version."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            _refuse_frozen({obj.version_id for obj in objs})
            return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            _refuse_frozen(self.values("version_id"))
            return super().update(**kwargs)

    def delete(self):
        with transaction.atomic(using=self.db):
            _refuse_frozen(self.values("version_id"))
            return super().delete()


class VersionPart(models.Model):
    """A phase, dimension or criterion: it can only change while its version is a draft."""

    objects = VersionPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def _refuse_if_frozen(self) -> None:
        version_ids = {self.version_id}
        if self.pk is not None:
            version_ids.update(
                type(self).objects.filter(pk=self.pk).values_list("version_id", flat=True)
            )
        _refuse_frozen(version_ids - {None}, str(self.version) if self.version_id else "")

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            self._refuse_if_frozen()
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            self._refuse_if_frozen()
            return super().delete(*args, **kwargs)


class ModelVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ModelVersion.Status.PUBLISHED)

    def update(self, **kwargs):
        # Archiving is the one change a published version allows; back to draft is not one.
        archiving = kwargs == {"status": ModelVersion.Status.ARCHIVED}
        if self.exclude(status=ModelVersion.Status.DRAFT).exists() and not archiving:
            raise ImmutableVersionError()
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=ModelVersion.Status.DRAFT).exists():
            raise ImmutableVersionError()
        return super().delete()


class ModelVersion(models.Model):
    """One version of a maturity model; immutable once published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(_("slug"), max_length=80)
    version = models.PositiveIntegerField(_("version number"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    minimum_coverage = models.DecimalField(
        _("minimum coverage"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        help_text=_(
            "Share of a phase's weight that must be answered before it can count as reached."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ModelVersionQuerySet.as_manager()

    name = translated("name")
    description = translated("description")

    class Meta:
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"],
                name="model_version_unique_number",
                violation_error_message=_("This model already has a version with this number."),
            ),
            models.CheckConstraint(
                condition=Q(minimum_coverage__gt=0, minimum_coverage__lte=1),
                name="model_version_minimum_coverage_range",
                violation_error_message=MINIMUM_COVERAGE_RANGE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = ModelVersion.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] != self.Status.DRAFT:
                changed = {
                    field for field, value in stored.items() if getattr(self, field) != value
                }
                archiving = changed == {"status"} and self.status == self.Status.ARCHIVED
                if changed and not archiving:
                    raise ImmutableVersionError(str(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _status_of(self.pk) not in (None, self.Status.DRAFT):
            raise ImmutableVersionError(str(self))
        return super().delete(*args, **kwargs)


class Phase(VersionPart):
    """One of the four phases (``PHASE_COUNT``) of the growth path, numbered 1 to 4."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="phases", verbose_name=_("version")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"), max_length=60)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    summary_nl = models.CharField(_("summary (Dutch)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.70"),
        help_text=_("Fulfilment (0–1) needed to reach this phase."),
    )

    name = translated("name")
    summary = translated("summary")
    description = translated("description")

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"],
                name="phase_unique_key",
                violation_error_message=_("Another phase of this version has this key."),
            ),
            models.UniqueConstraint(
                fields=["version", "order"],
                name="phase_unique_order",
                violation_error_message=_("Another phase of this version has this number."),
            ),
            models.CheckConstraint(
                condition=Q(threshold__gt=0, threshold__lte=1),
                name="phase_threshold_range",
                violation_error_message=THRESHOLD_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1, order__lte=PHASE_COUNT),
                name="phase_order_range",
                violation_error_message=PHASE_ORDER_RANGE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Dimension(VersionPart):
    """A theme that cuts across the phases, e.g. webcare or strategy."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("version")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"), max_length=60)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    name = translated("name")
    description = translated("description")

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"],
                name="dimension_unique_key",
                violation_error_message=_("Another dimension of this version has this key."),
            ),
            models.UniqueConstraint(
                fields=["version", "order"],
                name="dimension_unique_order",
                violation_error_message=_("Another dimension of this version has this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# Short enough to be an action's whole title (actions.models.TITLE_MAX_LENGTH is 200).
ADVICE_TITLE_MAX_LENGTH = 120


class Criterion(VersionPart):
    """A weighted statement that holds for an organisation in one phase, on one dimension."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("version")
    )
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Stays the same across model versions.")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.RESTRICT, related_name="criteria", verbose_name=_("phase")
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.RESTRICT, related_name="criteria", verbose_name=_("dimension")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    statement_nl = models.CharField(_("statement (Dutch)"), max_length=300)
    statement_en = models.CharField(_("statement (English)"), max_length=300, blank=True)
    help_text_nl = models.TextField(_("help text (Dutch)"), blank=True)
    help_text_en = models.TextField(_("help text (English)"), blank=True)
    advice_nl = models.TextField(_("advice (Dutch)"), blank=True)
    advice_en = models.TextField(_("advice (English)"), blank=True)
    # The few words a new action on this criterion is called by; without it, the statement.
    advice_title_nl = models.CharField(
        _("short advice title (Dutch)"),
        max_length=ADVICE_TITLE_MAX_LENGTH,
        blank=True,
        help_text=_(
            "A short title for an action that follows the advice, e.g. “Doelen vastleggen”."
        ),
    )
    advice_title_en = models.CharField(
        _("short advice title (English)"), max_length=ADVICE_TITLE_MAX_LENGTH, blank=True
    )
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal("1"))

    statement = translated("statement")
    help_text = translated("help_text")
    advice = translated("advice")
    advice_title = translated("advice_title")

    @property
    def action_title(self) -> str:
        """A new action's title on this criterion: the short advice title, or the statement."""
        return self.advice_title or self.statement

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["version", "dimension__order", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"],
                name="criterion_unique_key",
                violation_error_message=CRITERION_KEY_TAKEN_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="criterion_weight_positive",
                violation_error_message=WEIGHT_POSITIVE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.phase_id and self.phase.version_id != self.version_id:
            errors["phase"] = _("The phase belongs to another model version.")
        if self.dimension_id and self.dimension.version_id != self.version_id:
            errors["dimension"] = _("The dimension belongs to another model version.")
        if errors:
            raise ValidationError(errors)


# The crosswalk model lives beside the model it refers to; imported here so Django finds it.
from maturity.crosswalk_models import CriterionReplacement  # noqa: E402, F401
