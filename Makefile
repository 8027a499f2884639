# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck check seed schema lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed (set PYTHON=python3.x)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The service installs from lock files with exact versions and hashes;
# pyproject.toml keeps the ranges they were resolved from (`make lock`).
$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

## Start the API on SQLite with demo data: http://$(HOST):$(PORT)/graphql
run: $(VENV)/.installed
	$(BIN)/python -m app serve --demo-data --host $(HOST) --port $(PORT)

## Run the whole test suite, on PYTEST_WORKERS processes (each with its own databases and ports;
## a file's tests stay on one of them, so that its module-scoped servers start once: --dist loadfile).
PYTEST_WORKERS ?= 4
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## ruff (lint and format check) and mypy (strict for schema/, resolvers/, orm/).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app.py schema resolvers orm tests bench

check: lint test

## Bulk-insert synthetic profiles: make seed MENTORS=100000 MENTEES=1000
seed: $(VENV)/.installed
	$(BIN)/python -m app seed --mentors $(or $(MENTORS),1000) --mentees $(or $(MENTEES),100)

## Rewrite schema.graphql from the code.
schema: $(VENV)/.installed
	$(BIN)/python -m app export-schema

## Resolve pyproject.toml's ranges again into the lock files (exact versions, hashes).
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet
lock: $(VENV)/.installed-dev
	$(LOCK) --output-file requirements.lock
	$(LOCK) --extra dev --output-file requirements-dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
