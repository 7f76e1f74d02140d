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
