"""Score a maturity assessment: plain frozen data in, a result dataclass out.

This package knows nothing of Django, so it is fast, testable without a database and reusable
for exports and benchmarks. The definitions are those of ``docs/scoring.md``; arithmetic is
exact (``Fraction`` and integer cross-multiplication), floats appear only in ``to_dict()``.

- ``spec``: the input (``ModelSpec`` and its parts) and the publish rules (``spec_problems``);
- ``layout``: a sound spec indexed for scoring, built once when the ``ModelSpec`` is made;
- ``engine``: ``score()``, in the steps of the definitions;
- ``result``: the output (``AssessmentResult``), its JSON form and reading that back;
- ``errors``: what ``score()`` raises.
"""

from maturity.scoring.engine import score
from maturity.scoring.errors import (
    InvalidAnswerError,
    InvalidSpecError,
    ScoringError,
    UnknownCriterionError,
)
from maturity.scoring.result import AdviceItem, AssessmentResult, DimensionResult, PhaseResult
from maturity.scoring.spec import (
    DONT_KNOW,
    NOT_APPLICABLE,
    PHASE_COUNT,
    PHASE_ORDERS,
    Answer,
    CriterionSpec,
    DimensionSpec,
    ModelSpec,
    PhaseSpec,
    SpecProblem,
    spec_problems,
)

__all__ = [
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "PHASE_COUNT",
    "PHASE_ORDERS",
    "AdviceItem",
    "Answer",
    "AssessmentResult",
    "CriterionSpec",
    "DimensionResult",
    "DimensionSpec",
    "InvalidAnswerError",
    "InvalidSpecError",
    "ModelSpec",
    "PhaseResult",
    "PhaseSpec",
    "ScoringError",
    "SpecProblem",
    "UnknownCriterionError",
    "score",
    "spec_problems",
]
