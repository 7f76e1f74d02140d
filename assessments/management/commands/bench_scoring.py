"""Scoring speed: one 160-criterion assessment, and re-scoring every stored assessment."""

import statistics
import time
from collections import defaultdict

from django.core.management.base import BaseCommand

from assessments.models import Answer, Assessment
from maturity.models import AnswerValue, ModelVersion
from maturity.scoring import score
from maturity.selectors import model_version_structure


class Command(BaseCommand):
    help = "Time the scoring service on the stored benchmark data."

    def handle(self, *args, **options):
        large = ModelVersion.objects.get(slug="bench-160")
        structure = model_version_structure(version=large)
        assessment = Assessment.objects.filter(model_version=large, status="submitted").first()
        keys = {c.pk: c.key for c in structure.criteria}
        answers = {
            keys[criterion_id]: AnswerValue.to_score(value)
            for criterion_id, value in assessment.answers.values_list("criterion_id", "value")
        }
        timings = []
        for _ in range(2000):
            start = time.perf_counter()
            score(structure.spec, answers)
            timings.append(time.perf_counter() - start)
        self.stdout.write(
            f"score(), 160 criteria: median {1e6 * statistics.median(timings):.0f} µs "
            f"(p95 {1e6 * sorted(timings)[int(0.95 * len(timings))]:.0f} µs)"
        )

        start = time.perf_counter()
        submitted = list(
            Assessment.objects.filter(status="submitted").values_list("pk", "model_version_id")
        )
        by_assessment: dict[int, dict[int, str]] = defaultdict(dict)
        for assessment_id, criterion_id, value in (
            Answer.objects.filter(assessment__status="submitted")
            .values_list("assessment_id", "criterion_id", "value")
            .iterator(chunk_size=20000)
        ):
            by_assessment[assessment_id][criterion_id] = value
        loaded = time.perf_counter()
        structures = {
            v.pk: model_version_structure(version=v)
            for v in ModelVersion.objects.filter(pk__in={v for _pk, v in submitted})
        }
        for pk, version_id in submitted:
            version_structure = structures[version_id]
            version_keys = {c.pk: c.key for c in version_structure.criteria}
            score(
                version_structure.spec,
                {version_keys[c]: AnswerValue.to_score(v) for c, v in by_assessment[pk].items()},
            ).to_dict()
        done = time.perf_counter()
        self.stdout.write(
            f"re-scoring {len(submitted)} stored assessments: {done - start:.2f} s "
            f"(loading answers {loaded - start:.2f} s, scoring {done - loaded:.2f} s)"
        )
