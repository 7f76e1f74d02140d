"""Reminders to the members who own actions that are due within a week or overdue."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actions.models import OPEN_STATUSES, Action, LanguagePreference
from maturity.mail import mail_queue

REMIND_DAYS_AHEAD = 7
REMIND_AT_MOST_EVERY = timedelta(days=7)


def _due_for_reminder(now) -> list[Action]:
    """Open actions of a member with an e-mail address, due within a week, not reminded lately."""
    return list(
        Action.objects.filter(
            status__in=OPEN_STATUSES,
            owner_member__isnull=False,
            due_date__lte=timezone.localdate(now) + timedelta(days=REMIND_DAYS_AHEAD),
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_AT_MOST_EVERY))
        .exclude(owner_member__user__email="")
        .select_related("owner_member__user", "organisation")
        .order_by("due_date", "pk")
    )


def _language_of(user, preferences: dict[int, str]) -> str:
    # No preference yet (never signed in since reminders exist): the site's default language.
    return preferences.get(user.pk, settings.LANGUAGE_CODE)


def _queue(user, actions: list[Action], language: str, now) -> None:
    with translation.override(language):
        mail_queue(
            key=f"reminder:{user.pk}:{now:%Y%m%dT%H%M%S.%f}",
            to=user.email,
            subject=_("Groeipad: %(count)d action(s) of your action plan need attention")
            % {"count": len(actions)},
            body=render_to_string(
                "actions/reminder_email.txt",
                {"user": user, "actions": actions, "today": timezone.localdate(now)},
            ),
        )


def action_reminders_send() -> int:
    """E-mail each owning member about their actions due soon or overdue; the number of e-mails.

    An action is included at most once per week; each member gets one e-mail in their language.
    The mail is queued (maturity/mail.py) in the same transaction that marks the actions
    reminded, so a failure sends nothing and marks nothing; a worker sends it after the commit.
    """
    now = timezone.now()
    actions = _due_for_reminder(now)
    by_user: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_user[action.owner_member.user_id].append(action)
    preferences = dict(
        LanguagePreference.objects.filter(user_id__in=list(by_user)).values_list(
            "user_id", "language"
        )
    )
    for owned in by_user.values():
        user = owned[0].owner_member.user
        with transaction.atomic():
            _queue(user, owned, _language_of(user, preferences), now)
            Action.objects.filter(pk__in=[a.pk for a in owned]).update(reminded_at=now)
    return len(by_user)
