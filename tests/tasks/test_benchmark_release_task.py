"""The nightly benchmark release: beat names a task the app knows, and a real worker runs it."""

import pytest
from django.conf import settings

from benchmarks.models import Release
from benchmarks.tasks import benchmark_releases
from maturity.celery import app
from maturity.queue import enqueue
from tests.benchmarks.conftest import Sector
from tests.factories import build_model_version
from tests.servers import wait_until


def test_every_scheduled_task_is_a_task_of_the_app():
    app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "benchmarks.tasks.benchmark_releases" in scheduled
    assert scheduled <= set(app.tasks)


@pytest.mark.django_db
def test_the_task_releases_every_published_model_and_changes_nothing_the_second_time():
    sector = Sector(build_model_version(criteria_count=12, dimension_count=3, slug="benchmodel"))
    sector.many(6)

    assert benchmark_releases.delay().get() == 1
    first = Release.objects.get()
    assert first.groups

    benchmark_releases.delay().get()
    second = Release.objects.latest("pk")
    assert second.groups == first.groups


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_release(worker):
    sector = Sector(build_model_version(criteria_count=12, dimension_count=3, slug="benchmodel"))
    sector.many(6)

    enqueue(benchmark_releases)

    wait_until(lambda: Release.objects.filter(model_slug="benchmodel").exists(), what="a release")
