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
