"""The growth path: each phase as a step with its state, and the phase claim (the headline)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.templatetags.report_format import percent
from maturity.models import Criterion, Phase
from maturity.scoring import AssessmentResult, PhaseResult
from maturity.selectors import ModelStructure
from reports.decimals import result_decimal


@dataclass(frozen=True)
class GrowthStep:
    phase: Phase
    state: str  # "reached", "current", "focus" or "ahead"
    fulfilment: float
    coverage: float
    threshold: float
    reached: bool
    insufficient_data: bool
    missing: tuple[Criterion, ...]

    @property
    def determined(self) -> bool:
        """False when too few answers allow no claim about this phase (reached or not)."""
        return self.reached or not self.insufficient_data

    @property
    def threshold_mark(self) -> str:
        """Where the growth path bar draws its threshold mark (1.2 wide) on its 0–100 scale."""
        return str(round(min(max(100 * self.threshold - 0.6, 0), 98.8), 1))


@dataclass(frozen=True)
class Headline:
    """The phase claim at the top of the page and the PDF, as one text (see `headline_build`)."""

    title: str
    detail: str
    next_step: str
    # False when no phase can be claimed: too few answers, or no phase reached yet.
    phase_claimed: bool


def _step_state(item: PhaseResult, result: AssessmentResult, insufficient: bool) -> str:
    """Where a phase stands on the growth path: current, reached, focus, ahead or unknown.

    With too few answers overall, no phase is claimed as current or as the next step.
    """
    if insufficient and not item.reached:
        return "unknown"
    if item.order <= result.reached_count:
        return "current" if item.key == result.phase.key else "reached"
    if result.focus_phase is not None and item.key == result.focus_phase.key:
        return "focus"
    return "ahead"


def growth_steps_build(
    result: AssessmentResult, structure: ModelStructure, insufficient: bool
) -> tuple[GrowthStep, ...]:
    """The phases as steps of the growth path, each with its state and fulfilment."""
    phases = structure.phases_by_key
    criteria = structure.criteria_by_key
    steps = []
    for item in result.phases:
        fulfilment, threshold = result_decimal(item.fulfilment), result_decimal(item.threshold)
        steps.append(
            GrowthStep(
                phase=phases[item.key],
                state=_step_state(item, result, insufficient),
                fulfilment=fulfilment,
                coverage=result_decimal(item.coverage),
                threshold=threshold,
                reached=item.reached,
                insufficient_data=item.insufficient_data,
                missing=tuple(criteria[key] for key in item.missing if key in criteria),
            )
        )
    return tuple(steps)


def headline_build(
    *, result: AssessmentResult, steps: tuple[GrowthStep, ...], insufficient: bool, share: float
) -> Headline:
    """The phase claim: the one text the page, the PDF and the cross-page test read.

    With too few answers no phase is known; with none reached, the first phase's fulfilment
    against its threshold ("No phase reached yet — Discover is 43 % fulfilled (threshold 70 %)"),
    never "Phase 1" with phase 1 as the next step too.
    """
    if insufficient:
        return Headline(
            title=_("Phase: not yet known"),
            detail=_("%(share)s answered: too few answers to tell the phase yet.")
            % {"share": percent(share)},
            next_step="",
            phase_claimed=False,
        )
    if result.reached_count == 0:
        first = steps[0]
        return Headline(
            title=_("No phase reached yet"),
            detail=_("%(name)s is %(fulfilment)s fulfilled (threshold %(threshold)s)")
            % {
                "name": first.phase.name,
                "fulfilment": percent(first.fulfilment),
                "threshold": percent(first.threshold),
            },
            next_step="",
            phase_claimed=False,
        )
    phase = next(step.phase for step in steps if step.state == "current")
    focus = next((step for step in steps if step.state == "focus"), None)
    if focus is None:
        next_step = _("Every phase is reached: the task now is to sustain it.")
    else:
        next_step = _("Next step: %(name)s (%(fulfilment)s fulfilled, threshold %(threshold)s)") % {
            "name": focus.phase.name,
            "fulfilment": percent(focus.fulfilment),
            "threshold": percent(focus.threshold),
        }
    return Headline(
        title=_("Phase %(order)s: %(name)s") % {"order": phase.order, "name": phase.name},
        detail=phase.summary,
        next_step=next_step,
        phase_claimed=True,
    )
