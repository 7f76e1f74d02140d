"""Reads of the benchmark: an organisation's comparison, from the latest stored release.

`participants` reads each opted-in organisation's latest submitted result on one model slug in
one query; a release (`benchmarks.services.benchmark_release_create`) aggregates it with the
rules of `benchmarks.disclosure` and stores the figures. Pages, result.json and the CSV read
only the latest release (`release_latest`), never the live data (issue 31, F1). Criteria and
dimensions are matched by key across model versions. The sector view is `benchmarks.sector`.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.models import Assessment, Membership, Organisation
from benchmarks.disclosure import (
    LEVELS,
    MIN_GROUP,
    Distribution,
    Participant,
    comparison_path,
    population_band,
    position,
)
from benchmarks.models import Participation, Release, Revision
from maturity.models import Dimension, Phase
from maturity.prepared import PreparedRead
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


_REVISION_AND_RELEASE = PreparedRead(
    lambda: (
        Revision.objects.filter(pk=1)
        .annotate(release=Subquery(Release.objects.order_by("-pk").values("pk")[:1]))
        .values_list("epoch", "counter", "release")
        # One row by its key: nothing to sort.
        .order_by()
    )
)


def benchmark_signature() -> str:
    """Which state of the benchmark inputs the database holds now, in one single-row read.

    The revision row (`benchmarks.models.Revision`) is bumped by database triggers on every
    opt-in, opt-out, submit, reopen, deleted submitted assessment, submitted assessment marked
    as a test or restored, and changed kind, population or region, however it is written.
    Caches of benchmark figures are keyed on this answer (see `maturity.caching`): an opt-out
    leaves every cached group at once. Stored results never change while submitted, and the
    answers of a submitted assessment are read-only.
    """
    row = next(iter(_REVISION_AND_RELEASE()), None)
    if row is None:
        # No row: nothing has been written since the table was emptied (a flush); the first
        # write creates the row with a fresh epoch. A release may still exist (a test, a tool).
        return f"empty:{Release.objects.order_by('-pk').values_list('pk', flat=True).first()}"
    # The latest release too: what the pages show changes with it (issue 31, F1).
    return f"{row[0]}:{row[1]}:{row[2]}"


def release_latest(*, model_slug: str) -> Release | None:
    """The latest benchmark release of a model slug (what every page shows), or None."""
    return Release.objects.filter(model_slug=model_slug).order_by(*Release._meta.ordering).first()


def release_latest_stamp(*, model_slug: str) -> tuple[int, datetime] | None:
    """The id and time of the latest release of a model slug, without its figures (one query)."""
    return (
        Release.objects.filter(model_slug=model_slug)
        .order_by(*Release._meta.ordering)
        .values_list("pk", "released_at")
        .first()
    )


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
    takes_part: bool = False  # in the release shown
    released_at: datetime | None = None  # the release's time; None before the first release

    @property
    def refused(self) -> dict[str, str]:
        """The narrower levels than the one shown (or all), with why each is not shown."""
        shown = LEVELS.index(self.group.level) if self.group else len(LEVELS)
        return {lvl: why for lvl, why in self.levels.items() if why and LEVELS.index(lvl) < shown}

    @property
    def offers(self) -> list[str]:
        return [level for level, why in self.levels.items() if not why]


def _stored_distribution(n: int, data: list | None) -> Distribution | None:
    if data is None:
        return None
    q1, median, q3, median_only = data
    return Distribution(n, q1, median, q3, median_only)


def _dimension_rows(result: dict, structure, group: dict) -> list:
    """Each dimension of the assessment against its group's stored figures for that key."""
    rows = []
    for item in result["dimensions"]:
        spread = _stored_distribution(group["n"], group["dimensions"].get(item["key"]))
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


def _phase_shares(own_key: str, structure, counts: dict[str, int]) -> list[PhaseShare]:
    counts, total = dict(counts), sum(counts.values())
    shares = [
        PhaseShare(phase, round(100 * counts.pop(phase.key, 0) / total), phase.key == own_key)
        for phase in structure.phases
    ]
    if counts:
        shares.append(PhaseShare(None, round(100 * sum(counts.values()) / total), False))
    return shares


def _release_levels(organisation: Organisation, release: Release | None) -> dict[str, tuple]:
    """Per level the group of the release and "", or None and why it is not shown.

    The group needs MIN_GROUP organisations besides the reader's own (which may be in it).
    """
    band, region = population_band(organisation.population), organisation.region.strip()
    found = {}
    for level in LEVELS:
        path = comparison_path(kind=organisation.kind, band=band, region=region, level=level)
        key = "|".join(path) if path is not None else None
        group = release.groups.get(key) if release is not None and key is not None else None
        if path is None:
            found[level] = (None, "unknown")
        elif group is None:
            refused = release is not None and release.refused.get(key) == "protected"
            found[level] = (None, "protected" if refused else "too_small")
        elif group["n"] - (str(organisation.pk) in group["members"]) < MIN_GROUP:
            found[level] = (None, "too_small")
        else:
            found[level] = (group, "")
    return found


def assessment_comparison(
    *, membership: Membership, assessment: Assessment, level: str | None = None
) -> Comparison | None:
    """How a submitted assessment compares with similar organisations in the latest release.

    None when the membership is not of the assessment's organisation or the assessment is a
    draft. `level` is "region", "size" or "kind"; by default the narrowest that may be shown.
    The figures are the release's (`released_at`), never live: one query.
    """
    if membership.organisation_id != assessment.organisation_id:
        return None
    return assessment_comparison_for_organisation(
        organisation=membership.organisation, assessment=assessment, level=level
    )


def assessment_comparison_for_organisation(
    *, organisation: Organisation, assessment: Assessment, level: str | None = None
) -> Comparison | None:
    """`assessment_comparison` for a reader without a membership (a shared report).

    The caller decided that the assessment's own organisation may be compared (its
    `share_benchmark` setting); None for a draft or another organisation's assessment.
    """
    if assessment.is_draft or organisation.pk != assessment.organisation_id:
        return None
    structure = model_version_structure(version=assessment.model_version)
    release = release_latest(model_slug=assessment.model_version.slug)
    found = _release_levels(organisation, release)
    levels = {lvl: why for lvl, (_group, why) in found.items()}
    requested = level if level in LEVELS else None
    chosen = requested if requested else next((lvl for lvl in LEVELS if not levels[lvl]), None)
    released_at = release.released_at if release else None
    if chosen is None or levels[chosen]:
        return Comparison(levels=levels, requested=requested, released_at=released_at)
    group = found[chosen][0]
    own_index = float(assessment.maturity_index)
    spread = _stored_distribution(group["n"], group["index"])
    root = release.groups.get("", {"members": {}})
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
        dimensions=tuple(_dimension_rows(assessment.result, structure, group)),
        phases=tuple(_phase_shares(assessment.result["phase"]["key"], structure, group["phases"])),
        takes_part=str(organisation.pk) in root["members"],
        released_at=released_at,
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
        released = comparison.released_at if comparison else None
        return {
            "benchmark": None,
            "benchmark_unavailable": UNAVAILABLE_REASONS[reason],
            "benchmark_released_on": timezone.localdate(released).isoformat() if released else None,
        }
    return {
        "benchmark": {
            "group": comparison.group.for_export(),
            "n": comparison.index.n,
            "index_quartiles": comparison.index.quartiles,
            "position": comparison.position,
            "released_on": timezone.localdate(comparison.released_at).isoformat(),
        }
    }
