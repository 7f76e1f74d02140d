"""A pytest hook: `make test` ends by saying how many tests were skipped for want of PostgreSQL.

Some paths run only on PostgreSQL (the one-statement autosave, row locks, two app servers on one
database); on SQLite their tests skip with a reason that names PostgreSQL. `.ci/run` runs them;
this line tells a developer who ran `make test` alone that they have not run yet.
"""


def skip_reason(report) -> str:
    """The reason of a skipped test's report (pytest keeps it as (path, line, reason))."""
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


def pytest_terminal_summary(terminalreporter) -> None:
    """One line above pytest's own closing line, when any test skipped for want of PostgreSQL."""
    count = sum(
        "postgresql" in skip_reason(report).lower()
        for report in terminalreporter.stats.get("skipped", [])
    )
    if count:
        terminalreporter.write_line(
            f"{count} tests need PostgreSQL: run .ci/run before stopping "
            "(or set DATABASE_URL, see .ci/postgres.sh).",
            yellow=True,
            bold=True,
        )
