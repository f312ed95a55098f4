# 议事厅 — every task a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/yishiting
MANAGE := $(BIN)/python manage.py

AXE := tests/e2e/node_modules/axe-core/axe.min.js
# The unit suites run in one process per core (pytest-xdist), each file in one process.
TEST_WORKERS ?= auto
PARALLEL := -n $(TEST_WORKERS) --dist loadfile

.PHONY: help install run migrate demo serve test test-pg test-e2e lint bench-pg bench-load bench-search format messages bench clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-9s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv and install runtime and dev requirements (no-op when up to date)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip check
	@touch $(STAMP)

migrate: install ## Apply database migrations
	$(MANAGE) migrate --no-input

demo: migrate ## Load the demo community (idempotent)
	$(MANAGE) load_demo

run: demo ## Install, migrate, load the demo and serve on 127.0.0.1:$(PORT)
	@echo ""
	@echo "  网站 Site:   http://127.0.0.1:$(PORT)/"
	@echo "  后台 Admin:  http://127.0.0.1:$(PORT)/admin/"
	@echo ""
	$(MANAGE) runserver 127.0.0.1:$(PORT)

serve: demo ## Serve with gunicorn and whitenoise, DEBUG off, on 127.0.0.1:$(PORT)
	@mkdir -p var && test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$$(cat var/secret_key)" \
	  ALLOWED_HOSTS="127.0.0.1,localhost" DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 \
	  $(MANAGE) collectstatic --no-input --verbosity 0
	@echo "  网站 Site:   http://127.0.0.1:$(PORT)/"
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$$(cat var/secret_key)" \
	  ALLOWED_HOSTS="127.0.0.1,localhost" DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 \
	  $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} \
	  --access-logfile - --forwarded-allow-ips 127.0.0.1

test: install ## Run the whole test suite on SQLite (browser tests: make test-e2e)
	$(BIN)/pytest -m "not e2e" $(PARALLEL) $(PYTEST_ARGS)

test-pg: install ## Run the whole test suite on PostgreSQL ($$DATABASE_URL, else a local default)
	DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(BIN)/pytest -m "not e2e" $(PARALLEL) $(PYTEST_ARGS)

test-e2e: install $(AXE) ## Run the browser tests in Debian's Chromium ($$CHROMIUM, else /usr/bin/chromium)
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund
	touch $@

lint: install ## Check style, lint, migrations and translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check

format: install ## Format the code and fix what ruff can fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install ## Extract translatable strings into site/locale and compile them
	$(MANAGE) makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --no-obsolete
	$(MANAGE) compilemessages --locale zh_Hans --ignore '.venv/*'

bench: install ## Run the benchmarks and print their figures (see bench/README.md)
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test \
	  DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3}" $(BIN)/python -m bench $(BENCH_ARGS)

bench-pg: install ## The benchmarks on a local PostgreSQL database yishiting_bench
	createdb -h 127.0.0.1 -U postgres yishiting_bench 2>/dev/null || true
	DJANGO_SETTINGS_MODULE=config.settings.test \
	  DATABASE_URL="postgres://postgres@127.0.0.1:5432/yishiting_bench" $(BIN)/python -m bench $(BENCH_ARGS)

bench-load: install ## 64 voters for 60 s on PostgreSQL under gunicorn, with SIGKILL and a PostgreSQL restart
	createdb -h 127.0.0.1 -U postgres yishiting_load 2>/dev/null || true
	DJANGO_SETTINGS_MODULE=config.settings.test \
	  DATABASE_URL="postgres://postgres@127.0.0.1:5432/yishiting_load" \
	  $(BIN)/python -m bench.load --voters 64 --seconds 60 --faults $(BENCH_ARGS)

bench-search: install ## Search quality on the seed corpus and speed at SEARCH_DOCUMENTS (SQLite, or $$DATABASE_URL)
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test \
	  DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench-search.sqlite3}" \
	  $(BIN)/python -m bench.search --documents $${SEARCH_DOCUMENTS:-10000} $(BENCH_ARGS)

clean: ## Remove the virtual environment and local data (database, media, static)
	rm -rf $(VENV) var
