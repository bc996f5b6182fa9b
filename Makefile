# Two commands do all the setup on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# One pytest worker per CPU (pytest-xdist); on PostgreSQL each worker has its own database.
PYTEST_ARGS ?= -n auto
LINTED := $(wildcard app tests bench) wsgi.py
export FLASK_APP := wsgi

.PHONY: run test test-sqlite test-postgresql lint format venv clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: browser accessibility checks need axe-core (npm ci)"; fi

# Development server with the demo data on http://127.0.0.1:$(PORT).
run: venv
	APP_ENV=development $(BIN)/flask db upgrade
	APP_ENV=development $(BIN)/flask demo --if-empty
	APP_ENV=development $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set.
test: venv node_modules/.installed
	$(BIN)/ruff check $(LINTED)
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgresql; \
	else echo "PostgreSQL: not run (set TEST_DATABASE_URL=postgresql+psycopg://user@host/db to run it)"; fi

test-sqlite: venv
	TEST_DB=sqlite $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgresql: venv
	TEST_DB=postgresql $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: venv
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
