# Two entry points: `make run` (the app) and `make test` (lint, types and the whole suite).
# Both set everything up on a fresh machine first: `run` installs the runtime requirements,
# `test` also the test and tool requirements.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SHARED ?= ../shared
PORT ?= 8501

.PHONY: run test setup setup-dev data assets browser postgres proxy replicas lint bench messages

run: setup
	$(PY) -m mutte_geo.ui.serve --server.port $(PORT)

test: setup-dev lint browser postgres proxy
	MUTTE_TEST_POSTGRES_URL=$${MUTTE_TEST_POSTGRES_URL:-$(PG_TEST_URL)} $(PY) -m pytest

setup: $(VENV)/.installed data assets

setup-dev: setup $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Boundaries and reference tables from ../shared, checked against PROVENANCE.md.
data: $(VENV)/.installed
	$(PY) -m mutte_geo install-data --source $(SHARED)

# Leaflet from the npm registry, served by the app itself (no CDN).
assets: static/vendor/leaflet/leaflet.js

static/vendor/leaflet/leaflet.js: scripts/install_assets.sh
	bash scripts/install_assets.sh

# Debian's Chromium for the end-to-end tests.
browser:
	bash scripts/ensure_chromium.sh

# A loopback PostgreSQL server (Debian's postgresql) for the store tests.
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:55432/mutte_test
postgres:
	bash scripts/ensure_postgres.sh

# Debian's nginx, the proxy in front of several replicas.
proxy:
	bash scripts/ensure_nginx.sh

# REPLICAS app processes behind one nginx port, all on the PostgreSQL store of MUTTE_DATABASE_URL
# (default: the loopback server that scripts/ensure_postgres.sh starts).
REPLICAS ?= 2
PG_URL ?= postgresql://postgres@127.0.0.1:55432/mutte
replicas: setup postgres proxy
	MUTTE_DATABASE_URL=$${MUTTE_DATABASE_URL:-$(PG_URL)} $(PY) -m mutte_geo.ui.replicas --count $(REPLICAS) --port $(PORT)

# The same checks as .pre-commit-config.yaml: style, types (package, app and pages) and the layer contract.
lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m mypy mutte_geo app.py pages
	$(VENV)/bin/lint-imports

bench: setup-dev browser postgres proxy
	$(PY) bench/run.py
	$(PY) bench/reports.py

# Message catalogue: add the code's new English msgids to the Vietnamese catalogue; then fill their msgstr
# (tests/test_catalogue.py fails until every msgid is translated and none is stale).
messages: setup
	mkdir -p build
	PYTHONPATH=. $(VENV)/bin/pybabel extract -F babel.cfg --no-default-keywords -k gettext:2 -k pgettext:2c,3 -k N_ \
		--no-location --sort-output --no-wrap -o build/messages.pot .
	$(VENV)/bin/pybabel update -i build/messages.pot -d mutte_geo/locale -D messages -l vi \
		--no-wrap --ignore-obsolete --no-fuzzy-matching --ignore-pot-creation-date
