"""Forms of the trajectory pages: they validate and render; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maturity.input_rules import SingleLineFieldsMixin
from trajectories.models import AGENDA_MAX_LENGTH, NAME_MAX_LENGTH, TOPIC_MAX_LENGTH

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrajectoryForm(SingleLineFieldsMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("For example “Monitoring & webcare 2027 — regio Kempen”."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("End date"), widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class InviteForm(SingleLineFieldsMixin, forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("Its exact name (e.g. “Gemeente Voorbeeld”) or its NIS code."),
    )


class RespondForm(SingleLineFieldsMixin, forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class ConsentForm(SingleLineFieldsMixin, forms.Form):
    share_phase = forms.BooleanField(
        label=_("Our phase and maturity index (at the start and now)"),
        required=False,
        help_text=_("Our result also counts, without our name, in the group's common gaps."),
    )
    share_profile = forms.BooleanField(
        label=_("Our dimension profile (phase and index per dimension)"), required=False
    )
    share_actions = forms.BooleanField(
        label=_("Our open actions: title, status and due date (never the notes)"),
        required=False,
    )
    share_priorities = forms.BooleanField(label=_("Our priorities"), required=False)
    priorities = forms.MultipleChoiceField(
        label=_("Dimensions we want to work on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, dimensions: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priorities"].choices = dimensions


class SessionForm(SingleLineFieldsMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    topic = forms.CharField(label=_("Topic"), max_length=TOPIC_MAX_LENGTH)
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=AGENDA_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )


class CoachForm(SingleLineFieldsMixin, forms.Form):
    user = forms.ChoiceField(label=_("Person of the coach organisation"))

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            (m.user_id, m.user.get_full_name() or m.user.get_username()) for m in candidates
        ]


class PracticeForm(SingleLineFieldsMixin, forms.Form):
    action = forms.TypedChoiceField(label=_("The finished action"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=TOPIC_MAX_LENGTH)
    what_we_did = forms.CharField(
        label=_("What we did"),
        max_length=AGENDA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    what_it_took = forms.CharField(
        label=_("What it took"),
        max_length=AGENDA_MAX_LENGTH,
        required=False,
        help_text=_("Time, people, budget, tools: what another member should count on."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (row.action.pk, f"{row.action.title} ({row.before} → {row.after})")
            for row in candidates
        ]
