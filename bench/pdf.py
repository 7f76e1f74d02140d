"""PDF timings of `make bench`: the report PDF rendered cold (nothing stored) and stored.

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
from reports.models import RenderedDocument

PDF_ORGANISATIONS = 12


def _timed(client: Client, url: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one PDF request (CPU time holds up on a busy machine)."""
    begin, begin_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed, cpu = time.perf_counter() - begin, time.process_time() - begin_cpu
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
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
    """Print and return the first (import), cold and cached PDF timings."""
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
    }
    first_ms = results["first_pdf_of_process_ms"]
    print(f"PDF: first of a process (WeasyPrint import) {first_ms:.0f} ms")
    for name in ("cold", "cached"):
        item = results[name]
        print(
            f"PDF {name:<6} n={item['count']:<3} median {item['median_ms']:>7.1f} ms  "
            f"p95 {item['p95_ms']:>7.1f} ms  (CPU median {item['cpu_median_ms']:.1f} ms, "
            f"p95 {item['cpu_p95_ms']:.1f} ms)"
        )
    return results
