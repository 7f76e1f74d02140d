"""The action plan pages: the plan, one action, adding one, exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions import exports
from actions.digest import mail_preference_get, mail_preference_set
from actions.forms import ActionFilterForm, ActionForm, MailSettingsForm
from actions.models import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH, Action
from actions.selectors import (
    action_changes,
    action_export_rows,
    action_get,
    action_list,
    action_owner_names,
)
from actions.services import (
    DueDateOutOfRangeError,
    ForeignOwnerError,
    OwnerAmbiguousError,
    UnknownCriterionError,
    action_create,
    action_set_status,
    action_update,
)
from assessments.access import organisation_view
from assessments.models import ANSWERING_ROLES, Membership
from assessments.selectors import organisation_members
from assessments.spreadsheet import csv_response
from maturity.selectors import ModelStructure, model_version_latest_published
from maturity.selectors import model_version_structure as structure_of

PAGE_SIZE = 25
# What a refused input means, as the form shows it next to the field.
INPUT_ERRORS = {
    UnknownCriterionError: (
        "criterion_key",
        gettext_lazy("This criterion is not in the current model."),
    ),
    ForeignOwnerError: (
        "owner_member",
        gettext_lazy("The owner must be a member of your organisation."),
    ),
    OwnerAmbiguousError: (
        "owner_name",
        gettext_lazy("Choose a member or name a service, not both."),
    ),
    DueDateOutOfRangeError: (
        "due_date",
        gettext_lazy("Choose a due date from a year ago up to ten years ahead."),
    ),
}


def _current_structure() -> ModelStructure | None:
    version = model_version_latest_published()
    return structure_of(version=version) if version is not None else None


def _action_or_404(membership: Membership, pk: int) -> Action:
    action = action_get(membership=membership, pk=pk)
    if action is None:
        raise Http404
    return action


def _save(form: ActionForm, save) -> Action | None:
    """Run a service with the form's input; a refused input becomes the field's error."""
    try:
        return save(form.to_input())
    except tuple(INPUT_ERRORS) as error:
        field, message = INPUT_ERRORS[type(error)]
        form.add_error(field, str(message))
        return None
    except ValidationError as error:
        # The model's full_clean() refused what the form let through: show it, do not fail.
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return None
        for field, messages_of_field in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_of_field)
        return None


@require_safe
@organisation_view()
def action_plan(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organisation's actions by due date, filtered and paginated."""
    structure = _current_structure()
    members = list(organisation_members(membership=membership))
    filters = ActionFilterForm(
        request.GET or None,
        members=members,
        owner_names=action_owner_names(membership=membership),
        structure=structure,
    )
    narrowed = filters.narrowed()
    actions = action_list(membership=membership, narrowed=narrowed, structure=structure)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    criteria = structure.criteria_by_key if structure is not None else {}
    # Narrowed to one question (the link beside it on the questionnaire): say which, and how
    # to see every question's actions again.
    every_question = request.GET.copy()
    every_question.pop("page", None)
    every_question.pop("criterion", None)
    return render(
        request,
        "actions/action_list.html",
        {
            "membership": membership,
            "filters": filters,
            "page": page,
            "rows": [(action, criteria.get(action.criterion_key)) for action in page],
            "criterion_key": narrowed.criterion,
            "criterion": criteria.get(narrowed.criterion),
            "every_question_query": every_question.urlencode(),
            "query": query.urlencode(),
            "statuses": Action.Status,
        },
    )


def _prefill(structure: ModelStructure | None, key: str) -> dict:
    """A new action from the advice on criterion `key`: its short title, the advice as notes.

    The title is the criterion's short advice title, or its statement: whole words, never the
    advice cut off. Only a statement longer than a title may be is shortened (none is in the
    default model).
    """
    criterion = structure.criteria_by_key.get(key) if structure is not None and key else None
    if criterion is None:
        return {}
    title = Truncator(" ".join(criterion.action_title.split())).chars(TITLE_MAX_LENGTH)
    return {
        "title": title,
        "criterion_key": criterion.key,
        "notes": Truncator(criterion.advice.strip()).chars(NOTES_MAX_LENGTH),
    }


@require_http_methods(["GET", "POST"])
@organisation_view(roles=ANSWERING_ROLES)
def action_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Add an action to the plan; `?criterion=<key>` fills it in from that criterion's advice."""
    structure = _current_structure()
    form = ActionForm(
        request.POST or None,
        members=organisation_members(membership=membership),
        structure=structure,
        initial=_prefill(structure, request.GET.get("criterion", "")),
    )
    if request.method == "POST" and form.is_valid():
        action = _save(
            form,
            lambda data: action_create(
                organisation=membership.organisation, user=request.user, data=data
            ),
        )
        if action is not None:
            messages.success(
                request, _("The action “%(title)s” is on the plan.") % {"title": action}
            )
            return redirect("actions:plan")
    status = 400 if request.method == "POST" else 200
    return render(request, "actions/action_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@organisation_view()
def action_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    """One action with its history; respondents and admins change it here."""
    action = _action_or_404(membership, pk)
    form = None
    if membership.can_answer:
        form = ActionForm(
            request.POST or None,
            members=organisation_members(membership=membership),
            structure=_current_structure(),
            current_key=action.criterion_key,
            initial=ActionForm.initial_for(action),
        )
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        saved = _save(form, lambda data: action_update(action=action, user=request.user, data=data))
        if saved is not None:
            messages.success(request, _("The action “%(title)s” is saved.") % {"title": saved})
            return redirect("actions:plan")
    return render(
        request,
        "actions/action_detail.html",
        {"action": action, "form": form, "changes": list(action_changes(action=action))},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@organisation_view()
def action_status(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    """Move an action on in one click: start it, mark it done, or drop it."""
    action = _action_or_404(membership, pk)  # another organisation's: 404 for every role
    if not membership.can_answer:
        raise PermissionDenied
    status = request.POST.get("status", "")
    if status not in Action.Status.values:
        return HttpResponse(status=400)
    action_set_status(action=action, user=request.user, status=status)
    messages.success(
        request,
        _("“%(title)s” is now: %(status)s.")
        % {"title": action, "status": Action.Status(status).label.lower()},
    )
    # Back to the page and filters the click came from; re-encoded, so it stays a query string.
    back = QueryDict(request.POST.get("back", "")).urlencode()
    plan = reverse("actions:plan")
    return redirect(f"{plan}?{back}" if back else plan)


@require_safe
@organisation_view()
def actions_csv(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every action of the plan as CSV."""
    structure = _current_structure()
    content = exports.actions_export_csv(
        actions=list(action_export_rows(membership=membership)),
        criteria=structure.criteria_by_key if structure is not None else {},
    )
    return csv_response(content, _("action-plan") + ".csv")


@require_safe
@organisation_view()
def actions_ical(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The due dates of the open actions as an iCalendar file, for Outlook and the like."""
    actions = [a for a in action_export_rows(membership=membership) if a.is_open]
    structure = _current_structure()
    content = exports.actions_export_ical(
        actions=actions,
        calendar_name=_("Action plan %(organisation)s") % {"organisation": membership.organisation},
        host=request.get_host().split(":")[0],
        criteria=structure.criteria_by_key if structure is not None else {},
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="action-plan.ics"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mail_settings(request: HttpRequest) -> HttpResponse:
    """Switch the weekly digest on or off (linked from the digest itself)."""
    if request.method == "POST":
        form = MailSettingsForm(request.POST)
        if form.is_valid():
            mail_preference_set(user=request.user, weekly_digest=form.cleaned_data["weekly_digest"])
            messages.success(request, _("Your e-mail settings are saved."))
            return redirect("actions:mail_settings")
    else:
        form = MailSettingsForm(initial={"weekly_digest": mail_preference_get(user=request.user)})
    return render(request, "actions/mail_settings_form.html", {"form": form})
