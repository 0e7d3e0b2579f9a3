# huiwen: `make demo` serves a populated portal, `make test` runs the whole suite.
# Both set everything up themselves on a fresh Debian 12 with Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TEST_ENV := HUIWEN_DATA_DIR=var/test

.PHONY: demo test setup lint test-sqlite test-postgres bench-serve clean

$(BIN)/.installed: pyproject.toml
	./scripts/system-deps.sh demo
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The outside clients the tests run against our pages (Nu HTML checker, axe-core, the sitemaps.org
# schema), pinned in package-lock.json. No install scripts: vnu-jar's would fetch a Java runtime,
# Debian's default-jre-headless (scripts/system-deps.sh test) runs vnu.jar instead.
node_modules/.installed: package.json package-lock.json
	./scripts/system-deps.sh test-clients
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

DEMO_ADDR ?= 127.0.0.1:8000
demo: $(BIN)/.installed
	$(BIN)/huiwen demo --addr $(DEMO_ADDR)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(BIN)/huiwen makemigrations --check --dry-run

test-sqlite: setup
	$(TEST_ENV) $(BIN)/pytest

# Runs when HUIWEN_TEST_DATABASE_URL names a PostgreSQL server (.ci/run starts one).
test-postgres: setup
	@if [ -n "$$HUIWEN_TEST_DATABASE_URL" ]; then \
		$(TEST_ENV) HUIWEN_DATABASE_URL="$$HUIWEN_TEST_DATABASE_URL" $(BIN)/pytest; \
	else echo "HUIWEN_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test: setup
	./scripts/system-deps.sh test
	$(MAKE) lint test-sqlite test-postgres

bench-serve: setup
	$(BIN)/python bench/serve.py

clean:
	rm -rf var/test test-artifacts .pytest_cache node_modules
