# Two commands matter: `make run` (the product on embedded defaults) and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench setup artifacts lint types unit integration clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,aws]'
	touch $(STAMP)

setup: $(STAMP)

## artifacts: train a model / build the index when missing (filled by the scoring and KB work)
artifacts: setup
	$(BIN)/loan-advisor prepare

run: artifacts
	$(BIN)/loan-advisor serve

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types: setup
	$(BIN)/mypy .

unit: setup
	$(BIN)/pytest tests/unit

integration: setup
	$(BIN)/pytest tests/integration

test: lint types
	$(BIN)/pytest tests

bench: artifacts
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf var .mypy_cache .pytest_cache .ruff_cache
