"""The privacy rules as plain functions: k >= 5, the difference attack, no single values."""

import itertools
from collections import Counter

import pytest

from benchmarks.disclosure import (
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
)


def people(count: int, *, kind="gemeente", band="25k-50k", region="Limburg", start=0):
    return [
        Participant(start + i, start + i, kind, band, region, float(i % 5), "ontdekken")
        for i in range(count)
    ]


def test_population_bands_are_the_documented_ones():
    assert [population_band(n) for n in (None, 9_999, 10_000, 24_999, 25_000)] == [
        "",
        "lt-10k",
        "10k-25k",
        "10k-25k",
        "25k-50k",
    ]
    assert [population_band(n) for n in (49_999, 50_000, 99_999, 100_000)] == [
        "25k-50k",
        "50k-100k",
        "50k-100k",
        "gt-100k",
    ]


def test_no_group_below_five():
    assert released_groups(people(4)) == {}
    released = released_groups(people(5))
    assert all(len(members) >= MIN_GROUP for members in released.values())
    assert ("gemeente", "25k-50k", "Limburg") in released


def test_a_narrower_group_differing_by_one_to_four_is_refused():
    """The difference attack: 7 in Limburg, 3 in Antwerpen → Limburg (7) beside the band (10)
    would reveal the 3; Limburg is refused, the band is shown."""
    for extra in range(1, MIN_GROUP):
        released = released_groups(people(7) + people(extra, region="Antwerpen", start=100))
        assert ("gemeente", "25k-50k") in released
        assert ("gemeente", "25k-50k", "Limburg") not in released
        assert ("gemeente", "25k-50k", "Antwerpen") not in released


def test_differences_of_zero_or_five_and_more_are_shown():
    released = released_groups(people(7))
    assert ("gemeente", "25k-50k", "Limburg") in released  # the same set as its parent
    released = released_groups(people(7) + people(5, region="Antwerpen", start=100))
    assert ("gemeente", "25k-50k", "Limburg") in released
    assert ("gemeente", "25k-50k", "Antwerpen") in released


def test_unknown_size_or_region_is_never_a_group_but_counts_as_hidden():
    released = released_groups(people(8) + people(2, region="", start=100))
    assert ("gemeente", "25k-50k", "") not in released
    assert ("gemeente", "25k-50k", "Limburg") not in released  # 10 - 8 = 2: refused


def test_every_two_nested_shown_groups_differ_by_zero_or_at_least_five():
    """Exhaustively over small sectors: the rule holds for any pair of nested shown groups."""
    regions = ("A", "B", "C")
    for sizes in itertools.product((0, 1, 3, 5, 6), repeat=3):
        sector = []
        for region, size in zip(regions, sizes, strict=True):
            sector += people(size, region=region, start=1000 * len(sector) + ord(region))
        sector += people(5, kind="ocmw", band="lt-10k", start=9000)
        released = released_groups(sector)
        for wide, narrow in itertools.permutations(released, 2):
            if narrow[: len(wide)] == wide:
                difference = len(released[wide]) - len(released[narrow])
                assert difference == 0 or difference >= MIN_GROUP, (sizes, wide, narrow)
        # Hidden siblings never add up to 1-4 under a shown parent (secondary suppression).
        for parent, members in released.items():
            children = [p for p in released if len(p) == len(parent) + 1 and p[:-1] == parent]
            hidden = len(members) - sum(len(released[c]) for c in children)
            assert len(parent) == 3 or hidden == 0 or hidden >= MIN_GROUP, (sizes, parent)


def test_quartiles_only_never_minimum_maximum():
    spread = distribution([0.5, 1.0, 2.0, 3.0, 3.9])
    # The inclusive quartiles would be members 2, 3 and 4: each moved off to the next tenth.
    assert spread.quartiles == [0.9, 1.9, 2.9]
    assert 0.5 not in spread.quartiles and 3.9 not in spread.quartiles
    assert [position(v, spread) for v in (0.8, 1.5, 2.0, 3.5)] == [
        "below_q1",
        "q1_median",
        "median_q3",
        "above_q3",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "at_q1"),
        (1.04, "at_q1"),  # shown as 1,0: at the first quartile, as the reader sees it
        (2.0, "at_median"),
        (2.7, "at_q3"),
        (2.79, "at_q3"),  # 2,7 against a third quartile of 2,7
        (2.8, "above_q3"),
        (2.69, "median_q3"),
    ],
)
def test_position_at_a_quartile_is_a_tie_as_shown(value, expected):
    # Published quartiles as a release stores them (distribution() keeps them off members).
    spread = Distribution(n=5, q1=1.0, median=2.0, q3=2.7)

    assert position(value, spread) == expected


def test_position_of_equal_quartiles_names_the_lower_one():
    spread = distribution([2.0, 2.0, 2.0, 2.0, 2.0])

    assert [position(v, spread) for v in (1.9, 2.0, 2.1)] == ["below_q1", "at_q1", "above_q3"]


def test_a_distribution_of_fewer_than_five_values_is_refused_with_its_reason():
    with pytest.raises(ValueError, match=r"^A distribution needs at least MIN_GROUP values\.$"):
        distribution([1.0, 2.0, 3.0, 4.0])


def test_phase_counts_count_the_participants_per_phase():
    other = Participant(50, 50, "gemeente", "25k-50k", "Limburg", 2.0, "experimenteren")
    group = [*people(3), other]
    assert phase_counts(group) == Counter({"ontdekken": 3, "experimenteren": 1})


@pytest.mark.parametrize(
    ("band", "region", "level", "expected"),
    [
        ("25k-50k", "Limburg", "region", ("gemeente", "25k-50k", "Limburg")),
        ("25k-50k", "", "size", ("gemeente", "25k-50k")),
        ("25k-50k", "", "region", None),
        ("", "Limburg", "size", None),
        ("", "", "kind", ("gemeente",)),
    ],
)
def test_a_comparison_path_needs_the_data_of_its_level(band, region, level, expected):
    assert comparison_path(kind="gemeente", band=band, region=region, level=level) == expected


def test_a_comparison_without_the_profile_data_says_unknown():
    everyone = people(8)
    others, reason = group_others(
        participants=everyone, released=released_groups(everyone), path=None, own_id=0
    )
    assert (others, reason) == ([], "unknown")


def test_quartiles_are_rounded_to_one_decimal_and_never_a_members_value():
    # 1.123 → 1.1 and 3.456 → 3.5; the median 2.0 is a member's exact index, so it moves to the
    # nearest tenth no member has (docs/benchmark.md, F2).
    assert distribution([1.0, 1.123, 2.0, 3.456, 3.9]).quartiles == [1.1, 1.9, 3.5]
    assert distribution([1.0, 1.5, 2.3456, 3.0, 3.5]).median == 2.3


def test_a_negative_population_has_no_band():
    assert population_band(-1) == ""


def test_secondary_suppression_hides_the_smallest_shown_sibling_not_the_first_by_name():
    """A 8, B 5, C 2: C alone would be revealed, so the smallest shown (B) is hidden too."""
    sector = [
        *people(8, region="A"),
        *people(5, region="B", start=100),
        *people(2, region="C", start=200),
    ]
    released = released_groups(sector)
    assert ("gemeente", "25k-50k", "A") in released
    assert ("gemeente", "25k-50k", "B") not in released
