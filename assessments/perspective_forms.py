"""Forms of perspectives: add, edit (name and who answers), invite a contributor, settle."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.forms import InvitationForm
from assessments.models import Membership
from assessments.perspective_models import CONSENSUS_NOTE_MAX_LENGTH, PERSPECTIVE_NAME_MAX_LENGTH
from maturity.input_rules import SingleLineFieldsMixin
from maturity.models import AnswerValue


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        user = membership.user
        # A dash, not brackets: some role names carry their own ("Contributor (one perspective)").
        return f"{user.get_full_name() or user.username} — {membership.get_role_display()}"


class PerspectiveForm(SingleLineFieldsMixin, forms.Form):
    """A perspective's name and, when editing, the members who answer in it."""

    name = forms.CharField(
        label=_("Name of the perspective"),
        max_length=PERSPECTIVE_NAME_MAX_LENGTH,
        help_text=_("The service or group that answers, e.g. Directie, Jeugddienst, Webcareteam."),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        submit_label = _("Add perspective")
        if members is not None:
            submit_label = _("Save")
            self.fields["deadline"] = forms.DateField(
                label=_("Deadline"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                help_text=_("By when this perspective should be filled in. Empty: none."),
            )
            self.fields["members"] = MemberChoiceField(
                label=_("Who answers in this perspective"),
                queryset=members,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "Respondents and admins can answer in every perspective; a contributor "
                    "only in the perspectives ticked here."
                ),
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label))


class ContributorInvitationForm(InvitationForm):
    """An e-mail address: the invitee answers in this one perspective only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["role"]


class ConsensusForm(SingleLineFieldsMixin, forms.Form):
    """One criterion's consensus answer and why the team settled on it."""

    value = forms.ChoiceField(
        label=_("Consensus answer"), choices=AnswerValue.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=CONSENSUS_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the team settled on this answer, e.g. “discussed on 12/3: …”."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save the consensus answer")))
