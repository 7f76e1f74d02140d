"""Properties of maturity/scoring/ that hold for every valid model and set of answers."""

import dataclasses
import json
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from maturity.scoring import (
    DONT_KNOW,
    NOT_APPLICABLE,
    AssessmentResult,
    CriterionSpec,
    DimensionSpec,
    ModelSpec,
    PhaseSpec,
    score,
    spec_problems,
)

PHASE_KEYS = ("ontdekken", "experimenteren", "converseren", "samenwerken")
ANSWER_VALUES = st.one_of(
    st.none(), st.integers(0, 4), st.sampled_from([DONT_KNOW, NOT_APPLICABLE])
)
PROPERTY_SETTINGS = settings(max_examples=500, deadline=None)


@st.composite
def model_specs(draw):
    """A valid spec: 4 phases, 1-5 dimensions, 4-40 criteria covering every phase."""
    phases = tuple(
        PhaseSpec(key, order, Fraction(draw(st.integers(1, 100)), 100))
        for order, key in enumerate(PHASE_KEYS, start=1)
    )
    dimension_count = draw(st.integers(1, 5))
    dimensions = tuple(DimensionSpec(f"dim-{n}", n) for n in range(1, dimension_count + 1))
    criterion_count = draw(st.integers(4, 40))
    # The first four criteria make sure every phase has one.
    phase_of = list(PHASE_KEYS) + draw(
        st.lists(
            st.sampled_from(PHASE_KEYS),
            min_size=criterion_count - 4,
            max_size=criterion_count - 4,
        )
    )
    criteria = tuple(
        CriterionSpec(
            key=f"c-{n}",
            phase=phase_of[n],
            dimension=draw(st.sampled_from(dimensions)).key,
            order=draw(st.integers(1, 5)),  # ties happen; the key breaks them
            weight=Fraction(draw(st.integers(1, 300)), 100),
        )
        for n in range(criterion_count)
    )
    minimum_coverage = Fraction(draw(st.integers(1, 100)), 100)
    return ModelSpec("willekeurig", 1, phases, dimensions, criteria, minimum_coverage)


@st.composite
def specs_with_answers(draw):
    """A valid spec and answers for some or all of its criteria."""
    spec = draw(model_specs())
    answers = {}
    for criterion in spec.criteria:
        if draw(st.booleans()):
            answers[criterion.key] = draw(ANSWER_VALUES)
    return spec, answers


@settings(max_examples=50, deadline=None)
@given(model_specs())
def test_generated_specs_are_valid(spec):
    assert spec_problems(spec) == ()


@PROPERTY_SETTINGS
@given(specs_with_answers(), st.randoms(use_true_random=False))
def test_order_of_criteria_and_answers_does_not_change_the_result(case, random):
    spec, answers = case
    criteria, phases, dimensions = list(spec.criteria), list(spec.phases), list(spec.dimensions)
    items = list(answers.items())
    for sequence in (criteria, phases, dimensions, items):
        random.shuffle(sequence)
    shuffled = dataclasses.replace(
        spec, criteria=tuple(criteria), phases=tuple(phases), dimensions=tuple(dimensions)
    )

    assert score(shuffled, dict(items)) == score(spec, answers)


@PROPERTY_SETTINGS
@given(specs_with_answers(), st.data())
def test_raising_one_answer_never_lowers_the_index_or_the_phase(case, data):
    spec, answers = case
    raisable = [key for key, value in answers.items() if isinstance(value, int) and value < 4]
    if not raisable:
        key = spec.criteria[0].key
        answers = {**answers, key: data.draw(st.integers(0, 3), label="value")}
        raisable = [key]
    key = data.draw(st.sampled_from(raisable), label="key")
    higher = {**answers, key: data.draw(st.integers(answers[key] + 1, 4), label="higher")}

    before, after = score(spec, answers), score(spec, higher)

    assert after.index >= before.index
    assert after.phase.order >= before.phase.order
    assert all(
        new.index >= old.index for old, new in zip(before.dimensions, after.dimensions, strict=True)
    )


@PROPERTY_SETTINGS
@given(specs_with_answers())
def test_index_is_reached_phases_plus_a_fraction_below_one(case):
    result = score(*case)
    fraction = result.index - result.reached_count

    assert 0 <= result.index <= 4
    if result.reached_count == 4:
        assert result.index == 4
    else:
        assert 0 <= fraction < 1
    assert result.phase.order == max(result.reached_count, 1)


@PROPERTY_SETTINGS
@given(specs_with_answers())
def test_to_dict_is_json_and_the_same_every_time(case):
    spec, answers = case
    result = score(spec, answers)
    first = json.dumps(result.to_dict())

    assert json.dumps(result.to_dict()) == first
    assert json.dumps(score(spec, answers).to_dict()) == first


@PROPERTY_SETTINGS
@given(specs_with_answers())
def test_from_dict_reads_back_what_to_dict_wrote(case):
    data = json.loads(json.dumps(score(*case).to_dict()))

    assert AssessmentResult.from_dict(data).to_dict() == data


@PROPERTY_SETTINGS
@given(specs_with_answers())
def test_dimension_indexes_stay_between_zero_and_four(case):
    result = score(*case)

    assert all(0 <= dimension.index <= 4 for dimension in result.dimensions)
    assert all(0 <= dimension.reached_count <= 4 for dimension in result.dimensions)
