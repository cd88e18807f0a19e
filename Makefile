# Two commands set everything up on a fresh machine: `make run` and `make test`.
# Python 3.11 or newer: python3.11 if installed, else python3 (checked below).
PYTHON ?= $(shell command -v python3.11 || command -v python3 || echo python3.11)
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export DATABASE_URL ?= sqlite:///instance/muster.db

.PHONY: run test lint peers browser screenshots format test-sqlite test-postgres install bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "Python 3.11 or newer is needed ($(PYTHON) is not): make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "could not create a venv (on Debian/Ubuntu: apt install python3.11-venv)"; exit 1; }
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/flask --app wsgi init-db
	$(BIN)/flask --app wsgi demo-data
	@# the notice worker runs beside the server and stops when gunicorn exits;
	@# gunicorn.conf.py: threaded workers (a slow client holds a thread, not the server)
	$(BIN)/flask --app wsgi worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

test: install lint peers browser test-sqlite test-postgres

# The export tests' real peers (an LRS, xAPI validation, a credential verifier), pinned.
PEERS := tests/peers
peers: $(PEERS)/node_modules/.package-lock.json
$(PEERS)/node_modules/.package-lock.json: $(PEERS)/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are needed (apt-get install nodejs npm)"; exit 1; }
	cd $(PEERS) && npm ci --ignore-scripts --no-audit --no-fund --silent

# The verify page's test opens it in a real headless Chromium: Debian's package.
browser:
	@test -x /usr/bin/chromium || { \
	  command -v apt-get >/dev/null || { echo "Chromium is needed (Debian: apt-get install -y chromium)"; exit 1; }; \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$SUDO apt-get install -y chromium || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }; }

# The verify page at a phone's width, valid, expired and revoked: screenshots/ (not committed).
screenshots: install browser
	MUSTER_SCREENSHOTS=$(CURDIR)/screenshots $(BIN)/pytest -p no:randomly tests/browser -k phones

# ruff's checks and its formatter (pyproject.toml); `make format` applies both.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-sqlite: install
	$(BIN)/pytest -n 2

# CI never skips PostgreSQL; a developer without root and without the server gets a notice.
test-postgres: install
	@url=$$(scripts/test-postgres start); status=$$?; \
	if [ $$status -eq 3 ] && [ -z "$$CI" ]; then exit 0; fi; \
	[ $$status -eq 0 ] || { echo "could not start PostgreSQL"; exit 1; }; \
	echo "--- the same suite on PostgreSQL ($$url)"; \
	MUSTER_TEST_POSTGRES=$$url $(BIN)/pytest -n 2

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance
