"""Background tasks of the benchmark: the nightly release (beat) that every page reads."""

import logging

from celery import shared_task
from django.db import DatabaseError

from benchmarks.services import benchmark_release_all

logger = logging.getLogger("groeipad.tasks")


# Idempotent: a release run twice in a row finds no group with enough changes the second time,
# so every group keeps the figures it had (docs/benchmark.md).
@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def benchmark_releases() -> int:
    """A new benchmark release of every published model slug (nightly, from beat)."""
    releases = benchmark_release_all()
    for release in releases:
        logger.info("benchmark release %s: %d groups", release.model_slug, len(release.groups))
    return len(releases)
