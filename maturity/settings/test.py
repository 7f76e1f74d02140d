"""Tests: fast hashing, in-memory e-mail, local static files, a SQLite file threads can share."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL, evidence_storage


def redis_url_of_worker(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist worker: gw0 the one after the URL's, and so on.

    The workers of one run share `.ci/run`'s Redis, and each starts by clearing its cache
    (FLUSHDB), which must not empty another worker's database under its running tests.
    """
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + 1 + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{database}"))


if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    REDIS_URL = redis_url_of_worker(REDIS_URL, os.environ["PYTEST_XDIST_WORKER"])
    CACHES = {alias: {**cache, "LOCATION": REDIS_URL} for alias, cache in CACHES.items()}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Local files by default; tests/assessments/test_evidence_storage.py runs on S3 (moto) too.
    "evidence": evidence_storage(
        root=Path(tempfile.gettempdir()) / f"groeipad-test-evidence-{os.getpid()}"
    ),
}
# The report PDFs of this test run; a worker started by a test gets the same folder.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"groeipad-test-media-{os.getpid()}"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's default shared-cache memory database: threads of the concurrency tests
    # need real SQLite locking (shared-cache locks fail at once instead of waiting `timeout`).
    # `make mutation` names one file, kept with --reuse-db: its mutants' test runs skip migrating.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("GROEIPAD_TEST_SQLITE")
        or os.path.join(tempfile.gettempdir(), f"groeipad-test-{os.getpid()}.sqlite3")
    }
# Tasks run in the test process right after the commit (as with `make run`), whether or not
# REDIS_URL names a Redis for the cache: a test that wants the real queue starts a worker and
# switches to it (tests/servers.py `real_queue`), and `.ci/run` ends with a worker smoke test.
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_RESULT_BACKEND = ""
