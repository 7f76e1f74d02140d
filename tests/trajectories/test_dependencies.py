"""Dependencies point one way: trajectories reads assessments, actions and maturity; no app
below it imports it, and it never imports reports or benchmarks."""

import ast
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def imported_apps(app: str) -> set[str]:
    """The top-level packages every module of an app imports."""
    found = set()
    for path in (BASE / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


def test_no_app_below_imports_trajectories():
    for app in ("maturity", "assessments", "actions", "benchmarks", "sso"):
        assert "trajectories" not in imported_apps(app), app


def test_trajectories_imports_only_the_apps_below_it():
    assert not {"reports", "benchmarks"} & imported_apps("trajectories")
