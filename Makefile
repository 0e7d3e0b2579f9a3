# huiwen: `make demo` serves a populated portal, `make test` runs the whole suite.
# Both set everything up themselves on a fresh Debian 12 with Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TEST_ENV := HUIWEN_DATA_DIR=var/test
RESTART_TEST := tests/deploy/test_faults.py::test_postgresql_restart_fails_cleanly_and_recovers_without_restarting_the_app
PG_PASS_REDIS_DB ?= 1

.PHONY: demo test setup lint test-sqlite test-postgres test-restart bench-serve clean

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

# SQLite's default search backend ranks with tantivy; the search tests run once more on FTS5 alone.
test-sqlite: setup
	$(TEST_ENV) $(BIN)/pytest $(SQLITE_PASS_ARGS)
	$(TEST_ENV) HUIWEN_SEARCH_BACKEND=huiwen.search.backends.sqlite.SqliteBackend $(BIN)/pytest -q -m "not browser" tests/search

# Runs when HUIWEN_TEST_DATABASE_URL names a PostgreSQL server (.ci/run starts one).
# Its own data folder and Redis database, so it can run beside the SQLite pass (`make test`).
test-postgres: setup
	@if [ -n "$$HUIWEN_TEST_DATABASE_URL" ]; then \
		redis="$$HUIWEN_TEST_REDIS_URL"; \
		if [ -n "$$redis" ]; then redis=$$($(BIN)/python -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1])._replace(path="/$(PG_PASS_REDIS_DB)").geturl())' "$$redis"); fi; \
		HUIWEN_DATA_DIR=var/test-pg HUIWEN_TEST_REDIS_URL="$$redis" HUIWEN_DATABASE_URL="$$HUIWEN_TEST_DATABASE_URL" $(BIN)/pytest; \
	else echo "HUIWEN_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

# The one test that stops and restarts the PostgreSQL cluster runs after both passes, alone.
test-restart: setup
	$(TEST_ENV) $(BIN)/pytest -q $(RESTART_TEST)

# The two passes run side by side (two cores; most of a pass waits on servers and browsers), each
# printed whole when it ends; then the cluster-restart test, which would break the PostgreSQL pass.
test: setup
	./scripts/system-deps.sh test
	$(MAKE) lint
	$(MAKE) -j2 --output-sync=target test-sqlite test-postgres SQLITE_PASS_ARGS="--deselect $(RESTART_TEST)"
	$(MAKE) test-restart

bench-serve: setup
	$(BIN)/python bench/serve.py

clean:
	rm -rf var/test var/test-pg test-artifacts .pytest_cache node_modules
