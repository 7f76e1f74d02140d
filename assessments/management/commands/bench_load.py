"""The load half of `make bench`: bounded loads against a running server on loopback.

GET endpoints are driven by wrk (`bench/sessions.lua`): a load tool in Python used about 0.6 ms
of CPU per request on the same two cores as the server, a sixteenth of the server's own share,
and its threads queued behind the GIL, which showed up in the latencies. The step save needs a
fresh form (CSRF token and revisions) for every request, so it keeps a loop in Python.
"""

import http.client
import json
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.management.commands.bench_data import BENCH_PASSWORD, bench_assessment
from assessments.models import Assessment, Membership, Organisation
from assessments.selectors import assessment_answer_states
from maturity.models import ModelVersion
from maturity.selectors import model_version_structure

REVISION_FIELD = re.compile(rb'name="([a-z0-9-]+)-revision" value="(\d+)"')
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    """One logged-in user on one keep-alive connection, handling cookies by hand."""

    def __init__(self, base_url: str, username: str) -> None:
        parts = urlsplit(base_url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise CommandError("The benchmark only sends requests to loopback addresses.")
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.cookies: dict[str, str] = {}
        page = self.request("GET", "/accounts/login/")[1]
        token = CSRF_FIELD.search(page).group(1).decode()
        status, _body = self.request(
            "POST",
            "/accounts/login/",
            {"username": username, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": token},
        )
        if status != 302:
            raise CommandError(f"Could not log in as {username} (status {status}).")

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie_header()}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, content


def step_form(page: bytes, criteria_values: str) -> dict:
    form = {"action": "save", "csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1).decode()}
    for key, revision in REVISION_FIELD.findall(page):
        form[f"{key.decode()}-value"] = criteria_values
        form[f"{key.decode()}-revision"] = revision.decode()
    return form


class Command(BaseCommand):
    help = "Measure requests/s and latency per endpoint at several concurrencies (loopback only)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:18765")
        parser.add_argument("--seconds", type=int, default=8)
        parser.add_argument("--concurrency", default="1,8,32")
        parser.add_argument(
            "--endpoints",
            default="",
            help="Comma-separated names, e.g. 'questionnaire step GET'; all when empty.",
        )

    def handle(
        self, *args, base_url: str, seconds: int, concurrency: str, endpoints: str, **options
    ):
        organisations = list(Organisation.objects.order_by("slug").values_list("pk", "slug"))
        drafts = dict(
            Assessment.objects.filter(status="draft").values_list("organisation_id", "pk")
        )
        latest = {}
        for org_id, pk in (
            Assessment.objects.filter(status="submitted")
            .order_by("submitted_at")
            .values_list("organisation_id", "pk")
        ):
            latest[org_id] = pk
        chosen = [name.strip() for name in endpoints.split(",") if name.strip()]
        endpoints = {
            "questionnaire step GET": (
                "respondent-1",
                lambda organisation_id: f"/assessments/{drafts[organisation_id]}/step/1/",
            ),
            "questionnaire step POST": ("respondent-2", None),
            "report GET": (
                "viewer-3",
                lambda organisation_id: f"/assessments/{latest[organisation_id]}/report/",
            ),
            "result.json GET": (
                "viewer-4",
                lambda organisation_id: f"/assessments/{latest[organisation_id]}/result.json",
            ),
            "dashboard GET": ("viewer-3", lambda organisation_id: "/"),
        }
        unknown = set(chosen) - set(endpoints)
        if unknown:
            raise CommandError(f"Unknown endpoints {sorted(unknown)}; known: {sorted(endpoints)}.")
        if chosen:
            endpoints = {name: endpoints[name] for name in chosen}
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is not installed (Debian package wrk); bench/run installs it.")
        results = {
            "date": date.today().isoformat(),
            "endpoints": [],
            "queries": self.query_counts(),
        }
        for level in [int(n) for n in concurrency.split(",")]:
            for name, (role, path) in endpoints.items():
                if path is None:
                    stats = self.measure_step_save(
                        base_url, organisations[:level], role, drafts, seconds
                    )
                else:
                    stats = self.measure_get(
                        wrk, base_url, organisations[:level], role, path, seconds
                    )
                stats.update({"endpoint": name, "concurrency": level})
                results["endpoints"].append(stats)
                self.stdout.write(
                    f"{name:<26} c={level:<3} {stats['requests_per_second']:>8.1f} req/s  "
                    f"median {stats['median_ms']:>6.1f} ms  p95 {stats['p95_ms']:>6.1f} ms  "
                    f"errors {stats['errors']}"
                )
        if chosen:
            self.stdout.write("Not all endpoints measured: bench/results left as it was.")
            return
        out = Path(settings.BASE_DIR) / "bench" / "results" / f"{date.today().isoformat()}.json"
        out.write_text(json.dumps(results, indent=2))
        self.stdout.write(f"Written to {out.relative_to(settings.BASE_DIR)}")

    def measure_get(self, wrk, base_url, organisations, role, path, seconds) -> dict:
        """GET requests with wrk: one thread, connection and logged-in user per client."""
        # Logging in hashes a password per user: done before the clock starts, in parallel.
        with ThreadPoolExecutor(max_workers=8) as pool:
            sessions = list(
                pool.map(
                    lambda organisation: Session(
                        base_url, f"o{organisation[1].rsplit('-', 1)[-1]}-{role}"
                    ),
                    organisations,
                )
            )
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as clients:
            for (organisation_id, _slug), session in zip(organisations, sessions, strict=True):
                clients.write(f"{path(organisation_id)} {session.cookie_header()}\n")
            clients.flush()
            level = str(len(organisations))
            run = subprocess.run(  # noqa: S603  (wrk from PATH, arguments of our own)
                [
                    wrk,
                    "--threads",
                    level,
                    "--connections",
                    level,
                    "--duration",
                    f"{seconds}s",
                    "--timeout",
                    "30s",
                    "--script",
                    str(Path(settings.BASE_DIR) / "bench" / "sessions.lua"),
                    base_url,
                    "--",
                    clients.name,
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
            )
        if run.returncode != 0:
            raise CommandError(f"wrk failed ({run.returncode}): {run.stderr or run.stdout}")
        summary = json.loads(run.stdout.strip().splitlines()[-1])
        return {
            "requests": summary["requests"],
            "requests_per_second": summary["requests"] / summary["seconds"],
            "median_ms": summary["median_ms"],
            "p95_ms": summary["p95_ms"],
            "errors": summary["errors"],
        }

    def measure_step_save(self, base_url, organisations, role, drafts, seconds) -> dict:
        """Step saves from Python threads: each loads the step, then posts changed answers."""
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        deadline = [0.0]
        ready = threading.Barrier(len(organisations) + 1)
        start_signal = threading.Event()

        def worker(org_id: int, slug: str) -> None:
            number = slug.rsplit("-", 1)[-1]
            session = Session(base_url, f"o{number}-{role}")
            ready.wait()
            start_signal.wait()
            mine, failed = [], 0
            value = "1"
            path = f"/assessments/{drafts[org_id]}/step/2/"
            while time.perf_counter() < deadline[0]:
                page = session.request("GET", path)[1]
                value = "3" if value == "1" else "1"
                form = step_form(page, value)
                start = time.perf_counter()
                status, _ = session.request("POST", path, form)
                mine.append(time.perf_counter() - start)
                failed += 0 if status == 302 else 1
            with lock:
                latencies.extend(mine)
                errors[0] += failed

        threads = [threading.Thread(target=worker, args=o) for o in organisations]
        for thread in threads:
            thread.start()
        # Logging in hashes a password per thread: the clock starts once every thread is in.
        ready.wait()
        deadline[0] = time.perf_counter() + seconds
        start_signal.set()
        for thread in threads:
            thread.join()
        latencies.sort()
        count = len(latencies)
        return {
            "requests": count,
            "requests_per_second": count / seconds,
            "median_ms": 1000 * statistics.median(latencies) if latencies else 0,
            "p95_ms": 1000 * latencies[int(0.95 * (count - 1))] if latencies else 0,
            "errors": errors[0],
        }

    def query_counts(self) -> dict:
        """SQL queries per request, measured in-process, at 160 and at 40 criteria."""
        counts = {}
        for slug in ("gemeente-000", "gemeente-001"):
            organisation = Organisation.objects.get(slug=slug)
            criteria = organisation.assessments.first().model_version.criteria.count()
            client = Client()
            client.force_login(
                organisation.memberships.get(role="respondent", user__username__endswith="-1").user
            )
            draft = organisation.assessments.get(status="draft")
            report = (
                organisation.assessments.filter(status="submitted")
                .order_by("-submitted_at")
                .first()
            )
            for name, url in (
                ("questionnaire step GET", f"/assessments/{draft.pk}/step/1/"),
                ("report GET", f"/assessments/{report.pk}/report/"),
                ("result.json GET", f"/assessments/{report.pk}/result.json"),
                ("dashboard GET", "/"),
            ):
                client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                counts[f"{name} ({criteria} criteria)"] = len(queries)
                assert response.status_code == 200, (url, response.status_code)
            with transaction.atomic():
                data = step_post_with_one_change(draft)
                with CaptureQueriesContext(connection) as queries:
                    response = client.post(f"/assessments/{draft.pk}/step/1/", data)
                assert response.status_code == 302, response.status_code
                counts[f"questionnaire step POST ({criteria} criteria)"] = len(queries)
                transaction.set_rollback(True)
        counts.update(self.history_query_counts())
        for name, value in counts.items():
            self.stdout.write(f"queries: {name:<52} {value}")
        return counts

    def history_query_counts(self) -> dict:
        """Report and dashboard queries for an organisation with 1 and with 10 past assessments.

        Both organisations are made inside a transaction that is rolled back afterwards, so the
        generated data stays as `bench_data` left it.
        """
        counts = {}
        structure = model_version_structure(version=ModelVersion.objects.get(slug="bench-160"))
        rng = random.Random(2026)
        now = timezone.now()
        with transaction.atomic():
            for past in (1, 10):
                organisation = Organisation.objects.create(
                    name=f"History {past}", slug=f"bench-history-{past}"
                )
                viewer = get_user_model().objects.create(username=f"bench-history-{past}")
                Membership.objects.create(
                    user=viewer, organisation=organisation, role=Membership.Role.VIEWER
                )
                for index in range(past):
                    latest = bench_assessment(
                        organisation=organisation,
                        structure=structure,
                        level=min(4, 1 + index // 3),
                        title=f"Meting {index + 1}",
                        moment=now - timedelta(days=90 * (past - index)),
                        submitted=True,
                        respondent=viewer,
                        rng=rng,
                    )
                client = Client()
                client.force_login(viewer)
                for name, url in (
                    ("report GET", f"/assessments/{latest.pk}/report/"),
                    ("dashboard GET", "/"),
                ):
                    for view in ("first view", "again"):
                        with CaptureQueriesContext(connection) as queries:
                            response = client.get(url)
                        assert response.status_code == 200, (url, response.status_code)
                        counts[f"{name} (history of {past}, {view})"] = len(queries)
            transaction.set_rollback(True)
        for name in ("report GET", "dashboard GET"):
            for view in ("first view", "again"):
                one, ten = (counts[f"{name} (history of {n}, {view})"] for n in (1, 10))
                if one != ten:
                    self.stderr.write(f"{name}, {view}: {one} queries with 1, {ten} with 10 past")
        return counts


def step_post_with_one_change(assessment: Assessment) -> dict:
    """The first step as it is stored, with the first answer changed: what a save sends."""
    structure = model_version_structure(version=assessment.model_version)
    states = assessment_answer_states(assessment=assessment)
    data = {"action": "save"}
    for index, criterion in enumerate(structure.criteria_of_dimension(structure.dimensions[0])):
        state = states.get(criterion.pk)
        value = state.value if state else ""
        if index == 0:
            value = "3" if value == "4" else "4"
        data[f"{criterion.key}-value"] = value
        data[f"{criterion.key}-comment"] = state.comment if state else ""
        data[f"{criterion.key}-revision"] = state.revision if state else 0
    return data
