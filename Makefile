# veilleur — two commands for a new machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install demo test test-long lint typecheck format lock bench docs messages screenshots clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "veilleur needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/veilleur demo --out demo-workspace --login

# The workbench's pages at 1280 and 360 px wide, from the browser journeys (needs Debian's
# chromium: apt-get install chromium).
screenshots: $(STAMP)
	VEILLEUR_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q tests/test_web_browser.py tests/test_web_browser_analysis.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest -n 2 -m "not long" $(PYTEST_ARGS)

test-long: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m long $(PYTEST_ARGS)

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

docs: $(STAMP)
	$(BIN)/python -m veilleur.cli.docs --write

# Extract the messages into src/veilleur/locale/veilleur.pot, update the fr and en .po files and
# compile their .mo (committed and shipped as package data; a test checks they are up to date).
messages: $(STAMP)
	$(BIN)/python scripts/messages.py

# Re-pin every dependency (needs network access to PyPI).
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile -q pyproject.toml --extra dev --extra pdf --extra queue --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) demo-workspace .mypy_cache .pytest_cache .ruff_cache
