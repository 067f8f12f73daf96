# lom-bot: `make run` and `make test` are all the set-up anyone needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCK := requirements.lock

.PHONY: run test lint types pytest bench console migration clean lock

# Exactly the versions in requirements.lock (runtime and dev, the ones the suite passed with),
# then the project itself without resolving anything again.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## lock: re-resolve requirements.lock from pyproject.toml (after changing a dependency there)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file $(LOCK) pyproject.toml

## run: install, migrate and start (Slack with tokens set; else the console on demo data)
run: $(STAMP)
	$(BIN)/lom-bot run

## test: lint, types and the whole suite (PostgreSQL tests run when a server is reachable)
test: $(STAMP) lint types pytest

lint: $(STAMP)
	$(BIN)/ruff check lom_bot tests
	$(BIN)/lint-imports

types: $(STAMP)
	$(BIN)/mypy

# Two worker processes by default (the suite is CPU-bound; PYTEST_WORKERS=0 runs it in one).
PYTEST_WORKERS ?= auto
pytest: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## bench: the performance measurements (docs/benchmarks.md)
bench: $(STAMP)
	$(BIN)/python -m bench

## migration: regenerate the initial migration from the tables (before the first release only)
migration: $(STAMP)
	rm -f lom_bot/store/migrations/versions/0001_initial.py /tmp/lom-migration.sqlite3
	$(BIN)/alembic -c lom_bot/store/migrations/alembic.ini -x url=sqlite:////tmp/lom-migration.sqlite3 revision --autogenerate --rev-id 0001 -m initial
	$(BIN)/ruff check --fix --quiet lom_bot/store/migrations/versions
	$(BIN)/ruff format --quiet lom_bot/store/migrations/versions

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
