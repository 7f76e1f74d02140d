"""Document timings of `make bench`: the report PDF rendered cold (nothing stored) and stored,
and each format (PDF, ODT, DOCX) rendered cold on the 160-criteria model.

Without a broker (as `bench/run` starts the app here) the render runs in the request (eager
mode), so a cold request is the worker's render time; `bench/pdf_load.py` measures the web side
with a real worker.

Measured in process with Django's test client, on the latest submitted assessment of several
organisations (both bench models), after one PDF has been made so that WeasyPrint's import
(about 2.6 s, once per process) is measured apart and not counted as a cold render. Besides the
wall-clock time, the CPU time of this process is kept: on a machine busy with other work it
says what a request costs when it has a core to itself.
"""

import statistics
import time

from django.core.files.storage import default_storage
from django.test import Client

from assessments.models import Assessment, Membership
from bench import BenchError
from maturity import caching
from reports.documents import CONTENT_TYPES, FORMATS
from reports.models import RenderedDocument

PDF_ORGANISATIONS = 12
# The cold render of each format on the large model (160 criteria): issue 33's targets.
DOCUMENT_MODEL = "bench-160"
DOCUMENT_ORGANISATIONS = 8
DOCUMENT_TARGETS_MS = {"pdf": 1500, "odt": 1000, "docx": 1000}


def _timed(client: Client, url: str, fmt: str = "pdf") -> tuple[float, float]:
    """Wall-clock and CPU seconds of one document request (CPU time holds up on a busy machine)."""
    begin, begin_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed, cpu = time.perf_counter() - begin, time.process_time() - begin_cpu
    if response.status_code != 200 or response["Content-Type"] != CONTENT_TYPES[fmt]:
        raise BenchError(f"{url} answered {response.status_code} {response['Content-Type']}.")
    return elapsed, cpu


def _forget_pdfs() -> None:
    """Empty the caches and the stored PDFs, so that the next request renders (eager mode)."""
    caching.clear_all()
    for render in RenderedDocument.objects.all():
        default_storage.delete(render.storage_name)
    RenderedDocument.objects.all().delete()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.95 * (len(ordered) - 1))]


def _summary(timings: list[tuple[float, float]]) -> dict[str, float]:
    wall = [elapsed for elapsed, _cpu in timings]
    cpu = [used for _elapsed, used in timings]
    return {
        "count": len(timings),
        "median_ms": 1000 * statistics.median(wall),
        "p95_ms": 1000 * _p95(wall),
        "cpu_median_ms": 1000 * statistics.median(cpu),
        "cpu_p95_ms": 1000 * _p95(cpu),
    }


def measure_pdf() -> dict:
    """Print and return the first (import), cold and cached PDF timings and each format's."""
    latest = {}
    for assessment in Assessment.objects.filter(status="submitted").order_by("submitted_at"):
        latest[assessment.organisation_id] = assessment
    chosen = sorted(latest.values(), key=lambda a: a.organisation.slug)[:PDF_ORGANISATIONS]
    if not chosen:
        raise BenchError("No submitted assessment to render as PDF: run `python -m bench data`.")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Membership.objects.filter(organisation=chosen[0].organisation).first().user)
    _forget_pdfs()
    first, _cpu = _timed(client, f"/assessments/{chosen[0].pk}/report.pdf")
    cold, cached = [], []
    for assessment in chosen:
        client.force_login(Membership.objects.filter(organisation=assessment.organisation)[0].user)
        url = f"/assessments/{assessment.pk}/report.pdf"
        _forget_pdfs()
        cold.append(_timed(client, url))
        cached.extend(_timed(client, url) for _ in range(5))
    results = {
        "first_pdf_of_process_ms": 1000 * first,
        "cold": _summary(cold),
        "cached": _summary(cached),
        "formats_160_cold": measure_formats(latest.values()),
    }
    first_ms = results["first_pdf_of_process_ms"]
    print(f"PDF: first of a process (WeasyPrint import) {first_ms:.0f} ms")
    for name in ("cold", "cached"):
        _print(f"PDF {name}", results[name])
    for fmt, item in results["formats_160_cold"].items():
        _print(f"{fmt.upper()} cold, 160 criteria", item, DOCUMENT_TARGETS_MS[fmt])
    return results


def _print(label: str, item: dict[str, float], target_ms: int | None = None) -> None:
    goal = f"  target p95 ≤ {target_ms} ms" if target_ms else ""
    print(
        f"{label:<24} n={item['count']:<3} median {item['median_ms']:>7.1f} ms  "
        f"p95 {item['p95_ms']:>7.1f} ms  (CPU median {item['cpu_median_ms']:.1f} ms, "
        f"p95 {item['cpu_p95_ms']:.1f} ms){goal}"
    )


def measure_formats(assessments) -> dict[str, dict[str, float]]:
    """Cold renders of every format of the latest assessments on the 160-criteria model.

    The formats take turns on each assessment, so a busy moment of the machine falls on all of
    them alike; each writer's first use in the process (its import) is made before the clock.
    """
    chosen = sorted(
        (a for a in assessments if a.model_version.slug == DOCUMENT_MODEL),
        key=lambda a: a.organisation.slug,
    )[:DOCUMENT_ORGANISATIONS]
    if not chosen:
        raise BenchError(
            f"No submitted assessment on {DOCUMENT_MODEL}: run `python -m bench data`."
        )
    client = Client(HTTP_HOST="127.0.0.1")
    timings: dict[str, list[tuple[float, float]]] = {fmt: [] for fmt in FORMATS}
    for number, assessment in enumerate(chosen):
        client.force_login(Membership.objects.filter(organisation=assessment.organisation)[0].user)
        for fmt in FORMATS:
            _forget_pdfs()
            timed = _timed(client, f"/assessments/{assessment.pk}/report.{fmt}", fmt)
            if number or fmt == "pdf":  # the first ODT and DOCX import their writer
                timings[fmt].append(timed)
    _forget_pdfs()
    return {fmt: _summary(values) for fmt, values in timings.items()}
