"""The sector view of a model slug for sector analysts: anonymised aggregates of stored results.

The aggregates (released groups, phases per year, the criteria with the lowest median
fulfilment) are computed from every opted-in organisation's stored results, never by
re-scoring, and kept in the cache under the slug's benchmark signature
(`benchmarks.caching.sector_aggregates`): any opt-out, submit, reopen or profile change gives a
new key, so the view never shows a group as it was.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median

from django.db.models import Exists, OuterRef

from assessments.models import Answer, Assessment, ConsensusAnswer
from benchmarks import caching
from benchmarks.disclosure import (
    MIN_GROUP,
    Distribution,
    Participant,
    distribution,
    released_groups,
    safe_difference,
)
from benchmarks.selectors import SUBMITTED, benchmark_signature, participants
from maturity.models import AnswerValue, Criterion, ModelVersion
from maturity.selectors import (
    ModelStructure,
    model_version_latest_published,
    model_version_structure,
)

# The answers on the scale: 0..4 are quarters of fulfilment ("dk" and "na" are not).
SCALE_VALUES = (
    AnswerValue.NONE,
    AnswerValue.LIMITED,
    AnswerValue.PARTLY,
    AnswerValue.LARGELY,
    AnswerValue.FULLY,
)
GAP_COUNT = 10


@dataclass(frozen=True)
class PhaseSpread:
    """The share (%) of a group in each phase of the newest model version, then "other"."""

    n: int
    percents: tuple[int, ...]


@dataclass(frozen=True)
class SectorGroup:
    path: tuple[str, ...]
    index: Distribution
    phases: PhaseSpread


@dataclass(frozen=True)
class SectorYear:
    year: int
    phases: PhaseSpread


@dataclass(frozen=True)
class SectorGap:
    """A "werkpunt": a criterion of the newest version and its median fulfilment (%)."""

    key: str
    criterion: Criterion
    percent: int


@dataclass(frozen=True)
class SectorAggregates:
    """What the sector view computes, as plain values (what the cache keeps)."""

    groups: tuple[SectorGroup, ...]
    hidden_groups: int
    years: tuple[SectorYear, ...]
    hidden_years: int
    gaps: tuple[tuple[str, int], ...]  # criterion key, median fulfilment (%), lowest first


@dataclass(frozen=True)
class SectorView:
    """The anonymised sector: released groups, phases per year, the lowest-fulfilled criteria."""

    model_slug: str
    model_slugs: list[str]
    structure: ModelStructure
    groups: list[SectorGroup]
    hidden_groups: int
    years: list[SectorYear]
    hidden_years: int
    gaps: list[SectorGap]
    signature: str  # the benchmark signature the aggregates were read under


def _phase_spread(phase_keys: list[str], structure: ModelStructure) -> PhaseSpread:
    counts, n = Counter(phase_keys), len(phase_keys)
    percents = [round(100 * counts.pop(phase.key, 0) / n) for phase in structure.phases]
    return PhaseSpread(n, (*percents, round(100 * sum(counts.values()) / n)))


def _years(model_slug: str, everyone: list[Participant], structure) -> tuple[list, int]:
    """Per year the phase of each participant's latest assessment that year (rule: k and
    the year's set differs from all participants by 0 or MIN_GROUP+)."""
    taking_part = {p.organisation_id for p in everyone}
    rows = (
        Assessment.objects.filter(
            status=SUBMITTED,
            model_version__slug=model_slug,
            organisation__benchmark_participation__opted_in=True,
        )
        .order_by("submitted_at", "pk")
        .values_list("organisation_id", "submitted_at", "result__phase__key")
    )
    per_year: dict[int, dict[int, str]] = defaultdict(dict)
    for organisation_id, submitted_at, phase_key in rows:
        if organisation_id in taking_part:  # later ones overwrite: the year's latest stays
            per_year[submitted_at.year][organisation_id] = phase_key
    shown = [
        SectorYear(year, _phase_spread(list(phases.values()), structure))
        for year, phases in sorted(per_year.items())
        if len(phases) >= MIN_GROUP and safe_difference(len(everyone) - len(phases))
    ]
    return shown, len(per_year) - len(shown)


def _gaps(everyone: list[Participant]) -> list[tuple[str, int]]:
    """The sector's "werkpunten": the criteria with the lowest median fulfilment (%) in the
    participants' latest results, lowest first; those whose median is 100 % are no gap.

    What was scored counts: an assessment with several perspectives stored its consensus on
    submit (``ConsensusAnswer``), one with a single perspective is scored on its answers.
    "Don't know" and "not applicable" carry no fulfilment; a criterion with fewer than
    MIN_GROUP answers on the scale is left out (a median of a few would say little, and of one
    organisation, too much).
    """
    ids = [p.assessment_id for p in everyone]
    settled = ConsensusAnswer.objects.filter(assessment_id__in=ids)
    single = Answer.objects.filter(assessment_id__in=ids).exclude(
        Exists(ConsensusAnswer.objects.filter(assessment_id=OuterRef("assessment_id")))
    )
    fulfilments: dict[str, list[int]] = defaultdict(list)
    for rows in (single, settled):
        for key, value in rows.filter(value__in=SCALE_VALUES).values_list(
            "criterion__key", "value"
        ):
            fulfilments[key].append(25 * int(value))
    medians = [
        (key, round(median(values)))
        for key, values in fulfilments.items()
        if len(values) >= MIN_GROUP
    ]
    ranked = sorted((item for item in medians if item[1] < 100), key=lambda item: item[::-1])
    return ranked[:GAP_COUNT]


def _aggregates(model_slug: str, structure: ModelStructure) -> SectorAggregates:
    """The sector's aggregates from the stored results, in four queries (one with nobody)."""
    everyone = participants(model_slug=model_slug)
    released = released_groups(everyone)
    groups = [
        SectorGroup(
            path,
            distribution([p.index for p in members]),
            _phase_spread([p.phase_key for p in members], structure),
        )
        for path, members in released.items()
    ]
    possible = {p.path[:depth] for p in everyone for depth in range(4)}
    years, hidden_years = _years(model_slug, everyone, structure) if released else ([], 0)
    return SectorAggregates(
        groups=tuple(groups),
        hidden_groups=len(possible - set(released)),
        years=tuple(years),
        hidden_years=hidden_years,
        gaps=tuple(_gaps(everyone)) if released else (),
    )


def sector_view(*, user, model_slug: str | None = None) -> SectorView | None:
    """The sector benchmark of a model slug for a sector analyst, in constant queries.

    None for anyone without the `benchmarks.view_sector` permission and for an unknown slug.
    """
    if not user.has_perm("benchmarks.view_sector"):
        return None
    slugs = sorted(set(ModelVersion.objects.published().values_list("slug", flat=True)))
    # The newest version of all is the newest of its own slug: one query either way.
    version = model_version_latest_published(slug=model_slug) if model_slug else None
    version = version or (None if model_slug else model_version_latest_published())
    if version is None or version.slug not in slugs:
        return None
    structure = model_version_structure(version=version)
    signature = benchmark_signature()
    aggregates = caching.sector_aggregates(
        model_slug=version.slug,
        version_id=version.pk,
        published_at=version.published_at,
        benchmark=signature,
        compute=lambda: _aggregates(version.slug, structure),
    )
    criteria = structure.criteria_by_key
    return SectorView(
        model_slug=version.slug,
        model_slugs=slugs,
        structure=structure,
        groups=list(aggregates.groups),
        hidden_groups=aggregates.hidden_groups,
        years=list(aggregates.years),
        hidden_years=aggregates.hidden_years,
        # Named by the newest version's statements; a key only older versions have is left out.
        gaps=[
            SectorGap(key, criteria[key], percent)
            for key, percent in aggregates.gaps
            if key in criteria
        ],
        signature=signature,
    )
