"""A logged-in benchmark user over HTTP on loopback, and the form a step save posts."""

import http.client
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

from bench import BenchError
from bench.data import BENCH_PASSWORD, bench_username

REVISION_FIELD = re.compile(rb'name="([a-z0-9-]+)-revision" value="(\d+)"')
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Session:
    """One logged-in user on one keep-alive connection, handling cookies by hand."""

    def __init__(self, base_url: str, username: str) -> None:
        parts = urlsplit(base_url)
        if parts.hostname not in LOOPBACK:
            raise BenchError("The benchmark only sends requests to loopback addresses.")
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
            raise BenchError(f"Could not log in as {username} (status {status}).")

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


def fetch_status(base_url: str, path: str, cookie: str) -> int:
    """One GET of `path` with a cookie header, on a connection of its own; its status."""
    parts = urlsplit(base_url)
    if parts.hostname not in LOOPBACK:
        raise BenchError("The benchmark only sends requests to loopback addresses.")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def log_in(*, base_url: str, organisation_slugs: list[str], role: str) -> list[Session]:
    """A session per organisation for its user with `role` (e.g. `viewer-3`), made in parallel.

    Logging in hashes a password per user, so it is done before any clock starts.
    """
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(
            pool.map(
                lambda slug: Session(base_url, bench_username(organisation_slug=slug, role=role)),
                organisation_slugs,
            )
        )


def step_form(page: bytes, criteria_values: str) -> dict:
    """The save of a loaded step page with every criterion on it set to one value."""
    form = {"action": "save", "csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1).decode()}
    for key, revision in REVISION_FIELD.findall(page):
        form[f"{key.decode()}-value"] = criteria_values
        form[f"{key.decode()}-revision"] = revision.decode()
    return form
