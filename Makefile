# Souk Export. `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-services test-browser bench bench-search bench-orders lint migrate seed install clean

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -m "not browser" -n 2

test-browser: install
	$(PY) -m pytest -m browser tests/browser -n 2

bench: install
	$(PY) -m bench.run
	$(PY) -m bench.search
	$(PY) -m bench.orders

bench-search: install
	$(PY) -m bench.search

bench-orders: install
	$(PY) -m bench.orders

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 media test-media staticfiles test-results
