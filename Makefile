# One command each: make demo, make test, make lint, make bench.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: setup system-deps demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian packages (chromium for browser tests, postgresql for the PostgreSQL integration run).
system-deps:
	./scripts/install-system-deps.sh

demo: setup
	$(BIN)/careshift demo

test: setup system-deps
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src/careshift/domain src/careshift/engine

# make bench            -> every benchmark, one JSON object on stdout
# make bench ONLY=name  -> just that one
bench: setup
	$(BIN)/python -m benchmarks $(if $(ONLY),--only $(ONLY),)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
