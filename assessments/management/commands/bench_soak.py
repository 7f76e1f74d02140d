"""`make soak`: a bounded mixed load, worker memory over time, and one worker killed mid-load."""

import http.client
import os
import signal
import threading
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.management.commands.bench_load import Session, step_form
from assessments.models import Answer, Assessment, Organisation

CONNECTION_ERRORS = (http.client.HTTPException, ConnectionError, TimeoutError, OSError)


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers of a master process, from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The fields after the command name (which may hold spaces) start with state, ppid.
        if int(stat.rsplit(")", 1)[1].split()[1]) == master_pid:
            children.append(int(entry.name))
    return sorted(children)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Client:
    """One organisation's respondent: reads, saves its draft's step 2, remembers what committed."""

    def __init__(self, base_url: str, organisation: Organisation, draft_pk: int, report_pk: int):
        number = organisation.slug.rsplit("-", 1)[-1]
        self.base_url = base_url
        self.username = f"o{number}-respondent-1"
        self.session = Session(base_url, self.username)
        self.draft_pk = draft_pk
        self.report_pk = report_pk
        self.confirmed: str | None = None
        self.unconfirmed: str | None = None
        self.statuses: dict[int, int] = {}
        self.connection_errors = 0

    def call(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        try:
            status, body = self.session.request(method, path, form)
        except CONNECTION_ERRORS:
            self.session.connection.close()
            self.connection_errors += 1
            return 0, b""
        self.statuses[status] = self.statuses.get(status, 0) + 1
        return status, body

    def round(self) -> None:
        step = f"/assessments/{self.draft_pk}/step/2/"
        status, page = self.call("GET", step)
        if status == 200:
            value = "1" if self.confirmed == "3" else "3"
            self.unconfirmed = value
            if self.call("POST", step, step_form(page, value))[0] == 302:
                self.confirmed, self.unconfirmed = value, None
        self.call("GET", f"/assessments/{self.report_pk}/report/")
        self.call("GET", f"/assessments/{self.report_pk}/result.json")
        self.call("GET", "/")


class Command(BaseCommand):
    help = "Soak: mixed load for a fixed time, worker memory, and a worker killed halfway."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:18765")
        parser.add_argument("--master-pid", type=int, required=True)
        parser.add_argument("--seconds", type=float, default=600)
        parser.add_argument("--concurrency", type=int, default=16)

    def handle(self, *args, base_url, master_pid, seconds, concurrency, **options):
        organisations = list(Organisation.objects.order_by("slug")[:concurrency])
        clients = []
        for organisation in organisations:
            assessments = organisation.assessments.order_by("created_at")
            draft = assessments.get(status=Assessment.Status.DRAFT)
            report = assessments.filter(status=Assessment.Status.SUBMITTED).last()
            clients.append(Client(base_url, organisation, draft.pk, report.pk))
        deadline = time.monotonic() + seconds
        stop = threading.Event()

        def run(client: Client) -> None:
            while time.monotonic() < deadline and not stop.is_set():
                client.round()

        threads = [threading.Thread(target=run, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        samples: list[tuple[float, dict[int, int]]] = []
        killed = None
        started = time.monotonic()
        while any(t.is_alive() for t in threads):
            elapsed = time.monotonic() - started
            pids = worker_pids(master_pid)
            samples.append((elapsed, {pid: rss_kib(pid) for pid in pids}))
            if killed is None and elapsed >= seconds / 2 and pids:
                killed = pids[0]
                os.kill(killed, signal.SIGKILL)
                self.stdout.write(f"{elapsed:5.0f} s: killed worker {killed}")
            time.sleep(min(15, max(1.0, seconds / 40)))
        for thread in threads:
            thread.join()

        statuses: dict[int, int] = {}
        for client in clients:
            for status, count in client.statuses.items():
                statuses[status] = statuses.get(status, 0) + count
        server_errors = sum(n for status, n in statuses.items() if status >= 500)
        connection_errors = sum(c.connection_errors for c in clients)
        self.stdout.write(f"responses by status: {dict(sorted(statuses.items()))}")
        self.stdout.write(
            f"5xx: {server_errors}; connections cut (killed worker): {connection_errors}"
        )

        lost = []
        for client in clients:
            stored = set(
                Answer.objects.filter(
                    assessment_id=client.draft_pk, criterion__dimension__order=2
                ).values_list("value", flat=True)
            )
            allowed = {client.confirmed, client.unconfirmed} - {None}
            if client.confirmed is not None and not stored <= allowed:
                lost.append(f"{client.username}: stored {stored}, committed {client.confirmed}")
        self.stdout.write(f"committed answers lost: {len(lost)}")
        for line in lost:
            self.stdout.write(f"  {line}")

        growth = self.memory_report(samples, killed, seconds)
        if server_errors or lost or growth:
            raise CommandError("Soak failed: see above.")
        self.stdout.write(self.style.SUCCESS("Soak passed."))

    def memory_report(self, samples, killed, seconds) -> list[str]:
        """Per worker, memory after the first fifth of its life against its last sample."""
        lives: dict[int, list[tuple[float, int]]] = {}
        for elapsed, by_pid in samples:
            for pid, rss in by_pid.items():
                if rss:
                    lives.setdefault(pid, []).append((elapsed, rss))
        problems = []
        for pid, life in lives.items():
            if len(life) < 5:
                continue
            settled = life[len(life) // 5][1]
            last = life[-1][1]
            note = " (killed)" if pid == killed else ""
            self.stdout.write(
                f"worker {pid}{note}: {settled / 1024:.1f} MiB after warm-up, "
                f"{last / 1024:.1f} MiB at the end, over {life[-1][0] - life[0][0]:.0f} s"
            )
            # Allowance for caches that fill once (templates, model structures, rendered reports).
            if last > settled * 1.10 + 4096:
                problems.append(f"worker {pid} grew from {settled} to {last} KiB")
        for line in problems:
            self.stdout.write(line)
        return problems
