# Digitale opleidingen - Evolutie: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: help setup reports test test-fast lint format hooks lab bench bench-scale lock clean chromium calc generate question

help: ## Show this list of targets
	@awk 'BEGIN{FS=":.*## "} /^[a-z][a-zA-Z_-]*:.*## /{printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml jupyter/overrides.json jupyter/jupyter_server_config.json | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --display-name "Python 3 (digitale opleidingen)" >/dev/null
	mkdir -p $(VENV)/share/jupyter/lab/settings && cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	mkdir -p $(VENV)/etc/jupyter && cp jupyter/jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.json
	touch $(STAMP)

chromium: ## Find Chromium for PDF export, or install Debian's package when root
	@scripts/ensure-chromium.sh

calc: ## Chromium, and LibreOffice Calc for the spreadsheet tests: Debian's libreoffice-calc when root (one apt step)
	@scripts/ensure-chromium.sh --calc

setup: $(STAMP) chromium ## Create .venv with the hashed, pinned packages of requirements.lock, the Jupyter kernel and Chromium (idempotent)

reports: setup ## Build every report of reports.yml into reports/ (ARGS="--only q5 --lang en" narrows it)
	$(BIN)/python -m analysis build $(ARGS)

PYTEST := $(BIN)/python -m pytest

test: $(STAMP) calc lint ## Lint, then the whole suite as CI runs it: unit, in-process, fuzzing, end-to-end build, nbval
	$(PYTEST) --hypothesis-profile=ci --durations=25 --nbval-lax tests notebooks $(ARGS)

test-fast: setup ## Inner loop, no lint: unit and in-process tests (no Chromium, no subprocess build, no fuzzing)
	$(PYTEST) --hypothesis-profile=dev -m "not e2e and not fuzz" tests $(ARGS)

LINTED := src tests benchmarks scripts notebooks

lint: setup ## ruff (lint + format check), mypy on src/ (strict in data/ and core/), layer contracts, notebook outputs
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/check_notebooks.py notebooks/*.ipynb
	$(BIN)/python -m analysis generate --check

generate: setup ## Rewrite generated parts: notebook intro and parameters cells, data/README.md, data/datapackage.json
	$(BIN)/python -m analysis generate

question: setup ## Add a question: make question ID=q8 SLUG=regional_offer (registry, notebook, module, text)
	@test -n "$(ID)" -a -n "$(SLUG)" || { echo "usage: make question ID=q8 SLUG=regional_offer"; exit 2; }
	$(BIN)/python -m analysis new-question $(ID) $(SLUG) $(ARGS)

format: setup ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

hooks: setup ## Install the pre-commit git hooks (ruff, notebook outputs, layer contracts, mypy)
	$(BIN)/pre-commit install

lab: setup ## Open JupyterLab on work/: your own copies of the notebooks (made once; the build never reads them)
	$(BIN)/python -m analysis lab $(ARGS)

bench: setup ## Benchmark the build against the usual papermill + nbconvert + Chromium chain, then the scale section
	$(BIN)/python benchmarks/build.py $(ARGS)
	$(BIN)/python benchmarks/scale.py

bench-scale: setup ## Scale section alone: 10k-1M-row extracts validated, .xlsx readers, q3 on 1M rows
	$(BIN)/python benchmarks/scale.py $(ARGS)

LOCKENV := .build/lockenv

lock: ## Re-resolve pyproject.toml (run-time deps, dev and lab extras, build backend) into requirements.lock, with hashes
	rm -rf $(LOCKENV) && $(PYTHON) -m venv $(LOCKENV)
	$(LOCKENV)/bin/pip install -q --disable-pip-version-check -U pip pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCKENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --all-build-deps \
		--extra dev --extra lab --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
		-o requirements.lock $(ARGS) pyproject.toml
	rm -rf $(LOCKENV)

clean: ## Remove generated reports and caches: reports/, .build/ (validated frames, parameters cells read, report durations), test caches (keeps .venv)
	rm -rf reports/ .build/ .pytest_cache .hypothesis .mypy_cache
