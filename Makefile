# Two commands get a newcomer from a clean clone to a built warehouse: `make demo`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)

LANDING ?= data/landing
WAREHOUSE ?= data/warehouse.duckdb
DEMO_ENGINEERS ?= 300
DEMO_WEEKS ?= 26
DEMO_SEED ?= 7
UI_PORT ?= 3000

# No code path phones home.
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_PROJECT_DIR := $(CURDIR)
export DAGSTER_HOME := $(CURDIR)/.dagster
export GX_ANALYTICS_ENABLED := false

.PHONY: setup demo test test-quick lint format build ui browser clean lock bench

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-* && touch $@

demo: setup
	@test -f $(LANDING)/_ground_truth/manifest.json || \
		$(BIN)/airoi generate --out $(LANDING) --engineers $(DEMO_ENGINEERS) --weeks $(DEMO_WEEKS) --seed $(DEMO_SEED)
	$(BIN)/airoi build --landing $(LANDING) --warehouse $(WAREHOUSE)
	$(BIN)/airoi summary --warehouse $(WAREHOUSE)

build: setup
	$(BIN)/airoi build --landing $(LANDING) --warehouse $(WAREHOUSE)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p data/tmp
	AIROI_DUCKDB_PATH=data/tmp/lint.duckdb $(BIN)/sqlfluff lint models data-tests --processes 2

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	AIROI_DUCKDB_PATH=data/tmp/lint.duckdb $(BIN)/sqlfluff fix models data-tests --processes 2

test: lint browser
	$(BIN)/pytest -n 2 --dist loadfile --durations=25

# The same without the end-to-end cases that generate and build whole organisations (marked slow).
test-quick: lint browser
	$(BIN)/pytest -n 2 --dist loadfile -m "not slow"

# The operators' UI: Dagster (`dg dev`, code location `airoi`) on 127.0.0.1:$(UI_PORT), building
# $(LANDING) into $(WAREHOUSE) like `make build`. Its instance lives in .dagster/ (telemetry off, one
# run at a time).
ui: setup
	$(BIN)/dbt parse --quiet
	AIROI_LANDING_DIR=$(LANDING) AIROI_WAREHOUSE=$(WAREHOUSE) \
		$(BIN)/dg dev --use-active-venv --host 127.0.0.1 --port $(UI_PORT)

# Headless Chromium, for the UI test's screenshots of the asset graph (Debian's package, as root).
browser:
	@test -x /usr/bin/chromium || { apt-get update && apt-get install -y chromium; }

clean:
	rm -rf target logs data/tmp .pytest_cache .ruff_cache

# Re-resolve the exact versions after changing the dependencies in pyproject.toml.
lock:
	rm -rf /tmp/airoi-lock && $(PYTHON) -m venv /tmp/airoi-lock
	/tmp/airoi-lock/bin/pip install --quiet ".[dev]"
	{ echo "# Exact versions installed by 'make setup' (pip install -r requirements.lock)."; \
	  echo "# Regenerate with 'make lock' after changing pyproject.toml."; \
	  /tmp/airoi-lock/bin/pip freeze --exclude-editable | grep -v -e '^pip==' -e '^airoi'; echo 'setuptools==80.9.0'; } > requirements.lock

# Time and peak memory of generate and build at a given size (BENCH_ARGS, e.g. --events 10000000).
bench: setup
	$(BIN)/airoi bench $(BENCH_ARGS)
