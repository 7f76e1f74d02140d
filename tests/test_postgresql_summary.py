"""`make test` ends by counting the tests that were skipped for want of PostgreSQL."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

SAMPLE = """
import pytest

@pytest.mark.skipif(True, reason="the one-statement autosave is PostgreSQL's")
def test_autosave():
    pass

@pytest.mark.skipif(True, reason="needs PostgreSQL row locks (set DATABASE_URL)")
@pytest.mark.parametrize("n", [1, 2])
def test_locks(n):
    pass

@pytest.mark.skipif(True, reason="poppler-utils missing")
def test_pdf():
    pass

def test_plain():
    pass
"""


def run_sample(tmp_path, source: str, *options: str) -> list[str]:
    (tmp_path / "test_sample.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    plugins = ("no:django", "no:cacheprovider", "tests.postgresql_summary")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            *(option for plugin in plugins for option in ("-p", plugin)),
            "-c",
            str(tmp_path / "pytest.ini"),
            *options,
            str(tmp_path),
        ],
        cwd=settings.BASE_DIR,
        # Not the options of the run around it (PYTEST_ADDOPTS=--durations=25 adds lines).
        env={name: value for name, value in os.environ.items() if name != "PYTEST_ADDOPTS"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()


@pytest.mark.parametrize("options", [(), ("-n", "2")], ids=["one-process", "xdist-workers"])
def test_the_run_ends_by_counting_the_tests_that_need_postgresql(tmp_path, options):
    """Also as `make test` runs pytest: on workers (xdist), whose skips the main process counts."""
    lines = run_sample(tmp_path, SAMPLE, *options)

    assert lines[-2] == (
        "3 tests need PostgreSQL: run .ci/run before stopping "
        "(or set DATABASE_URL, see .ci/postgres.sh)."
    )
    assert lines[-1].startswith("1 passed, 4 skipped")  # pytest's own closing line stays last


def test_a_run_without_such_skips_says_nothing_of_postgresql(tmp_path):
    lines = run_sample(tmp_path, "def test_plain():\n    pass\n")

    assert not [line for line in lines if "PostgreSQL" in line]
