"""Request ids and the JSON log lines: the fields that are there, and the secrets that are not."""

import io
import json
import logging

import pytest
from django.urls import reverse

from maturity.request_log import JsonFormatter, current_request_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The JSON lines written while the test runs, as production writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("groeipad.requests", "django.request")]
    previous = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
        lg.propagate = False
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for lg, (level, propagate) in zip(loggers, previous, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)
        lg.propagate = propagate


def test_a_request_is_one_json_line_with_id_user_status_and_duration(client, people, log_lines):
    client.force_login(people.viewer)

    response = client.get(reverse("dashboard"))

    (line,) = [e for e in log_lines() if e["logger"] == "groeipad.requests"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == people.viewer.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/", 200)
    assert line["duration_ms"] >= 0
    assert set(line) == {
        "time", "level", "logger", "message", "request_id", "user_id", "method", "path",
        "status", "duration_ms",
    }  # fmt: skip


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-4f2a9c1e-0001")

    assert response["X-Request-ID"] == "lb-4f2a9c1e-0001"


@pytest.mark.parametrize(
    "incoming", ["short", "x" * 65, 'abc"def-12345', "abcdefgh\nforged line", "abc def 12345"]
)
def test_an_odd_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=incoming)

    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_passwords_answers_tokens_and_query_strings_never_reach_the_log(
    client, people, draft, log_lines
):
    client.post(reverse("login"), {"username": people.viewer.username, "password": "S3cret-pw!"})
    client.force_login(people.respondent)
    step = reverse("assessments:step", args=[draft.pk, 1])
    client.post(step, {"action": "save", "x-value": "4", "x-comment": "Confidential remark"})
    client.get("/invitations/SeCrEtInViTaTiOnToKeN123/")
    client.get("/?search=private-query")

    written = json.dumps(log_lines())
    for secret in ("S3cret-pw!", "Confidential remark", "SeCrEtInViTaTiOnToKeN123", "private"):
        assert secret not in written
    assert "/invitations/[token]/" in written


def test_records_logged_during_a_request_carry_its_id():
    formatter = JsonFormatter()
    record = logging.LogRecord("groeipad.cache", logging.WARNING, __file__, 1, "down", (), None)
    context = current_request_id.set("abcdef1234567890")
    try:
        entry = json.loads(formatter.format(record))
    finally:
        current_request_id.reset(context)

    assert entry["request_id"] == "abcdef1234567890"
    assert entry["level"] == "WARNING"
