# Groeipad: `make run` serves the app with demo data, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RUNTIME_STAMP := $(VENV)/.runtime-$(shell sha1sum pyproject.toml | cut -c1-12)
DEV_STAMP := $(VENV)/.dev-$(shell sha1sum pyproject.toml | cut -c1-12)
ASSETS_STAMP := node_modules/.installed-$(shell sha1sum package-lock.json | cut -c1-12)

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format bench soak messages assets system-packages runtime-packages clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q .
	rm -rf build *.egg-info
	touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q ".[dev]"
	rm -rf build *.egg-info
	touch $@ $(RUNTIME_STAMP)

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

run: $(RUNTIME_STAMP) runtime-packages messages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_default_model
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(DEV_STAMP) system-packages assets messages lint
	DJANGO_SETTINGS_MODULE=maturity.settings.test $(PY) manage.py makemigrations --check --dry-run -v 0
	DJANGO_ASSETS=local $(BIN)/pytest -q

bench: $(DEV_STAMP) messages
	bash bench/run

soak: $(DEV_STAMP) messages
	bash bench/soak

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
