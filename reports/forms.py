"""The share page's forms: a new share link, and whether shared reports show the benchmark."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maturity.input_rules import SingleLineFieldsMixin
from reports.sharing import DEFAULT_DAYS, MAX_DAYS


class ShareLinkForm(SingleLineFieldsMixin, forms.Form):
    """How long a new link works and, optionally, for whom it is."""

    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("At most 90 days. You can revoke the link at any time."),
    )
    note = forms.CharField(
        label=_("For whom (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only you and the other admins see this, e.g. “College of 12 January”."),
    )


class ShareBenchmarkForm(SingleLineFieldsMixin, forms.Form):
    """The organisation's choice: shared reports show the benchmark comparison or not."""

    share_benchmark = forms.BooleanField(
        label=_("Show the benchmark comparison on shared reports"), required=False
    )
