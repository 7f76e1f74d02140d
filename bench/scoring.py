"""Time the scoring: one 160-criterion assessment, and re-scoring every stored assessment.

Run on the data of `python -m bench data`; `--output` writes the figures as JSON, which
`python -m bench load --scoring` puts into the results file.
"""

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from assessments.models import Answer, Assessment
from maturity.models import AnswerValue, ModelVersion
from maturity.scoring import score
from maturity.selectors import model_version_structure

ROUNDS = 2000


def time_score() -> dict:
    """Median and p95 of `score()` on one submitted assessment of the 160-criterion model."""
    large = ModelVersion.objects.get(slug="bench-160")
    structure = model_version_structure(version=large)
    assessment = Assessment.objects.filter(model_version=large, status="submitted").first()
    keys = {c.pk: c.key for c in structure.criteria}
    answers = {
        keys[criterion_id]: AnswerValue.to_score(value)
        for criterion_id, value in assessment.answers.values_list("criterion_id", "value")
    }
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        score(structure.spec, answers)
        timings.append(time.perf_counter() - start)
    return {
        "criteria": len(structure.criteria),
        "median_us": round(1e6 * statistics.median(timings), 1),
        "p95_us": round(1e6 * sorted(timings)[int(0.95 * len(timings))], 1),
    }


def time_rescoring() -> dict:
    """Loading the answers of every submitted assessment, scoring each and `to_dict()`."""
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
        structure = structures[version_id]
        keys = {c.pk: c.key for c in structure.criteria}
        score(
            structure.spec,
            {keys[c]: AnswerValue.to_score(v) for c, v in by_assessment[pk].items()},
        ).to_dict()
    done = time.perf_counter()
    return {
        "assessments": len(submitted),
        "seconds": round(done - start, 3),
        "loading_seconds": round(loaded - start, 3),
        "scoring_seconds": round(done - loaded, 3),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, help="Also write the figures to this JSON file.")


def run(*, output: Path | None) -> None:
    """Print both timings, and write them to `output` when given."""
    one = time_score()
    print(
        f"score(), {one['criteria']} criteria: median {one['median_us']:.0f} µs "
        f"(p95 {one['p95_us']:.0f} µs)"
    )
    every = time_rescoring()
    print(
        f"re-scoring {every['assessments']} stored assessments: {every['seconds']:.2f} s "
        f"(loading answers {every['loading_seconds']:.2f} s, "
        f"scoring {every['scoring_seconds']:.2f} s)"
    )
    if output is not None:
        output.write_text(json.dumps({"score": one, "rescoring": every}, indent=2))
