"""The model versions' admin history in the reader's language.

The admin keeps a history message as stored text. Ours are stored as their English msgid
("Published", "New draft from version 2"), the very text the entries written before they were
translated already hold, and translated when the history page shows them. Django's own JSON
messages know only "added", "changed" and "deleted" fields, which cannot say either of these.
"""

import re

from django.utils.translation import gettext, gettext_noop

PUBLISHED = gettext_noop("Published")
ARCHIVED = gettext_noop("Archived")
NEW_DRAFT = gettext_noop("New draft from version %(number)s")
_NEW_DRAFT_STORED = re.compile(r"New draft from version (?P<number>\d+)")


def new_draft_message(*, source_version: int) -> str:
    """The stored message of a draft made from version `source_version`."""
    return NEW_DRAFT % {"number": source_version}


def history_message(stored: str) -> str:
    """A stored history message in the active language; one that is not ours, unchanged."""
    if stored in (PUBLISHED, ARCHIVED):
        return gettext(stored)
    new_draft = _NEW_DRAFT_STORED.fullmatch(stored)
    if new_draft:
        return gettext(NEW_DRAFT) % {"number": new_draft["number"]}
    return stored
