"""The load half of `make bench`: bounded request loops against a running server on loopback."""

import http.client
import json
import re
import statistics
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.management.commands.bench_data import BENCH_PASSWORD
from assessments.models import Assessment, Organisation

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

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
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
        parser.add_argument("--seconds", type=float, default=8.0)
        parser.add_argument("--concurrency", default="1,8,32")
        parser.add_argument(
            "--endpoints",
            default="",
            help="Comma-separated names, e.g. 'questionnaire step GET'; all when empty.",
        )

    def handle(
        self, *args, base_url: str, seconds: float, concurrency: str, endpoints: str, **options
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
                lambda s, o: ("GET", f"/assessments/{drafts[o]}/step/1/"),
            ),
            "questionnaire step POST": ("respondent-2", None),
            "report GET": ("viewer-3", lambda s, o: ("GET", f"/assessments/{latest[o]}/report/")),
            "result.json GET": (
                "viewer-4",
                lambda s, o: ("GET", f"/assessments/{latest[o]}/result.json"),
            ),
            "dashboard GET": ("viewer-3", lambda s, o: ("GET", "/")),
        }
        unknown = set(chosen) - set(endpoints)
        if unknown:
            raise CommandError(f"Unknown endpoints {sorted(unknown)}; known: {sorted(endpoints)}.")
        if chosen:
            endpoints = {name: endpoints[name] for name in chosen}
        results = {
            "date": date.today().isoformat(),
            "endpoints": [],
            "queries": self.query_counts(),
        }
        rows = []
        for level in [int(n) for n in concurrency.split(",")]:
            for name, (role, make) in endpoints.items():
                stats = self.measure(base_url, organisations[:level], role, make, drafts, seconds)
                stats.update({"endpoint": name, "concurrency": level})
                results["endpoints"].append(stats)
                rows.append(stats)
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

    def measure(self, base_url, organisations, role, make, drafts, seconds) -> dict:
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
            while time.perf_counter() < deadline[0]:
                if make is None:
                    page = session.request("GET", f"/assessments/{drafts[org_id]}/step/2/")[1]
                    value = "3" if value == "1" else "1"
                    form = step_form(page, value)
                    start = time.perf_counter()
                    status, _ = session.request(
                        "POST", f"/assessments/{drafts[org_id]}/step/2/", form
                    )
                    ok = status == 302
                else:
                    method, path = make(session, org_id)
                    start = time.perf_counter()
                    status, _ = session.request(method, path)
                    ok = status == 200
                mine.append(time.perf_counter() - start)
                failed += 0 if ok else 1
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
        for name, value in counts.items():
            self.stdout.write(f"queries: {name:<40} {value}")
        return counts
