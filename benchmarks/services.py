"""Writes of the benchmark: an organisation admin opts in or out; releases of the figures."""

from collections import Counter

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from assessments.models import ADMIN_ROLES, Membership, Organisation
from assessments.services import NotAllowedError
from benchmarks.disclosure import (
    MIN_GROUP,
    Participant,
    Path,
    distribution,
    phase_counts,
    released_groups,
    safe_difference,
)
from benchmarks.models import Participation, Release
from benchmarks.sector import sector_gaps, sector_phases_per_year
from benchmarks.selectors import participants
from maturity.models import ModelVersion

SECTOR_ANALYSTS_GROUP = "Sector analysts"


@transaction.atomic
def participation_set(*, user, organisation: Organisation, opted_in: bool) -> Participation:
    """Let the organisation's submitted results take part in benchmarks, or stop (admins only).

    Opting out takes effect at once: the row's change bumps the benchmark revision (a database
    trigger), which every cached benchmark figure is keyed on.
    """
    if not Membership.objects.filter(
        organisation=organisation, user_id=user.pk, role__in=ADMIN_ROLES
    ).exists():
        raise NotAllowedError
    participation, _created = Participation.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    participation.opted_in = opted_in
    participation.changed_at = timezone.now()
    participation.changed_by = user
    participation.save()
    return participation


def sector_analysts_group() -> Group:
    """The group staff add an umbrella body's account to: it may open the sector view."""
    group, _created = Group.objects.get_or_create(name=SECTOR_ANALYSTS_GROUP)
    group.permissions.add(Permission.objects.get(codename="view_sector"))
    return group


# --- releases (issue 31, F1; docs/benchmark.md) -----------------------------------------------


def _path_key(path: Path) -> str:
    return "|".join(path)


def _distribution_data(values: list[float]) -> list:
    spread = distribution(values)
    return [spread.q1, spread.median, spread.q3, spread.median_only]


def _group_figures(members: list[Participant], computed_at: str) -> dict:
    """What a release stores of one group: figures to show, and what they were computed from."""
    keys = sorted({key for member in members for key in member.dimensions})
    dimensions = {}
    for key in keys:
        values = [m.dimensions[key] for m in members if key in m.dimensions]
        comparable = len(values) >= MIN_GROUP and safe_difference(len(members) - len(values))
        dimensions[key] = _distribution_data(values) if comparable else None
    return {
        "n": len(members),
        "index": _distribution_data([m.index for m in members]),
        "dimensions": dimensions,
        "phases": dict(phase_counts(members)),
        "computed_at": computed_at,
        # Never shown: which result of which organisation counted, to count changes next time.
        "members": {str(m.organisation_id): f"{m.assessment_id}:{m.index}" for m in members},
    }


def _changes(previous: dict, members: list[Participant]) -> int:
    """How many organisations joined, left or changed their counted result since `previous`."""
    now = {str(m.organisation_id): f"{m.assessment_id}:{m.index}" for m in members}
    before = previous["members"]
    return len(now.keys() ^ before.keys()) + sum(
        1 for org in now.keys() & before.keys() if now[org] != before[org]
    )


def release_decisions(
    *, released: dict[Path, list[Participant]], previous: dict[str, dict], min_changes: int
) -> dict[Path, str]:
    """Per releasable group: "new", "recompute" or "keep" (the previous figures), or "drop".

    A group keeps its previous figures while fewer than `min_changes` of its organisations
    changed, joined or left. A group is only computed anew when none of its shown children keeps
    figures that are out of date (kept with 1 to min_changes - 1 changes): the new parent minus
    the old child would single out the child's few changes. Such a parent keeps its own
    previous figures too (or, had it none, is not shown).
    """
    changes = {
        path: _changes(previous[_path_key(path)], members)
        for path, members in released.items()
        if _path_key(path) in previous
    }
    decisions = {path: "new" for path in released if path not in changes}
    decisions.update(
        {path: "recompute" if n >= min_changes else "keep" for path, n in changes.items()}
    )
    stale = {path for path, decision in decisions.items() if decision == "keep" and changes[path]}
    # Deepest first, so a parent held back holds back its own parent in the same pass.
    for path in sorted(released, key=len, reverse=True):
        if decisions[path] not in ("new", "recompute"):
            continue
        children = [c for c in released if len(c) == len(path) + 1 and c[:-1] == path]
        if not any(child in stale for child in children):
            continue
        if path in changes:
            decisions[path] = "keep"
            if changes[path]:
                stale.add(path)
        else:
            decisions[path] = "drop"
    return decisions


def _sector_figures(model_slug: str, everyone: list[Participant], released: dict) -> dict:
    """The sector view's other figures: phases per year, most frequent gaps, hidden counts."""
    possible = {p.path[:depth] for p in everyone for depth in range(4)}
    years: list = []
    hidden_years = 0
    if released:
        per_year = sector_phases_per_year(model_slug=model_slug, everyone=everyone)
        for year, phases in sorted(per_year.items()):
            if len(phases) >= MIN_GROUP and safe_difference(len(everyone) - len(phases)):
                years.append([year, dict(Counter(phases))])
            else:
                hidden_years += 1
    return {
        "hidden_groups": len(possible - set(released)),
        "years": years,
        "hidden_years": hidden_years,
        "gaps": sector_gaps(everyone) if released else [],
    }


@transaction.atomic
def benchmark_release_create(*, model_slug: str, user=None) -> Release:
    """Compute and store a release of the benchmark of a model slug; the pages then show it.

    A plain function so a periodic task, the management command `release_benchmarks` and the
    staff's admin button all call the same thing. `user` is the staff member who asked, or None.
    """
    previous_release = (
        Release.objects.select_for_update()
        .filter(model_slug=model_slug)
        .order_by(*Release._meta.ordering)
        .first()
    )
    previous = previous_release.groups if previous_release else {}
    everyone = participants(model_slug=model_slug)
    released = released_groups(everyone)
    now = timezone.now()
    decisions = release_decisions(
        released=released, previous=previous, min_changes=settings.BENCHMARK_MIN_CHANGES
    )
    groups = {}
    for path, decision in decisions.items():
        key = _path_key(path)
        if decision == "keep":
            groups[key] = previous[key]
        elif decision in ("new", "recompute"):
            groups[key] = {"path": list(path), **_group_figures(released[path], now.isoformat())}
    # The sector's years and gaps follow the group of all participants.
    if previous_release and decisions.get(()) == "keep":
        sector = previous_release.sector
    else:
        sector = _sector_figures(model_slug, everyone, released)
    counts = Counter(p.path[:depth] for p in everyone for depth in range(4))
    refused = {
        _path_key(path): "protected"
        for path, count in counts.items()
        if count >= MIN_GROUP and _path_key(path) not in groups and "" not in path
    }
    release = Release(
        model_slug=model_slug,
        released_at=now,
        released_by=user,
        groups=groups,
        sector=sector,
        refused=refused,
    )
    release.full_clean()
    release.save()
    return release


def benchmark_release_all(*, user=None) -> list[Release]:
    """A release of every published model slug: what the nightly task and the command run."""
    slugs = sorted(set(ModelVersion.objects.published().values_list("slug", flat=True)))
    return [benchmark_release_create(model_slug=slug, user=user) for slug in slugs]
