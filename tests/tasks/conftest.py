"""A real worker on a Redis of the test's own, and a local SMTP server, for the task tests."""

import pytest

from tests.servers import real_queue, smtp_start, worker_environment, worker_start


@pytest.fixture
def smtp():
    """A local SMTP server (aiosmtpd) that accepts mail until the test makes it refuse."""
    server = smtp_start()
    yield server
    server.stop()


@pytest.fixture
def worker_env(own_redis, smtp, settings) -> dict[str, str]:
    """What a worker of these tests runs with: the test database, the Redis, the SMTP server."""
    return environment_for(own_redis, smtp, settings)


def environment_for(redis_server, smtp, settings) -> dict[str, str]:
    """A worker's environment on this Redis and SMTP server (see `worker_environment`)."""
    return worker_environment(
        broker_url=redis_server.url,
        media_root=settings.MEDIA_ROOT,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp.port),
        GROEIPAD_MAIL_RETRY_SECONDS="1",
        GROEIPAD_MAIL_SWEEP_SECONDS="2",
    )


@pytest.fixture
def worker(worker_env, own_redis, tmp_path):
    """A running worker; this process enqueues on its Redis meanwhile."""
    started = worker_start(environment=worker_env, log_path=tmp_path / "worker.log")
    with real_queue(own_redis.url):
        yield started
    started.stop()
