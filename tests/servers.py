"""Real servers for the tests that need them: a Redis of a test's own, gunicorn app servers, a
Celery worker (and beat) on that Redis, and a local SMTP server.

Both listen on free loopback ports and are stopped by the fixture that started them. When the
environment sets GROEIPAD_REQUIRE_REDIS (``.ci/run`` does), a missing ``redis-server`` fails
the tests that need it instead of skipping them.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.conf import settings

STARTUP_SECONDS = 30
GUNICORN_OPTIONS = ("maturity.wsgi", "--workers", "2", "--log-level", "warning")


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_server_binary() -> str:
    """The redis-server program, or a skip (a failure where Redis is required)."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (apt-get install redis-server, or .ci/redis.sh)"
        if os.environ.get("GROEIPAD_REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)
    return binary


@dataclass
class RedisServer:
    """A throwaway Redis on loopback, with no persistence."""

    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def redis_start(directory: Path, *, port: int | None = None, durable: bool = False) -> RedisServer:
    """Start a Redis of our own and wait until it answers PING.

    `durable`: an append-only file in `directory`, so a Redis started again on the same port and
    directory still holds the queued tasks (a broker's restart, not its loss).
    """
    port = port or free_port()
    appendonly = "yes" if durable else "no"
    arguments = [
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        appendonly,
    ]
    process = subprocess.Popen(
        [redis_server_binary(), *arguments, "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            client.ping()
            return RedisServer(port=port, process=process)
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.05)


@dataclass
class AppServer:
    """A gunicorn with the production settings, on loopback."""

    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(encoding="utf-8").splitlines()


def app_server_start(*, environment: dict[str, str], log_path: Path) -> AppServer:
    """Start gunicorn (two sync workers) and wait until /healthz answers."""
    port = free_port()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *GUNICORN_OPTIONS, "--bind", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env={**os.environ, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = AppServer(port=port, process=process, log_path=log_path)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with socket.create_connection(server.address, timeout=1):
                return server
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                server.stop()
                raise RuntimeError("gunicorn did not start:\n" + log_path.read_text()) from None
            time.sleep(0.1)


def database_url() -> str:
    """The test database (SQLite file or PostgreSQL), as a DATABASE_URL for another process."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_environment(*, broker_url: str, media_root: Path, **extra: str) -> dict[str, str]:
    """Production settings on the test database and the given broker, for workers and servers."""
    return {
        "DJANGO_SETTINGS_MODULE": "maturity.settings.production",
        "DJANGO_SECRET_KEY": "worker-test-secret-key-shared-by-all-processes-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_LOG_LEVEL": "INFO",
        "DJANGO_MEDIA_ROOT": str(media_root),
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker_url,
        "CELERY_BROKER_URL": broker_url,
        # A killed worker's task comes back after 10 s, swept every second (docs/deploy.md).
        "CELERY_VISIBILITY_TIMEOUT": "10",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        **extra,
    }


@dataclass
class Worker:
    """A Celery worker (prefork, one process) in a session of its own, so it can be killed whole."""

    process: subprocess.Popen
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as a crash or an OOM kill would."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def worker_start(*, environment: dict[str, str], log_path: Path, beat: bool = False) -> Worker:
    """Start a worker as `make worker` does (`celery -A maturity.celery`); wait till it is ready."""
    command = [sys.executable, "-m", "celery", "-A", "maturity.celery", "worker"]
    command += ["--pool", "prefork"]
    command += ["--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    command += ["--hostname", f"test-{free_port()}@%h"]
    if beat:
        command += ["--beat", "--schedule", str(log_path.with_suffix(".beat"))]
    with log_path.open("a", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            # INFO: its "ready." line tells that it consumes.
            env={**os.environ, **environment, "DJANGO_LOG_LEVEL": "INFO"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(process=process, log_path=log_path)
    ready_lines = worker.log_text().count(" ready.")
    deadline = time.monotonic() + STARTUP_SECONDS
    while worker.log_text().count(" ready.") <= ready_lines:
        if time.monotonic() > deadline or process.poll() is not None:
            worker.stop()
            raise RuntimeError("celery worker did not start:\n" + worker.log_text())
        time.sleep(0.2)
    return worker


class RecordingHandler:
    """aiosmtpd handler: refuses mail (451, try later) while `refusing`, else keeps it."""

    def __init__(self) -> None:
        self.refusing = False
        self.refused = 0
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refusing:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append(envelope.content)
        return "250 OK"


@dataclass
class SmtpServer:
    """A local SMTP server (aiosmtpd) in a thread of the test process."""

    port: int
    handler: RecordingHandler
    controller: object

    def stop(self) -> None:
        self.controller.stop()


def smtp_start() -> SmtpServer:
    """Start aiosmtpd on a free loopback port; it accepts mail until told to refuse."""
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return SmtpServer(port=port, handler=handler, controller=controller)


def wait_until(condition, *, timeout: float = 60, what: str = "the condition") -> None:
    """Poll `condition()` until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


@contextmanager
def real_queue(broker_url: str):
    """Make this (test) process enqueue on `broker_url` instead of running tasks eagerly."""
    from maturity.celery import app

    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}

    def reconnect() -> None:
        # kombu keeps producer pools per connection in a registry of its own: empty it too, or
        # a later (eager) publish acquires from a pool closed here.
        from kombu import pools

        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(broker_url=broker_url, task_always_eager=False)
    reconnect()
    try:
        yield app
    finally:
        app.conf.update(saved)
        reconnect()


@dataclass
class MotoServer:
    """An S3-compatible server (moto) on loopback: its own, or the one ``.ci/run`` started."""

    url: str
    process: subprocess.Popen | None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def moto_start() -> MotoServer:
    """Use the moto server named by GROEIPAD_MOTO_URL (``.ci/run``), or start one of our own.

    The program comes with the dev dependencies (``moto[server]``); where it is missing, the
    tests that need it skip, or fail when GROEIPAD_REQUIRE_MOTO is set (``.ci/run``).
    """
    shared = os.environ.get("GROEIPAD_MOTO_URL")
    if shared:
        return MotoServer(url=shared.rstrip("/"), process=None)
    binary = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
    if not Path(binary).exists():
        message = "moto_server is not installed (make lint installs the dev dependencies)"
        if os.environ.get("GROEIPAD_REQUIRE_MOTO"):
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return MotoServer(url=f"http://127.0.0.1:{port}", process=process)
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("moto_server did not start")
        time.sleep(0.05)
