"""`python -m bench pdf_burst`: 12 parallel PDF requests by one viewer, and the pages of another.

Against an app server whose PDFs a worker renders (`bench/run` starts one on a Redis of its
own): first the login page and a questionnaire step of another organisation's respondent are
timed alone; then one viewer opens the PDF of a draft in 12 tabs at once, each tab polling the
status every second as the waiting page does and downloading the PDF when it is ready, while
the other user keeps loading the login page and the step. The target (issue 30): those pages'
p95 under the burst within 2× their p95 alone.
"""

import argparse
import http.client
import json
import statistics
import threading
import time
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

from assessments.models import Assessment, Organisation
from bench import BenchError
from bench.data import bench_username
from bench.session import LOOPBACK, Session
from reports.models import RenderedDocument

TABS = 12
ALONE_REQUESTS = 40
TARGET_RATIO = 2.0


def _connection(base_url: str) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    if parts.hostname not in LOOPBACK:
        raise BenchError("The benchmark only sends requests to loopback addresses.")
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)


def _get(connection, path: str, cookie: str = "", accept: str = "text/html") -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Cookie": cookie, "Accept": accept})
    response = connection.getresponse()
    return response.status, response.read()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.95 * (len(ordered) - 1))]


def _timed_pages(base_url: str, pages: list[tuple[str, str]], stop) -> dict[str, list[float]]:
    """Load each (path, cookie) in turn until `stop()`; the milliseconds per path."""
    connection = _connection(base_url)
    timings: dict[str, list[float]] = {path: [] for path, _cookie in pages}
    while not stop():
        for path, cookie in pages:
            begin = time.perf_counter()
            status, _body = _get(connection, path, cookie)
            timings[path].append(1000 * (time.perf_counter() - begin))
            if status != 200:
                raise BenchError(f"{path} answered {status}.")
    return timings


def _forget_pdfs(assessment: Assessment) -> None:
    """Remove the stored PDFs of this assessment (the server shares DJANGO_MEDIA_ROOT)."""
    renders = RenderedDocument.objects.filter(assessment=assessment)
    for render in renders:
        default_storage.delete(render.storage_name)
    renders.delete()


def _rounds(count: int):
    """A stop condition that lets `count` rounds of the pages run."""
    done = {"rounds": -1}

    def stop() -> bool:
        done["rounds"] += 1
        return done["rounds"] >= count

    return stop


def _tab(base_url: str, path: str, cookie: str, outcome: dict, lock) -> None:
    """One browser tab: ask for the PDF, poll its status each second, download it when ready."""
    connection = _connection(base_url)
    begin = time.perf_counter()
    status, body = _get(connection, path, cookie)
    statuses = [status]
    while status != 200:
        time.sleep(1)
        status, body = _get(connection, path, cookie, accept="application/json")
        statuses.append(status)
        if status == 200 and json.loads(body)["status"] == "ready":
            status, body = _get(connection, path, cookie)
            statuses.append(status)
        elif status == 200:
            status = 0  # not ready yet: go on polling
        if time.perf_counter() - begin > 300:
            raise BenchError("The PDF was not ready within 5 minutes: is a worker running?")
    with lock:
        outcome.setdefault("seconds_to_pdf", []).append(time.perf_counter() - begin)
        outcome.setdefault("requests", []).append(len(statuses))
        outcome.setdefault("pdf_bytes", []).append(len(body))


def measure(base_url: str) -> dict:
    """Time the other user's pages alone and during the 12-tab burst; print and return them."""
    organisations = list(Organisation.objects.order_by("slug").values_list("pk", "slug")[:2])
    if len(organisations) < 2:
        raise BenchError("Needs the bench data: run `python -m bench data`.")
    (org_a, slug_a), (org_b, slug_b) = organisations
    draft_a = Assessment.objects.filter(organisation_id=org_a, status="draft").first()
    draft_b = Assessment.objects.filter(organisation_id=org_b, status="draft").first()
    viewer = Session(base_url, bench_username(organisation_slug=slug_a, role="viewer-3"))
    other = Session(base_url, bench_username(organisation_slug=slug_b, role="respondent-1"))
    pages = [
        ("/accounts/login/", ""),
        (f"/assessments/{draft_b.pk}/step/1/", other.cookie_header()),
    ]
    names = {pages[0][0]: "login page", pages[1][0]: "step page"}

    _forget_pdfs(draft_a)  # the burst asks for a PDF that is not there yet
    _timed_pages(base_url, pages, _rounds(3))  # warm-up: every worker's first request
    alone = _timed_pages(base_url, pages, _rounds(ALONE_REQUESTS))

    outcome: dict = {}
    lock = threading.Lock()
    pdf_path = f"/assessments/{draft_a.pk}/report.pdf"
    tabs = [
        threading.Thread(
            target=_tab, args=(base_url, pdf_path, viewer.cookie_header(), outcome, lock)
        )
        for _ in range(TABS)
    ]
    started = time.perf_counter()
    for tab in tabs:
        tab.start()
    # At least 10 s, and until every tab has its PDF.
    loaded = _timed_pages(
        base_url,
        pages,
        lambda: time.perf_counter() - started > 10 and not any(t.is_alive() for t in tabs),
    )
    for tab in tabs:
        tab.join()

    results: dict = {"tabs": TABS, "pages": {}}
    for path, name in names.items():
        before, during = _p95(alone[path]), _p95(loaded[path])
        results["pages"][name] = {
            "alone_p95_ms": round(before, 1),
            "alone_median_ms": round(statistics.median(alone[path]), 1),
            "burst_p95_ms": round(during, 1),
            "burst_median_ms": round(statistics.median(loaded[path]), 1),
            "burst_requests": len(loaded[path]),
            "ratio": round(during / before, 2),
            "within_target": during <= TARGET_RATIO * before,
        }
    results["seconds_to_pdf_max"] = round(max(outcome["seconds_to_pdf"]), 2)
    results["requests_per_tab_max"] = max(outcome["requests"])
    for name, item in results["pages"].items():
        print(
            f"{name:<10} alone p95 {item['alone_p95_ms']:>6.1f} ms  during 12 PDF tabs p95 "
            f"{item['burst_p95_ms']:>6.1f} ms  ({item['ratio']:.2f}×, target ≤ {TARGET_RATIO}×: "
            f"{'met' if item['within_target'] else 'NOT met'})"
        )
    print(
        f"12 tabs had their PDF after at most {results['seconds_to_pdf_max']} s "
        f"({results['requests_per_tab_max']} requests per tab at most)"
    )
    return results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", default="http://127.0.0.1:18766")


def run(*, base_url: str) -> None:
    """Measure the burst; add it to today's bench/results file."""
    results = measure(base_url)
    out = settings.BASE_DIR / "bench" / "results" / f"{date.today().isoformat()}-pdf-burst.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"Written to {out.relative_to(settings.BASE_DIR)}")
