"""Reads of answer sets: one perspective's answers, the consensus, and the comparison of both."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.urls import reverse

from assessments.consensus import consensus_proposal
from assessments.models import Answer, Assessment, ConsensusAnswer, Membership, Perspective
from assessments.progress import Progress, assessment_progress
from assessments.selectors import (
    membership_list,
    newest_version_subquery,
    version_offer,
    visible_assessments,
)
from maturity.models import Criterion
from maturity.prepared import PreparedRead


class AnswerState(NamedTuple):
    """What the questionnaire needs of a stored answer."""

    value: str
    comment: str
    revision: int
    # Carried over from the previous assessment and not confirmed yet.
    to_confirm: bool = False
    confidence: str = ""
    validation_state: str = ""


# The columns of an AnswerState, after the criterion id: read with the answers, so the step and
# review pages show confidence and validation without a query per question.
_STATE_COLUMNS = (
    "criterion_id",
    "value",
    "comment",
    "revision",
    "to_confirm",
    "confidence",
    "validation_state",
)


@dataclass(frozen=True)
class AnswerSet:
    """The answers a questionnaire page shows and saves: one perspective of an assessment."""

    assessment: Assessment
    perspective_id: int
    perspective_name: str

    @property
    def version_offer(self) -> int | None:
        """The number of the newer model version the draft's team is offered, or None."""
        return version_offer(self.assessment)

    @property
    def is_only(self) -> bool:
        """The assessment's one perspective: its pages keep the assessment's own addresses."""
        return self.assessment.perspective_total == 1

    def url(self, name: str, *args) -> str:
        """The address of one of the questionnaire's pages (``step``, ``import``, …) for it."""
        if self.is_only:
            return reverse(f"assessments:{name}", args=[self.assessment.pk, *args])
        return reverse(
            f"assessments:perspective_{name}",
            args=[self.assessment.pk, self.perspective_id, *args],
        )

    def review_url(self) -> str:
        """Where a finished questionnaire leads: the review, or the perspectives' overview."""
        name = "assessments:review" if self.is_only else "assessments:perspectives"
        return reverse(name, args=[self.assessment.pk])


def answer_set_get(
    *,
    user,
    pk: int,
    perspective_pk: int | None = None,
    memberships: Sequence[Membership] | None = None,
) -> tuple[AnswerSet, Membership] | None:
    """A perspective the user may see, with its assessment and the user's membership; one query.

    Without ``perspective_pk``: the assessment's first perspective (a contributor's: the first
    they answer in). None when there is no such perspective for this user (another organisation's,
    another assessment's, or one a contributor is not assigned to).
    """
    if memberships is None:
        memberships = membership_list(user=user)
    if not 0 < pk < 2**63 or (perspective_pk is not None and not 0 < perspective_pk < 2**63):
        return None
    if any(m.is_contributor for m in memberships):
        found = _contributor_answer_set(
            pk=pk, perspective_pk=perspective_pk, memberships=memberships
        )
    else:
        found = _member_answer_set(pk=pk, perspective_pk=perspective_pk, memberships=memberships)
    if found is None:
        return None
    assessment, perspective_id, perspective_name = found
    membership = next(m for m in memberships if m.organisation_id == assessment.organisation_id)
    assessment.organisation = membership.organisation
    return AnswerSet(assessment, perspective_id, perspective_name), membership


_MEMBER_PERSPECTIVES = PreparedRead(
    lambda assessment_id, organisation_ids: (
        Perspective.objects.filter(
            assessment_id=assessment_id, assessment__organisation_id__in=organisation_ids
        )
        .select_related(
            "assessment__model_version",
            "assessment__started_from__model_version",
            "assessment__moved_from",
        )
        # Sorted in Python, where a few rows cost less than an ORDER BY.
        .order_by()
    )
)


def _member_answer_set(
    *, pk: int, perspective_pk: int | None, memberships: Sequence[Membership]
) -> tuple[Assessment, int, str] | None:
    """Every perspective of an assessment of the members' organisations, with the assessment.

    The questionnaire's pages run this on every request: the (few) perspective rows with their
    assessment, in a read compiled once (maturity.prepared), rather than one assessment row with
    three subqueries (count, first id, first name) (docs/performance.md).
    """
    perspectives = sorted(
        _MEMBER_PERSPECTIVES(
            assessment_id=pk, organisation_ids=[m.organisation_id for m in memberships]
        ),
        key=attrgetter("pk"),
    )
    if not perspectives:
        return None
    chosen = next(
        (p for p in perspectives if perspective_pk in (None, p.pk)),
        None,
    )
    if chosen is None:
        return None
    assessment = chosen.assessment
    assessment.perspective_total = len(perspectives)
    return assessment, chosen.pk, chosen.name


def _contributor_answer_set(
    *, pk: int, perspective_pk: int | None, memberships: Sequence[Membership]
) -> tuple[Assessment, int, str] | None:
    """The same for a user who contributes somewhere: only their perspectives there."""
    chosen = Perspective.objects.filter(assessment=OuterRef("pk")).order_by("pk")
    if perspective_pk is not None:
        chosen = chosen.filter(pk=perspective_pk)
    contributing = [m.pk for m in memberships if m.is_contributor]
    whole = [m.organisation_id for m in memberships if not m.is_contributor]
    chosen = chosen.filter(
        Q(assessment__organisation_id__in=whole) | Q(members__in=contributing)
    ).distinct()
    assessment = (
        visible_assessments(memberships)
        .select_related("model_version", "started_from__model_version", "moved_from")
        .annotate(
            chosen_perspective_id=Subquery(chosen.values("pk")[:1]),
            chosen_perspective_name=Subquery(chosen.values("name")[:1]),
            # The model's current version, read in the same query for the step page's banner.
            newest_version_id=newest_version_subquery("pk"),
            newest_version_number=newest_version_subquery("version"),
        )
        .filter(pk=pk)
        .first()
    )
    if assessment is None or assessment.chosen_perspective_id is None:
        return None
    return assessment, assessment.chosen_perspective_id, assessment.chosen_perspective_name


def perspective_answers(*, perspective_id: int) -> dict[int, Answer]:
    """One perspective's answers by criterion id, in one query."""
    return {a.criterion_id: a for a in Answer.objects.filter(perspective_id=perspective_id)}


_PERSPECTIVE_ANSWER_STATES = PreparedRead(
    lambda perspective_id: Answer.objects.filter(perspective_id=perspective_id).values_list(
        *_STATE_COLUMNS
    )
)


def perspective_answer_states(*, perspective_id: int) -> dict[int, AnswerState]:
    """Value, comment and revision of one perspective's answers by criterion id, as tuples.

    The questionnaire shows one step but counts progress over all answers; plain tuples from
    one query keep that cheap at 160 criteria.
    """
    return {
        criterion_id: AnswerState(*state)
        for criterion_id, *state in _PERSPECTIVE_ANSWER_STATES(perspective_id=perspective_id)
    }


def assessment_answer_states(*, assessment: Assessment) -> dict[int, AnswerState]:
    """The answers that are scored, by criterion id: the consensus (docs/scoring.md).

    With one perspective they are its answers (one query); with several, the team's settled
    answers (note as comment) and, where none was settled, the rule's proposal (two queries).
    """
    total = getattr(assessment, "perspective_total", None)
    if total is None:
        total = Perspective.objects.filter(assessment=assessment).count()
    if total == 1:
        return perspective_answer_states_of_assessment(assessment)
    proposals = {
        criterion_id: consensus_proposal(values)
        for criterion_id, values in _values_by_criterion(assessment).items()
    }
    states = {pk: AnswerState(value, "", 0) for pk, value in proposals.items() if value}
    for criterion_id, value, note, revision in ConsensusAnswer.objects.filter(
        assessment=assessment
    ).values_list("criterion_id", "value", "note", "revision"):
        states[criterion_id] = AnswerState(value, note, revision)
    return states


def perspective_unconfirmed_count(
    *, assessment: Assessment, perspective_id: int, criterion_ids: Sequence[int]
) -> int:
    """How many of these criteria still hold a carried-over answer to confirm in a perspective.

    No query for an assessment that did not start from another one.
    """
    if assessment.started_from_id is None:
        return 0
    return Answer.objects.filter(
        perspective_id=perspective_id, to_confirm=True, criterion_id__in=list(criterion_ids)
    ).count()


def perspective_answer_states_of_assessment(assessment: Assessment) -> dict[int, AnswerState]:
    """The answers of an assessment that has one perspective (all its answers are that one's)."""
    return {
        criterion_id: AnswerState(*state)
        for criterion_id, *state in Answer.objects.filter(assessment=assessment).values_list(
            *_STATE_COLUMNS
        )
    }


def _values_by_criterion(assessment: Assessment) -> dict[int, list[str]]:
    values: dict[int, list[str]] = defaultdict(list)
    for criterion_id, value in Answer.objects.filter(assessment=assessment).values_list(
        "criterion_id", "value"
    ):
        values[criterion_id].append(value)
    return values


def assessment_perspectives(*, assessment: Assessment) -> list[Perspective]:
    """The perspectives of an assessment with their members (accounts included), in two queries."""
    return list(Perspective.objects.filter(assessment=assessment).prefetch_related("members__user"))


def submitted_scored_values(
    *, assessment_ids: Sequence[int], criterion_keys: Sequence[str] | None = None
) -> dict[tuple[int, str], str]:
    """The scored answer values of submitted assessments by (assessment id, criterion key).

    A submitted assessment with several perspectives has its consensus stored in full (the
    submit writes it); one with a single perspective is scored on that perspective's answers.
    One query, however many assessments.
    """
    settled = ConsensusAnswer.objects.filter(assessment_id__in=assessment_ids)
    single = Answer.objects.filter(assessment_id__in=assessment_ids).exclude(
        Exists(ConsensusAnswer.objects.filter(assessment_id=OuterRef("assessment_id")))
    )
    if criterion_keys is not None:
        settled = settled.filter(criterion__key__in=sorted(criterion_keys))
        single = single.filter(criterion__key__in=sorted(criterion_keys))
    columns = ("assessment_id", "criterion__key", "value")
    rows = single.values_list(*columns).union(settled.values_list(*columns), all=True)
    return {(assessment_id, key): value for assessment_id, key, value in rows}


@dataclass(frozen=True)
class PerspectiveProgress:
    """A perspective with its members and how many of the questions it answered."""

    perspective: Perspective
    progress: Progress

    @property
    def answered(self) -> int:
        return self.progress.answered

    @property
    def to_confirm(self) -> int:
        return self.progress.to_confirm

    @property
    def total(self) -> int:
        return self.progress.total

    @property
    def percent(self) -> int:
        return self.progress.percent


def perspective_progress_list(
    *, assessment: Assessment, membership: Membership, criteria_total: int
) -> list[PerspectiveProgress]:
    """The perspectives this member sees (a contributor: their own), with progress; 3 queries."""
    perspectives = Perspective.objects.filter(assessment=assessment).prefetch_related(
        "members__user"
    )
    if membership.is_contributor:
        perspectives = perspectives.filter(members=membership)
    progress = assessment_progress(assessment=assessment, total=criteria_total)
    return [PerspectiveProgress(p, progress.of(p.pk)) for p in perspectives]


def perspective_get(*, assessment: Assessment, pk: int) -> Perspective | None:
    """One perspective of the assessment with its members, or None (another assessment's too)."""
    if not 0 < pk < 2**63:
        return None
    return Perspective.objects.filter(assessment=assessment, pk=pk).first()


def perspective_member_choices(*, assessment: Assessment):
    """The organisation's members who can answer in a perspective, by name."""
    return (
        Membership.objects.filter(organisation_id=assessment.organisation_id)
        .exclude(role=Membership.Role.VIEWER)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def contributor_perspectives(*, membership: Membership) -> list[Perspective]:
    """The perspectives of drafts a contributor answers in, with their assessments and progress
    (``answered`` of ``criteria_total``); one query."""
    criteria_total = Subquery(
        Criterion.objects.filter(version=OuterRef("assessment__model_version"))
        .order_by()
        .values("version")
        .annotate(total=Count("pk"))
        .values("total"),
        output_field=IntegerField(),
    )
    return list(
        Perspective.objects.filter(members=membership, assessment__status=Assessment.Status.DRAFT)
        .select_related("assessment")
        .annotate(
            # Answered as `assessments.progress` counts it: carried answers once confirmed.
            answered=Count("answers", filter=~Q(answers__value="") & Q(answers__to_confirm=False)),
            criteria_total=criteria_total,
        )
        .order_by("-assessment__created_at", "pk")
    )


class UnconfirmedIn(NamedTuple):
    """A perspective in which a criterion's carried-over answer still waits to be confirmed."""

    perspective_id: int
    name: str


def assessment_unconfirmed(*, assessment: Assessment) -> dict[int, list[UnconfirmedIn]]:
    """Carried-over answers not confirmed yet: criterion id -> the perspectives (id and name).

    No query for an assessment that did not start from another one.
    """
    if assessment.started_from_id is None:
        return {}
    unconfirmed: dict[int, list[UnconfirmedIn]] = defaultdict(list)
    for criterion_id, perspective_id, name in (
        Answer.objects.filter(assessment=assessment, to_confirm=True)
        .order_by("perspective_id")
        .values_list("criterion_id", "perspective_id", "perspective__name")
    ):
        unconfirmed[criterion_id].append(UnconfirmedIn(perspective_id, name))
    return dict(unconfirmed)
