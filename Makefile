# Developer commands. The two that matter are in the README: `make demo` and `make test`.
#
# Every target runs inside the project virtualenv .venv, which `make install` creates (with the
# machine's python3) or updates. Installing is skipped when .venv/.installed is newer than
# pyproject.toml and constraints.txt, so repeated runs are quick.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
ARGS ?=

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install demo test lint format migrate runserver worker beat messages constraints clean audit

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(STAMP) ## Create or update .venv with the pinned dependencies

$(STAMP): pyproject.toml constraints.txt
	@if ! $(BIN)/python -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then \
		echo "Creating $(VENV) with $$($(PYTHON) --version)"; \
		$(PYTHON) -m venv --clear $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

demo: install ## Migrate, create the demo city, and serve on http://127.0.0.1:$(PORT)
	PORT=$(PORT) scripts/demo.sh

test: install ## Run every test against PostgreSQL, Redis and a real Celery worker
	$(BIN)/python scripts/run_tests.py $(ARGS)

lint: install ## ruff check (lint), ruff format --check and the import contract of the layers
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install ## Apply migrations (SQLite unless DATABASE_URL is set)
	$(BIN)/python manage.py migrate

runserver: install ## Development server only, no seeding
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: install ## A Celery worker (needs REDIS_URL or CELERY_BROKER_URL)
	$(BIN)/celery -A config worker -l info

beat: install ## Celery beat, the periodic-task scheduler
	$(BIN)/celery -A config beat -l info

messages: install ## Compile locale/*.po into .mo files (needs gettext's msgfmt)
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) --ignore=.git

constraints: install ## Regenerate constraints.txt from what .venv holds now
	@{ sed -n '/^#/p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | sort -f; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt
	@touch $(STAMP)
	@echo "constraints.txt: $$(grep -c '==' constraints.txt) pinned packages"

audit: install ## Check constraints.txt for known vulnerabilities (pip-audit; needs the network)
	@# --strict: a package that could not be checked is a failure, not a silent pass.
	$(BIN)/pip-audit --requirement constraints.txt --no-deps --disable-pip --strict \
		--progress-spinner off $(ARGS)

clean: ## Remove .venv, caches and build leftovers (keeps db.sqlite3 and media/)
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
