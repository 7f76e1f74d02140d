"""`make mutation`: mutmut over the modules whose mistakes the tests must catch, one at a time.

    .venv/bin/python -m tests.mutation                       # every module of MODULES
    .venv/bin/python -m tests.mutation benchmarks/sector.py  # one (or a few) of them
    # only the mutants whose names match these fnmatch patterns (a sample, or a rerun):
    .venv/bin/python -m tests.mutation maturity/scoring/engine.py --only='*x__index*'

Not part of `make test`: a mutant is a small change of the code (`>=` to `>`, a constant + 1, a
call's argument dropped), and each one runs the tests that reach the changed function. Each
module runs with the few test files that are about it, in a work folder of its own
(.tools/mutation/<module>/, links to the project, and mutmut's copy in mutants/), one mutant at
a time (`--max-children 1`): the machine is shared. Every run starts afresh, so a changed
template or test is never read from an old copy. The results, and a reason for each survivor
that is equivalent to the original code, are in docs/testing.md.
"""

import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = BASE_DIR / ".tools" / "mutation"
MUTMUT = Path(sys.executable).parent / "mutmut"

# The module, and the test files that are about it (what runs for its mutants).
MODULES: dict[str, tuple[str, ...]] = {
    "benchmarks/disclosure.py": (
        "tests/benchmarks/test_rules.py",
        "tests/benchmarks/test_comparison.py",
        "tests/benchmarks/test_views.py",
        "tests/benchmarks/test_sector_gaps.py",
    ),
    "benchmarks/sector.py": (
        "tests/benchmarks/test_sector_view.py",
        "tests/benchmarks/test_views.py",
        "tests/benchmarks/test_sector_gaps.py",
        "tests/benchmarks/test_releases.py",
    ),
    "assessments/access.py": (
        "tests/assessments/test_access.py",
        "tests/assessments/test_perspective_access.py",
    ),
    "maturity/scoring/engine.py": (
        "tests/maturity/test_scoring.py",
        "tests/maturity/test_scoring_properties.py",
    ),
    "maturity/selectors.py": (
        "tests/maturity/test_selectors.py",
        "tests/maturity/test_scoring.py",
        # The selectors' other readers: the models page, the version diff, the crosswalk, the
        # publishing services, the editors' preview and the models page.
        "tests/maturity/test_views.py",
        "tests/maturity/test_version_diff.py",
        "tests/maturity/test_crosswalk.py",
        "tests/maturity/test_services.py",
        "tests/maturity/test_admin_publishing.py",
        "tests/assessments/test_landing.py",  # the models page (model_overview_list)
    ),
    "assessments/selectors.py": (
        "tests/assessments/test_access.py",
        "tests/reports/test_report.py",
        "tests/assessments/test_selectors.py",
    ),
    "assessments/perspective_selectors.py": (
        "tests/assessments/test_perspective_access.py",
        "tests/assessments/test_perspectives.py",
        "tests/assessments/test_perspective_selectors.py",
    ),
    "reports/selectors.py": ("tests/reports/test_report_get.py",),
    "benchmarks/selectors.py": (
        "tests/benchmarks/test_comparison.py",
        "tests/benchmarks/test_caching.py",
        "tests/benchmarks/test_participants.py",
        "tests/benchmarks/test_test_assessments.py",
    ),
    "actions/selectors.py": (
        "tests/actions/test_views.py",
        "tests/actions/test_services.py",
        "tests/actions/test_selectors.py",
        # The plan's other readers: none of the two above reaches their selectors.
        "tests/actions/test_comparison.py",
        "tests/actions/test_exports.py",
        "tests/actions/test_report_pdf.py",
        "tests/reports/test_advice_actions.py",
        "tests/reports/test_caching.py",
    ),
    # The caching modules: the keys (a part dropped serves one reader another's page) and the store.
    "reports/caching.py": (
        "tests/reports/test_caching.py",
        # The report's comparison section as cached for an admin, a viewer, a language.
        "tests/benchmarks/test_caching.py",
        "tests/maturity/test_cache_backend.py",  # the report's keys in Redis: "report:…"
    ),
    "benchmarks/caching.py": (
        "tests/benchmarks/test_caching.py",
        "tests/benchmarks/test_sector_view.py",
    ),
    "maturity/caching.py": (
        "tests/maturity/test_caching.py",
        "tests/maturity/test_cache_backend.py",  # with Redis, and Redis away
        "tests/test_password_reset.py",
        "tests/test_health.py",  # cache_answers
        "tests/assessments/test_evidence_views.py",  # the uploads per hour
        "tests/maturity/test_crosswalk.py",  # published_replacements
    ),
}
# What Django reads besides the Python packages: copied along, never mutated.
ALSO_COPY = ("templates", "locale", "static", "manage.py")


def packages() -> list[str]:
    """The project's top-level Python packages (every app, the project package, bench/)."""
    return sorted(
        path.name
        for path in BASE_DIR.iterdir()
        if (path / "__init__.py").is_file() and path.name != "tests"
    )


def mutmut_config(module: str, tests: tuple[str, ...]) -> dict:
    return {
        "source_paths": packages(),
        "only_mutate": [module],
        "also_copy": list(ALSO_COPY),
        # --reuse-db: the test database is made once (GROEIPAD_TEST_SQLITE), not per mutant.
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "--reuse-db"],
        "pytest_add_cli_args_test_selection": list(tests),
        "use_git_change_detection": False,
        # A mutant gets (its tests' time + 1 s) x 2 x this many CPU seconds before it counts as a
        # timeout (a detection). mutmut's default, 15, let a mutant that loops for ever run for
        # more than 13 minutes of a shared machine.
        "timeout_multiplier": 4.0,
    }


def toml_value(value) -> str:
    return json.dumps(value)  # lists of strings and booleans are written alike in TOML


def prepare_folder(module: str) -> Path:
    return WORK_DIR / module.replace("/", "_").removesuffix(".py")


def prepare(module: str, tests: tuple[str, ...]) -> Path:
    """A fresh work folder: links to the project, and its pyproject.toml with a mutmut section."""
    folder = prepare_folder(module)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in (*packages(), "tests", *ALSO_COPY):
        (folder / name).symlink_to(BASE_DIR / name)
    config = mutmut_config(module, tests)
    pyproject = (BASE_DIR / "pyproject.toml").read_text(encoding="utf-8")
    section = "\n".join(f"{key} = {toml_value(value)}" for key, value in config.items())
    (folder / "pyproject.toml").write_text(f"{pyproject}\n[tool.mutmut]\n{section}\n", "utf-8")
    tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))  # well formed
    return folder


def results(folder: Path, module: str) -> tuple[Counter, list[str]]:
    """How many mutants ended how, and the names of the survivors."""
    from mutmut.stats import status_by_exit_code

    meta = json.loads((folder / "mutants" / f"{module}.meta").read_text(encoding="utf-8"))
    statuses = {name: status_by_exit_code[code] for name, code in meta["exit_code_by_key"].items()}
    survivors = sorted(name for name, status in statuses.items() if status == "survived")
    return Counter(statuses.values()), survivors


def run(module: str, only: list[str]) -> tuple[Counter, list[str]]:
    folder = prepare(module, MODULES[module])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maturity.settings.test",
        "GROEIPAD_TEST_SQLITE": str(folder / "test.sqlite3"),
    }
    subprocess.run(
        [str(MUTMUT), "run", "--max-children", "1", *only],
        cwd=folder,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return results(folder, module)


def main(arguments: list[str]) -> int:
    names = [name for name in arguments if not name.startswith("--only=")]
    only = [name.removeprefix("--only=") for name in arguments if name.startswith("--only=")]
    unknown = [name for name in names if name not in MODULES]
    if unknown:
        print(f"Not a module of tests/mutation.py: {unknown}; known: {list(MODULES)}")
        return 2
    unexplained = 0
    for module in names or list(MODULES):
        counts, survivors = run(module, only)
        run_count = sum(counts.values()) - counts["not checked"]  # --only leaves the rest out
        # A timeout is a detection: the mutant made the tests run on (a loop that never ends).
        score = 100 * (counts["killed"] + counts["timeout"]) / run_count if run_count else 100.0
        print(f"{module}: {run_count} mutants run, {dict(counts)}, score {score:.1f} %")
        if survivors:
            print(f"  (to see one: cd {prepare_folder(module)} && mutmut show <name>)")
        for name in survivors:
            print(f"  survived: {name}")
        unexplained += len(survivors)
    print(
        f"{unexplained} survivors in all: each needs a test that kills it or a reason in "
        "docs/testing.md why it is equivalent."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
