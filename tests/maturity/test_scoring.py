"""Worked examples, errors and publish rules of maturity/scoring/ (no database needed).

Every worked example here is written out by hand in docs/scoring.md.
"""

import copy
import dataclasses
import enum
import json
import pickle
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from maturity.scoring import (
    DONT_KNOW,
    NOT_APPLICABLE,
    PHASE_COUNT,
    PHASE_ORDERS,
    AssessmentResult,
    CriterionSpec,
    DimensionSpec,
    InvalidAnswerError,
    InvalidSpecError,
    ModelSpec,
    PhaseSpec,
    ScoringError,
    SpecProblem,
    UnknownCriterionError,
    score,
    spec_problems,
)

DK = DONT_KNOW
NA = NOT_APPLICABLE
SEVENTY = Fraction(7, 10)

PHASES = (
    PhaseSpec("ontdekken", 1, SEVENTY),
    PhaseSpec("experimenteren", 2, SEVENTY),
    PhaseSpec("converseren", 3, SEVENTY),
    PhaseSpec("samenwerken", 4, SEVENTY),
)
DIMENSIONS = (
    DimensionSpec("strategie", 1),
    DimensionSpec("webcare", 2),
    DimensionSpec("tools", 3),
)
# The example model of docs/scoring.md: 11 criteria; "tools" has none in samenwerken.
CRITERIA = (
    CriterionSpec("ont-strategie", "ontdekken", "strategie", 1, Fraction(1)),
    CriterionSpec("ont-webcare", "ontdekken", "webcare", 1, Fraction(1)),
    CriterionSpec("ont-tools", "ontdekken", "tools", 1, Fraction(1)),
    CriterionSpec("exp-strategie", "experimenteren", "strategie", 1, Fraction(3)),
    CriterionSpec("exp-webcare", "experimenteren", "webcare", 1, Fraction(1)),
    CriterionSpec("exp-tools", "experimenteren", "tools", 1, Fraction(1)),
    CriterionSpec("con-strategie", "converseren", "strategie", 1, Fraction("0.3")),
    CriterionSpec("con-webcare", "converseren", "webcare", 1, Fraction("0.6")),
    CriterionSpec("con-tools", "converseren", "tools", 1, Fraction("0.6")),
    CriterionSpec("sam-strategie", "samenwerken", "strategie", 1, Fraction(1)),
    CriterionSpec("sam-webcare", "samenwerken", "webcare", 1, Fraction(1)),
)
SPEC = ModelSpec("voorbeeld", 1, PHASES, DIMENSIONS, CRITERIA)

KEYS_BY_PHASE = {
    phase.key: tuple(c.key for c in CRITERIA if c.phase == phase.key) for phase in PHASES
}
ALL_KEYS = tuple(c.key for c in CRITERIA)


def given(ont=(), exp=(), con=(), sam=()):
    """Answers per phase, in dimension order (strategie, webcare, tools)."""
    answers = {}
    for phase_key, values in zip(KEYS_BY_PHASE, (ont, exp, con, sam), strict=True):
        answers.update(zip(KEYS_BY_PHASE[phase_key], values, strict=False))
    return answers


def summary(result):
    """The headline of a result, for comparison with a worked example."""
    return {
        "phase": result.phase.key,
        "reached_count": result.reached_count,
        "focus_phase": result.focus_phase.key if result.focus_phase else None,
        "index": result.index,
        "reached": tuple(p.key for p in result.phases if p.reached),
        "insufficient_data": tuple(p.key for p in result.phases if p.insufficient_data),
        "advice": tuple(item.criterion_key for item in result.advice),
        "advice_mode": result.advice_mode,
        "inconsistencies": result.inconsistencies,
        "strengths": result.strengths,
        "find_out_first": result.find_out_first,
        "unanswered": result.unanswered,
    }


def reversed_phases(keys):
    """Keys grouped by phase, highest phase first (the order of `strengths`)."""
    return [key for phase in reversed(KEYS_BY_PHASE) for key in KEYS_BY_PHASE[phase] if key in keys]


ALL_FOUR = given(ont=(4, 4, 4), exp=(4, 4, 4), con=(4, 4, 4), sam=(4, 4))

WORKED_EXAMPLES = [
    pytest.param(
        {},
        {
            "phase": "ontdekken",
            "reached_count": 0,
            "focus_phase": "ontdekken",
            "index": Fraction(0),
            "reached": (),
            "insufficient_data": ("ontdekken", "experimenteren", "converseren", "samenwerken"),
            "advice": (),
            "advice_mode": "focus",
            "inconsistencies": (),
            "strengths": (),
            "find_out_first": (),
            "unanswered": ALL_KEYS,
        },
        id="1-nothing-answered",
    ),
    pytest.param(
        ALL_FOUR,
        {
            "phase": "samenwerken",
            "reached_count": 4,
            "focus_phase": None,
            "index": Fraction(4),
            "reached": ("ontdekken", "experimenteren", "converseren", "samenwerken"),
            "insufficient_data": (),
            "advice": (),
            "advice_mode": "sustain",
            "inconsistencies": (),
            "strengths": tuple(reversed_phases(ALL_KEYS)),
            "find_out_first": (),
            "unanswered": (),
        },
        id="2-everything-fully-met",
    ),
    pytest.param(
        given(ont=(4, 4, 4), exp=(4, 4, 4), con=(2, 2, 2)),
        {
            "phase": "experimenteren",
            "reached_count": 2,
            "focus_phase": "converseren",
            "index": 2 + Fraction(1, 2) / SEVENTY,  # 19/7 = 2.714...
            "reached": ("ontdekken", "experimenteren"),
            "insufficient_data": ("samenwerken",),
            "advice": ("con-webcare", "con-tools", "con-strategie"),
            "advice_mode": "focus",
            "inconsistencies": (),
            "strengths": (*KEYS_BY_PHASE["experimenteren"], *KEYS_BY_PHASE["ontdekken"]),
            "find_out_first": (),
            "unanswered": KEYS_BY_PHASE["samenwerken"],
        },
        id="3-two-phases-reached-third-half-way",
    ),
    pytest.param(
        given(ont=(4, 4, 4), exp=(0, 0, 0), con=(4, 4, 4)),
        {
            "phase": "ontdekken",
            "reached_count": 1,
            "focus_phase": "experimenteren",
            "index": Fraction(1),
            "reached": ("ontdekken", "converseren"),
            "insufficient_data": ("samenwerken",),
            "advice": ("exp-strategie", "exp-webcare", "exp-tools"),
            "advice_mode": "focus",
            "inconsistencies": ("converseren",),
            "strengths": (*KEYS_BY_PHASE["converseren"], *KEYS_BY_PHASE["ontdekken"]),
            "find_out_first": (),
            "unanswered": KEYS_BY_PHASE["samenwerken"],
        },
        id="4-third-phase-reached-without-the-second",
    ),
    pytest.param(
        given(ont=(4, DK, DK)),
        {
            "phase": "ontdekken",
            "reached_count": 0,
            "focus_phase": "ontdekken",
            "index": Fraction(99, 100),
            "reached": (),
            "insufficient_data": ("ontdekken", "experimenteren", "converseren", "samenwerken"),
            "advice": (),
            "advice_mode": "focus",
            "inconsistencies": (),
            "strengths": (),
            "find_out_first": ("ont-webcare", "ont-tools"),
            "unanswered": ALL_KEYS[3:],
        },
        id="5-too-many-dont-knows",
    ),
    pytest.param(
        given(ont=(4, 4, 4), exp=(NA, NA, NA)),
        {
            "phase": "ontdekken",
            "reached_count": 1,
            "focus_phase": "experimenteren",
            "index": Fraction(1),
            "reached": ("ontdekken",),
            "insufficient_data": ("experimenteren", "converseren", "samenwerken"),
            "advice": (),
            "advice_mode": "focus",
            "inconsistencies": (),
            "strengths": KEYS_BY_PHASE["ontdekken"],
            "find_out_first": (),
            "unanswered": ALL_KEYS[6:],
        },
        id="6-phase-all-not-applicable",
    ),
    pytest.param(
        given(ont=(4, 3, 4), exp=(3, 4, 4), con=(4, 4, 4), sam=(4, 4)),
        {
            "phase": "samenwerken",
            "reached_count": 4,
            "focus_phase": None,
            "index": Fraction(4),
            "reached": ("ontdekken", "experimenteren", "converseren", "samenwerken"),
            "insufficient_data": (),
            "advice": ("exp-strategie", "ont-webcare"),
            "advice_mode": "sustain",
            "inconsistencies": (),
            "strengths": (
                *KEYS_BY_PHASE["samenwerken"],
                *KEYS_BY_PHASE["converseren"],
                "exp-webcare",
                "exp-tools",
                "ont-strategie",
                "ont-tools",
            ),
            "find_out_first": (),
            "unanswered": (),
        },
        id="7-every-phase-reached-sustain",
    ),
    pytest.param(
        given(ont=(4, 4, 4), exp=(2, 0, 1)),
        {
            "phase": "ontdekken",
            "reached_count": 1,
            "focus_phase": "experimenteren",
            "index": 1 + Fraction(7, 20) / SEVENTY,  # 3/2
            "reached": ("ontdekken",),
            "insufficient_data": ("converseren", "samenwerken"),
            "advice": ("exp-strategie", "exp-webcare", "exp-tools"),
            "advice_mode": "focus",
            "inconsistencies": (),
            "strengths": KEYS_BY_PHASE["ontdekken"],
            "find_out_first": (),
            "unanswered": ALL_KEYS[6:],
        },
        id="8-unequal-weights-decide-the-ranking",
    ),
    pytest.param(
        given(ont=(4, 4, 4), exp=(4, 4, 4), con=(2, 2, 4)),
        {
            "phase": "converseren",
            "reached_count": 3,
            "focus_phase": "samenwerken",
            "index": Fraction(3),
            "reached": ("ontdekken", "experimenteren", "converseren"),
            "insufficient_data": ("samenwerken",),
            "advice": (),
            "advice_mode": "focus",
            "inconsistencies": (),
            "strengths": (
                "con-tools",
                *KEYS_BY_PHASE["experimenteren"],
                *KEYS_BY_PHASE["ontdekken"],
            ),
            "find_out_first": (),
            "unanswered": KEYS_BY_PHASE["samenwerken"],
        },
        id="9-threshold-exactly-met",
    ),
    pytest.param(
        given(ont=(4, DK, NA)),
        {
            "phase": "ontdekken",
            "reached_count": 1,
            "focus_phase": "experimenteren",
            "index": Fraction(1),
            "reached": ("ontdekken",),
            "insufficient_data": ("experimenteren", "converseren", "samenwerken"),
            "advice": (),
            "advice_mode": "focus",
            "inconsistencies": (),
            "strengths": ("ont-strategie",),
            "find_out_first": (),
            "unanswered": ALL_KEYS[3:],
        },
        id="9b-coverage-exactly-at-the-minimum",
    ),
]


@pytest.mark.parametrize(("answers", "expected"), WORKED_EXAMPLES)
def test_worked_example(answers, expected):
    assert summary(score(SPEC, answers)) == expected


def test_fulfilment_and_coverage_are_exact_fractions():
    result = score(SPEC, given(ont=(4, 4, 4), exp=(2, 0, 1), con=(4, DK, NA)))

    assert [(p.fulfilment, p.coverage) for p in result.phases] == [
        (Fraction(1), Fraction(1)),
        (Fraction(7, 20), Fraction(1)),
        (Fraction(1), Fraction(1, 3)),  # 0.3 answered out of 0.3 + 0.6 ("na" does not count)
        (Fraction(0), Fraction(0)),
    ]


def test_threshold_exactly_met_would_be_missed_with_floats():
    weights, values = (0.3, 0.6, 0.6), (2, 2, 4)
    float_fulfilment = sum(w * (v / 4) for w, v in zip(weights, values, strict=True)) / sum(weights)

    result = score(SPEC, given(ont=(4, 4, 4), exp=(4, 4, 4), con=values))

    assert float_fulfilment < 0.7
    assert result.phases[2].fulfilment == SEVENTY
    assert result.phases[2].reached


def test_high_fulfilment_with_low_coverage_is_not_reached():
    phase = score(SPEC, given(ont=(4, DK, DK))).phases[0]

    assert (phase.fulfilment, phase.coverage) == (Fraction(1), Fraction(1, 3))
    assert phase.insufficient_data
    assert not phase.reached


def test_not_applicable_does_not_lower_coverage():
    phase = score(SPEC, given(ont=(4, 4, NA))).phases[0]

    assert phase.coverage == 1
    assert phase.reached


def test_explicit_none_counts_as_unanswered():
    with_none = score(SPEC, {**given(ont=(4, 4, 4)), "exp-tools": None})

    assert with_none == score(SPEC, given(ont=(4, 4, 4)))
    assert "exp-tools" in with_none.unanswered


def test_missing_lists_dont_know_and_unanswered_in_dimension_order():
    result = score(SPEC, given(ont=(DK, 4), exp=(NA, DK, 0)))

    assert [p.missing for p in result.phases] == [
        ("ont-strategie", "ont-tools"),
        ("exp-webcare",),
        KEYS_BY_PHASE["converseren"],
        KEYS_BY_PHASE["samenwerken"],
    ]


def test_unanswered_lists_every_key_without_answer_in_phase_order():
    result = score(SPEC, given(ont=(4, None, DK), sam=(1,)))

    assert result.unanswered == (
        "ont-webcare",
        "exp-strategie",
        "exp-webcare",
        "exp-tools",
        "con-strategie",
        "con-webcare",
        "con-tools",
        "sam-webcare",
    )


def test_find_out_first_lists_dont_knows_of_the_focus_phase():
    result = score(SPEC, given(ont=(4, 4, 4), exp=(DK, 1, DK), con=(DK,)))

    assert result.find_out_first == ("exp-strategie", "exp-tools")


def test_find_out_first_lists_every_dont_know_when_all_phases_are_reached():
    result = score(SPEC, given(ont=(4, 4, DK), exp=(4, DK, 4), con=(4, 4, 4), sam=(4, 4)))

    assert result.reached_count == 4
    assert result.find_out_first == ("ont-tools", "exp-webcare")


def test_dont_know_in_the_focus_phase_is_not_advice():
    result = score(SPEC, given(ont=(4, 4, 4), exp=(DK, 1, 3)))

    assert [item.criterion_key for item in result.advice] == ["exp-webcare", "exp-tools"]


def test_advice_items_carry_value_and_exact_gap():
    result = score(SPEC, given(ont=(4, 4, 4), exp=(2, 0, 1)))

    assert [(i.criterion_key, i.phase, i.dimension, i.value, i.gap) for i in result.advice] == [
        ("exp-strategie", "experimenteren", "strategie", 2, Fraction(3, 2)),
        ("exp-webcare", "experimenteren", "webcare", 0, Fraction(1)),
        ("exp-tools", "experimenteren", "tools", 1, Fraction(3, 4)),
    ]


def test_equal_gaps_are_ranked_by_dimension_order():
    result = score(SPEC, given(ont=(4, 4, 4), exp=(4, 4, 4), con=(2, 2, 2)))

    assert [(item.criterion_key, item.gap) for item in result.advice] == [
        ("con-webcare", Fraction(3, 10)),
        ("con-tools", Fraction(3, 10)),
        ("con-strategie", Fraction(3, 20)),
    ]


def test_strengths_are_fully_met_criteria_of_reached_phases_highest_first():
    result = score(SPEC, given(ont=(4, 3, 4), exp=(4, 4, 3), con=(4, 4, 4), sam=(4, 0)))

    assert result.strengths == (
        "con-strategie",
        "con-webcare",
        "con-tools",
        "exp-strategie",
        "exp-webcare",
        "ont-strategie",
        "ont-tools",
    )


def test_inconsistent_phases_never_raise_the_headline_phase():
    result = score(SPEC, given(exp=(4, 4, 4), con=(4, 4, 4), sam=(4, 4)))

    assert (result.phase.key, result.reached_count) == ("ontdekken", 0)
    assert result.inconsistencies == ("experimenteren", "converseren", "samenwerken")


def test_minimum_coverage_comes_from_the_model():
    strict = dataclasses.replace(SPEC, minimum_coverage=Fraction(1))

    assert score(SPEC, given(ont=(4, 4, DK))).reached_count == 1
    assert score(strict, given(ont=(4, 4, DK))).reached_count == 0


DIMENSION_EXAMPLES = [
    pytest.param(
        given(ont=(4, 4, 4), exp=(4, 4, 4), con=(2, 2, 2)),
        [
            ("strategie", 2, 2, 3, Fraction(19, 7)),
            ("webcare", 2, 2, 3, Fraction(19, 7)),
            ("tools", 2, 2, 3, Fraction(19, 7)),
        ],
        id="half-way-in-converseren",
    ),
    pytest.param(
        ALL_FOUR,
        [
            ("strategie", 4, 4, None, Fraction(4)),
            ("webcare", 4, 4, None, Fraction(4)),
            ("tools", 3, 3, None, Fraction(4)),  # tools has no criterion in samenwerken
        ],
        id="everything-fully-met",
    ),
    pytest.param(
        given(ont=(4, 0, 4), exp=(1, 4, 4), con=(4, 4, 4)),
        [
            ("strategie", 1, 1, 2, 1 + Fraction(1, 4) / SEVENTY),
            ("webcare", 1, 0, 1, Fraction(0)),
            ("tools", 3, 3, None, Fraction(4)),
        ],
        id="uneven-profile",
    ),
]


@pytest.mark.parametrize(("answers", "expected"), DIMENSION_EXAMPLES)
def test_dimension_profile(answers, expected):
    result = score(SPEC, answers)

    assert [
        (d.key, d.phase_order, d.reached_count, d.focus_phase_order, d.index)
        for d in result.dimensions
    ] == expected


@pytest.mark.parametrize(("answers", "expected"), DIMENSION_EXAMPLES)
def test_every_dimension_result_carries_its_dimensions_order(answers, expected):
    # Both ends of the walk: a dimension that misses a phase, and one that reaches them all.
    result = score(SPEC, answers)

    assert [(d.key, d.order) for d in result.dimensions] == [
        (dimension.key, dimension.order) for dimension in SPEC.dimensions
    ]
    assert [d.key for d in result.dimensions] == [key for key, *_rest in expected]


def test_dimension_profile_skips_a_phase_without_criteria_in_that_dimension():
    spec = ModelSpec(
        "gaten",
        1,
        PHASES,
        (DimensionSpec("tools", 1), DimensionSpec("webcare", 2)),
        (
            CriterionSpec("tools-1", "ontdekken", "tools", 1, Fraction(1)),
            CriterionSpec("webcare-2", "experimenteren", "webcare", 1, Fraction(1)),
            CriterionSpec("tools-3", "converseren", "tools", 1, Fraction(1)),
            CriterionSpec("tools-4", "samenwerken", "tools", 1, Fraction(1)),
        ),
    )

    tools = score(spec, {"tools-1": 4, "tools-3": 4, "tools-4": 2}).dimensions[0]

    assert (tools.phase_order, tools.reached_count, tools.focus_phase_order) == (3, 3, 4)
    assert tools.index == 3 + Fraction(1, 2) / SEVENTY


def test_a_dimension_only_in_phase_one_that_reaches_it_stays_in_phase_one():
    # Nothing is left on its own path (index 4), but its phase is the one it has: phase 1.
    spec = ModelSpec(
        "vroeg",
        1,
        PHASES,
        (DimensionSpec("tools", 1), DimensionSpec("webcare", 2)),
        (
            CriterionSpec("tools-1", "ontdekken", "tools", 1, Fraction(1)),
            CriterionSpec("webcare-1", "ontdekken", "webcare", 1, Fraction(1)),
            CriterionSpec("webcare-2", "experimenteren", "webcare", 1, Fraction(1)),
            CriterionSpec("webcare-3", "converseren", "webcare", 1, Fraction(1)),
            CriterionSpec("webcare-4", "samenwerken", "webcare", 1, Fraction(1)),
        ),
    )

    tools = score(spec, {"tools-1": 4}).dimensions[0]

    assert (tools.phase_order, tools.reached_count, tools.focus_phase_order) == (1, 1, None)
    assert tools.index == 4


def test_dimension_without_criteria_in_phase_one_starts_at_its_first_phase():
    spec = ModelSpec(
        "laat",
        1,
        PHASES,
        (DimensionSpec("strategie", 1), DimensionSpec("participatie", 2)),
        (
            CriterionSpec("strategie-1", "ontdekken", "strategie", 1, Fraction(1)),
            CriterionSpec("participatie-2", "experimenteren", "participatie", 1, Fraction(1)),
            CriterionSpec("participatie-3", "converseren", "participatie", 1, Fraction(1)),
            CriterionSpec("participatie-4", "samenwerken", "participatie", 1, Fraction(1)),
        ),
    )

    participatie = score(spec, {"participatie-2": 2}).dimensions[1]

    assert (participatie.phase_order, participatie.reached_count) == (1, 0)
    assert participatie.focus_phase_order == 2
    assert participatie.index == 1 + Fraction(1, 2) / SEVENTY


def test_to_dict_has_the_documented_shape():
    data = score(SPEC, given(ont=(4, 4, 4), exp=(4, 4, 4), con=(2, 2, DK))).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert list(data) == [
        "phase",
        "focus_phase",
        "index",
        "reached_count",
        "phases",
        "dimensions",
        "advice",
        "advice_mode",
        "find_out_first",
        "unanswered",
        "inconsistencies",
        "strengths",
        "model",
    ]
    assert data["phase"] == {"key": "experimenteren", "order": 2}
    assert data["focus_phase"] == {"key": "converseren", "order": 3}
    assert data["index"] == 2.7143
    assert data["phases"][2] == {
        "key": "converseren",
        "order": 3,
        "threshold": 0.7,
        "fulfilment": 0.5,
        "coverage": 0.6,
        "reached": False,
        "insufficient_data": False,
        "missing": ["con-tools"],
    }
    assert data["dimensions"][2] == {
        "key": "tools",
        "phase": 2,
        "reached_count": 2,
        "focus_phase": 3,
        "index": 2.0,
    }
    assert data["advice"] == [
        {
            "criterion_key": "con-webcare",
            "phase": "converseren",
            "dimension": "webcare",
            "value": 2,
            "gap": 0.3,
        },
        {
            "criterion_key": "con-strategie",
            "phase": "converseren",
            "dimension": "strategie",
            "value": 2,
            "gap": 0.15,
        },
    ]
    assert data["find_out_first"] == ["con-tools"]
    assert data["model"] == {"slug": "voorbeeld", "version": 1}


def test_to_dict_focus_phase_is_none_when_every_phase_is_reached():
    data = score(SPEC, ALL_FOUR).to_dict()

    assert data["focus_phase"] is None
    assert data["index"] == 4.0


@pytest.mark.parametrize(("answers", "expected"), WORKED_EXAMPLES)
def test_from_dict_reads_back_what_to_dict_wrote(answers, expected):
    data = score(SPEC, answers).to_dict()

    assert AssessmentResult.from_dict(json.loads(json.dumps(data))).to_dict() == data


def test_from_dict_gives_the_stored_numbers_as_the_decimals_they_show():
    result = score(SPEC, given(ont=(4, 4, 4), exp=(4, 4, 4), con=(2, 2, DK)))

    stored = AssessmentResult.from_dict(result.to_dict())

    assert result.index == Fraction(19, 7)
    assert stored.index == Fraction("2.7143")
    assert stored.phase == result.phase == PhaseSpec("experimenteren", 2, SEVENTY)
    assert stored.focus_phase == result.focus_phase
    assert stored.phases[2].threshold == SEVENTY
    assert stored.advice[1].gap == Fraction(3, 20)
    assert [d.order for d in stored.dimensions] == [1, 2, 3]
    assert (stored.phases, stored.advice) == (result.phases, result.advice)
    assert stored.strengths == result.strengths
    assert (stored.model_slug, stored.model_version) == ("voorbeeld", 1)


def test_scoring_imports_nothing_from_django():
    program = "import sys, maturity.scoring; print(sorted(m for m in sys.modules if 'django' in m))"

    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=root
    )

    assert run.stdout.strip() == "[]"


def test_the_phase_count_rule_is_four_phases_numbered_one_to_four():
    assert (PHASE_COUNT, PHASE_ORDERS) == (4, (1, 2, 3, 4))


def test_a_spec_is_indexed_once_when_it_is_made():
    assert SPEC.layout is not None
    assert SPEC.layout.keys[:3] == ("ont-strategie", "ont-webcare", "ont-tools")
    assert dataclasses.replace(SPEC, criteria=CRITERIA[:-2]).layout is None


def test_a_spec_survives_pickle_and_copy():
    pickled = pickle.loads(pickle.dumps(SPEC))  # noqa: S301  (our own bytes, just made)
    for copied in (pickled, copy.deepcopy(SPEC), copy.copy(SPEC)):
        assert copied == SPEC
        assert copied.layout == SPEC.layout
        assert score(copied, ALL_FOUR) == score(SPEC, ALL_FOUR)


def test_score_refuses_a_spec_with_problems_on_every_call():
    spec = dataclasses.replace(SPEC, criteria=CRITERIA[:-2])

    for _ in range(2):
        with pytest.raises(InvalidSpecError, match="samenwerken"):
            score(spec, {})


def test_spec_accepts_decimal_and_string_numbers_as_exact_fractions():
    phase = PhaseSpec("ontdekken", 1, Decimal("0.70"))
    criterion = CriterionSpec("c", "ontdekken", "tools", 1, "0.1")

    assert phase.threshold == SEVENTY
    assert criterion.weight == Fraction(1, 10)


@pytest.mark.parametrize("weight", [0.1, True, "tien"], ids=["float", "bool", "text"])
def test_spec_refuses_numbers_that_are_not_exact(weight):
    with pytest.raises(TypeError, match="'c'"):
        CriterionSpec("c", "ontdekken", "tools", 1, weight)


# --- Errors ----------------------------------------------------------------------------------


def test_unknown_criterion_key_is_refused():
    with pytest.raises(UnknownCriterionError, match="'bestaat-niet'") as error:
        score(SPEC, {"ont-tools": 4, "bestaat-niet": 2})

    assert error.value.criterion_key == "bestaat-niet"


@pytest.mark.parametrize(
    "value",
    # 4.0 and Fraction(4) equal FULLY_MET itself: the check of real integers includes it.
    [5, -1, "x", True, False, 2.5, 1.0, Fraction(2), 4.0, Fraction(4), [4], "4"],
    ids=[
        "5",
        "-1",
        "x",
        "True",
        "False",
        "2.5",
        "1.0",
        "Fraction",
        "4.0",
        "Fraction-4",
        "list",
        "text-4",
    ],
)
def test_invalid_answer_value_is_refused(value):
    with pytest.raises(InvalidAnswerError, match="'exp-webcare'") as error:
        score(SPEC, {"ont-tools": 4, "exp-webcare": value})

    assert error.value.criterion_key == "exp-webcare"
    assert error.value.value is value
    assert repr(value) in str(error.value)


class Level(enum.IntEnum):
    PARTLY = 2
    FULLY = 4


def test_an_int_subclass_such_as_an_int_enum_counts_as_its_integer():
    plain = score(SPEC, {"ont-tools": 4, "exp-webcare": 2})

    assert score(SPEC, {"ont-tools": Level.FULLY, "exp-webcare": Level.PARTLY}) == plain


@pytest.mark.parametrize(
    "error_class", [UnknownCriterionError, InvalidAnswerError, InvalidSpecError]
)
def test_scoring_errors_are_value_errors(error_class):
    assert issubclass(error_class, ScoringError)
    assert issubclass(error_class, ValueError)


def test_score_refuses_a_spec_with_problems():
    spec = dataclasses.replace(SPEC, criteria=CRITERIA[:-2])

    with pytest.raises(InvalidSpecError, match="samenwerken") as error:
        score(spec, {})

    assert error.value.problems == (SpecProblem("phase_without_criteria", "samenwerken"),)


# --- Publish rules -----------------------------------------------------------------------------


def with_phase(index, **changes):
    phases = list(PHASES)
    phases[index] = dataclasses.replace(phases[index], **changes)
    return dataclasses.replace(SPEC, phases=tuple(phases))


def with_criterion(index, **changes):
    criteria = list(CRITERIA)
    criteria[index] = dataclasses.replace(criteria[index], **changes)
    return dataclasses.replace(SPEC, criteria=tuple(criteria))


SPEC_PROBLEM_CASES = [
    pytest.param(
        dataclasses.replace(SPEC, phases=PHASES[:3], criteria=CRITERIA[:9]),
        SpecProblem("phase_count", "3"),
        id="phase_count",
    ),
    pytest.param(with_phase(3, order=5), SpecProblem("phase_order", ""), id="phase_order"),
    pytest.param(with_phase(2, order=2), SpecProblem("phase_order", ""), id="phase_order-dup"),
    pytest.param(
        dataclasses.replace(SPEC, criteria=CRITERIA[:-2]),
        SpecProblem("phase_without_criteria", "samenwerken"),
        id="phase_without_criteria",
    ),
    pytest.param(
        with_criterion(4, weight=Fraction(0)),
        SpecProblem("weight_not_positive", "exp-webcare"),
        id="weight_not_positive-zero",
    ),
    pytest.param(
        with_criterion(4, weight=Fraction(-1)),
        SpecProblem("weight_not_positive", "exp-webcare"),
        id="weight_not_positive-negative",
    ),
    pytest.param(
        with_phase(1, threshold=Fraction(0)),
        SpecProblem("threshold_out_of_range", "experimenteren"),
        id="threshold_out_of_range-zero",
    ),
    pytest.param(
        with_phase(1, threshold=Fraction(11, 10)),
        SpecProblem("threshold_out_of_range", "experimenteren"),
        id="threshold_out_of_range-above-one",
    ),
    pytest.param(
        dataclasses.replace(SPEC, minimum_coverage=Fraction(0)),
        SpecProblem("minimum_coverage_out_of_range", ""),
        id="minimum_coverage_out_of_range-zero",
    ),
    pytest.param(
        dataclasses.replace(SPEC, minimum_coverage=Fraction(3, 2)),
        SpecProblem("minimum_coverage_out_of_range", ""),
        id="minimum_coverage_out_of_range-above-one",
    ),
    pytest.param(
        with_phase(3, key="converseren"),
        SpecProblem("duplicate_phase_key", "converseren"),
        id="duplicate_phase_key",
    ),
    pytest.param(
        dataclasses.replace(SPEC, dimensions=(*DIMENSIONS, DimensionSpec("tools", 4))),
        SpecProblem("duplicate_dimension_key", "tools"),
        id="duplicate_dimension_key",
    ),
    pytest.param(
        with_criterion(5, key="exp-webcare"),
        SpecProblem("duplicate_criterion_key", "exp-webcare"),
        id="duplicate_criterion_key",
    ),
    pytest.param(
        with_criterion(0, phase="groeien"),
        SpecProblem("unknown_phase", "ont-strategie"),
        id="unknown_phase",
    ),
    pytest.param(
        with_criterion(0, dimension="budget"),
        SpecProblem("unknown_dimension", "ont-strategie"),
        id="unknown_dimension",
    ),
]


@pytest.mark.parametrize(("spec", "problem"), SPEC_PROBLEM_CASES)
def test_spec_problem_is_reported(spec, problem):
    assert problem in spec_problems(spec)


def test_sound_spec_has_no_problems():
    assert spec_problems(SPEC) == ()


def test_spec_problems_come_in_a_fixed_order():
    spec = dataclasses.replace(
        SPEC,
        phases=(*PHASES[:3], dataclasses.replace(PHASES[3], threshold=Fraction(0))),
        criteria=(
            dataclasses.replace(CRITERIA[0], weight=Fraction(0), dimension="budget"),
            *CRITERIA[1:9],
            dataclasses.replace(CRITERIA[9], key="ont-webcare"),
            dataclasses.replace(CRITERIA[10], phase="groeien"),
        ),
        minimum_coverage=Fraction(2),
    )

    assert spec_problems(spec) == (
        SpecProblem("minimum_coverage_out_of_range", ""),
        SpecProblem("threshold_out_of_range", "samenwerken"),
        SpecProblem("duplicate_criterion_key", "ont-webcare"),
        SpecProblem("unknown_phase", "sam-webcare"),
        SpecProblem("unknown_dimension", "ont-strategie"),
        SpecProblem("weight_not_positive", "ont-strategie"),
    )


# --- Boundaries that mutation testing found unguarded (docs/testing.md) ---------------------------


def test_coverage_adds_up_every_criterion_of_a_cell():
    # ont-webcare moved into the cell ontdekken × strategie beside ont-strategie: 4, dk, and
    # ont-tools unanswered → 1 of 3 applicable weights answered.
    spec = with_criterion(1, dimension="strategie")

    assert score(spec, given(ont=(4, DK))).phases[0].coverage == Fraction(1, 3)
    # Both answered in the one cell, and ont-tools: F = (4 + 2 + 4) / 12.
    phase = score(spec, given(ont=(4, 2, 4))).phases[0]
    assert (phase.fulfilment, phase.coverage) == (Fraction(5, 6), Fraction(1))


def test_a_minimum_coverage_of_two_thirds_is_compared_exactly():
    two_thirds = dataclasses.replace(SPEC, minimum_coverage=Fraction(2, 3))

    assert score(two_thirds, given(ont=(4, 4, DK))).reached_count == 1  # exactly 2/3
    assert score(two_thirds, given(ont=(4, DK, DK))).reached_count == 0  # 1/3


@pytest.mark.parametrize(
    ("answers", "progress"),
    [
        # F = (3·3 + 1·2) / (4·4) = 11/16; F / 0.7 = 55/56 ≈ 0.982: below the cap, kept exact
        (given(ont=(4, 4, 4), exp=(3, 2, DK)), Fraction(55, 56)),
        # F = 25/36 with weights 7, 1, 1; F / 0.7 = 125/126 ≈ 0.992: capped at 0.99
        (given(ont=(3, 4, 0)), Fraction(99, 100)),
    ],
    ids=["just-below-the-cap", "just-above-the-cap"],
)
def test_the_index_caps_the_focus_phase_progress_at_0_99_exactly(answers, progress):
    spec = with_criterion(0, weight=Fraction(7)) if "exp-strategie" not in answers else SPEC
    result = score(spec, answers)

    assert result.index == result.reached_count + progress
