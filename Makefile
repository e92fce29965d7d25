# Werkplaats — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HASH := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUNTIME := $(VENV)/.runtime-$(HASH)
DEV := $(VENV)/.dev-$(HASH)

.PHONY: run test lint bench clean

# What the shop runs from: the runtime dependencies only.
$(RUNTIME): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	rm -f $(VENV)/.runtime-* && touch $(RUNTIME)

# What the tests, the linters and the benches add (Playwright, mypy, matplotlib, …).
$(DEV): $(RUNTIME)
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.dev-* && touch $(DEV)

run: $(RUNTIME)
	$(PY) main.py serve --demo

test: $(DEV)
	scripts/test-prerequisites.sh
	$(PY) -m pytest

lint: $(DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

bench: $(DEV)
	$(PY) -m bench.stream_latency

clean:
	rm -rf $(VENV) data/werkplaats.db* .pytest_cache
