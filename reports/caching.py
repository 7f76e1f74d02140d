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
    revision: tuple[str, int] | None,
    benchmark: str,
    profile: tuple[str, str, str],
    level: str,
    admin: bool,
    language: str,
    render: Callable[[], dict[str, str]],
    can_add_actions: bool = False,
) -> dict[str, str]:
    """The rendered sections of a submitted assessment's report page: cached, or rendered.

    Besides the assessment, the key holds what changes without a submit of this assessment: the
    organisation revision (`trajectories.selectors.organisation_revision`, bumped by database
    triggers on any change of the organisation's actions or submitted assessments (its history)
    and of what its groups share: the practices shown with the advice), the benchmark
    signature, the organisation's kind, population band and region, the comparison level asked
    for ("" for the default) and whether the reader is an admin (the comparison offers admins a
    link) or may add actions (the advice items offer the add link only then).
    """
    key = digest_key(
        "report",
        assessment_id,
        submitted_at,
        revision,
        benchmark,
        profile,
        level,
        admin,
        can_add_actions,
        language,
    )
    return get_or_render(key, render)
