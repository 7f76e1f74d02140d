"""The consensus rule (assessments/consensus.py, docs/scoring.md): examples and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.consensus import DISAGREEMENT_SPREAD, answer_spread, consensus_proposal

SCALE = ("0", "1", "2", "3", "4")
VALUES = (*SCALE, "dk", "na", "")  # "" is a perspective that did not answer

answers = st.lists(st.sampled_from(VALUES), max_size=12)
scale_answers = st.lists(st.sampled_from(SCALE), min_size=1, max_size=12)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # The median of the answers 0–4…
        (["3"], "3"),
        (["1", "3", "4"], "3"),
        (["4", "1", "3"], "3"),
        # …rounded down when it falls between two answers.
        (["1", "4"], "2"),
        (["0", "1"], "0"),
        (["2", "2", "3", "4"], "2"),
        (["0", "1", "3", "4"], "2"),
        # Non-answers do not count towards the median.
        (["0", "dk", "4"], "2"),
        (["3", "na", "na"], "3"),
        (["2", ""], "2"),
        # No perspective on the scale: na when all said not applicable, else don't know.
        (["na", "na"], "na"),
        (["na"], "na"),
        (["dk", "na"], "dk"),
        (["dk"], "dk"),
        (["dk", "", "na"], "dk"),
        (["na", ""], "na"),
        # No perspective answered: no proposal.
        ([], ""),
        (["", ""], ""),
    ],
)
def test_the_rule_proposes_the_documented_answer(values, expected):
    assert consensus_proposal(values) == expected


@pytest.mark.parametrize(
    ("values", "spread", "disagrees"),
    [
        (["1", "3"], 2, True),
        (["0", "4", "2"], 4, True),
        (["2", "3"], 1, False),
        (["3"], 0, False),
        (["0", "dk", "na", ""], 0, False),
        (["4", "na", "2"], 2, True),
    ],
)
def test_the_spread_counts_only_answers_on_the_scale(values, spread, disagrees):
    assert answer_spread(values) == spread
    assert (answer_spread(values) >= DISAGREEMENT_SPREAD) is disagrees


@given(answers, st.randoms())
def test_the_order_of_the_perspectives_does_not_matter(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)
    assert consensus_proposal(shuffled) == consensus_proposal(values)


@given(scale_answers, st.lists(st.sampled_from(("dk", "na", "")), max_size=4))
def test_the_proposal_lies_between_the_lowest_and_highest_answer(values, non_answers):
    proposal = consensus_proposal(values + non_answers)
    assert proposal in SCALE
    assert min(values, key=int) <= proposal <= max(values, key=int)


@given(st.sampled_from(VALUES))
def test_a_single_perspectives_answer_is_the_consensus(value):
    assert consensus_proposal([value]) == value


@given(answers)
def test_adding_the_proposal_as_an_answer_never_changes_it(values):
    proposal = consensus_proposal(values)
    assert consensus_proposal([*values, proposal]) == proposal


@given(answers)
def test_the_rule_proposes_an_answer_exactly_when_someone_answered(values):
    assert (consensus_proposal(values) == "") == (not any(values))
