"""`python -m bench pdf_burst`: 12 parallel PDF requests by one viewer, and the pages of another.

Against an app server whose PDFs a worker renders (`bench/run` starts one on a Redis of its
own, at `nice 10` with one process, as `make worker` does): in each of several rounds, the
login page and a questionnaire step of another organisation's respondent are first timed alone
for a while (quiet), then while one viewer opens the PDF of a draft in 12 tabs at once (burst).
Each tab does what the waiting page does: it asks for the PDF, polls the status address the
page names on the schedule of `static/js/pdf_progress.js`, and downloads the PDF when it is
ready. Quiet and burst windows alternate, so a machine that other work slows down slows both;
the figure that counts is each round's ratio of the burst p95 to the quiet p95, and the median
of those ratios over the rounds. The target (issue 30): within 2×.
"""

import argparse
import html
import http.client
import json
import random
import re
import statistics
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

from assessments.models import Assessment, Organisation
from bench import BenchError
from bench.data import bench_username
from bench.session import LOOPBACK, Session
from reports.models import RenderedDocument

TABS = 12
ROUNDS = 5
WINDOW_SECONDS = 10
TARGET_RATIO = 2.0
POLL_URL = re.compile(r'data-poll-url="([^"]+)"')


def _connection(base_url: str) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    if parts.hostname not in LOOPBACK:
        raise BenchError("The benchmark only sends requests to loopback addresses.")
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)


def _get(connection, path: str, cookie: str = "", accept: str = "text/html") -> tuple[int, bytes]:
    for attempt in (1, 2):
        try:
            connection.request("GET", path, headers={"Cookie": cookie, "Accept": accept})
            response = connection.getresponse()
            return response.status, response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # A server that keeps connections alive closes idle ones (gunicorn's gthread after
            # 2 s); a browser then asks again on a new connection, and so does this.
            connection.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.95 * (len(ordered) - 1))]


def poll_delay(tries: int) -> float:
    """Seconds before poll number `tries` + 1, as static/js/pdf_progress.js waits."""
    return min(1.0 + 0.25 * (tries + 1), 3.0) * (1 + 0.2 * random.random())


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
    """One browser tab: ask for the PDF, poll the page's status address, download when ready."""
    connection = _connection(base_url)
    begin = time.perf_counter()
    status, body = _get(connection, path, cookie)
    statuses = [status]
    if status != 200:
        found = POLL_URL.search(body.decode())
        if status != 202 or found is None:
            raise BenchError(f"The PDF's first answer was {status} without a status to poll.")
        poll_url = html.unescape(found.group(1))
    while status != 200:
        time.sleep(poll_delay(len(statuses) - 1))
        status, body = _get(connection, poll_url, cookie, accept="application/json")
        statuses.append(status)
        if status not in {200, 202}:
            raise BenchError(f"The status poll answered {status}.")
        answer = json.loads(body)
        if answer["status"] == "ready":
            status, body = _get(connection, answer.get("document_url") or path, cookie)
            statuses.append(status)
        else:
            status = 0  # not ready yet: go on polling
        if time.perf_counter() - begin > 300:
            raise BenchError("The PDF was not ready within 5 minutes: is a worker running?")
    with lock:
        outcome.setdefault("seconds_to_pdf", []).append(time.perf_counter() - begin)
        outcome.setdefault("requests", []).append(len(statuses))
        outcome.setdefault("pdf_bytes", []).append(len(body))


def _burst(base_url: str, pdf_path: str, cookie: str, pages) -> tuple[dict, dict]:
    """12 tabs at once while the pages load, until every tab has its PDF (at least 10 s)."""
    outcome: dict = {}
    lock = threading.Lock()
    tabs = [
        threading.Thread(target=_tab, args=(base_url, pdf_path, cookie, outcome, lock))
        for _ in range(TABS)
    ]
    started = time.perf_counter()
    for tab in tabs:
        tab.start()
    loaded = _timed_pages(
        base_url,
        pages,
        lambda: (
            time.perf_counter() - started > WINDOW_SECONDS and not any(t.is_alive() for t in tabs)
        ),
    )
    for tab in tabs:
        tab.join()
    if len(outcome.get("seconds_to_pdf", [])) != TABS:
        raise BenchError("Not every tab got its PDF (see the error above).")
    return loaded, outcome


def _quiet(base_url: str, pages) -> dict:
    started = time.perf_counter()
    return _timed_pages(base_url, pages, lambda: time.perf_counter() - started > WINDOW_SECONDS)


def measure(base_url: str, rounds: int = ROUNDS) -> dict:
    """Alternate quiet and burst windows `rounds` times; print and return the figures."""
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
    pdf_path = f"/assessments/{draft_a.pk}/report.pdf"

    # Warm-up: every web worker's first request, and the worker's first render (its WeasyPrint
    # import), which no later ask pays.
    _forget_pdfs(draft_a)
    _timed_pages(base_url, pages, _rounds(3))
    _tab(base_url, pdf_path, viewer.cookie_header(), {}, threading.Lock())

    results: dict = {"tabs": TABS, "window_seconds": WINDOW_SECONDS, "rounds": []}
    for number in range(1, rounds + 1):
        quiet = _quiet(base_url, pages)
        _forget_pdfs(draft_a)  # the burst asks for a PDF that is not there yet
        loaded, outcome = _burst(base_url, pdf_path, viewer.cookie_header(), pages)
        measured: dict = {
            "seconds_to_pdf_max": round(max(outcome["seconds_to_pdf"]), 2),
            "requests_per_tab_max": max(outcome["requests"]),
        }
        for path, name in names.items():
            before, during = _p95(quiet[path]), _p95(loaded[path])
            measured[name] = {
                "quiet_p95_ms": round(before, 1),
                "quiet_median_ms": round(statistics.median(quiet[path]), 1),
                "quiet_requests": len(quiet[path]),
                "burst_p95_ms": round(during, 1),
                "burst_median_ms": round(statistics.median(loaded[path]), 1),
                "burst_requests": len(loaded[path]),
                "ratio": round(during / before, 2),
            }
        results["rounds"].append(measured)
        figures = [
            f"{name} {item['quiet_p95_ms']:.0f} → {item['burst_p95_ms']:.0f} ms ({item['ratio']}×)"
            for name, item in ((name, measured[name]) for name in names.values())
        ]
        print(
            f"round {number}: {'  '.join(figures)}  "
            f"PDF in all 12 tabs after {measured['seconds_to_pdf_max']} s",
            flush=True,
        )
    results["median_ratio"] = {}
    for name in names.values():
        ratio = statistics.median(item[name]["ratio"] for item in results["rounds"])
        results["median_ratio"][name] = round(ratio, 2)
        print(
            f"{name:<10} median of {rounds} ratios burst p95 / quiet p95: {ratio:.2f}× "
            f"(target ≤ {TARGET_RATIO}×: {'met' if ratio <= TARGET_RATIO else 'NOT met'})"
        )
    return results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", default="http://127.0.0.1:18766")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--output", help="the JSON file (default: bench/results/<today>-pdf-burst.json)"
    )


def run(*, base_url: str, rounds: int, output: str | None) -> None:
    """Measure the burst; write the figures to a bench/results file."""
    results = measure(base_url, rounds)
    out = (
        Path(output)
        if output
        else (
            settings.BASE_DIR / "bench" / "results" / f"{date.today().isoformat()}-pdf-burst.json"
        )
    )
    out.write_text(json.dumps(results, indent=2))
    print(f"Written to {out}")
