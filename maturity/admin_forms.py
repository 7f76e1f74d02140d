"""The model editors' admin forms: readable text areas, and each constraint's message on its field.

The database constraints (maturity/models.py) stay the last word; these checks only put the same
sentence next to the field the editor has to change, instead of above the whole form.
"""

from django import forms

from maturity.models import (
    CRITERION_KEY_TAKEN_MESSAGE,
    MINIMUM_COVERAGE_RANGE_MESSAGE,
    PHASE_ORDER_RANGE_MESSAGE,
    THRESHOLD_RANGE_MESSAGE,
    WEIGHT_POSITIVE_MESSAGE,
    Criterion,
    Dimension,
    ModelVersion,
    Phase,
)
from maturity.scoring import PHASE_COUNT


def _text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 48})


def _in_unit_range(value, message) -> None:
    """Refuse a share outside (0, 1], as the range constraints do."""
    if value is not None and not 0 < value <= 1:
        raise forms.ValidationError(message, code="out_of_range")


class ModelVersionAdminForm(forms.ModelForm):
    class Meta:
        model = ModelVersion
        fields = [
            "slug",
            "version",
            "name_nl",
            "name_en",
            "description_nl",
            "description_en",
            "minimum_coverage",
        ]
        widgets = {
            "description_nl": _text_area(4),
            "description_en": _text_area(4),
        }

    def clean_minimum_coverage(self):
        value = self.cleaned_data.get("minimum_coverage")
        _in_unit_range(value, MINIMUM_COVERAGE_RANGE_MESSAGE)
        return value


class PhaseAdminForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = [
            "order",
            "key",
            "threshold",
            "name_nl",
            "name_en",
            "summary_nl",
            "summary_en",
            "description_nl",
            "description_en",
        ]
        widgets = {
            "summary_nl": _text_area(2),
            "summary_en": _text_area(2),
            "description_nl": _text_area(3),
            "description_en": _text_area(3),
        }

    def clean_threshold(self):
        value = self.cleaned_data.get("threshold")
        _in_unit_range(value, THRESHOLD_RANGE_MESSAGE)
        return value

    def clean_order(self):
        value = self.cleaned_data.get("order")
        if value is not None and not 1 <= value <= PHASE_COUNT:
            raise forms.ValidationError(PHASE_ORDER_RANGE_MESSAGE, code="out_of_range")
        return value


class DimensionAdminForm(forms.ModelForm):
    class Meta:
        model = Dimension
        fields = ["order", "key", "name_nl", "name_en", "description_nl", "description_en"]
        widgets = {
            "description_nl": _text_area(2),
            "description_en": _text_area(2),
        }


class CriterionAdminForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "version",
            "key",
            "phase",
            "dimension",
            "order",
            "weight",
            "statement_nl",
            "statement_en",
            "help_text_nl",
            "help_text_en",
            "advice_nl",
            "advice_en",
            "advice_title_nl",
            "advice_title_en",
        ]
        widgets = {
            "statement_nl": _text_area(3),
            "statement_en": _text_area(3),
            "help_text_nl": _text_area(4),
            "help_text_en": _text_area(4),
            "advice_nl": _text_area(4),
            "advice_en": _text_area(4),
        }

    def clean_weight(self):
        value = self.cleaned_data.get("weight")
        if value is not None and value <= 0:
            raise forms.ValidationError(WEIGHT_POSITIVE_MESSAGE, code="weight_not_positive")
        return value

    def clean(self):
        cleaned = super().clean()
        version, key = cleaned.get("version"), cleaned.get("key")
        if version is not None and key:
            taken = Criterion.objects.filter(version=version, key=key)
            if self.instance.pk is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("key", forms.ValidationError(CRITERION_KEY_TAKEN_MESSAGE))
        return cleaned
