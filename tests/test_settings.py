"""Settings from the environment, deployment checks, pinned assets and security headers."""

import base64
import hashlib
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings

from maturity.assets import VENDOR_ASSETS

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "maturity.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x7Qp" * 10,
    "DJANGO_ALLOWED_HOSTS": "groeipad.example.be",
    "DJANGO_DEBUG": "false",
}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_start_without_secret_key_fails_with_one_line_naming_it():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "DJANGO_SECRET_KEY is not set" in last_line


def test_check_deploy_reports_nothing_with_production_variables():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("asset", VENDOR_ASSETS.values(), ids=lambda a: a.name)
def test_local_vendor_file_matches_the_pinned_integrity(asset):
    path = settings.BASE_DIR / "static" / asset.static_path
    digest = base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()
    assert f"sha384-{digest}" == asset.integrity


@override_settings(ASSETS_MODE="cdn")
def test_cdn_tags_carry_integrity_and_crossorigin():
    html = Template(
        '{% load vendor %}{% vendor_css "bootstrap-css" %}{% vendor_js "chartjs" %}'
    ).render(Context())
    assert 'href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.8/dist/css/bootstrap.min.css"' in html
    assert html.count('crossorigin="anonymous"') == 2
    assert VENDOR_ASSETS["chartjs"].integrity in html


@override_settings(ASSETS_MODE="local")
def test_local_tags_point_at_static_files_with_the_same_integrity():
    html = Template('{% load vendor %}{% vendor_js "chartjs" %}').render(Context())
    assert "/static/vendor/chart.js/chart.umd.min.js" in html
    assert VENDOR_ASSETS["chartjs"].integrity in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/groeipad/", "/does-not-exist/"])
def test_pages_send_the_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_login_page_is_dutch_by_default_and_english_on_request(client):
    assert '<html lang="nl-BE">' in client.get("/accounts/login/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_language_switch_keeps_the_user_on_the_same_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/groeipad/"})
    assert response.status_code == 302
    assert response["Location"] == "/groeipad/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_unknown_page_uses_the_app_404_page(client):
    response = client.get("/assessments/999999/report/")
    assert response.status_code in (302, 404)
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert b"Groeipad" in response.content


def test_collectstatic_keeps_vendor_files_byte_for_byte(tmp_path):
    result = run_python(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'collectstatic', '--no-input', '-v', '0'])",
        {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    for asset in VENDOR_ASSETS.values():
        collected = tmp_path / asset.static_path
        source = settings.BASE_DIR / "static" / asset.static_path
        assert collected.read_bytes() == source.read_bytes()
    assert list(tmp_path.glob("css/groeipad.*.css.gz")), "static files are compressed and hashed"


def test_production_sqlite_takes_the_write_lock_when_a_transaction_begins():
    """Racing writers queue (and then see a conflict) instead of failing "database is locked"."""
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/groeipad-settings-check.sqlite3"}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES['default']['OPTIONS'].items()))"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('timeout', 20), ('transaction_mode', 'IMMEDIATE')]"
