"""The report's cache keys: its page sections. (Its PDF is stored by a worker under its content
signature instead: `reports.renders`.)

What is kept, under which key and what makes it stale is `maturity.caching`'s docstring and
docs/architecture.md ("Where caching lives"); this module owns the keys,
`maturity.caching.get_or_render` stores. Only the `reports` app caches reports.
"""

from collections.abc import Callable
from datetime import datetime

from maturity.caching import digest_key, get_or_render


def submitted_report(
    *,
    assessment_id: int,
    submitted_at: datetime,
    history: tuple[int, datetime | None],
    plan: tuple[object, ...],
    benchmark: str,
    profile: tuple[str, str, str],
    level: str,
    admin: bool,
    language: str,
    render: Callable[[], dict[str, str]],
    can_add_actions: bool = False,
    practices: tuple = (),
) -> dict[str, str]:
    """The rendered sections of a submitted assessment's report page: cached, or rendered.

    Besides the assessment and its organisation's history signature (any submit or reopen), the
    key holds what changes without a submit: the plan's signature
    (`actions.selectors.action_plan_signature`), the benchmark signature, the organisation's
    kind, population band and region, the comparison level asked for ("" for the default) and
    whether the reader is an admin (the comparison offers admins a link) or may add actions
    (the advice items offer the add link only then), and the group practices shown with the
    advice (`reports.page`).
    """
    key = digest_key(
        "report",
        assessment_id,
        submitted_at,
        history,
        plan,
        benchmark,
        profile,
        level,
        admin,
        can_add_actions,
        practices,
        language,
    )
    return get_or_render(key, render)
