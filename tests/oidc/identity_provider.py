"""A real OpenID Connect provider (Node's oidc-provider, tests/oidc/provider.mjs) on loopback.

The tests sign in through it as a browser would: the Django test client asks Groeipad for the
sign-in, ``requests`` follows the identity provider's redirects (its sign-in page signs in the
``login_hint`` at once), and the test client opens Groeipad's callback with the code.
"""

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.conf import settings
from django.test import Client

from tests.servers import STARTUP_SECONDS, free_port

PROVIDER_SCRIPT = Path(__file__).with_name("provider.mjs")
# The host the Django test client uses: allauth builds the redirect_uri from it.
APP_HOST = "127.0.0.1:8000"
PROVIDER_ID = "test"
CALLBACK_PATH = f"/accounts/oidc/{PROVIDER_ID}/login/callback/"
DEFAULT_ACCOUNTS = {
    "alice": {
        "email": "alice@example.org",
        "email_verified": True,
        "name": "Alice Janssens",
        "org_code": "ORG-A",
    },
    "bob": {
        "email": "bob@example.org",
        "email_verified": False,
        "name": "Bob Peeters",
        "org_code": "ORG-B",
    },
}


@dataclass
class IdentityProvider:
    """The running provider: its issuer URL and the accounts file it reads at each sign-in."""

    issuer: str
    accounts_file: Path
    process: subprocess.Popen

    def set_accounts(self, accounts: dict) -> None:
        self.accounts_file.write_text(json.dumps(accounts), encoding="utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def identity_provider_start(
    directory: Path, *, redirect_uris: list[str], extra_env: dict[str, str] | None = None
) -> IdentityProvider:
    """Start the provider on a free port and wait until its discovery document answers.

    ``extra_env``: e.g. ID_TOKEN_TTL (seconds) and CLOCK_OFFSET_SECONDS (a provider whose clock
    is behind), see provider.mjs.
    """
    node = shutil.which("node")
    if node is None or not (settings.BASE_DIR / "node_modules" / "oidc-provider").exists():
        message = "node or node_modules/oidc-provider is missing (make assets runs npm ci)"
        if os.environ.get("GROEIPAD_REQUIRE_OIDC"):
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    accounts_file = directory / "accounts.json"
    accounts_file.write_text(json.dumps(DEFAULT_ACCOUNTS), encoding="utf-8")
    process = subprocess.Popen(
        [node, str(PROVIDER_SCRIPT)],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "PORT": str(port),
            "REDIRECT_URIS": ",".join(redirect_uris),
            "ACCOUNTS_FILE": str(accounts_file),
            **(extra_env or {}),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    provider = IdentityProvider(
        issuer=f"http://127.0.0.1:{port}", accounts_file=accounts_file, process=process
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=1)
            return provider
        except requests.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                provider.stop()
                raise RuntimeError("oidc-provider did not start") from None
            time.sleep(0.1)


def provider_settings(issuer: str) -> str:
    """GROEIPAD_OIDC_PROVIDERS for the test provider."""
    return json.dumps(
        [
            {
                "id": PROVIDER_ID,
                "name": "Test IdP",
                "server_url": issuer,
                "client_id": "test-client",
                "secret": "test-secret",
                "scopes": ["openid", "email", "profile", "org"],
            }
        ]
    )


def walk_provider(
    authorize_url: str, *, stop_prefix: str, session: requests.Session | None = None
) -> str:
    """Follow the identity provider's redirects until one leaves for ``stop_prefix``.

    ``session``: the browser's cookies at the provider, to keep its session between sign-ins.
    """
    session = session or requests.Session()
    url = authorize_url
    for _hop in range(10):
        response = session.get(url, allow_redirects=False, timeout=10)
        assert response.status_code in {302, 303}, response.text[:500]
        url = urljoin(url, response.headers["Location"])
        if url.startswith(stop_prefix):
            return url
    raise AssertionError("the identity provider did not redirect back")


def callback_path(callback_url: str) -> str:
    """The path and query of Groeipad's callback URL, for the test client."""
    parts = urlsplit(callback_url)
    return f"{parts.path}?{parts.query}"


def start_sign_in(client: Client, login_hint: str):
    """Groeipad's redirect to the provider (asserted), for ``login_hint``."""
    response = client.get(
        f"/accounts/oidc/{PROVIDER_ID}/login/", {"auth_params": f"login_hint={login_hint}"}
    )
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sign_in(client: Client, login_hint: str):
    """A whole sign-in at the provider; the response of Groeipad's callback."""
    authorize_url = start_sign_in(client, login_hint)
    callback = walk_provider(authorize_url, stop_prefix=f"http://{APP_HOST}{CALLBACK_PATH}")
    return client.get(callback_path(callback))
