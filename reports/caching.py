"""The report's cache keys: its sections, its PDF and the sections that change without a submit.

What is kept, under which key and what makes it stale is `maturity.caching`'s docstring (items 2–4);
this module owns the keys, `maturity.caching.get_or_render` stores. Only the `reports` app
caches reports.
"""

from collections.abc import Callable
from datetime import datetime

from maturity.caching import digest_key, get_or_render


def _report_key(
    prefix: str,
    assessment_id: int,
    submitted_at: datetime,
    history: tuple[int, datetime | None],
    language: str,
    *extra: str,
) -> str:
    """The key of a rendered report: what it shows changes with any of these parts."""
    latest = history[1].isoformat() if history[1] else ""
    parts = [prefix, str(assessment_id), submitted_at.isoformat(), str(history[0]), latest]
    return ":".join([*parts, language, *extra])


def submitted_report(
    *,
    assessment_id: int,
    submitted_at: datetime,
    history: tuple[int, datetime | None],
    language: str,
    render: Callable[[], dict[str, str]],
) -> dict[str, str]:
    """The rendered sections of a submitted assessment's report: cached, or rendered and kept."""
    key = _report_key("report", assessment_id, submitted_at, history, language)
    return get_or_render(key, render)


def submitted_report_pdf(
    *,
    assessment_id: int,
    submitted_at: datetime,
    history: tuple[int, datetime | None],
    language: str,
    actions: str,
    render: Callable[[], bytes],
) -> bytes:
    """The PDF of a submitted assessment's report: cached, or rendered and kept.

    `actions` is the signature of the open actions its first page lists.
    """
    key = _report_key("report-pdf", assessment_id, submitted_at, history, language, actions)
    return get_or_render(key, render)


def report_plan_section(
    *,
    assessment_id: int,
    submitted_at: datetime,
    history: tuple[int, datetime | None],
    plan: tuple[object, ...],
    language: str,
    render: Callable[[], str],
) -> str:
    """The action plan's changes in a submitted assessment's report: cached, or rendered and kept.

    `plan` is the organisation's plan signature (`actions.selectors.action_plan_signature`).
    """
    key = digest_key("report-plan", assessment_id, submitted_at, history, plan, language)
    return get_or_render(key, render)


def report_comparison_section(
    *,
    assessment_id: int,
    submitted_at: datetime,
    profile: tuple[str, str, str],
    level: str,
    admin: bool,
    benchmark: str,
    language: str,
    render: Callable[[], str],
) -> str:
    """The benchmark comparison in a submitted assessment's report: cached, or rendered and kept.

    `profile` is the organisation's kind, population band and region, `level` the comparison
    level asked for ("" for the default) and `benchmark` the model slug's benchmark signature.
    """
    key = digest_key(
        "report-comparison",
        assessment_id,
        submitted_at,
        profile,
        level,
        admin,
        benchmark,
        language,
    )
    return get_or_render(key, render)
