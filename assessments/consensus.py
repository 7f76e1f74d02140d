"""The consensus rule: one answer per criterion from several perspectives' answers (pure).

docs/scoring.md states the rule with a worked example. A criterion's proposal is the median of
the answers 0–4, rounded down; ``na`` when every perspective that answered said "not applicable";
``dk`` when perspectives answered but none on the scale; empty when no perspective answered.
"""

from collections.abc import Iterable

SCALE = ("0", "1", "2", "3", "4")
# Perspectives whose answers lie this many points apart disagree: the meeting's agenda.
DISAGREEMENT_SPREAD = 2


def consensus_proposal(values: Iterable[str]) -> str:
    """The rule's answer for one criterion from the perspectives' answers (empty: unanswered)."""
    given = [value for value in values if value]
    scale = sorted(int(value) for value in given if value in SCALE)
    if scale:
        middle = len(scale) // 2
        if len(scale) % 2:
            return str(scale[middle])
        return str((scale[middle - 1] + scale[middle]) // 2)
    if not given:
        return ""
    return "na" if all(value == "na" for value in given) else "dk"


def answer_spread(values: Iterable[str]) -> int:
    """How far the answers on the scale lie apart (0 with fewer than two of them)."""
    scale = [int(value) for value in values if value in SCALE]
    return max(scale) - min(scale) if len(scale) > 1 else 0
