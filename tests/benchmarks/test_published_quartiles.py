"""Issue 31, F2: no published quartile is a single organisation's exact index.

A group of 13 showed three organisations' indices: with n - 1 divisible by 4 the inclusive
quartiles are member values. Published numbers are interpolated, rounded to one decimal and
moved off any member's value; a group without spread shows only its median.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from benchmarks.disclosure import MIN_GROUP, distribution

# Indices as stored (4 decimals, 0–4), and indices on the published grid, which collide most.
stored_index = st.decimals(min_value=0, max_value=4, places=4).map(float)
grid_index = st.integers(min_value=0, max_value=40).map(lambda tenths: tenths / 10)
groups = st.one_of(
    st.lists(stored_index, min_size=MIN_GROUP, max_size=40),
    st.lists(grid_index, min_size=MIN_GROUP, max_size=40),
    st.lists(st.sampled_from([1.0, 1.1, 1.2, 1.3]), min_size=MIN_GROUP, max_size=40),
)


@hypothesis_settings(max_examples=2000, deadline=None)
@given(values=groups)
def test_no_published_number_is_a_members_exact_index(values):
    published = distribution(values)

    shown = [number for number in published.quartiles if number is not None]
    if len(set(values)) == 1:
        # Everyone the same: the median alone, which is no one's in particular.
        assert published.median_only and shown == [round(values[0], 1)]
        return
    assert not set(shown) & set(values), (shown, sorted(values))
    assert published.q1 <= published.median <= published.q3
    assert all(number == round(number, 1) for number in shown)


def test_a_group_of_thirteen_no_longer_shows_three_members():
    values = [0.5, 0.8, 1.0, 1.2, 1.4, 1.6, 1.7, 1.9, 2.1, 2.4, 2.8, 3.0, 3.6]

    published = distribution(values)

    # The inclusive quartiles are exactly members 4, 7 and 10 (1.2, 1.7, 2.4).
    assert published.quartiles == [1.1, 1.8, 2.3]


def test_a_group_whose_members_are_all_identical_shows_only_the_median():
    published = distribution([2.25] * 6)

    assert published.median_only
    assert published.quartiles == [None, 2.2, None]


@pytest.mark.parametrize("stored", [Decimal("1.3000"), Decimal("1.2999")])
def test_stored_decimals_are_compared_exactly(stored):
    values = [float(stored), 0.4, 0.9, 2.2, 3.1]

    assert float(stored) not in distribution(values).quartiles
