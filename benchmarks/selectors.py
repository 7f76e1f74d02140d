"""Reads of the benchmark: an organisation's comparison, from stored results.

Every function reads each opted-in organisation's latest submitted result on one model slug in
one query (`participants`) and aggregates it in Python with the rules of `benchmarks.disclosure`;
nothing is re-scored. Criteria and dimensions are matched by key across model versions. The
sector view is `benchmarks.sector`; `benchmark_signature` keys what both keep in the cache.
"""

from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from assessments.models import Assessment, Membership, Organisation
from benchmarks.disclosure import (
    LEVELS,
    MIN_GROUP,
    Distribution,
    Participant,
    comparison_path,
    distribution,
    group_others,
    phase_counts,
    population_band,
    position,
    released_groups,
    safe_difference,
)
from benchmarks.models import Participation, Revision
from maturity.models import Dimension, Phase
from maturity.selectors import model_version_structure

SUBMITTED = Assessment.Status.SUBMITTED


def participation_get(*, membership: Membership) -> Participation:
    """The benchmark choice of the membership's organisation (not taking part when never set)."""
    found = Participation.objects.filter(organisation_id=membership.organisation_id).first()
    return found or Participation(organisation=membership.organisation, opted_in=False)


def _latest_submitted(model_slug: str):
    """The counted submitted assessments on a model slug that are their organisation's latest.

    A window function ranks each organisation's assessments in one pass over narrow rows; the
    stored results (JSON) are then read for the latest ones only. Still one SQL statement.
    """
    # A test ("niet meetellen") is no result: the organisation's latest counted one stands.
    ranked = Assessment.objects.filter(
        status=SUBMITTED, is_test=False, model_version__slug=model_slug
    ).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("organisation_id")],
            order_by=[F("submitted_at").desc(), F("pk").desc()],
        )
    )
    return Assessment.objects.filter(pk__in=ranked.filter(rank=1).values("pk"))


def participants(*, model_slug: str) -> list[Participant]:
    """Every opted-in organisation's latest submitted result on the model slug, in one query."""
    rows = (
        _latest_submitted(model_slug)
        .filter(organisation__benchmark_participation__opted_in=True)
        .order_by("organisation_id")
        .values_list(
            "organisation_id",
            "pk",
            "organisation__kind",
            "organisation__population",
            "organisation__region",
            "maturity_index",
            "result__phase__key",
            "result__dimensions",
        )
    )
    return [
        Participant(
            organisation_id=organisation_id,
            assessment_id=pk,
            kind=kind,
            band=population_band(population),
            region=region.strip(),
            index=float(index),
            phase_key=phase_key,
            dimensions={d["key"]: float(d["index"]) for d in dimensions or ()},
        )
        for organisation_id, pk, kind, population, region, index, phase_key, dimensions in rows
    ]


def benchmark_signature() -> str:
    """Which state of the benchmark inputs the database holds now, in one single-row read.

    The revision row (`benchmarks.models.Revision`) is bumped by database triggers on every
    opt-in, opt-out, submit, reopen, deleted submitted assessment, submitted assessment marked
    as a test or restored, and changed kind, population or region, however it is written.
    Caches of benchmark figures are keyed on this answer (see `maturity.caching`): an opt-out
    leaves every cached group at once. Stored results never change while submitted, and the
    answers of a submitted assessment are read-only.
    """
    row = Revision.objects.filter(pk=1).values_list("epoch", "counter").first()
    # No row: nothing has been written since the table was emptied (a flush), so no group can
    # hold anyone yet; the first write creates the row with a fresh epoch.
    return f"{row[0]}:{row[1]}" if row else "empty"


@dataclass(frozen=True)
class Group:
    """Which organisations a comparison is with: a kind, a population band, a region."""

    level: str
    kind: str
    population_band: str | None
    region: str | None

    def for_export(self) -> dict:
        return {"kind": self.kind, "population_band": self.population_band, "region": self.region}


@dataclass(frozen=True)
class DimensionComparison:
    dimension: Dimension
    own: float
    distribution: Distribution | None  # None: not comparable
    position: str


@dataclass(frozen=True)
class PhaseShare:
    phase: Phase | None  # None: phases of other model versions
    percent: int
    is_own: bool


@dataclass(frozen=True)
class Comparison:
    """Where an assessment stands among similar organisations, or why that cannot be shown."""

    levels: dict[str, str]  # level -> "" when it may be shown, else the reason why not
    requested: str | None
    group: Group | None = None
    index: Distribution | None = None
    own_index: float = 0.0
    position: str = ""
    dimensions: tuple[DimensionComparison, ...] = ()
    not_comparable: tuple[Dimension, ...] = ()
    phases: tuple[PhaseShare, ...] = ()
    takes_part: bool = False

    @property
    def refused(self) -> dict[str, str]:
        """The narrower levels than the one shown (or all), with why each is not shown."""
        shown = LEVELS.index(self.group.level) if self.group else len(LEVELS)
        return {lvl: why for lvl, why in self.levels.items() if why and LEVELS.index(lvl) < shown}

    @property
    def offers(self) -> list[str]:
        return [level for level, why in self.levels.items() if not why]


def _dimension_rows(result: dict, structure, others: list[Participant]) -> list:
    """Each dimension of the assessment against the others that have its key."""
    rows = []
    for item in result["dimensions"]:
        values = [p.dimensions[item["key"]] for p in others if item["key"] in p.dimensions]
        missing = len(others) - len(values)
        # The same difference rule as for groups: those without the key are 0 or MIN_GROUP+.
        comparable = len(values) >= MIN_GROUP and safe_difference(missing)
        spread = distribution(values) if comparable else None
        own = float(item["index"])
        rows.append(
            DimensionComparison(
                dimension=structure.dimensions_by_key[item["key"]],
                own=round(own, 2),
                distribution=spread,
                position=position(own, spread) if spread else "",
            )
        )
    return rows


def _phase_shares(own_key: str, structure, others: list[Participant]) -> list[PhaseShare]:
    counts = phase_counts(others)
    shares = [
        PhaseShare(phase, round(100 * counts.pop(phase.key, 0) / len(others)), phase.key == own_key)
        for phase in structure.phases
    ]
    if counts:
        shares.append(PhaseShare(None, round(100 * sum(counts.values()) / len(others)), False))
    return shares


def _levels(organisation: Organisation, everyone: list[Participant], released: dict) -> dict:
    band, region = population_band(organisation.population), organisation.region.strip()
    found = {}
    for level in LEVELS:
        path = comparison_path(kind=organisation.kind, band=band, region=region, level=level)
        found[level] = group_others(
            participants=everyone, released=released, path=path, own_id=organisation.pk
        )
    return found


def assessment_comparison(
    *, membership: Membership, assessment: Assessment, level: str | None = None
) -> Comparison | None:
    """How a submitted assessment compares with similar organisations, in one query.

    None when the membership is not of the assessment's organisation or the assessment is a
    draft. `level` is "region", "size" or "kind"; by default the narrowest that may be shown.
    """
    if membership.organisation_id != assessment.organisation_id or assessment.is_draft:
        return None
    organisation = membership.organisation
    structure = model_version_structure(version=assessment.model_version)
    everyone = participants(model_slug=assessment.model_version.slug)
    found = _levels(organisation, everyone, released_groups(everyone))
    levels = {lvl: why for lvl, (_others, why) in found.items()}
    requested = level if level in LEVELS else None
    chosen = requested if requested else next((lvl for lvl in LEVELS if not levels[lvl]), None)
    if chosen is None or levels[chosen]:
        return Comparison(levels=levels, requested=requested)
    others = found[chosen][0]
    own_index = float(assessment.maturity_index)
    spread = distribution([p.index for p in others])
    return Comparison(
        levels=levels,
        requested=requested,
        group=Group(
            level=chosen,
            kind=organisation.kind,
            population_band=population_band(organisation.population) if chosen != "kind" else None,
            region=organisation.region.strip() if chosen == "region" else None,
        ),
        index=spread,
        own_index=round(own_index, 2),
        position=position(own_index, spread),
        dimensions=tuple(_dimension_rows(assessment.result, structure, others)),
        phases=tuple(_phase_shares(assessment.result["phase"]["key"], structure, others)),
        takes_part=any(p.organisation_id == organisation.pk for p in everyone),
    )


UNAVAILABLE_REASONS = {
    "too_small": f"fewer than {MIN_GROUP} other organisations of this kind take part",
    "protected": f"the group could reveal fewer than {MIN_GROUP} organisations beside another",
}


def assessment_benchmark_export(*, membership: Membership, assessment: Assessment) -> dict:
    """The `benchmark` part of result.json: the default comparison, or null and the reason."""
    return benchmark_export(assessment_comparison(membership=membership, assessment=assessment))


def benchmark_export(comparison: Comparison | None) -> dict:
    """The `benchmark` part of result.json from a comparison (no query)."""
    if comparison is None or comparison.group is None:
        # The widest level is never "unknown" (every organisation has a kind): its reason is
        # the reason no group can be shown.
        reason = comparison.levels["kind"] if comparison else "too_small"
        return {"benchmark": None, "benchmark_unavailable": UNAVAILABLE_REASONS[reason]}
    return {
        "benchmark": {
            "group": comparison.group.for_export(),
            "n": comparison.index.n,
            "index_quartiles": comparison.index.quartiles,
            "position": comparison.position,
        }
    }
