# Two entry points: `make run` (the app) and `make test` (the whole suite).
# Both set everything up on a fresh machine first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SHARED ?= ../shared
PORT ?= 8501

.PHONY: run test setup data assets browser postgres lint bench

run: setup
	$(PY) -m mutte_geo.ui.serve --server.port $(PORT)

test: setup browser postgres
	MUTTE_TEST_POSTGRES_URL=$${MUTTE_TEST_POSTGRES_URL:-$(PG_TEST_URL)} $(PY) -m pytest

setup: $(VENV)/.installed data assets

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
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

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m mypy mutte_geo

bench: setup browser
	$(PY) bench/run.py
	$(PY) bench/reports.py
