"""Forms of the action plan: one action, the plan page's filters."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import NOTES_MAX_LENGTH, OWNER_NAME_MAX_LENGTH, TITLE_MAX_LENGTH, Action
from actions.selectors import STATUS_ALL, STATUS_OPEN, ActionFilter
from actions.services import ActionInput
from assessments.models import Membership
from maturity.input_rules import SingleLineFieldsMixin
from maturity.selectors import ModelStructure

# A new action is due in a month unless someone says otherwise.
DEFAULT_DUE_DAYS = 30


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.get_full_name() or obj.user.get_username()


def criterion_choices(structure: ModelStructure | None, current_key: str = "") -> list:
    """The current model's criteria grouped by dimension; a key no longer in it stays choosable."""
    choices: list = [("", _("— no criterion —"))]
    if structure is not None:
        for dimension in structure.dimensions:
            criteria = structure.criteria_of_dimension(dimension)
            choices.append((dimension.name, [(c.key, c.statement) for c in criteria]))
    known = set(structure.criteria_by_key) if structure is not None else set()
    if current_key and current_key not in known:
        label = _("%(key)s (no longer in the model)") % {"key": current_key}
        choices.append((current_key, label))
    return choices


class ActionForm(SingleLineFieldsMixin, forms.Form):
    """Title, criterion, owner, due date, status and notes of one action."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    criterion_key = forms.ChoiceField(label=_("Criterion"), required=False)
    owner_member = MemberChoiceField(
        label=_("Owner: a member"), queryset=Membership.objects.none(), required=False
    )
    owner_name = forms.CharField(
        label=_("…or a service or person"),
        max_length=OWNER_NAME_MAX_LENGTH,
        required=False,
        help_text=_("For example “jeugddienst”. Leave empty when a member owns the action."),
    )
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args, members, structure: ModelStructure | None, current_key: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = members
        self.fields["criterion_key"].choices = criterion_choices(structure, current_key)
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=DEFAULT_DUE_DAYS)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner_member") and cleaned.get("owner_name", "").strip():
            self.add_error("owner_name", _("Choose a member or name a service, not both."))
        return cleaned

    def to_input(self) -> ActionInput:
        data = self.cleaned_data
        return ActionInput(
            title=data["title"],
            criterion_key=data["criterion_key"],
            owner_member=data["owner_member"],
            owner_name=data["owner_name"],
            due_date=data["due_date"],
            status=data["status"],
            notes=data["notes"],
        )

    @staticmethod
    def initial_for(action: Action) -> dict:
        return {
            "title": action.title,
            "criterion_key": action.criterion_key,
            "owner_member": action.owner_member_id,
            "owner_name": action.owner_name,
            "due_date": action.due_date,
            "status": action.status,
            "notes": action.notes,
        }


class ActionFilterForm(SingleLineFieldsMixin, forms.Form):
    """The plan page's filters; anything it does not know falls back to "open, anyone"."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    # Set by the link beside a question on the questionnaire, not chosen here: a hidden field.
    criterion = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, members, owner_names, structure: ModelStructure | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (STATUS_OPEN, _("Open (planned or in progress)")),
            *Action.Status.choices,
            (STATUS_ALL, _("All")),
        ]
        member_choices = [
            (f"member-{m.pk}", m.user.get_full_name() or m.user.get_username()) for m in members
        ]
        name_choices = [(f"name-{name}", name) for name in owner_names]
        self.fields["owner"].choices = [("", _("Anyone")), *member_choices, *name_choices]
        dimensions = structure.dimensions if structure is not None else ()
        self.fields["dimension"].choices = [("", _("Every dimension"))] + [
            (d.key, d.name) for d in dimensions
        ]

    def narrowed(self) -> ActionFilter:
        if not self.is_valid():
            return ActionFilter()
        data = self.cleaned_data
        return ActionFilter(
            status=data["status"] or STATUS_OPEN,
            owner=data["owner"],
            dimension=data["dimension"],
            criterion=data["criterion"],
        )


class MailSettingsForm(SingleLineFieldsMixin, forms.Form):
    """The optional e-mails a user can switch off."""

    weekly_digest = forms.BooleanField(
        label=_("Send me the weekly overview of my organisations (organisation admins)"),
        required=False,
    )
