.PHONY: test lint format

# The active virtual environment's Python (python3 on PATH), or PYTHON=... to choose.
PYTHON ?= python3

# Install what the tests need (browsers, fonts, Python extras) into it, then run every test.
test:
	PYTHON=$(PYTHON) bash scripts/test-setup
	$(PYTHON) -m pytest

lint:
	ruff check . && ruff format --check . && $(PYTHON) -m mypy --strict src

format:
	ruff check --fix . && ruff format .
