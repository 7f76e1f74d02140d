"""Two app servers, one truth: two gunicorns and a worker sharing PostgreSQL and Redis.

Runs only on PostgreSQL (``DATABASE_URL=postgres://…``) with ``redis-server`` installed: the
servers read the test database, so its data is committed (``transactional_db``). Each server
runs the production settings with its own port and log; they share the secret key, the
database, a Redis of this test's own (cache and broker) and the folder of stored PDFs; a Celery
worker started as `make worker` does renders the PDFs.
"""

import http.client
import json
import os
import subprocess
import sys
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from assessments.services import assessment_create
from tests.conftest import answer_all, submitted_assessment
from tests.factories import TEST_PASSWORD
from tests.servers import AppServer, app_server_start, database_url, wait_until, worker_start

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="two app servers share a PostgreSQL database (set DATABASE_URL=postgres://…)",
)

# The banner of a draft's (provisional) report.
PROVISIONAL = 'class="alert alert-warning" role="note"'


class Browser:
    """One person's browser: its cookies go with every request, to whichever server."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.location = ""  # where the last response redirected to

    def request(
        self, server: AppServer, method: str, path: str, form: dict | None = None, raw=False
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(*server.address, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            content = content if raw else content.decode()
            self.location = response.getheader("Location", "")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie, _, rest = value.partition("=")
                    self.cookies[cookie] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            connection.close()

    def get(self, server: AppServer, path: str) -> tuple[int, str]:
        return self.request(server, "GET", path)

    def post(self, server: AppServer, path: str, form: dict | None = None) -> int:
        return self.request(server, "POST", path, form or {})[0]

    def log_in(self, server: AppServer, username: str, password: str = TEST_PASSWORD) -> int:
        self.get(server, reverse("login"))
        return self.post(server, reverse("login"), {"username": username, "password": password})


@pytest.fixture
def servers(transactional_db, own_redis, tmp_path):
    """Servers A and B and a worker: production settings, one database, Redis, secret key."""
    environment = {
        "DJANGO_SETTINGS_MODULE": "maturity.settings.production",
        "DJANGO_SECRET_KEY": "two-servers-test-secret-key-shared-by-both-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ASSETS": "cdn",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": database_url(),
        "REDIS_URL": own_redis.url,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        # The organisation admin who reopens signs in with a password only; the second factor
        # that production asks of admins is tested in tests/sso, not across two servers.
        "GROEIPAD_MFA_REQUIRED": "false",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, **environment},
        check=True,
    )
    started = []
    try:
        for name in ("a", "b"):
            log_path = tmp_path / f"server-{name}.log"
            started.append(app_server_start(environment=environment, log_path=log_path))
        started.append(worker_start(environment=environment, log_path=tmp_path / "worker.log"))
        yield started[:2]
    finally:
        for server in started:
            server.stop()


def use_production_password_hashes(*users) -> None:
    """The servers run the production hashers; the tests' MD5 hashes would not verify there."""
    for user in users:
        # Few iterations keep the logins quick; the servers upgrade the hash on login.
        user.password = PBKDF2PasswordHasher().encode(TEST_PASSWORD, "twoservers", 1000)
        user.save(update_fields=["password"])


def test_two_servers_serve_one_truth(servers, default_model, people):
    server_a, server_b = servers
    use_production_password_hashes(people.respondent, people.viewer, people.admin)
    earlier = submitted_assessment(people, "Meting 2025", {1: "4", 2: "3", 3: "2", 4: "1"})
    later = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Meting 2026"
    )
    answer_all(later, people.respondent, {1: "4", 2: "4", 3: "3", 4: "1"})
    earlier_report = reverse("reports:report", args=[earlier.pk])
    later_report = reverse("reports:report", args=[later.pk])

    # A session made on A works on B.
    viewer = Browser()
    assert viewer.log_in(server_a, people.viewer.username) == 302
    status, page = viewer.get(server_b, reverse("dashboard"))
    assert status == 200 and "Gemeente Voorbeeld" in page

    # B renders and caches the earlier report; then a submit on A shows on B at once.
    assert "Meting 2026" not in viewer.get(server_b, earlier_report)[1]
    respondent = Browser()
    assert respondent.log_in(server_a, people.respondent.username) == 302
    review = reverse("assessments:review", args=[later.pk])
    assert respondent.post(server_a, review, {"confirm": "yes"}) == 302
    status, page = viewer.get(server_b, later_report)
    assert status == 200 and PROVISIONAL not in page
    assert "Meting 2026" in viewer.get(server_b, earlier_report)[1]
    assert "Meting 2026" in viewer.get(server_a, earlier_report)[1]

    # A reopen on B: A no longer serves the old report, nor the history that included it.
    admin = Browser()
    assert admin.log_in(server_b, people.admin.username) == 302
    reopen = reverse("assessments:reopen", args=[later.pk])
    assert admin.post(server_b, reopen, {"reason": "Een antwoord klopt niet"}) == 302
    assert admin.location.endswith(reverse("assessments:step", args=[later.pk, 1])), admin.location
    assert PROVISIONAL in viewer.get(server_a, later_report)[1]
    assert "Meting 2026" not in viewer.get(server_a, earlier_report)[1]

    # Login lockout counts failures on both servers: the fifth locks, wherever the four were.
    intruder = Browser()
    for attempt in range(4):
        server = (server_a, server_b)[attempt % 2]
        assert intruder.log_in(server, people.admin.username, f"wrong-{attempt}") == 200
    assert intruder.log_in(server_a, people.admin.username, "wrong-4") == 429
    assert intruder.log_in(server_b, people.admin.username) == 429

    # A PDF asked for on A is rendered by the worker and served by B once stored.
    pdf = reverse("reports:report_pdf", args=[earlier.pk])
    status, page = viewer.get(server_a, pdf)
    assert status == 202 and 'role="progressbar"' in page
    wait_until(
        lambda: viewer.request(server_b, "GET", pdf, raw=True)[0] == 200, what="the PDF on B"
    )
    status, body = viewer.request(server_b, "GET", pdf, raw=True)
    assert status == 200 and body.startswith(b"%PDF")

    for server in servers:
        assert_json_log_without_secrets(server)


def assert_json_log_without_secrets(server: AppServer) -> None:
    """Every line is one JSON object; request lines carry an id; no password ever appears."""
    requests = []
    for line in server.log_lines():
        if not line.startswith("{"):
            continue  # gunicorn's own start and stop lines
        entry = json.loads(line)
        if entry["logger"] == "groeipad.requests":
            requests.append(entry)
    assert requests and all(len(entry["request_id"]) == 32 for entry in requests)
    text = "\n".join(server.log_lines())
    assert TEST_PASSWORD not in text and "wrong-0" not in text
