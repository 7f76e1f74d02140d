"""Whether an organisation's submitted results take part in benchmarks (off by default).

Kept in this app, not as a field on Organisation: the benchmark is its own bounded context
(its rules, its audit of who opted in when, its permission for sector analysts), and the
assessments app needs to know nothing of it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation


class Participation(models.Model):
    """An organisation's choice to share its results, anonymised, in benchmarks."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="benchmark_participation",
        verbose_name=_("organisation"),
    )
    opted_in = models.BooleanField(_("takes part in benchmarks"), default=False)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("benchmark participation")
        verbose_name_plural = _("benchmark participations")
        # Staff grant this to a sector analyst (an umbrella body such as VVSG or VNG).
        permissions = [("view_sector", _("Can view the anonymised sector benchmark"))]

    def __str__(self) -> str:
        return f"{self.organisation}: {'in' if self.opted_in else 'out'}"


class Revision(models.Model):
    """How often anything a benchmark reads has changed: one row, kept by database triggers.

    Triggers (migration 0002) count every change of a participation, of an organisation's kind,
    population or region, and of a submitted assessment (submit, reopen, delete, marked as a
    test or restored), whatever
    makes it: a service, the admin, a raw update. Caches of benchmark figures are keyed on this
    row (`benchmarks.selectors.benchmark_signature`), so reading it is all a cached page pays to
    know it is current. `epoch` is drawn anew whenever the row is created (e.g. after a flush),
    so a counter that starts over never repeats an earlier key.
    """

    id = models.PositiveSmallIntegerField(primary_key=True)
    counter = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.epoch}:{self.counter}"


class Release(models.Model):
    """The benchmark figures of one model slug as published on a date (issue 31, F1).

    Pages, result.json and the CSV read the latest release, never the live data, so one
    organisation opting in or out, or submitting, does not move what others see. A release is
    computed by `benchmarks.services.benchmark_release_create` (nightly, or by staff on demand);
    a group is computed anew only when at least BENCHMARK_MIN_CHANGES of its organisations
    changed, joined or left since its figures were computed, otherwise it keeps them
    (docs/benchmark.md). `groups` holds per group its size, quartiles, dimensions, phase counts
    and, never shown, the organisations and results it was computed from (to count changes).
    """

    model_slug = models.SlugField(_("model"), max_length=80)
    released_at = models.DateTimeField(_("released at"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    groups = models.JSONField(_("groups"), default=dict, editable=False)
    sector = models.JSONField(_("sector figures"), default=dict, editable=False)
    refused = models.JSONField(_("refused groups"), default=dict, editable=False)

    class Meta:
        verbose_name = _("benchmark release")
        verbose_name_plural = _("benchmark releases")
        ordering = ["-released_at", "-pk"]
        indexes = [models.Index(fields=["model_slug", "-released_at"], name="release_latest_idx")]

    def __str__(self) -> str:
        return f"{self.model_slug} {timezone.localtime(self.released_at):%Y-%m-%d %H:%M}"
