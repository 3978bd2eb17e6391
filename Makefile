# Every target sets itself up: `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test processes: the suite mostly waits (HTTP, subprocesses, timers), so 3 beat 2 on 2 cores.
TEST_WORKERS ?= 3

.PHONY: install demo test lint typecheck unit bench clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/parley demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest tests/unit

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS)

bench: $(STAMP)
	$(BIN)/python -m bench.ack_latency
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.burst
	$(BIN)/python -m bench.memory

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

# The team's language (docs/translations.md): collect the texts, merge them into every catalogue, compile.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --add-comments=TRANSLATORS: --no-location --sort-output \
		--project=parley --copyright-holder="Parley contributors" -o bot/locales/parley.pot blocks handlers bot
	$(BIN)/pybabel update -D parley -i bot/locales/parley.pot -d bot/locales --width=110 --ignore-obsolete
	$(BIN)/pybabel compile -D parley -d bot/locales --statistics
