"""The load of `make bench`: requests/s and latency per endpoint against a server on loopback.

GET endpoints and the autosave are driven by wrk (`bench/sessions.lua`, whose autosave sends
the revision the last save returned): a load tool in Python used about 0.6 ms of CPU
per request on the same two cores as the server, a sixteenth of the server's own share, and its
threads queued behind the GIL, which showed up in the latencies. The step save and adding an
action need a fresh form (CSRF token, revisions) for every request, so they keep a loop in Python.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db.models import Count

from assessments.models import Assessment, Organisation
from bench import BenchError
from bench.data import BENCH_GROUP
from bench.pdf import measure_pdf
from bench.queries import measure_in_process
from bench.session import (
    CSRF_FIELD,
    REVISION_FIELD,
    Session,
    fetch_status,
    log_in,
    step_form,
)
from trajectories.models import Coach, TrajectoryMember

BENCH_DIR = Path(__file__).resolve().parent
STEP_SAVE = "questionnaire step POST"
COMPARE = "compare GET"
AUTOSAVE = "autosave POST"
ADD_ACTION = "add action POST"
# Warm-up rounds of a path that still answers 202 (its PDF being rendered), half a second apart.
PENDING_TRIES = 40


@dataclass(frozen=True)
class Endpoint:
    """What one endpoint's load does: which user of each organisation requests which path."""

    role: str
    path: Callable[[int], str]
    # For a save: the loop of one client (session, path, start barrier, clock) in Python.
    loop: Callable | None = None
    # The concurrency levels it is measured at; empty: every level asked for.
    levels: tuple[int, ...] = ()
    # Rounds of warm-up before the clock starts (to fill every worker's caches): see `warm_up`.
    warm_up: int = 0
    # The organisations (ids) whose users are its clients, first by slug; None: every one.
    organisations: frozenset[int] | None = None
    # For wrk: a client's line of bench/sessions.lua's clients file from the client's session
    # and path (None: "<path> <cookie header>", GET requests of the path).
    client_line: Callable[[Session, str], str] | None = None


def endpoints(
    *,
    drafts: dict[int, int],
    latest: dict[int, int],
    compared: dict[int, int] | None = None,
    trajectories: dict[int, int] | None = None,
    coaches: frozenset[int] = frozenset(),
) -> dict[str, Endpoint]:
    """Every endpoint under load by name; paths are per organisation id.

    `compared` maps the organisations whose draft has several perspectives to that draft;
    `trajectories` the members of the bench's group trajectory to it; `coaches` are the
    organisations whose `admin-0` coaches 30 trajectories (bench.data.bench_coach_trajectories).
    """
    compared = compared or {}
    trajectories = trajectories or {}
    return {
        "questionnaire step GET": Endpoint(
            "respondent-1", lambda org: f"/assessments/{drafts[org]}/step/1/"
        ),
        STEP_SAVE: Endpoint(
            "respondent-2", lambda org: f"/assessments/{drafts[org]}/step/2/", save_loop
        ),
        # The admin answers on step 3, out of the way of the step save's respondent on step 2.
        AUTOSAVE: Endpoint(
            "admin-0",
            lambda org: f"/assessments/{drafts[org]}/step/3/",
            levels=(1, 8),
            client_line=autosave_client,
        ),
        # The target is for the cached report (issue 19): every worker renders each client's
        # report once before the clock starts (the first view's cost is measured in process).
        "report GET": Endpoint(
            "viewer-3", lambda org: f"/assessments/{latest[org]}/report/", warm_up=2
        ),
        # Since issue 30 a draft's PDF is stored per answers' revision (by the worker, here in
        # the request: bench/run's first gunicorn has no broker), so after the warm-up this
        # measures serving the stored file; the render itself is measured by bench/pdf.py and
        # the web side under a render burst by bench/pdf_burst.py.
        "report PDF GET (cold)": Endpoint(
            "viewer-3", lambda org: f"/assessments/{drafts[org]}/report.pdf", warm_up=1
        ),
        # A submitted assessment's PDF, in every worker's cache before the clock starts.
        "report PDF GET (cached)": Endpoint(
            "viewer-3", lambda org: f"/assessments/{latest[org]}/report.pdf", warm_up=2
        ),
        "result.json GET": Endpoint(
            "viewer-4", lambda org: f"/assessments/{latest[org]}/result.json"
        ),
        "dashboard GET": Endpoint("viewer-3", lambda org: "/"),
        "action plan GET": Endpoint("viewer-4", lambda org: "/actions/?status=all"),
        ADD_ACTION: Endpoint("respondent-1", lambda org: "/actions/new/", add_action_loop),
        # The bench data makes every `viewer-4` a sector analyst too.
        "sector view GET": Endpoint("viewer-4", lambda org: "/benchmark/sector/"),
        # Four perspectives × 160 criteria (bench.data), as a respondent: every row has its
        # "Settle" link, the heavier page.
        COMPARE: Endpoint(
            "respondent-1",
            lambda org: f"/assessments/{compared[org]}/compare/",
            organisations=frozenset(compared),
        ),
        # Issue 35: the board of a 40-member trajectory (bench.data.bench_trajectory), as a
        # member's viewer; every worker computes and renders it once before the clock starts.
        "group board GET": Endpoint(
            "viewer-3",
            lambda org: f"/trajectories/{trajectories[org]}/",
            organisations=frozenset(trajectories),
            warm_up=2,
        ),
        # Issue 35: the overview of a coach with 30 trajectories (members, invitations and the
        # next session of each), one coach per client.
        "coach trajectories GET": Endpoint(
            "admin-0",
            lambda org: "/trajectories/",
            organisations=coaches,
            levels=(1, 8),
            warm_up=1,
        ),
    }


def chosen_endpoints(names: str) -> dict[str, Endpoint]:
    """The endpoints named in `names` (comma-separated), all when it is empty."""
    drafts = dict(Assessment.objects.filter(status="draft").values_list("organisation_id", "pk"))
    latest = dict(
        Assessment.objects.filter(status="submitted")
        .order_by("submitted_at")
        .values_list("organisation_id", "pk")
    )
    compared = dict(
        Assessment.objects.filter(status="draft")
        .annotate(perspective_count=Count("perspectives"))
        .filter(perspective_count__gt=1)
        .values_list("organisation_id", "pk")
    )
    trajectories = dict(
        TrajectoryMember.objects.filter(
            status=TrajectoryMember.Status.ACCEPTED, trajectory__name=BENCH_GROUP
        ).values_list("organisation_id", "trajectory_id")
    )
    coaches = frozenset(
        Coach.objects.filter(user__username__endswith="-admin-0").values_list(
            "trajectory__coach_organisation_id", flat=True
        )
    )
    known = endpoints(
        drafts=drafts,
        latest=latest,
        compared=compared,
        trajectories=trajectories,
        coaches=coaches,
    )
    chosen = [name.strip() for name in names.split(",") if name.strip()]
    unknown = set(chosen) - set(known)
    if unknown:
        raise BenchError(f"Unknown endpoints {sorted(unknown)}; known: {sorted(known)}.")
    return {name: known[name] for name in chosen} if chosen else known


def wrk_command(*, wrk: str, level: int, seconds: int, base_url: str, clients: str) -> list[str]:
    """wrk with one thread and one connection per client, each client a line of `clients`."""
    return [
        wrk,
        *("--threads", str(level), "--connections", str(level)),
        *("--duration", f"{seconds}s", "--timeout", "30s"),
        *("--script", str(BENCH_DIR / "sessions.lua"), base_url, "--", clients),
    ]


def autosave_client(session: Session, path: str) -> str:
    """The autosave of the first answer on the step at `path`, as bench/sessions.lua reads it."""
    page = session.request("GET", path)[1]
    key, revision = (part.decode() for part in REVISION_FIELD.search(page).groups())
    url = path.split("/step/")[0] + f"/answers/{key}/"
    return f"autosave {url} {revision} {session.cookies['csrftoken']} {session.cookie_header()}"


def warm_up(
    *, requests: list[tuple[str, str]], rounds: int, workers: int, fetch: Callable[[str, str], int]
) -> None:
    """Fill every worker's per-process cache for each (path, cookie header) before the clock.

    Requests sent one after another mostly land on the same gunicorn worker (the one that just
    answered is the first back at accept), so a sequential warm-up left the other worker cold:
    its first timed request rendered anew, and wrk's correction for coordinated omission (it adds
    the requests a slow one held up) turned that one slow request into the p95 (cached PDF at
    c=1: median 5.3 ms, p95 137.5 ms on 2026-12-05). So each round sends `workers` requests per
    path at once, each on a connection of its own (`fetch(path, cookie)` returns the status):
    while one worker renders, another must take the next.

    A PDF is rendered after the request that asks for it (issue 30): that request and any other
    arriving meanwhile answer 202 with the waiting page, so a round is repeated, a little later,
    until every answer is 200 (at most `PENDING_TRIES` times). Any other status stops the run.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(rounds):
            for path, cookie in requests:
                for _try in range(PENDING_TRIES):
                    statuses = set(pool.map(fetch, [path] * workers, [cookie] * workers))
                    if statuses != {200, 202} and statuses != {202}:
                        break
                    time.sleep(0.5)
                if statuses != {200}:
                    raise BenchError(f"Warm-up of {path} answered {sorted(statuses)}.")


def measure_get(
    *,
    wrk: str,
    base_url: str,
    organisations: list[tuple[int, str]],
    endpoint: Endpoint,
    seconds: int,
    workers: int,
) -> dict:
    """Requests with wrk: one thread, connection and logged-in user per client."""
    sessions = log_in(
        base_url=base_url, organisation_slugs=[s for _pk, s in organisations], role=endpoint.role
    )
    warm_up(
        requests=[
            (endpoint.path(organisation_id), session.cookie_header())
            for (organisation_id, _slug), session in zip(organisations, sessions, strict=True)
        ],
        rounds=endpoint.warm_up,
        workers=workers,
        fetch=lambda path, cookie: fetch_status(base_url, path, cookie),
    )
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as clients:
        for (organisation_id, _slug), session in zip(organisations, sessions, strict=True):
            path = endpoint.path(organisation_id)
            line = endpoint.client_line or (lambda s, p: f"{p} {s.cookie_header()}")
            clients.write(f"{line(session, path)}\n")
        clients.flush()
        command = wrk_command(
            wrk=wrk,
            level=len(organisations),
            seconds=seconds,
            base_url=base_url,
            clients=clients.name,
        )
        # wrk from PATH, arguments of our own.
        run = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, timeout=seconds + 60
        )
    if run.returncode != 0:
        raise BenchError(f"wrk failed ({run.returncode}): {run.stderr or run.stdout}")
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    return {
        "requests": summary["requests"],
        "requests_per_second": summary["requests"] / summary["seconds"],
        "median_ms": summary["median_ms"],
        "p95_ms": summary["p95_ms"],
        "errors": summary["errors"],
    }


def action_form(page: bytes, value: str) -> dict:
    """A new action as the form on `page` takes it: due in a month, owned by a service."""
    return {
        "csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1).decode(),
        "title": f"Bench action {value}",
        "owner_name": "bench",
        "due_date": date.fromordinal(date.today().toordinal() + 30).isoformat(),
        "status": "planned",
    }


def save_loop(
    session: Session, path: str, start: threading.Barrier, clock: dict, form_for=step_form
) -> tuple:
    """Load the page and post a changed form until the deadline; the POST latencies, failures."""
    start.wait()
    latencies, failed = [], 0
    value = "1"
    while time.perf_counter() < clock["deadline"]:
        page = session.request("GET", path)[1]
        value = "3" if value == "1" else "1"
        form = form_for(page, value)
        begin = time.perf_counter()
        status, _ = session.request("POST", path, form)
        latencies.append(time.perf_counter() - begin)
        failed += 0 if status == 302 else 1
    return latencies, failed


def add_action_loop(session: Session, path: str, start: threading.Barrier, clock: dict) -> tuple:
    """Load the new-action form and add an action until the deadline; latencies, failures."""
    return save_loop(session, path, start, clock, form_for=action_form)


def measure_saves(
    *, base_url: str, organisations: list[tuple[int, str]], endpoint: Endpoint, seconds: int
) -> dict:
    """Saves from Python threads, one client per organisation, each running the endpoint's loop."""
    sessions = log_in(
        base_url=base_url, organisation_slugs=[s for _pk, s in organisations], role=endpoint.role
    )
    paths = [endpoint.path(organisation_id) for organisation_id, _slug in organisations]
    clock: dict[str, float] = {}
    # The clock starts once every thread is in.
    start = threading.Barrier(
        len(sessions), action=lambda: clock.update(deadline=time.perf_counter() + seconds)
    )
    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        outcomes = list(pool.map(lambda s, p: endpoint.loop(s, p, start, clock), sessions, paths))
    latencies = sorted(latency for mine, _failed in outcomes for latency in mine)
    count = len(latencies)
    return {
        "requests": count,
        "requests_per_second": count / seconds,
        "median_ms": 1000 * statistics.median(latencies) if latencies else 0,
        "p95_ms": 1000 * latencies[int(0.95 * (count - 1))] if latencies else 0,
        "errors": sum(failed for _mine, failed in outcomes),
    }


def endpoint_clients(
    organisations: list[tuple[int, str]], *, endpoint: Endpoint, level: int
) -> list[tuple[int, str]]:
    """The first `level` organisations (id, slug) the endpoint takes its clients from."""
    if endpoint.organisations is not None:
        organisations = [o for o in organisations if o[0] in endpoint.organisations]
    return organisations[:level]


def measure_load(
    *, base_url: str, seconds: int, levels: list[int], chosen: dict[str, Endpoint], workers: int
) -> list[dict]:
    """Every chosen endpoint at every concurrency level, printed as it is measured."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise BenchError("wrk is not installed (Debian package wrk); bench/run installs it.")
    organisations = list(Organisation.objects.order_by("slug").values_list("pk", "slug"))
    measured = []
    for level in levels:
        for name, endpoint in chosen.items():
            if endpoint.levels and level not in endpoint.levels:
                continue
            clients = endpoint_clients(organisations, endpoint=endpoint, level=level)
            if endpoint.loop is not None:
                stats = measure_saves(
                    base_url=base_url, organisations=clients, endpoint=endpoint, seconds=seconds
                )
            else:
                stats = measure_get(
                    wrk=wrk,
                    base_url=base_url,
                    organisations=clients,
                    endpoint=endpoint,
                    seconds=seconds,
                    workers=workers,
                )
            stats.update({"endpoint": name, "concurrency": level})
            measured.append(stats)
            print(
                f"{name:<26} c={level:<3} {stats['requests_per_second']:>8.1f} req/s  "
                f"median {stats['median_ms']:>6.1f} ms  p95 {stats['p95_ms']:>6.1f} ms  "
                f"errors {stats['errors']}"
            )
    return measured


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", default="http://127.0.0.1:18765")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument(
        "--endpoints",
        default="",
        help="Comma-separated names, e.g. 'questionnaire step GET'; all when empty.",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="The server's worker processes: the warm-up fills each one's cache.",
    )
    parser.add_argument(
        "--scoring",
        type=Path,
        help="JSON written by `python -m bench scoring --output`, kept in the results file.",
    )


def run(
    *,
    base_url: str,
    seconds: int,
    concurrency: str,
    endpoints: str,
    workers: int,
    scoring: Path | None,
) -> None:
    """Measure in-process figures, then the load; write `bench/results/<date>.json` when whole."""
    chosen = chosen_endpoints(endpoints)
    queries, step_html = measure_in_process()
    pdf = measure_pdf()
    results = {
        "date": date.today().isoformat(),
        "scoring": json.loads(scoring.read_text()) if scoring else None,
        "step_html_bytes": step_html,
        "queries": queries,
        "pdf": pdf,
        "endpoints": measure_load(
            base_url=base_url,
            seconds=seconds,
            levels=[int(n) for n in concurrency.split(",")],
            chosen=chosen,
            workers=workers,
        ),
    }
    if endpoints:
        print("Not all endpoints measured: bench/results left as it was.")
        return
    out = BENCH_DIR / "results" / f"{results['date']}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"Written to {out.relative_to(settings.BASE_DIR)}")
