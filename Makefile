# Every target sets itself up: `make install`, `make demo` and `make test` work on a fresh machine.
# `make install` installs Parley and its runtime dependencies only, at the tested versions
# (constraints.txt); the targets for developers add the dev tools (constraints-dev.txt).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# Test processes: the suite mostly waits (HTTP, subprocesses, timers), so 3 beat 2 on 2 cores.
TEST_WORKERS ?= 3

.PHONY: install demo test lint typecheck unit bench constraints clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) constraints-dev.txt
	$(BIN)/python -m pip install --quiet -c constraints-dev.txt -e '.[dev]'
	touch $(DEV_STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/parley demo

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

unit: $(DEV_STAMP)
	$(BIN)/pytest tests/unit

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS)

bench: $(DEV_STAMP)
	$(BIN)/python -m bench.ack_latency
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.burst
	$(BIN)/python -m bench.memory

# The tested versions: everything in the dev environment, and the runtime closure alone (resolved in
# a throwaway environment from the same pins, so it holds exactly what `make install` needs).
constraints: $(DEV_STAMP)
	$(BIN)/python -m pip freeze --exclude-editable > constraints-dev.txt
	rm -rf .venv-runtime
	$(PYTHON) -m venv .venv-runtime
	.venv-runtime/bin/python -m pip install --quiet -c constraints-dev.txt .
	.venv-runtime/bin/python -m pip freeze --exclude-editable | grep -v '^parley[= ]' > constraints.txt
	rm -rf .venv-runtime build

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

# The team's language (docs/translations.md): collect the texts, merge them into every catalogue, compile.
translations: $(DEV_STAMP)
	$(BIN)/pybabel extract -F babel.cfg --add-comments=TRANSLATORS: --no-location --sort-output \
		--project=parley --copyright-holder="Parley contributors" -o bot/locales/parley.pot blocks handlers bot
	$(BIN)/pybabel update -D parley -i bot/locales/parley.pot -d bot/locales --width=110 --ignore-obsolete
	$(BIN)/pybabel compile -D parley -d bot/locales --statistics
