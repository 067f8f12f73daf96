# lom-bot: `make run` and `make test` are all the set-up anyone needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint types pytest bench console migration clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

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
