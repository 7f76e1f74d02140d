"""Soak: a bounded mixed load, worker memory over time, and one gunicorn worker killed halfway.

Fails on any 5xx, any committed answer that is not in the database, or a worker growing more
than 10 % (+ 4 MiB) after warm-up.
"""

import argparse
import http.client
import os
import signal
import threading
import time
from pathlib import Path

from assessments.models import Answer, Assessment, Organisation, Perspective
from bench import BenchError
from bench.data import bench_username
from bench.session import Session, step_form

CONNECTION_ERRORS = (http.client.HTTPException, ConnectionError, TimeoutError, OSError)
Samples = list[tuple[float, dict[int, int]]]


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
    """Resident memory of a process in KiB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Client:
    """One organisation's respondent: reads, saves its draft's step 2, remembers what committed."""

    def __init__(self, base_url: str, organisation: Organisation, draft_pk: int, report_pk: int):
        self.username = bench_username(organisation_slug=organisation.slug, role="respondent-1")
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


def soak_clients(*, base_url: str, concurrency: int) -> list[Client]:
    """The respondents of the first `concurrency` organisations, logged in."""
    clients = []
    for organisation in Organisation.objects.order_by("slug")[:concurrency]:
        assessments = organisation.assessments.order_by("created_at")
        draft = assessments.get(status=Assessment.Status.DRAFT)
        report = assessments.filter(status=Assessment.Status.SUBMITTED).last()
        clients.append(Client(base_url, organisation, draft.pk, report.pk))
    return clients


def run_load(
    *, clients: list[Client], master_pid: int, seconds: float
) -> tuple[Samples, int | None]:
    """Every client in a loop until time is up; worker memory sampled, one worker killed halfway."""
    deadline = time.monotonic() + seconds

    def loop(client: Client) -> None:
        while time.monotonic() < deadline:
            client.round()

    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    samples: Samples = []
    killed = None
    started = time.monotonic()
    while any(t.is_alive() for t in threads):
        elapsed = time.monotonic() - started
        pids = worker_pids(master_pid)
        samples.append((elapsed, {pid: rss_kib(pid) for pid in pids}))
        if killed is None and elapsed >= seconds / 2 and pids:
            killed = pids[0]
            os.kill(killed, signal.SIGKILL)
            print(f"{elapsed:5.0f} s: killed worker {killed}")
        time.sleep(min(15, max(1.0, seconds / 40)))
    for thread in threads:
        thread.join()
    return samples, killed


def server_errors(clients: list[Client]) -> int:
    """Print the responses by status and the cut connections; return the number of 5xx."""
    statuses: dict[int, int] = {}
    for client in clients:
        for status, count in client.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    errors = sum(n for status, n in statuses.items() if status >= 500)
    connection_errors = sum(c.connection_errors for c in clients)
    print(f"responses by status: {dict(sorted(statuses.items()))}")
    print(f"5xx: {errors}; connections cut (killed worker): {connection_errors}")
    return errors


def lost_answers(clients: list[Client]) -> list[str]:
    """Print and return each client whose stored step differs from what it saw committed."""
    lost = []
    for client in clients:
        # The step saves into the draft's first perspective (`bench.data` gives some drafts more).
        first = Perspective.objects.filter(assessment_id=client.draft_pk).order_by("pk")[:1]
        stored = set(
            Answer.objects.filter(
                perspective_id__in=first.values("pk"), criterion__dimension__order=2
            ).values_list("value", flat=True)
        )
        allowed = {client.confirmed, client.unconfirmed} - {None}
        if client.confirmed is not None and not stored <= allowed:
            lost.append(f"{client.username}: stored {stored}, committed {client.confirmed}")
    print(f"committed answers lost: {len(lost)}")
    for line in lost:
        print(f"  {line}")
    return lost


def memory_growth(samples: Samples, killed: int | None) -> list[str]:
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
        print(
            f"worker {pid}{note}: {settled / 1024:.1f} MiB after warm-up, "
            f"{last / 1024:.1f} MiB at the end, over {life[-1][0] - life[0][0]:.0f} s"
        )
        # Allowance for caches that fill once (templates, model structures, rendered reports).
        if last > settled * 1.10 + 4096:
            problems.append(f"worker {pid} grew from {settled} to {last} KiB")
    for line in problems:
        print(line)
    return problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", default="http://127.0.0.1:18765")
    parser.add_argument("--master-pid", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--concurrency", type=int, default=16)


def run(*, base_url: str, master_pid: int, seconds: float, concurrency: int) -> None:
    """Soak the server whose gunicorn master is `master_pid`; `BenchError` when it fails."""
    clients = soak_clients(base_url=base_url, concurrency=concurrency)
    samples, killed = run_load(clients=clients, master_pid=master_pid, seconds=seconds)
    errors = server_errors(clients)
    lost = lost_answers(clients)
    growth = memory_growth(samples, killed)
    if errors or lost or growth:
        raise BenchError("Soak failed: see above.")
    print("Soak passed.")
