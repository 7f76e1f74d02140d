"""Settings read from the environment; see the configuration table in README.md."""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from maturity.assets import VENDOR_ASSETS

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def parse_oidc_providers(raw: str) -> list[dict]:
    """allauth's provider apps from GROEIPAD_OIDC_PROVIDERS: a JSON list of identity providers.

    Each: {"id": "vlaanderen", "name": "je Vlaamse overheid-account", "server_url": issuer URL,
    "client_id": ..., "secret": ..., "scopes": ["openid", "email", "profile", ...]}.
    """
    if not raw.strip():
        return []
    try:
        providers = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"GROEIPAD_OIDC_PROVIDERS is not valid JSON: {error}") from None
    apps = []
    for provider in providers if isinstance(providers, list) else [None]:
        missing = {"id", "name", "server_url", "client_id"} - set(provider or {})
        if missing:
            raise ImproperlyConfigured(
                f"GROEIPAD_OIDC_PROVIDERS: each provider needs {', '.join(sorted(missing))}."
            )
        apps.append(
            {
                "provider_id": provider["id"],
                "name": provider["name"],
                "client_id": provider["client_id"],
                "secret": provider.get("secret", ""),
                "settings": {
                    "server_url": provider["server_url"],
                    "oauth_pkce_enabled": True,
                    "scope": provider.get("scopes", ["openid", "email", "profile"]),
                },
            }
        )
    return apps


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Behind exactly one reverse proxy that sets X-Forwarded-For and X-Forwarded-Proto.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
# The addresses (or networks) that proxy may connect from: only their X-Forwarded-For is believed.
# A request with the header from anywhere else means the app is reachable around the proxy: it is
# ignored, logged, and /healthz says so (maturity/client_address.py).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # One line, naming the variable: a production start must never fall back to a known key.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set (required when DJANGO_DEBUG is off)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
]
LOCAL_APPS = [
    "maturity",
    "assessments",
    "sso",
    "actions",
    "benchmarks",
    "trajectories",
    "reports",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: /healthz answers load balancers over HTTP by address (maturity/health.py).
    "maturity.health.HealthCheckMiddleware",
    "maturity.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "maturity.health.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # An evidence upload: refused by its declared length, else streamed with a limit; before
    # the first middleware that reads the body.
    "assessments.evidence_forms.EvidenceUploadMiddleware",
    # A NUL or lone surrogate in the path, query or form: 400 before anything reads the database.
    "maturity.input_rules.UnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "assessments.access.MembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "maturity.middleware.SecurityHeadersMiddleware",
    "maturity.middleware.IdleSessionMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After a password sign-in, staff and organisation admins without an authenticator app see
    # only the enrolment until they have one (sso/mfa.py, docs/security.md).
    "sso.middleware.SecondFactorEnrolmentMiddleware",
    # After CSPMiddleware: adds the identity provider's origin to form-action for the logout.
    "sso.middleware.IdentityProviderLogoutMiddleware",
]

ROOT_URLCONF = "maturity.urls"
WSGI_APPLICATION = "maturity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "assessments.context_processors.current_organisation",
            ],
        },
    },
    # A second engine for the hot partial of the questionnaire (a step's criterion fieldsets:
    # dozens of criteria × seven radio buttons), which Jinja2 renders several times faster.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "maturity.templating.jinja2_environment",
            "autoescape": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins (IMMEDIATE), not at its first write:
    # two racing saves then queue, and the second sees the first's answer as a conflict, as on
    # PostgreSQL, instead of failing with "database is locked". It waits at most `timeout`
    # seconds, well inside gunicorn's 30-second worker timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# What goes in the cache, under which key and for how long is decided in one place:
# maturity/caching.py. Without REDIS_URL: a per-process, bounded memory cache (one app server).
# With it: Redis, shared by every worker of every app server, so all serve the same content;
# Redis being down is logged and the pages are rendered without it (maturity/cache_backend.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "maturity.cache_backend.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # A hung Redis must not hold a request for long: a miss is cheaper than waiting.
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "RETRY_AFTER": 5,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# "shared": what must hold across worker processes and servers (the password-reset counters, the
# proxy warning): Redis when configured, else a table of the database (migration maturity/0006).
CACHES["shared"] = (
    {**CACHES["default"], "KEY_PREFIX": "shared"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "groeipad_shared_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
)

# Background work (maturity/celery.py, each app's tasks.py). With a broker (CELERY_BROKER_URL,
# else REDIS_URL) a worker runs the tasks (`make worker`, `make beat`); without one (`make run`),
# each task runs in the web process right after its transaction commits (eager mode).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL) or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_RESULT_BACKEND = (
    os.environ.get("CELERY_RESULT_BACKEND", "" if CELERY_TASK_ALWAYS_EAGER else CELERY_BROKER_URL)
    or None
)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it ends, not when it starts: a worker that dies mid-task leaves it
# for another (tasks are idempotent). One task at a time per worker process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "120"))
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# An enqueue while Redis is down fails at once (the page says "try again later") instead of
# holding the request while kombu retries.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task (time limit) plus its retry countdown, or tasks run twice.
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": int(os.environ.get("CELERY_UNACKED_RESTORE_THROTTLE", "10")),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "celerybeat-schedule")
)
# How often beat looks for unsent mail that no task holds, and how old such a mail must be.
MAIL_SWEEP_SECONDS = int(os.environ.get("GROEIPAD_MAIL_SWEEP_SECONDS", "60"))
# A stored worker-rendered document (a report's, a session agenda's) is removed this many days
# after it was asked for (and sooner when a newer one of the same subject replaces it): beat's
# daily report-documents-cleanup and session-agendas-cleanup (documents.renders).
REPORT_DOCUMENT_KEEP_DAYS = int(os.environ.get("GROEIPAD_REPORT_DOCUMENT_KEEP_DAYS", "30"))
# What `make beat` enqueues (times in TIME_ZONE); the tasks are in actions/ and maturity/.
CELERY_TIMEZONE = "Europe/Brussels"
CELERY_BEAT_SCHEDULE = {
    "action-reminders-daily": {
        "task": "actions.tasks.action_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "admin-digest-weekly": {
        "task": "actions.tasks.admin_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # The benchmark every page shows is the latest release, never live figures (docs/benchmark.md).
    "benchmark-releases-nightly": {
        "task": "benchmarks.tasks.benchmark_releases",
        "schedule": crontab(hour=4, minute=0),
    },
    # Stored report documents that no page serves again (documents.renders, reports.renders).
    "report-documents-cleanup-daily": {
        "task": "reports.tasks.report_documents_cleanup",
        "schedule": crontab(hour=3, minute=30),
    },
    # Stored session agendas that no page serves again (documents.renders, agenda_renders).
    "session-agendas-cleanup-daily": {
        "task": "trajectories.tasks.session_agendas_cleanup",
        "schedule": crontab(hour=3, minute=40),
    },
    "outgoing-mail-sweep": {
        "task": "maturity.tasks.outgoing_mail_sweep",
        "schedule": float(MAIL_SWEEP_SECONDS),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "maturity.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for one username from one address lock that pair for 15 minutes. Not the
# address alone: a whole town hall often shares one public address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# The client's own address, also behind the proxy (else every client shares the proxy's).
AXES_CLIENT_IP_CALLABLE = "maturity.client_address.client_address"

# A benchmark group is computed anew in a release only when at least this many of its
# organisations changed, joined or left since its figures were computed (docs/benchmark.md).
BENCHMARK_MIN_CHANGES = int(os.environ.get("DJANGO_BENCHMARK_MIN_CHANGES", "3"))
if BENCHMARK_MIN_CHANGES < 3:
    raise ImproperlyConfigured("DJANGO_BENCHMARK_MIN_CHANGES must be at least 3.")

LOGIN_URL = "login"
# Sign-in with the organisation's own account (OpenID Connect, sso/). Each identity provider is
# one object of the JSON list in GROEIPAD_OIDC_PROVIDERS (see docs/deploy.md), or a "social
# application" that staff add in the admin. allauth only signs people in: who may see what is
# decided by sso/services.py (invitations and sign-in rules), never by the identity provider.
OIDC_PROVIDERS = parse_oidc_providers(os.environ.get("GROEIPAD_OIDC_PROVIDERS", ""))
# Off: the login page shows only the identity providers and refuses password logins.
PASSWORD_LOGIN = env_bool("GROEIPAD_PASSWORD_LOGIN", default=True)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # Adds and checks the ID token's nonce, which allauth's provider leaves out (sso/oidc.py).
        "provider_class": "sso.oidc.NonceCheckingOpenIDConnectProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": OIDC_PROVIDERS,
    }
}
SOCIALACCOUNT_ADAPTER = "sso.adapter.SocialAccountAdapter"
ACCOUNT_ADAPTER = "sso.adapter.AccountAdapter"
# The login page's buttons are links: one click starts the sign-in at the identity provider.
SOCIALACCOUNT_LOGIN_ON_GET = True
SOCIALACCOUNT_AUTO_SIGNUP = True
# Never sign someone in to an existing account because an identity provider names its address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email"]
ACCOUNT_UNIQUE_EMAIL = False
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# A second factor (allauth.mfa): an authenticator app (TOTP) and recovery codes. Who must have
# one, and what counts for a sign-in at an identity provider: sso/mfa.py, docs/security.md.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Staff and organisation admins must have an authenticator app. Off only for a local demo.
GROEIPAD_MFA_REQUIRED = env_bool("GROEIPAD_MFA_REQUIRED", default=True)
MFA_TOTP_ISSUER = "Groeipad"
MFA_ADAPTER = "sso.mfa.MFAAdapter"
# allauth would ask for the password (or a code) again before enrolment; people who sign in at
# an identity provider have no password here, and enrolment follows a sign-in anyway. Removing
# the app is refused to whoever must have one (sso.mfa.MFAAdapter.can_delete_authenticator).
MFA_REAUTHENTICATION_REQUIRED = False

# Sessions end after eight idle hours: a shared municipal PC must not stay logged in overnight.
# IdleSessionMiddleware renews the expiry at most every SESSION_RENEW_AFTER seconds, which
# gives the idle timeout without a session write on every request.
# Django's database sessions, read with SQL compiled once (maturity/sessions.py).
SESSION_ENGINE = "maturity.sessions"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_RENEW_AFTER = 5 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]
# English dates as our readers write them (maturity/formats/en/formats.py).
FORMAT_MODULE_PATH = ["maturity.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files the app makes (the report PDFs): on disk under MEDIA_ROOT, shared by the app servers and
# the workers (a shared volume, or set another storage backend in STORAGES["default"]).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"


def evidence_storage(*, root: Path) -> dict:
    """Where evidence files go: a folder that no URL serves (downloads go through a view that
    checks access), or an S3-compatible bucket when GROEIPAD_EVIDENCE_S3_BUCKET is set (keys
    from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role)."""
    bucket = os.environ.get("GROEIPAD_EVIDENCE_S3_BUCKET", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("GROEIPAD_EVIDENCE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("GROEIPAD_EVIDENCE_S3_REGION", "us-east-1"),
            "addressing_style": os.environ.get("GROEIPAD_EVIDENCE_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "location": os.environ.get("GROEIPAD_EVIDENCE_S3_PREFIX", "evidence"),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }


# Evidence behind answers (assessments/evidence_models.py): never under MEDIA_ROOT or a URL.
EVIDENCE_ROOT = Path(os.environ.get("DJANGO_EVIDENCE_ROOT", BASE_DIR / "evidence-files"))
EVIDENCE_MAX_FILE_BYTES = int(os.environ.get("GROEIPAD_EVIDENCE_MAX_FILE_MB", "10")) * 1024 * 1024
EVIDENCE_ORGANISATION_QUOTA_BYTES = (
    int(os.environ.get("GROEIPAD_EVIDENCE_QUOTA_MB", "500")) * 1024 * 1024
)
# File uploads per user per hour (refused ones count too): a shared-cache counter.
EVIDENCE_UPLOADS_PER_HOUR = int(os.environ.get("GROEIPAD_EVIDENCE_UPLOADS_PER_HOUR", "60"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "maturity.storage.StaticFilesStorage"},
    "evidence": evidence_storage(root=EVIDENCE_ROOT),
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# The address people use, for links in mail sent without a request (digests, by the worker).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")
# The first retry of a refused mail waits this long, each next one twice as long (maturity/mail.py).
MAIL_RETRY_SECONDS = int(os.environ.get("GROEIPAD_MAIL_RETRY_SECONDS", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "groeipad@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# For the SMTP backend (invitations): the relay, its login and how to secure the connection.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))

# "cdn": Bootstrap and Chart.js from jsDelivr with SRI; "local": the same pinned files from
# static/vendor (installed from the npm registry by the Makefile).
ASSETS_MODE = os.environ.get("DJANGO_ASSETS", "cdn")
if ASSETS_MODE not in {"cdn", "local"}:
    raise ImproperlyConfigured("DJANGO_ASSETS must be 'cdn' or 'local'.")


def _cdn_files(suffix: str) -> list[str]:
    # The exact pinned files, not the CDN's origin: jsDelivr serves every npm package there.
    if ASSETS_MODE != "cdn":
        return []
    return [asset.cdn_url for asset in VENDOR_ASSETS.values() if asset.path.endswith(suffix)]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *_cdn_files(".js")],
        "style-src": [SELF, *_cdn_files(".css")],
        # Bootstrap's CSS draws form controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "maturity.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if BEHIND_PROXY:
        # Only behind a proxy that always sets this header and strips it from clients.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# "json" (production's default): one JSON object per line on stdout, one line per request
# (maturity/request_log.py). "text": plain lines, no request lines unless asked for.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "maturity.request_log.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "groeipad.requests": {
            "level": os.environ.get(
                "DJANGO_REQUEST_LOG_LEVEL", "INFO" if LOG_FORMAT == "json" else "WARNING"
            )
        },
        # Who deleted which draft, marked which assessment as a test: kept in the log, because
        # a deleted assessment takes its own events with it.
        "groeipad.audit": {"level": os.environ.get("DJANGO_AUDIT_LOG_LEVEL", "INFO")},
        # One line per background task run (maturity/celery.py), like the request lines.
        "groeipad.tasks": {
            "level": os.environ.get(
                "DJANGO_REQUEST_LOG_LEVEL", "INFO" if LOG_FORMAT == "json" else "WARNING"
            )
        },
        # Its 4xx warnings repeat what the request line says; server errors stay.
        "django.request": {"level": "ERROR" if LOG_FORMAT == "json" else "WARNING"},
    },
}
