# One task runner: `make run` starts the dashboard (first run loads the real data into SQLite);
# `make test` runs every test tier. Both create the virtual environment on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test unit lint bench fuzz fetch clean-db

$(STAMP): requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) app.py

test: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider --cov=dashboard --cov-report=term:skip-covered

unit: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider tests/unit tests/callbacks

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check dashboard tests
	$(VENV)/bin/mypy dashboard

bench: $(STAMP)
	$(PY) -m bench.scorecard
	$(PY) -m bench.http

fuzz: $(STAMP)
	FUZZ_EXAMPLES=3000 $(PY) -m pytest -p no:cacheprovider tests/fuzz

fetch: $(STAMP)
	$(PY) -m dashboard fetch

clean-db:
	rm -f data/dashboard.db data/dashboard.db-wal data/dashboard.db-shm

# Performance and accessibility (docs/PERFORMANCE.md). `make bench` also runs bench.http: the
# views through HTTP against gunicorn, with their floors, page load and memory. `make loadtest`
# runs 50 users for 60 s against 4 gunicorn workers; point it at PostgreSQL and Redis with
# LOAD_DATABASE_URL and LOAD_CACHE_URL (`pytest tests/load` is its short, CI-sized form).
.PHONY: loadtest
LOAD_DATABASE_URL ?= $(or $(DATABASE_URL),sqlite:///data/bench.db)
LOAD_CACHE_URL ?= redis://127.0.0.1:6379/7

loadtest: $(STAMP)
	$(PY) -m bench.loadtest --database-url $(LOAD_DATABASE_URL) --cache-url $(LOAD_CACHE_URL) \
		--users 50 --duration 60 --workers 4

# axe-core for the accessibility tests (pinned in package-lock.json; CI runs `npm ci` itself).
test: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund || echo "npm is not available: the accessibility tests will skip"
