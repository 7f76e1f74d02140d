"""Template tags format what a view or selector built; they never run a query (style guide)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a query looks like in a module: a manager, a queryset method, a selector module.
QUERY_ATTRIBUTES = {
    "objects",
    "filter",
    "exclude",
    "aggregate",
    "annotate",
    "select_related",
    "prefetch_related",
    "values_list",
    "exists",
    "raw",
    "cursor",
}


def tag_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("*/templatetags/*.py")
        if path.name != "__init__.py" and ".venv" not in path.parts
    )


def queries_in(path: Path) -> list[str]:
    """Where the module reaches the database: selector imports and queryset attributes."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[-1].endswith("selectors"):
                found.append(f"line {node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.Attribute) and node.attr in QUERY_ATTRIBUTES:
            if isinstance(node.value, ast.Name) and node.value.id == "register":
                continue  # `@register.filter` registers a filter, it is no queryset
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


def test_every_app_with_tags_is_checked():
    names = {f"{path.parent.parent.name}/{path.name}" for path in tag_modules()}

    assert {"actions/action_plan.py", "benchmarks/benchmarks.py"} <= names


def test_no_template_tag_module_queries():
    offenders = {str(p.relative_to(ROOT)): queries_in(p) for p in tag_modules() if queries_in(p)}

    assert offenders == {}


def test_the_check_sees_a_query(tmp_path):
    module = tmp_path / "tag.py"
    module.write_text(
        "from actions.selectors import action_counts\n"
        "def tile(m):\n    return Action.objects.filter(organisation=m.organisation)\n",
        encoding="utf-8",
    )

    assert len(queries_in(module)) == 3
