.PHONY: test lint format catalogs

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

# Re-extract the words the project writes, merge them into every language's .po, compile
# the .mo files that ship (commit all three; tests/test_catalogs.py checks they agree).
LOCALES_DIR = src/candidate_cards/locales
catalogs:
	pybabel extract -F babel.cfg --add-comments=TRANSLATORS: --no-location --sort-output --project=candidate-cards --copyright-holder="candidate-cards developers" -o $(LOCALES_DIR)/messages.pot .
	pybabel update -i $(LOCALES_DIR)/messages.pot -d $(LOCALES_DIR) --no-fuzzy-matching --ignore-obsolete
	pybabel compile -d $(LOCALES_DIR) --statistics
