from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from maturity.input_rules import SingleLineFieldsMixin


class ParticipationForm(SingleLineFieldsMixin, forms.Form):
    """An organisation admin's choice to take part in benchmarks."""

    opted_in = forms.BooleanField(
        label=_("Our submitted results take part in benchmarks"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save choice")))
