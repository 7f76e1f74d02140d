"""`benchmarks.sector.sector_view`: the sector view shows a release exactly as it was stored.

The release is written by hand here, so each figure the view shows can be traced to one stored
value: the groups in path order with their quartiles, each group's and year's phases as whole
percentages of the newest version's phases then "other", the hidden counts, the werkpunten of
criteria the newest version has. (The rules that decide what a release stores are tested in
test_rules.py, test_releases.py and test_views.py.)
"""

import random
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import timezone

from assessments.models import Assessment, ConsensusAnswer
from bench.data import bench_assessment
from benchmarks.disclosure import Distribution
from benchmarks.models import Release
from benchmarks.sector import (
    PhaseSpread,
    SectorGroup,
    SectorYear,
    sector_gaps,
    sector_phases_per_year,
    sector_view,
)
from benchmarks.selectors import participants
from maturity.selectors import model_version_structure
from tests.factories import PHASE_KEYS, UserFactory, build_model_version

pytestmark = pytest.mark.django_db

FIRST, SECOND, THIRD, FOURTH = PHASE_KEYS


@pytest.fixture(autouse=True)
def empty_cache():
    """The aggregates are cached by version and release: start without another test's."""
    cache.clear()


@pytest.fixture
def analyst(db):
    user = UserFactory(username="koepel")
    user.user_permissions.add(Permission.objects.get(codename="view_sector"))
    return user


@pytest.fixture
def version(db):
    return build_model_version(criteria_count=12, slug="benchmodel")


def stored_release(version, **sector) -> Release:
    """A release of two groups, listed neither in path order nor with keys in path order."""
    return Release.objects.create(
        model_slug=version.slug,
        groups={
            "a-kind": {
                "path": ["gemeente"],
                "n": 10,
                "index": [2.5, 2.5, 2.5, True],
                # 6 of 10 in a phase the newest version no longer has: "other".
                "phases": {FIRST: 4, "gone-phase": 6},
            },
            "z-all": {
                "path": [],
                "n": 10,
                "index": [1.2, 2.0, 2.9, False],
                "phases": {FIRST: 1, SECOND: 6, "gone-phase": 3},
            },
        },
        sector=sector,
    )


def test_the_groups_are_shown_in_path_order_with_their_stored_quartiles_and_phases(
    analyst, version
):
    release = stored_release(version)

    view = sector_view(user=analyst, model_slug="benchmodel")

    assert view.groups == [
        SectorGroup(
            (), Distribution(10, 1.2, 2.0, 2.9, False), PhaseSpread(10, (10, 60, 0, 0, 30))
        ),
        SectorGroup(
            ("gemeente",), Distribution(10, 2.5, 2.5, 2.5, True), PhaseSpread(10, (40, 0, 0, 0, 60))
        ),
    ]
    assert view.signature == f"release-{release.pk}"
    assert view.released_at == release.released_at


def test_years_hidden_counts_and_werkpunten_are_shown_as_stored(analyst, version):
    stored_release(
        version,
        hidden_groups=3,
        years=[[2025, {FIRST: 5, SECOND: 5}], [2026, {THIRD: 2, FOURTH: 6, "gone-phase": 2}]],
        hidden_years=2,
        gaps=[["crit-002", 25], ["crit-gone", 30], ["crit-007", 50]],
    )

    view = sector_view(user=analyst, model_slug="benchmodel")

    assert view.years == [
        SectorYear(2025, PhaseSpread(10, (50, 50, 0, 0, 0))),
        SectorYear(2026, PhaseSpread(10, (0, 0, 20, 60, 20))),
    ]
    assert (view.hidden_groups, view.hidden_years) == (3, 2)
    # A criterion only older versions have is left out; the others keep their stored order.
    assert [(gap.key, gap.criterion.key, gap.percent) for gap in view.gaps] == [
        ("crit-002", "crit-002", 25),
        ("crit-007", "crit-007", 50),
    ]


def test_a_release_without_sector_figures_shows_none(analyst, version):
    stored_release(version)

    view = sector_view(user=analyst, model_slug="benchmodel")

    assert (view.years, view.hidden_years, view.hidden_groups, view.gaps) == ([], 0, 0, [])


def test_before_the_first_release_the_view_shows_nothing_yet(analyst, version):
    view = sector_view(user=analyst, model_slug="benchmodel")

    assert (view.groups, view.years, view.gaps) == ([], [], [])
    assert (view.hidden_groups, view.hidden_years) == (0, 0)
    assert (view.signature, view.released_at) == ("no-release", None)


def test_the_latest_release_is_shown(analyst, version):
    older = stored_release(version, hidden_groups=1)
    Release.objects.filter(pk=older.pk).update(released_at=timezone.now() - timedelta(days=1))
    newer = stored_release(version, hidden_groups=4)

    view = sector_view(user=analyst, model_slug="benchmodel")

    assert (view.signature, view.hidden_groups) == (f"release-{newer.pk}", 4)


def test_without_a_model_the_newest_published_version_of_any_model_is_shown(analyst, version):
    newer = build_model_version(criteria_count=4, slug="ander-model")
    stored_release(newer, hidden_groups=5)

    view = sector_view(user=analyst)

    assert (view.model_slug, view.model_slugs) == ("ander-model", ["ander-model", "benchmodel"])
    assert view.hidden_groups == 5
    assert sector_view(user=analyst, model_slug="benchmodel").model_slug == "benchmodel"


def test_each_model_shows_its_own_release(analyst, version):
    other = build_model_version(criteria_count=4, slug="ander-model")
    stored_release(version, hidden_groups=1)
    stored_release(other, hidden_groups=2)

    shown = [
        sector_view(user=analyst, model_slug=slug).hidden_groups
        for slug in ("benchmodel", "ander-model")
    ]

    assert shown == [1, 2]


@pytest.mark.parametrize("slug", ["onbekend", ""])
def test_an_unknown_model_is_none_and_an_empty_one_the_newest(analyst, version, slug):
    view = sector_view(user=analyst, model_slug=slug)

    assert (view.model_slug if view else None) == (None if slug else "benchmodel")


def test_a_draft_version_is_never_shown(analyst, version):
    build_model_version(criteria_count=4, slug="concept", publish=False)

    assert sector_view(user=analyst, model_slug="concept") is None


def test_anyone_without_the_permission_gets_none(version):
    stored_release(version)

    assert sector_view(user=UserFactory(), model_slug="benchmodel") is None


# --- what a release stores: the phases per year, the werkpunten' order ----------------------


def with_phase(assessment, key: str):
    """The stored result's phase set to `key` (what the phases per year read)."""
    assessment.result = {**assessment.result, "phase": {**assessment.result["phase"], "key": key}}
    assessment.save(update_fields=["result"])
    return assessment


def phases_per_year(sector) -> dict[int, list[str]]:
    everyone = participants(model_slug=sector.version.slug)
    return sector_phases_per_year(model_slug=sector.version.slug, everyone=everyone)


def this_year(days_ago: int) -> int:
    return (timezone.now() - timedelta(days=days_ago)).year


def test_the_years_latest_submission_counts_not_the_latest_made(sector):
    organisation = sector.organisation(days_ago=3)
    with_phase(organisation.assessments.get(), "nieuwste")
    # Made after it, submitted before it (the same year): not the year's latest.
    with_phase(sector.assessment(organisation, days_ago=4), "ouder")

    assert phases_per_year(sector) == {this_year(3): ["nieuwste"]}


def test_a_draft_a_test_and_another_models_assessment_never_count(sector):
    organisation = sector.organisation(days_ago=5)
    with_phase(organisation.assessments.get(), "geteld")
    marked = with_phase(sector.assessment(organisation, days_ago=2), "test")
    Assessment.objects.filter(pk=marked.pk).update(is_test=True)
    other = model_version_structure(version=build_model_version(criteria_count=4, slug="ander"))
    for structure, submitted in (
        (other, True),
        (model_version_structure(version=sector.version), False),
    ):
        bench_assessment(
            organisation=organisation,
            structure=structure,
            level=4,
            title="Ander model" if submitted else "Concept",
            moment=timezone.now() - timedelta(days=1),
            submitted=submitted,
            respondent=None,
            rng=random.Random(1),
        )

    assert phases_per_year(sector) == {this_year(5): ["geteld"]}


def test_an_organisation_that_left_is_not_counted(sector):
    stays, leaves = sector.organisation(days_ago=5), sector.organisation(days_ago=5)
    with_phase(stays.assessments.get(), "blijft")
    everyone = [p for p in participants(model_slug="benchmodel") if p.organisation_id == stays.pk]

    per_year = sector_phases_per_year(model_slug="benchmodel", everyone=everyone)

    assert leaves.pk not in {p.organisation_id for p in everyone}
    assert per_year == {this_year(5): ["blijft"]}


def settle_in_reverse(organisations, values: dict[str, str]) -> None:
    """Each organisation's consensus as on submit, stored last criterion first."""
    for organisation in organisations:
        assessment = organisation.assessments.get()
        criteria = sorted(assessment.model_version.criteria.all(), key=lambda c: c.key)
        ConsensusAnswer.objects.bulk_create(
            ConsensusAnswer(assessment=assessment, criterion=c, value=values.get(c.key, "4"))
            for c in reversed(criteria)
        )


def test_werkpunten_lowest_first_and_equal_medians_by_key(sector):
    organisations = [sector.organisation(level=0) for _ in range(5)]
    settle_in_reverse(organisations, {"crit-001": "2", "crit-002": "1", "crit-003": "1"})

    gaps = sector_gaps(participants(model_slug="benchmodel"))

    assert gaps == [("crit-002", 25), ("crit-003", 25), ("crit-001", 50)]
