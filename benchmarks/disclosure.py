"""The privacy rules of every benchmark, as plain functions over plain data (see docs/benchmark.md).

Every group that may ever be shown is a node of ONE fixed hierarchy:

    all participants → kind → kind + population band → kind + population band + region

`released_groups` decides once, top-down, which nodes may be shown:

1. k-anonymity: a node with fewer than MIN_GROUP organisations is never shown, and neither is a
   node for an unknown population or region.
2. A node is only considered when its parent is shown.
3. The difference attack: a shown parent minus its shown children must be 0 or at least
   MIN_GROUP organisations, otherwise subtracting the children's counts from the parent's would
   reveal the hidden few. When the hidden siblings add up to 1–4, the smallest shown sibling is
   hidden too (secondary suppression), until the hidden rest is 0 or at least MIN_GROUP. So two
   nested groups that are both shown always differ by 0 or by at least MIN_GROUP organisations.

An organisation's comparison only uses released nodes on its own path, without itself, and
needs MIN_GROUP OTHER organisations. No function here returns a minimum, a maximum or a value of
one organisation: only group sizes, quartiles and shares.
"""

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from maturity.figures import index_shown

MIN_GROUP = 5

# (key, lowest population included, first population excluded); None: no upper bound.
POPULATION_BANDS = (
    ("lt-10k", 0, 10_000),
    ("10k-25k", 10_000, 25_000),
    ("25k-50k", 25_000, 50_000),
    ("50k-100k", 50_000, 100_000),
    ("gt-100k", 100_000, None),
)
POPULATION_BAND_LABELS = {
    "lt-10k": _("fewer than 10,000 inhabitants"),
    "10k-25k": _("10,000 to 25,000 inhabitants"),
    "25k-50k": _("25,000 to 50,000 inhabitants"),
    "50k-100k": _("50,000 to 100,000 inhabitants"),
    "gt-100k": _("more than 100,000 inhabitants"),
}

# The levels of an organisation's comparison, narrowest first, and how deep each is in the tree.
LEVELS = ("region", "size", "kind")
LEVEL_DEPTH = {"kind": 1, "size": 2, "region": 3}

# Between the quartiles, and exactly at one of them (as shown, to one decimal: a tie is a tie).
POSITIONS = (
    "below_q1",
    "at_q1",
    "q1_median",
    "at_median",
    "median_q3",
    "at_q3",
    "above_q3",
)

Path = tuple[str, ...]


def population_band(population: int | None) -> str:
    """The band key of a population; "" when the population is unknown."""
    if population is None:
        return ""
    for key, low, high in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return key
    return ""


@dataclass(frozen=True)
class Participant:
    """One opted-in organisation's latest submitted result on a model, as stored."""

    organisation_id: int
    assessment_id: int
    kind: str
    band: str
    region: str
    index: float
    phase_key: str
    dimensions: dict[str, float] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return (self.kind, self.band, self.region)


@dataclass(frozen=True)
class Distribution:
    """Quartiles of a group's values (never a minimum, maximum or single value)."""

    n: int
    q1: float
    median: float
    q3: float

    @property
    def quartiles(self) -> list[float]:
        return [self.q1, self.median, self.q3]


def distribution(values: Sequence[float]) -> Distribution:
    """Quartiles (inclusive method) of at least MIN_GROUP values, rounded to 2 decimals."""
    if len(values) < MIN_GROUP:
        raise ValueError("A distribution needs at least MIN_GROUP values.")
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Distribution(len(values), round(q1, 2), round(median, 2), round(q3, 2))


def position(value: float, quartiles: Distribution) -> str:
    """Where a value stands against a group's quartiles: one of POSITIONS.

    Compared as the reader sees them (`maturity.figures.index_shown`): 2.7 against a third
    quartile shown as 2.7 is "at the third quartile", whatever the further decimals. Where two
    quartiles are equal, the lower one names the tie.
    """
    own = index_shown(value)
    q1, median, q3 = (index_shown(q) for q in (quartiles.q1, quartiles.median, quartiles.q3))
    for quartile, at, below in ((q1, "at_q1", "below_q1"), (median, "at_median", "q1_median")):
        if own == quartile:
            return at
        if own < quartile:
            return below
    if own == q3:
        return "at_q3"
    return "median_q3" if own < q3 else "above_q3"


def safe_difference(count: int) -> bool:
    """Whether a wider group may be shown beside a narrower one that has `count` fewer members."""
    return count == 0 or count >= MIN_GROUP


def phase_counts(participants: Iterable[Participant]) -> Counter:
    """How many of the participants are in each phase, by phase key."""
    return Counter(p.phase_key for p in participants)


def _released_children(children: dict[str, list[Participant]]) -> set[str]:
    """The children that may be shown: rule 1 and the secondary suppression of rule 3."""
    counts = {key: len(members) for key, members in children.items()}
    shown = {key for key, n in counts.items() if key and n >= MIN_GROUP}
    while shown:
        hidden = sum(n for key, n in counts.items() if key not in shown)
        if safe_difference(hidden):
            break
        shown.remove(min(shown, key=lambda key: (counts[key], key)))
    return shown


def released_groups(participants: Sequence[Participant]) -> dict[Path, list[Participant]]:
    """Every group of the hierarchy that may be shown, with its members, parents before children."""
    released: dict[Path, list[Participant]] = {}

    def visit(path: Path, members: list[Participant]) -> None:
        released[path] = members
        depth = len(path)
        if depth == 3:
            return
        children: dict[str, list[Participant]] = defaultdict(list)
        for member in members:
            children[member.path[depth]].append(member)
        for key in sorted(_released_children(children)):
            visit((*path, key), children[key])

    if len(participants) >= MIN_GROUP:
        visit((), list(participants))
    return released


def comparison_path(*, kind: str, band: str, region: str, level: str) -> Path | None:
    """The node of an organisation's comparison at a level; None when its data is missing."""
    path = (kind, band, region)[: LEVEL_DEPTH[level]]
    return None if "" in path else path


def group_others(
    *,
    participants: Sequence[Participant],
    released: dict[Path, list[Participant]],
    path: Path | None,
    own_id: int,
) -> tuple[list[Participant], str]:
    """The other organisations of a comparison group and "", or no one and the reason why not.

    The reasons: "unknown" (the organisation's size or region is not known), "too_small"
    (fewer than MIN_GROUP other organisations), "protected" (big enough, but showing it beside a
    wider group could reveal fewer than MIN_GROUP organisations: rule 3).
    """
    if path is None:
        return [], "unknown"
    members = released.get(path)
    if members is None:
        members = [p for p in participants if p.path[: len(path)] == path]
    others = [p for p in members if p.organisation_id != own_id]
    if len(others) < MIN_GROUP:
        return [], "too_small"
    if path not in released:
        return [], "protected"
    return others, ""
