"""Share links: one submitted assessment's report, read-only, for someone without an account.

An organisation admin makes a link (`share_link_create`) and may revoke it at any time
(`share_link_revoke`). The token is `secrets.token_urlsafe(32)` (256 random bits), shown once;
only its SHA-256 is stored, and a request finds its link by that hash (`share_link_by_token`):
the comparison is the database's equality on the hash, so what an attacker can time is the
lookup of a digest they cannot steer, never a comparison with the secret token itself.

Validity (expiry, revocation, the assessment still submitted) is read from the link's row on
every request and again by the worker that renders its PDF: nothing caches it, so a revoked link
stops working on the next request on every app server. Each view of the page or the PDF is one
`ShareLinkView` row (the time, no address).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Prefetch
from django.utils import timezone

from assessments.models import Assessment, Membership, Organisation
from assessments.services import NotAllowedError
from reports.models import ShareLink, ShareLinkView

TOKEN_BYTES = 32
DEFAULT_DAYS = 30
MAX_DAYS = 90
# Views listed per link on the admin's page (all are counted).
VIEWS_LISTED = 20
# Longer than any token we make: a longer one is refused before it is hashed.
TOKEN_MAX_LENGTH = 100


class ShareLinkDraftError(Exception):
    """Only a submitted assessment's report can be shared."""


class ShareLinkExpiryError(ValueError):
    """The expiry is outside 1 to MAX_DAYS days."""


@dataclass(frozen=True)
class ShareLinkState:
    """Whether a found link may be shown now; `reason` says why not ("revoked", …)."""

    link: ShareLink
    reason: str  # "" usable, else "revoked", "expired" or "unavailable"

    @property
    def usable(self) -> bool:
        return not self.reason


def share_token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256, hex (the token has 256 random bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def share_link_create(
    *,
    assessment: Assessment,
    membership: Membership,
    days: int = DEFAULT_DAYS,
    note: str = "",
) -> tuple[ShareLink, str]:
    """A new link to the assessment's report and its token (shown once, never stored).

    Organisation admins only (`NotAllowedError`, checked again here); a draft cannot be shared.
    """
    if not membership.is_admin or membership.organisation_id != assessment.organisation_id:
        raise NotAllowedError
    if assessment.is_draft:
        raise ShareLinkDraftError
    if not 1 <= days <= MAX_DAYS:
        raise ShareLinkExpiryError(days)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    link = ShareLink(
        organisation_id=assessment.organisation_id,
        assessment=assessment,
        token_hash=share_token_hash(token),
        note=note.strip(),
        created_by_id=membership.user_id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    link.full_clean()
    link.save()
    return link, token


@transaction.atomic
def share_link_revoke(*, assessment: Assessment, membership: Membership, link_pk: int) -> bool:
    """Revoke one of the assessment's links; False when it is not one of them.

    Revoking a revoked link changes nothing (the first revocation's time stays).
    """
    if not membership.is_admin or membership.organisation_id != assessment.organisation_id:
        raise NotAllowedError
    links = ShareLink.objects.filter(
        pk=link_pk, assessment_id=assessment.pk, organisation_id=membership.organisation_id
    )
    if not links.exists():
        return False
    links.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by_id=membership.user_id
    )
    return True


def share_links_list(*, assessment: Assessment, membership: Membership) -> list[ShareLink]:
    """The assessment's links for its organisation's admin, newest first (two queries).

    Each carries `view_count`, `last_viewed_at`, its latest views (`VIEWS_LISTED`) as
    `recent_views` and `state` ("active", "expired" or "revoked").
    """
    if not membership.is_admin or membership.organisation_id != assessment.organisation_id:
        return []
    recent = ShareLinkView.objects.order_by("-viewed_at", "-pk")
    links = list(
        ShareLink.objects.filter(
            assessment_id=assessment.pk, organisation_id=assessment.organisation_id
        )
        .select_related("created_by", "revoked_by")
        .annotate(view_count=Count("views"), last_viewed_at=Max("views__viewed_at"))
        .prefetch_related(Prefetch("views", queryset=recent[:VIEWS_LISTED], to_attr="recent_views"))
    )
    now = timezone.now()
    for link in links:
        link.state = (
            "revoked" if link.revoked_at else "active" if link.is_usable(now) else "expired"
        )
    return links


def share_link_by_token(*, token: str, now: datetime | None = None) -> ShareLinkState | None:
    """The link of a token and whether it may be shown now; None for an unknown token.

    One query, read anew on every request (no cache): the link with its assessment,
    organisation and model version.
    """
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    link = (
        ShareLink.objects.select_related(
            "assessment__organisation", "assessment__model_version", "organisation"
        )
        .filter(token_hash=share_token_hash(token))
        .first()
    )
    if link is None:
        return None
    now = now or timezone.now()
    if link.revoked_at is not None:
        reason = "revoked"
    elif now >= link.expires_at:
        reason = "expired"
    elif link.assessment.is_draft:
        # Reopened since the link was made: there is no submitted report to show now.
        reason = "unavailable"
    else:
        reason = ""
    return ShareLinkState(link=link, reason=reason)


def share_link_usable(*, link_pk: int) -> ShareLink | None:
    """The link by id when it may be shown now (the PDF worker checks again): one query."""
    link = (
        ShareLink.objects.select_related(
            "assessment__organisation", "assessment__model_version", "organisation"
        )
        .filter(pk=link_pk, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or link.assessment.is_draft:
        return None
    return link


def share_link_view_record(*, link: ShareLink, kind: str = ShareLinkView.Kind.PAGE) -> None:
    """Count one view of a shared report: the time, nothing about the reader."""
    ShareLinkView.objects.create(link=link, kind=kind)


def organisation_share_benchmark_set(*, membership: Membership, value: bool) -> None:
    """Whether the organisation's shared reports show the benchmark (its admins only)."""
    if not membership.is_admin:
        raise NotAllowedError
    Organisation.objects.filter(pk=membership.organisation_id).update(share_benchmark=value)
    membership.organisation.share_benchmark = value
