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

fuzz: $(STAMP)
	FUZZ_EXAMPLES=3000 $(PY) -m pytest -p no:cacheprovider tests/fuzz

fetch: $(STAMP)
	$(PY) -m dashboard fetch

clean-db:
	rm -f data/dashboard.db data/dashboard.db-wal data/dashboard.db-shm
