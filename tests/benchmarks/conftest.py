"""Builders for benchmark tests: opted-in organisations with stored, submitted results."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Organisation
from bench.data import bench_assessment
from benchmarks.models import Participation
from benchmarks.services import benchmark_release_create
from maturity.selectors import model_version_structure
from tests.factories import OrganisationFactory, build_model_version


class Sector:
    """Makes organisations that take part in benchmarks, each with a submitted assessment."""

    def __init__(self, version) -> None:
        self.version = version
        self.rng = random.Random(19)
        self.count = 0

    def organisation(
        self,
        *,
        kind: str = Organisation.Kind.MUNICIPALITY,
        population: int | None = 30_000,
        region: str = "Oost-Vlaanderen",
        level: int = 2,
        opted_in: bool = True,
        version=None,
        days_ago: int = 10,
    ) -> Organisation:
        self.count += 1
        organisation = OrganisationFactory(
            name=f"Deelnemer {self.count}", kind=kind, population=population, region=region
        )
        Participation.objects.create(organisation=organisation, opted_in=opted_in)
        self.assessment(organisation, level=level, version=version, days_ago=days_ago)
        return organisation

    def assessment(self, organisation, *, level: int = 2, version=None, days_ago: int = 10):
        structure = model_version_structure(version=version or self.version)
        return bench_assessment(
            organisation=organisation,
            structure=structure,
            level=level,
            title=f"Meting {organisation.pk}-{days_ago}",
            moment=timezone.now() - timedelta(days=days_ago),
            submitted=True,
            respondent=None,
            rng=self.rng,
        )

    def release(self):
        """A benchmark release of the model, as the nightly task makes it: what pages show."""
        return benchmark_release_create(model_slug=self.version.slug)

    def many(self, count: int, **kwargs) -> list[Organisation]:
        return [self.organisation(level=i % 5, **kwargs) for i in range(count)]


@pytest.fixture
def model_version(db):
    return build_model_version(criteria_count=12, dimension_count=3, slug="benchmodel")


@pytest.fixture
def sector(model_version) -> Sector:
    return Sector(model_version)
