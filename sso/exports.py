"""The sign-in audit trail as CSV, with the one formula guard of every export."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.spreadsheet import csv_text
from sso.models import SignInEvent


def sign_in_events_export_csv(*, events: Iterable[SignInEvent]) -> str:
    """One row per event: time (ISO 8601, local time), user, what was typed, event, method, …"""
    header = [
        _("Time"),
        _("User"),
        _("Username or e-mail address"),
        _("Event"),
        _("Outcome"),
        _("Method"),
        _("Identity provider"),
        _("Detail"),
    ]
    rows = [header]
    for event in events:
        rows.append(
            [
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                event.user.get_username() if event.user is not None else "",
                event.identifier,
                event.get_kind_display(),
                _("succeeded") if event.succeeded else _("failed"),
                event.get_method_display() if event.method else "",
                event.provider_id,
                event.detail,
            ]
        )
    return csv_text(rows)
