"""The crosswalk: a criterion key removed in a version and the key that replaces it.

Answers belong to criterion keys, so a re-assessment on a newer version carries an answer to the
same key; where the editor reworded a criterion under a new key, the crosswalk says which old key
it replaces, and carrying and trends follow it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from maturity.models import Criterion, VersionPart


class CriterionReplacement(VersionPart):
    """In ``version``, the criterion ``new_key`` replaces ``old_key`` of an earlier version."""

    version = models.ForeignKey(
        "maturity.ModelVersion",
        on_delete=models.CASCADE,
        related_name="replacements",
        verbose_name=_("version"),
    )
    old_key = models.SlugField(_("removed criterion key"), max_length=100)
    new_key = models.SlugField(_("replaced by criterion key"), max_length=100)

    class Meta:
        verbose_name = _("replaced criterion")
        verbose_name_plural = _("replaced criteria (crosswalk)")
        ordering = ["old_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "old_key"],
                name="replacement_unique_old_key",
                violation_error_message=_("This removed key is replaced in this version already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_key} → {self.new_key}"

    def clean(self) -> None:
        super().clean()
        if not self.version_id or not self.old_key or not self.new_key:
            return
        keys = set(
            Criterion.objects.filter(version_id=self.version_id).values_list("key", flat=True)
        )
        if self.new_key not in keys:
            raise ValidationError({"new_key": _("This version has no criterion with this key.")})
        if self.old_key in keys:
            raise ValidationError(
                {
                    "old_key": _(
                        "This key is still in this version: only a removed key can be replaced."
                    )
                }
            )
        if self.old_key == self.new_key or self._leads_back():
            raise ValidationError(
                {"new_key": _("This replacement would lead back to the removed key (a cycle).")}
            )
        earlier = Criterion.objects.filter(
            version__slug=self.version.slug,
            version__version__lt=self.version.version,
            key=self.old_key,
        )
        if not earlier.exists():
            raise ValidationError(
                {"old_key": _("No earlier version of this model has a criterion with this key.")}
            )

    def _leads_back(self) -> bool:
        """Whether the earlier crosswalks of this model lead from ``new_key`` to ``old_key``."""
        earlier = dict(
            CriterionReplacement.objects.filter(
                version__slug=self.version.slug, version__version__lt=self.version.version
            ).values_list("old_key", "new_key")
        )
        key, seen = self.new_key, set()
        while key in earlier and key not in seen:
            seen.add(key)
            key = earlier[key]
            if key == self.old_key:
                return True
        return False
