"""Benchmark and soak tooling behind `make bench` and `make soak`; not part of the app.

Each tool runs with Django set up through `python -m bench <tool>` (see `bench/__main__.py`).
"""


class BenchError(Exception):
    """A benchmark tool stopped for the reason it names."""
