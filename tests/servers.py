"""Real servers for the tests that need them: a Redis of a test's own, gunicorn app servers.

Both listen on free loopback ports and are stopped by the fixture that started them. When the
environment sets GROEIPAD_REQUIRE_REDIS (``.ci/run`` does), a missing ``redis-server`` fails
the tests that need it instead of skipping them.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
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


def redis_start(directory: Path) -> RedisServer:
    """Start a Redis of our own and wait until it answers PING."""
    port = free_port()
    arguments = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
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
