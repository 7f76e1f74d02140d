"""Server CPU per questionnaire step GET, in process: one commit against another, interleaved.

Runs in the tree it measures (its working directory and its own virtualenv), so the same file
also measures an older commit: `cd <tree> && .venv/bin/python <this file> setup|measure …`.
It imports only what every commit since round 1 has (the bench model and assessment helpers, the
default model's loader), with the production settings and an SQLite file of its own:

    setup    migrate the database, then make one organisation with a respondent, a draft on a
             one-step model of 40 criteria (the bench model with one dimension) and a draft on
             the default model, both answered throughout as `make bench` answers its drafts;
    measure  call Django's WSGI handler directly (no test client, no server) with a signed-in
             session cookie: warm-up requests, then `--requests` GETs of each step page, timed
             with `time.process_time` (CPU of this process) and `time.perf_counter` (wall), and
             the SQL queries of one request counted. Prints one JSON object per page.

Settings as `bench/run` uses them: production, SSL redirect and secure cookies off, the request
log at WARNING (`DJANGO_REQUEST_LOG_LEVEL`); these are set here when not in the environment.
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "maturity.settings.production",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-step-cpu-not-used-elsewhere-0123456789",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_REQUEST_LOG_LEVEL": "WARNING",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_ASSETS": "cdn",
}
USERNAME = "step-cpu-respondent"
PAGES = ("40 criteria, one step", "default model, step 1")


def _setup_django() -> None:
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    sys.path.insert(0, str(Path.cwd()))
    import django

    django.setup()


def _bench_helpers():
    """bench_model and bench_assessment: a management command in round 1, `bench.data` since."""
    try:
        from bench.data import bench_assessment, bench_model
    except ImportError:
        from assessments.management.commands.bench_data import bench_assessment, bench_model
    return bench_model, bench_assessment


def setup() -> None:
    """A fresh schema and the two drafts (see the module docstring)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from assessments.models import Membership, Organisation
    from maturity.models import ModelVersion
    from maturity.selectors import model_version_structure

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_default_model", verbosity=0)
    bench_model, bench_assessment = _bench_helpers()
    with transaction.atomic():
        one_step = bench_model(slug="step-cpu-40", criteria_count=40, dimension_count=1)
        default = ModelVersion.objects.exclude(pk=one_step.pk).get()
        user = get_user_model().objects.create_user(username=USERNAME)
        organisation = Organisation.objects.create(name="Gemeente Stap", slug="gemeente-stap")
        Membership.objects.create(
            user=user, organisation=organisation, role=Membership.Role.RESPONDENT
        )
        rng = random.Random(2026)
        for title, version in (("Stap 40", one_step), ("Standaard", default)):
            bench_assessment(
                organisation=organisation,
                structure=model_version_structure(version=version),
                level=2,
                title=title,
                moment=timezone.now() - timedelta(days=1),
                submitted=False,
                respondent=user,
                rng=rng,
            )


def _session_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _paths() -> dict[str, str]:
    from assessments.models import Assessment

    by_title = {a.title: a.pk for a in Assessment.objects.all()}
    return {
        PAGES[0]: f"/assessments/{by_title['Stap 40']}/step/1/",
        PAGES[1]: f"/assessments/{by_title['Standaard']}/step/1/",
    }


def _get(application, path: str, cookie: str) -> tuple[int, int]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8107",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "HTTP_ACCEPT_LANGUAGE": "nl-BE,nl;q=0.9",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    response = application(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        size = sum(len(chunk) for chunk in response)
    finally:
        response.close()
    return int(status[0].split()[0]), size


class _QueryCounter:
    def __init__(self, queries: list[str]) -> None:
        self.queries = queries

    def __call__(self, execute, sql, params, many, context):
        self.queries.append(sql)
        return execute(sql, params, many, context)


def measure(*, requests: int, warmup: int, label: str) -> list[dict]:
    """CPU and wall time per step GET of each page, and its queries."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    application = get_wsgi_application()
    cookie = _session_cookie()
    results = []
    for page, path in _paths().items():
        for _ in range(warmup):
            status, size = _get(application, path, cookie)
            assert status == 200, (page, status)
        # Counted with a wrapper: the handler's request_started signal empties connection.queries.
        queries: list[str] = []
        with connection.execute_wrapper(_QueryCounter(queries)):
            _get(application, path, cookie)
        cpu, wall = [], []
        for _ in range(requests):
            c0, w0 = time.process_time(), time.perf_counter()
            _get(application, path, cookie)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        cpu.sort()
        results.append(
            {
                "label": label,
                "page": page,
                "requests": requests,
                "cpu_ms_median": round(statistics.median(cpu), 3),
                "cpu_ms_mean": round(statistics.fmean(cpu), 3),
                "cpu_ms_p95": round(cpu[int(0.95 * (len(cpu) - 1))], 3),
                "wall_ms_median": round(statistics.median(wall), 3),
                "queries": len(queries),
                "html_bytes": size,
                "load": os.getloadavg()[0],
            }
        )
    return results


def count(*, page: str, requests: int, warmup: int) -> None:
    """Only warm-up and ``requests`` GETs of one page, for an instruction count from outside.

    Under ``valgrind --tool=callgrind`` the CPU a request costs becomes an instruction count that
    does not depend on what else runs on the machine: the difference between a run with
    ``--requests N`` and one with ``--requests 0``, divided by N.
    """
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    cookie = _session_cookie()
    path = _paths()[page]
    for _ in range(warmup + requests):
        status, _size = _get(application, path, cookie)
        assert status == 200, (page, status)


def serve(*, warmup: int) -> None:
    """Answer lines ``<page> <n>`` on stdin with the CPU milliseconds of n GETs, as JSON."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    cookie = _session_cookie()
    paths = _paths()
    for path in paths.values():
        for _ in range(warmup):
            _get(application, path, cookie)
    print("ready", flush=True)
    for line in sys.stdin:
        page_index, n = (int(part) for part in line.split())
        path = paths[PAGES[page_index]]
        cpu = []
        for _ in range(n):
            started = time.process_time()
            status, _size = _get(application, path, cookie)
            cpu.append((time.process_time() - started) * 1000)
            assert status == 200, (path, status)
        print(json.dumps(cpu), flush=True)


def ping_pong(*, trees: list[str], rounds: int, batch: int, warmup: int) -> list[dict]:
    """Several trees, each in a `serve` process, take turns: ``batch`` requests each, per page.

    Turns of a few requests keep the trees under the same load from the rest of the machine,
    which on a shared machine moves the CPU time of a request more than the code does.
    """
    import subprocess

    processes = {}
    for tree in trees:
        label, directory, database = tree.split("=", 2)
        processes[label] = subprocess.Popen(  # noqa: S603  (our own trees, from the command line)
            [f"{directory}/.venv/bin/python", __file__, "serve", "--warmup", str(warmup)],
            cwd=directory,
            env={**os.environ, "DATABASE_URL": database},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
    for process in processes.values():
        assert process.stdout.readline().strip() == "ready"
    samples = {(label, page): [] for label in processes for page in PAGES}
    loads = []
    for round_number in range(rounds):
        order = list(processes) if round_number % 2 == 0 else list(reversed(processes))
        for page_index, page in enumerate(PAGES):
            for label in order:
                process = processes[label]
                process.stdin.write(f"{page_index} {batch}\n")
                process.stdin.flush()
                samples[label, page].extend(json.loads(process.stdout.readline()))
        loads.append(os.getloadavg()[0])
    for process in processes.values():
        process.stdin.close()
        process.wait()
    results = []
    for (label, page), cpu in samples.items():
        cpu.sort()
        results.append(
            {
                "label": label,
                "page": page,
                "requests": len(cpu),
                "cpu_ms_median": round(statistics.median(cpu), 3),
                "cpu_ms_mean": round(statistics.fmean(cpu), 3),
                "cpu_ms_p25": round(cpu[len(cpu) // 4], 3),
                "cpu_ms_p75": round(cpu[3 * len(cpu) // 4], 3),
                "load_min": min(loads),
                "load_max": max(loads),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "command", choices=("setup", "measure", "count", "serve", "ping-pong", "paths")
    )
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        help="ping-pong: label=directory=DATABASE_URL, once per tree",
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--page", choices=PAGES, default=PAGES[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--label", default=Path.cwd().name)
    options = parser.parse_args()
    if options.command == "ping-pong":
        for result in ping_pong(
            trees=options.tree, rounds=options.rounds, batch=options.batch, warmup=options.warmup
        ):
            print(json.dumps(result), flush=True)
        return
    _setup_django()
    if options.command == "setup":
        setup()
    elif options.command == "serve":
        serve(warmup=options.warmup)
    elif options.command == "count":
        count(page=options.page, requests=options.requests, warmup=options.warmup)
    elif options.command == "paths":
        print(json.dumps(_paths()))
    else:
        for result in measure(
            requests=options.requests, warmup=options.warmup, label=options.label
        ):
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
