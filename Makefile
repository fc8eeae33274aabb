# outcomes: two commands on a fresh machine.
#   make report   set everything up, then build the sample conference's report
#   make test     set everything up, then run the whole test suite (nbval included)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.outcomes-installed
CONFERENCE ?= data/sample-conference
PYTEST_ARGS ?=

.PHONY: setup report test notebooks models benchmark lab clean

setup: $(STAMP) pdf-tools

# Re-install only when the project's dependencies change.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing outcomes, its dependencies and the spaCy pipelines into $(VENV)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# The PDF is printed by Debian's Chromium; the tests read PDFs with poppler-utils.
.PHONY: pdf-tools
pdf-tools:
	@if command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium and poppler-utils (for the PDF)"; \
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	else \
		echo "note: the PDF needs Chromium and poppler-utils: sudo apt-get install chromium poppler-utils"; \
	fi

report: setup
	@if command -v chromium >/dev/null 2>&1 || [ -n "$$OUTCOMES_CHROMIUM" ]; then pdf=; else pdf=--no-pdf; fi; \
	$(BIN)/outcomes build $(CONFERENCE) $$pdf && echo "report published in reports/$$(basename $(CONFERENCE))/"

test: setup
	$(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/nbval-sanitize.cfg tests notebooks $(PYTEST_ARGS)

# Re-execute the notebooks in place so that their stored outputs (checked by nbval) are current.
notebooks: setup
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace notebooks/session.ipynb notebooks/report.ipynb

# Retrain the theme classifiers from the development data (deterministic; held-out and test parts are not read),
# then calibrate the scores and fit the key-statement operating points on the real-text development part.
models: setup
	$(BIN)/python -m outcomes.nlp.training
	$(BIN)/python -m outcomes.calibration

benchmark: setup
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/build.py

# JupyterLab is optional: it adds ~1.3 s to every process that imports its dependencies.
lab: setup
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
