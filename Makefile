# Groeipad: `make run` serves the app with demo data, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# uv installs exactly what uv.lock names (versions and hashes). It comes from PyPI into a small
# bootstrap venv of its own, pinned here, so a fresh machine needs only python3.11 (with venv).
UV_VERSION := 0.13.9
UV_HOME := .tools/uv
UV := $(UV_HOME)/bin/uv
LOCK_HASH := $(shell sha1sum uv.lock | cut -c1-12)
RUNTIME_STAMP := $(VENV)/.runtime-$(LOCK_HASH)
DEV_STAMP := $(VENV)/.dev-$(LOCK_HASH)
RUN_PORT ?= 8000
ASSETS_STAMP := node_modules/.installed-$(shell sha1sum package-lock.json | cut -c1-12)

export PIP_DISABLE_PIP_VERSION_CHECK := 1
# uv never downloads a Python of its own: the project runs on the machine's python3.11.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
# pip's own configuration (a global constraints file, local indexes, find-links on some machines)
# must not decide which uv is installed; uv itself reads no pip configuration.
FRESH_PIP := env -u PIP_FIND_LINKS -u PIP_CONSTRAINT -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL \
	PIP_CONFIG_FILE=/dev/null

.PHONY: install run run-sso worker beat test lint format bench soak mutation messages assets system-packages runtime-packages lock upgrade audit clean backup restore

$(UV):
	$(PYTHON) -m venv $(UV_HOME)
	$(FRESH_PIP) $(UV_HOME)/bin/pip install -q "uv==$(UV_VERSION)"

# The app and its runtime packages, exactly as locked. --inexact keeps the development packages
# that `make test` installed, so switching between `make run` and `make test` installs nothing.
$(RUNTIME_STAMP): uv.lock | $(UV)
	$(UV) sync --frozen --no-install-project --inexact
	touch $@

# Runtime and development packages, exactly as locked: anything else in .venv is removed.
$(DEV_STAMP): uv.lock | $(UV)
	$(UV) sync --frozen --no-install-project --extra dev
	touch $@ $(RUNTIME_STAMP)

# After editing pyproject.toml: resolve again, keeping every other pin. `make upgrade`: newest
# versions that pyproject.toml allows. Commit uv.lock; `make run`/`make test` then install it.
lock: | $(UV)
	$(UV) lock

upgrade: | $(UV)
	$(UV) lock --upgrade

# Known vulnerabilities in every locked package. Not part of `make test`: it needs a
# vulnerability database (PyPI's JSON API or OSV) over the network, which CI machines may lack.
audit: | $(UV)
	$(UV) export --frozen --extra dev --no-emit-project --format requirements-txt \
		--output-file .tools/audit-requirements.txt -q
	$(UV) tool run --from "pip-audit==2.10.1" pip-audit --strict --disable-pip --require-hashes \
		--requirement .tools/audit-requirements.txt

# Debian packages the app needs to run: pango for WeasyPrint (the PDF report).
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0
runtime-packages:
	@missing=""; \
	for package in $(PANGO_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Debian packages the tests need: Chromium for the browser tests, gettext for the catalogues,
# poppler-utils (pdftotext, pdfinfo) to read the PDF report; and what the app needs to run.
system-packages: runtime-packages
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-liberation"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(ASSETS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The pinned Bootstrap and Chart.js files, for DJANGO_ASSETS=local and the browser tests.
assets: $(ASSETS_STAMP) $(RUNTIME_STAMP)
	$(PY) manage.py install_vendor_assets

messages: | $(RUNTIME_STAMP)
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; fi

# A server's install (docs/deploy.md): the runtime packages exactly as locked, the catalogues.
install: $(RUNTIME_STAMP) runtime-packages messages

run: $(RUNTIME_STAMP) runtime-packages messages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_default_model
	$(PY) manage.py load_demo_data
	$(PY) manage.py load_trajectory_demo
	$(PY) manage.py runserver 127.0.0.1:$(RUN_PORT)

# Background work (docs/deploy.md): a Celery worker and the schedule, against CELERY_BROKER_URL
# (default: REDIS_URL). Settings as the app servers': production unless DJANGO_SETTINGS_MODULE
# says otherwise. WORKER_CONCURRENCY processes, one task each (PDFs are CPU-bound), at a lower
# CPU priority than the web workers beside them (WORKER_NICE), so a PDF never slows a page.
WORKER_CONCURRENCY ?= 2
WORKER_NICE ?= 10
worker: $(RUNTIME_STAMP) runtime-packages messages
	nice -n $(WORKER_NICE) $(BIN)/celery -A maturity.celery worker --loglevel INFO --pool prefork \
		--concurrency $(WORKER_CONCURRENCY) --max-tasks-per-child 200

beat: $(RUNTIME_STAMP)
	$(BIN)/celery -A maturity.celery beat --loglevel INFO

# `make run` with a sign-in at a real OpenID Connect provider beside it: the test provider of the
# tests (tests/oidc/provider.mjs, Node's oidc-provider from package-lock.json) on SSO_PORT, with
# two accounts, alice (verified e-mail, org_code ORG-A) and bob (unverified, ORG-B). Browse to
# http://127.0.0.1:$(RUN_PORT)/ (not localhost: the provider knows only that redirect address).
SSO_PORT ?= 9400
SSO_PROVIDERS := [{"id": "test", "name": "Test IdP", "server_url": "http://127.0.0.1:$(SSO_PORT)", \
	"client_id": "test-client", "secret": "test-secret", "scopes": ["openid", "email", "profile", "org"]}]
run-sso: $(RUNTIME_STAMP) $(ASSETS_STAMP) runtime-packages messages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_default_model
	$(PY) manage.py load_demo_data
	$(PY) manage.py load_trajectory_demo
	PORT=$(SSO_PORT) REDIRECT_URIS=http://127.0.0.1:$(RUN_PORT)/accounts/oidc/test/login/callback/ \
		node tests/oidc/provider.mjs & provider=$$!; trap "kill $$provider" EXIT; \
	GROEIPAD_OIDC_PROVIDERS='$(SSO_PROVIDERS)' $(PY) manage.py runserver 127.0.0.1:$(RUN_PORT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# pytest-xdist: one worker per core (TEST_WORKERS=0 runs in one process). Whole test files go to
# one worker, so the servers a module starts (identity provider, moto, gunicorn) start once.
TEST_WORKERS ?= auto
test: $(DEV_STAMP) system-packages assets messages lint
	DJANGO_SETTINGS_MODULE=maturity.settings.test $(PY) manage.py makemigrations --check --dry-run -v 0
	DJANGO_ASSETS=local $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

# Mutation testing (docs/testing.md): mutmut over the privacy, access, scoring and selector
# modules, one module at a time. Not part of `make test`: it takes tens of minutes. One module:
# `make mutation MODULES=benchmarks/sector.py`.
mutation: $(DEV_STAMP) messages
	$(PY) -m tests.mutation $(MODULES) $(if $(ONLY),--only=$(ONLY))

bench: $(DEV_STAMP) messages
	bash bench/run

soak: $(DEV_STAMP) messages
	bash bench/soak

# The whole database and the stored files to BACKUP_DIR, and back (maturity/database_backup.py;
# docs/deploy.md "Backups"). A restore replaces everything: stop the app servers first.
BACKUP_DIR ?= backups/$(shell date +%F-%H%M%S)
backup: $(RUNTIME_STAMP)
	$(PY) manage.py backup_database $(BACKUP_DIR)

restore: $(RUNTIME_STAMP)
	@test -n "$(RESTORE_DIR)" || (echo "make restore RESTORE_DIR=backups/<date>" >&2; exit 2)
	$(PY) manage.py restore_database $(RESTORE_DIR)

clean:
	rm -rf $(VENV) .tools node_modules static/vendor staticfiles
