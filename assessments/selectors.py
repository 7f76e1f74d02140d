"""Reads of organisation data; every query starts from the user's memberships."""

from collections.abc import Sequence

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery

from assessments.models import (
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Invitation,
    Membership,
    Perspective,
)
from assessments.progress import progress_annotations
from maturity.models import Criterion, ModelVersion
from maturity.prepared import PreparedRead
from maturity.selectors import model_version_latest_published


def membership_list(*, user) -> list[Membership]:
    """The user's memberships with their organisations, in one query (none when anonymous)."""
    if not user.is_authenticated:
        return []
    # By organisation name, as Membership.Meta orders (its second key, the user's name, is the
    # same in every row here), sorted here by code point, as SQLite orders, on either database;
    # PostgreSQL's collation might order names differing only in case or accents otherwise (this
    # order only lists the organisations and picks the default one).
    return sorted(_USER_MEMBERSHIPS(user_id=user.pk), key=_organisation_name)


# Every page reads it (the header's organisation switch, the access checks).
_USER_MEMBERSHIPS = PreparedRead(
    lambda user_id: (
        Membership.objects.filter(user_id=user_id).select_related("organisation").order_by()
    )
)


def _organisation_name(membership: Membership) -> str:
    return membership.organisation.name


def membership_for_organisation(*, user, organisation_id: int) -> Membership | None:
    """The user's membership in an organisation, or None when there is none."""
    if not 0 < organisation_id < 2**63:
        return None  # no such key; SQLite cannot even compare a larger integer
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation_id=organisation_id)
        .first()
    )


def perspective_total_subquery() -> Subquery:
    """How many perspectives the outer assessment has, as a subquery to annotate with."""
    return Subquery(
        Perspective.objects.filter(assessment=OuterRef("pk"))
        .order_by()
        .values("assessment")
        .annotate(total=Count("pk"))
        .values("total"),
        output_field=IntegerField(),
    )


def visible_assessments(memberships: Sequence[Membership]) -> QuerySet[Assessment]:
    """The assessments these memberships may see: their organisations' ones, except that a
    contributor sees only the assessments with a perspective they are assigned to."""
    return _visible_assessments(**_visibility(memberships))


def _visibility(memberships: Sequence[Membership]) -> dict[str, list[int]]:
    """The organisations seen whole and the memberships that see only their perspectives."""
    return {
        "whole": [m.organisation_id for m in memberships if not m.is_contributor],
        "contributing": [m.pk for m in memberships if m.is_contributor],
    }


def _visible_assessments(*, whole: list[int], contributing: list[int]) -> QuerySet[Assessment]:
    visible = Q(organisation_id__in=whole)
    if contributing:
        assigned = Perspective.objects.filter(assessment=OuterRef("pk"), members__in=contributing)
        visible |= Q(Exists(assigned))
    return Assessment.objects.filter(visible).annotate(
        perspective_total=perspective_total_subquery()
    )


# Every assessment page reads it.
_VISIBLE_ASSESSMENT = PreparedRead(
    lambda pk, whole, contributing: (
        _visible_assessments(whole=whole, contributing=contributing)
        .select_related("model_version", "started_from__model_version", "moved_from")
        .filter(pk=pk)
        # No ORDER BY for one row by its key: `.first()` would order by the model's ordering,
        # and compiling that compares the ordering with each of the ~80 selected columns
        # (Django's Expression.identity); compiled once now, but still nothing to sort.
        .order_by()
    )
)


def assessment_get(
    *, user, pk: int, memberships: Sequence[Membership] | None = None
) -> tuple[Assessment, Membership] | None:
    """An assessment of one of the user's organisations with the user's membership there.

    None when the assessment does not exist, belongs to another organisation, or (for a
    contributor) has no perspective they answer in. A request that has read the user's
    memberships already (``membership_list``) passes them in. The assessment carries
    ``perspective_total``, read in the same query.
    """
    if memberships is None:
        memberships = membership_list(user=user)
    if not 0 < pk < 2**63:
        return None
    assessment = next(iter(_VISIBLE_ASSESSMENT(pk=pk, **_visibility(memberships))), None)
    if assessment is None:
        return None
    membership = next(m for m in memberships if m.organisation_id == assessment.organisation_id)
    assessment.organisation = membership.organisation
    return assessment, membership


def organisation_members(*, membership: Membership) -> QuerySet[Membership]:
    """The members of the membership's organisation, with their accounts, by username."""
    return (
        Membership.objects.filter(organisation_id=membership.organisation_id)
        .select_related("user", "organisation")
        .order_by("user__username")
    )


def organisation_member_get(*, membership: Membership, pk: int) -> Membership | None:
    """One member of the membership's organisation, or None (another organisation's too)."""
    if not 0 < pk < 2**63:
        return None
    return organisation_members(membership=membership).filter(pk=pk).first()


def organisation_open_invitations(*, membership: Membership) -> QuerySet[Invitation]:
    """Invitations of the membership's organisation that were neither accepted nor revoked."""
    return Invitation.objects.filter(
        organisation_id=membership.organisation_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )


def organisation_invitation_get(*, membership: Membership, pk: int) -> Invitation | None:
    """One open invitation of the membership's organisation, or None (another's too)."""
    if not 0 < pk < 2**63:
        return None
    return organisation_open_invitations(membership=membership).filter(pk=pk).first()


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The invitation behind a link, with its organisation (the token is the credential)."""
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def _criteria_total():
    return Subquery(
        Criterion.objects.filter(version=OuterRef("model_version"))
        .order_by()
        .values("version")
        .annotate(total=Count("pk"))
        .values("total"),
        output_field=IntegerField(),
    )


def newest_version_subquery(field: str) -> Subquery:
    """A field of the outer assessment's model's current (published) version, as a subquery."""
    return Subquery(
        ModelVersion.objects.published()
        .filter(slug=OuterRef("model_version__slug"))
        .order_by("-published_at", "-version")
        .values(field)[:1]
    )


def version_offer(assessment: Assessment) -> int | None:
    """The number of the newer model version a draft's team is offered; None when there is none,
    or when they chose to stay with it.

    A model has one published version (publishing archives the one before), so a draft whose
    version is still published has nothing newer: no query. Otherwise the annotations
    ``newest_version_id`` and ``newest_version_number`` answer, or one query when absent.
    """
    if not assessment.is_draft or assessment.model_version.status == ModelVersion.Status.PUBLISHED:
        return None
    if not hasattr(assessment, "newest_version_id"):
        newest = model_version_latest_published(slug=assessment.model_version.slug)
        assessment.newest_version_id = newest.pk if newest else None
        assessment.newest_version_number = newest.version if newest else None
    newest = assessment.newest_version_id
    if (
        not assessment.is_draft
        or newest is None
        or newest == assessment.version_offer_dismissed_id
        or assessment.newest_version_number <= assessment.model_version.version
    ):
        return None
    return assessment.newest_version_number


def organisation_list_assessments(*, membership: Membership) -> QuerySet[Assessment]:
    """The assessments of the membership's organisation, newest first, with their progress and
    the number of a newer model version a draft is offered (``version_offer``)."""
    return (
        Assessment.objects.filter(organisation_id=membership.organisation_id)
        .select_related("model_version")
        # Progress by the one rule of `assessments.progress` (`listed_progress` reads it).
        .annotate(
            **progress_annotations(),
            criteria_total=_criteria_total(),
            newest_version_id=newest_version_subquery("pk"),
            newest_version_number=newest_version_subquery("version"),
            # The stored phase is the first one even when it is not reached: the dashboard
            # then says "no phase reached yet", as the report's headline does.
            phase_reached=F("result__phases__0__reached"),
        )
        .order_by("-created_at")
    )


def _counted(organisation_id: int) -> QuerySet[Assessment]:
    """An organisation's submitted assessments that count: not marked as a test."""
    return Assessment.objects.filter(
        organisation_id=organisation_id, status=Assessment.Status.SUBMITTED, is_test=False
    )


def organisation_submitted_assessments(*, organisation_id: int) -> list[Assessment]:
    """Every submitted assessment of an organisation that counts, oldest first: the history.

    Tests ("niet meetellen") stay readable on their own but are no part of the history, the
    trend or a comparison.
    """
    return list(
        _counted(organisation_id).select_related("model_version").order_by("submitted_at", "pk")
    )


def organisation_latest_submitted(*, organisation_id: int) -> Assessment | None:
    """The organisation's latest submitted assessment that counts: a re-assessment's default."""
    return (
        _counted(organisation_id)
        .select_related("model_version")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def organisation_baselines(*, membership: Membership) -> list[Assessment]:
    """What a re-assessment may start from: the counted submitted assessments, newest first."""
    return list(
        _counted(membership.organisation_id)
        .select_related("model_version")
        .order_by("-submitted_at", "-pk")
    )


def organisation_running_draft(*, membership: Membership, model_slug: str) -> Assessment | None:
    """The organisation's newest draft on a model (any version of its slug), or None."""
    return (
        Assessment.objects.filter(
            organisation_id=membership.organisation_id,
            status=Assessment.Status.DRAFT,
            model_version__slug=model_slug,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def assessment_answer_changes(*, assessment: Assessment) -> QuerySet[AnswerChange]:
    """The audit trail of an assessment's answers, newest first, with who made each change."""
    return AnswerChange.objects.filter(assessment=assessment).select_related("changed_by")


def assessment_events(*, assessment: Assessment) -> list[AssessmentEvent]:
    """Created, submitted, reopened, imported: the recorded turns of an assessment."""
    return list(AssessmentEvent.objects.filter(assessment=assessment).select_related("user"))


def organisation_history_signature(*, organisation_id: int) -> tuple[int, object]:
    """How many submitted assessments of an organisation count, and the latest time its history
    changed: a submission, or an assessment marked as a test or restored.

    Any submit, reopen, marking or restoring changes it (marking and restoring set a new time),
    so it tells whether a cached report's history is current. One query.
    """
    summary = Assessment.objects.filter(
        organisation_id=organisation_id, status=Assessment.Status.SUBMITTED
    ).aggregate(
        count=Count("pk", filter=Q(is_test=False)),
        latest=Max("submitted_at", filter=Q(is_test=False)),
        marked=Max("test_changed_at"),
    )
    moments = [moment for moment in (summary["latest"], summary["marked"]) if moment]
    return summary["count"], max(moments) if moments else None


def assessment_newer_version(*, assessment: Assessment) -> ModelVersion | None:
    """The published version of a draft's model that is newer than its own, or None; one query."""
    if not assessment.is_draft:
        return None
    newest = model_version_latest_published(slug=assessment.model_version.slug)
    if newest is None or newest.version <= assessment.model_version.version:
        return None
    return newest


def assessment_version_offer(*, assessment: Assessment) -> ModelVersion | None:
    """The newer version a draft's team is offered to move to: None when there is none, or when
    they chose to stay with it."""
    newest = assessment_newer_version(assessment=assessment)
    if newest is None or newest.pk == assessment.version_offer_dismissed_id:
        return None
    return newest
