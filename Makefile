# The portal's commands. A newcomer needs two: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Tests run against the real PostgreSQL and Redis (standard local addresses unless set).
TEST_ENV := PORTAL_ENV=test \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0}

.PHONY: help install system-deps python-deps node-deps static messages run serve worker \
	test test-only lint format migrate reference-data demo-data services totp bench clean

help:
	@echo "make run    install everything, migrate, load reference and demo data, start web + worker"
	@echo "make test   lint (ruff, mypy, migrations, API rules) and the whole test suite"
	@echo "make install | lint | format | bench | totp | clean"

## Installation ------------------------------------------------------------------------------
install: system-deps python-deps node-deps static messages

system-deps:
	@scripts/install-system-deps

$(UV):
	@py=$$(scripts/find-python) && "$$py" -m venv $(TOOLS) && $(TOOLS)/bin/pip install -q "uv==$(UV_VERSION)"

python-deps: $(UV)
	@py=$$(scripts/find-python) && UV_PYTHON="$$py" UV_PROJECT_ENVIRONMENT=$(VENV) \
		$(UV) sync --locked --quiet --python "$$py"
	@echo "python packages: installed from uv.lock"

node-deps:
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	fi
	@echo "front-end packages: installed from package-lock.json"

static: node-deps
	@scripts/build-static

messages: python-deps
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=.tools -v 0
	@echo "translations: compiled"

## Running -----------------------------------------------------------------------------------
migrate:
	$(PY) manage.py migrate --no-input -v 0

reference-data:
	$(PY) manage.py load_reference_data

demo-data:
	$(PY) manage.py load_demo_data

run: install migrate reference-data demo-data
	@mkdir -p var/log
	@scripts/run-dev "$(HOST)" "$(PORT)"

totp:
	@$(PY) manage.py demo_totp

## Quality -----------------------------------------------------------------------------------
lint: python-deps node-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run -v 1
	@mkdir -p var
	$(PY) manage.py spectacular --format openapi-json --file var/openapi.json --fail-on-warn
	npx --no-install spectral lint --quiet -r docs/api/nlgov-api-design-rules.spectral.yaml \
		var/openapi.json --fail-severity error
	PORTAL_ENV=production SECRET_KEY=$$(printf 'x%.0s' {1..60})-lint-only ALLOWED_HOSTS=portal.example.nl \
		$(PY) manage.py check --deploy --fail-level WARNING

format: python-deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

services:
	@scripts/ensure-services

test: install lint services test-only

# CI never trusts a test database left by an earlier run (--reuse-db is the local default).
PYTEST_ARGS ?= $(if $(CI),--create-db)
# One test process per core, at most four (config.settings gives each its own Redis databases);
# a test file stays in one process, with its module fixtures.
TEST_PROCESSES ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

test-only:
	$(TEST_ENV) $(VENV)/bin/pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

bench: install services
	$(TEST_ENV) $(PY) -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf var/ static/vendor/ $(VENV) $(TOOLS) node_modules
