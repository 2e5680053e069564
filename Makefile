# wikigate: two commands on a fresh machine.
#   make serve   venv, install, database, Admin account (password printed once), serve on 127.0.0.1:8080
#   make test    venv with test extras, then the whole suite (SQLite, and PostgreSQL when CI=true)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: serve test test-sqlite test-postgres e2e bench conformance fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

serve: $(STAMP)
	$(BIN)/wikigate bootstrap
	$(BIN)/wikigate serve

test: $(TEST_STAMP)
	$(BIN)/ruff check wikigate tests tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -q
	@if [ "$$CI" = "true" ] || [ -n "$$WIKIGATE_TEST_POSTGRES" ]; then $(MAKE) --no-print-directory test-postgres; fi

# The end-to-end tier alone: the real server driven by pywikibot, mwclient, mwapi, mwn, api-testing.
e2e: $(TEST_STAMP)
	$(BIN)/python -m pytest -q tests/e2e

test-postgres: $(TEST_STAMP)
	WIKIGATE_TEST_BACKEND=postgresql WIKIGATE_REQUIRE_POSTGRES=1 $(BIN)/python -m pytest -q -m "not e2e"

# A side-by-side benchmark against MediaWiki 1.39 (when installed); prints ratios.
bench: $(TEST_STAMP)
	$(BIN)/python tools/bench.py

# A long fuzzing run (FUZZ requests, default 100,000) that also checks memory stays flat.
FUZZ ?= 100000
fuzz: $(TEST_STAMP)
	WIKIGATE_FUZZ=$(FUZZ) $(BIN)/python -m pytest -q -s tests/test_fuzz.py

# Per-module agreement with MediaWiki 1.39's recorded answers.
conformance: $(TEST_STAMP)
	$(BIN)/python tools/conformance.py report

clean:
	rm -rf $(VENV) .pytest_cache
