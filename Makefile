.PHONY: test lint format

# Install what the tests need (Chromium, fonts, Python extras), then run every test.
test:
	bash scripts/test-setup
	python3 -m pytest

lint:
	ruff check . && ruff format --check .

format:
	ruff check --fix . && ruff format .
