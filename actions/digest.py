"""The weekly digest for organisation admins: open and overdue actions, drafts in progress."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actions.models import OPEN_STATUSES, Action, LanguagePreference, MailPreference
from assessments.models import ADMIN_ROLES, Assessment, Membership
from maturity.mail import mail_queue

logger = logging.getLogger("groeipad.mail")
OVERDUE_LISTED = 10


@dataclass
class OrganisationDigest:
    """What one organisation's admin reads about it."""

    name: str
    open_count: int = 0
    overdue: list[Action] = field(default_factory=list)
    overdue_count: int = 0
    drafts: list[Assessment] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        return bool(self.open_count or self.drafts)


def _organisation_digests(organisation_ids: set[int], today) -> dict[int, OrganisationDigest]:
    """Per organisation: open actions, the first overdue ones, its drafts (three queries)."""
    from assessments.models import Organisation

    digests = {
        pk: OrganisationDigest(name=name)
        for pk, name in Organisation.objects.filter(pk__in=organisation_ids).values_list(
            "pk", "name"
        )
    }
    counts = (
        Action.objects.filter(organisation_id__in=organisation_ids, status__in=OPEN_STATUSES)
        .values("organisation_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    for row in counts:
        digests[row["organisation_id"]].open_count = row["open"]
        digests[row["organisation_id"]].overdue_count = row["overdue"]
    overdue = Action.objects.filter(
        organisation_id__in=organisation_ids, status__in=OPEN_STATUSES, due_date__lt=today
    ).order_by("due_date", "pk")
    for action in overdue:
        listed = digests[action.organisation_id].overdue
        if len(listed) < OVERDUE_LISTED:
            listed.append(action)
    drafts = Assessment.objects.filter(
        organisation_id__in=organisation_ids, status=Assessment.Status.DRAFT
    ).order_by("created_at", "pk")
    for draft in drafts:
        digests[draft.organisation_id].drafts.append(draft)
    return digests


def admin_digests_send(*, now=None) -> int:
    """Queue this week's digest for every organisation admin who did not opt out; how many.

    One mail per admin per ISO week (the outbox key holds the week), in the admin's language,
    covering every organisation they administer; nothing when there is nothing to report.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    year, week, _weekday = today.isocalendar()
    opted_out = MailPreference.objects.filter(weekly_digest=False).values("user_id")
    admin_memberships = (
        Membership.objects.filter(role__in=ADMIN_ROLES)
        .exclude(user__email="")
        .exclude(user_id__in=opted_out)
        .filter(user__is_active=True)
        .select_related("user")
    )
    organisations_of: dict[int, list[int]] = defaultdict(list)
    users = {}
    for membership in admin_memberships:
        organisations_of[membership.user_id].append(membership.organisation_id)
        users[membership.user_id] = membership.user
    if not users:
        return 0
    digests = _organisation_digests({pk for pks in organisations_of.values() for pk in pks}, today)
    languages = dict(
        LanguagePreference.objects.filter(user_id__in=list(users)).values_list(
            "user_id", "language"
        )
    )
    base = settings.SITE_URL.rstrip("/")
    queued = 0
    for user_id, organisation_ids in organisations_of.items():
        organisations = [digests[pk] for pk in organisation_ids if digests[pk].has_news]
        if not organisations:
            continue
        user = users[user_id]
        with (
            translation.override(languages.get(user_id, settings.LANGUAGE_CODE)),
            transaction.atomic(),
        ):
            mail_queue(
                key=f"digest:{user_id}:{year}-W{week:02d}",
                to=user.email,
                subject=_("Groeipad: your weekly overview"),
                body=render_to_string(
                    "actions/digest_email.txt",
                    {
                        "user": user,
                        "organisations": organisations,
                        "today": today,
                        "plan_url": base + reverse("actions:plan"),
                        "settings_url": base + reverse("actions:mail_settings"),
                    },
                ),
            )
        queued += 1
    return queued


@transaction.atomic
def mail_preference_set(*, user, weekly_digest: bool) -> MailPreference:
    """Turn the weekly digest on or off for this user."""
    preference, _created = MailPreference.objects.update_or_create(
        user=user, defaults={"weekly_digest": weekly_digest}
    )
    return preference


def mail_preference_get(*, user) -> bool:
    """Whether this user gets the weekly digest (the default: yes)."""
    return (
        MailPreference.objects.filter(user=user).values_list("weekly_digest", flat=True).first()
        is not False
    )
