# goingsolo — `make run` serves a whole instance, `make test` runs the whole suite.
# Needs only Python >= 3.11 and make; everything else is installed here, into .venv
# (and, for the accessibility checks of the browser tests, axe-core into node_modules with npm).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# axe-core, which the browser tests load into each page (docs/accessibility.md).
AXE := node_modules/axe-core/axe.min.js
NPM ?= npm
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
PG_URL := $(or $(TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/goingsolo)
PYTEST_ARGS ?=

.PHONY: messages-update run test test-sqlite test-postgres test-topology install messages lint check-migrations check-catalogue check clean

run: install messages
	@$(BIN)/goingsolo run

install: $(STAMP) $(AXE)

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "goingsolo needs Python 3.11 or newer; none was found on PATH." >&2; exit 1; fi
	@echo "Installing goingsolo into $(VENV) with $(PYTHON)…"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# package-lock.json pins axe-core; `npm ci` installs exactly that. The site itself needs no
# Node: without npm, `make run` still works and the accessibility tests say what is missing
# (and fail under CI=true).
$(AXE): package.json package-lock.json
	@if command -v $(NPM) >/dev/null 2>&1; then \
		echo "Installing axe-core for the accessibility tests (npm ci)…"; \
		$(NPM) ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else \
		echo "npm is missing: axe-core is not installed, the accessibility tests cannot run (Debian: apt-get install npm)." >&2; \
	fi

# The French catalogue is compiled here, so the .mo file is never stale.
messages: install
	@command -v msgfmt >/dev/null 2>&1 || { echo "Installing gettext (msgfmt)…"; \
		(apt-get update -qq && apt-get install -y -qq gettext) >/dev/null 2>&1 || \
		{ echo "msgfmt is missing: install gettext" >&2; exit 1; }; }
	@$(BIN)/goingsolo compilemessages --ignore=.venv --ignore=data -v 0

test: install messages
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then \
		echo "Browser tests: Chromium found, they run."; \
	else \
		echo "Browser tests SKIPPED: no Chromium found (Debian: apt-get install chromium)."; fi
	@if [ ! -f $(AXE) ]; then \
		echo "Accessibility tests SKIPPED (FAIL under CI=true): axe-core is not installed (needs npm; then make install)."; fi
	@$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$(TEST_POSTGRES)$(TEST_DATABASE_URL)" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL run skipped: set TEST_POSTGRES=1 or TEST_DATABASE_URL to run the suite on it too."; fi
	@$(MAKE) --no-print-directory test-topology

# The topology group (tests/topology) starts whole instances on databases of its own
# (SQLite, PostgreSQL, PostgreSQL with Redis), whatever DATABASE_URL says: the two passes
# of the suite leave it out, and it runs once, alone (its instances are shared by its
# modules, so not split between pytest-xdist workers).
test-sqlite: install
	@echo "== Test suite on SQLite"
	@env -u DATABASE_URL $(BIN)/python -m pytest -n 2 --dist loadfile -m "not topology" $(PYTEST_ARGS)

test-topology: install messages
	@echo "== Topology tests: goingsolo run on SQLite, PostgreSQL and PostgreSQL with Redis"
	@env -u DATABASE_URL $(BIN)/python -m pytest tests/topology -m topology $(PYTEST_ARGS)

test-postgres: install
	@echo "== Test suite on PostgreSQL ($(PG_URL))"
	@$(BIN)/python -c 'import sys, psycopg; from urllib.parse import urlparse; \
		u = urlparse(sys.argv[1]); \
		psycopg.connect(host=u.hostname or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres", \
		password=u.password or None, dbname="postgres", connect_timeout=5).close()' "$(PG_URL)" \
		|| { echo "PostgreSQL was asked for but does not answer at $(PG_URL)." >&2; exit 1; }
	@DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 2 --dist loadfile -m "not topology" $(PYTEST_ARGS)

lint: install
	@$(BIN)/ruff check .

check-migrations: install
	@$(BIN)/goingsolo makemigrations --check --dry-run

# Complete means: every string the code marks (makemessages finds them all) has French,
# and nothing is fuzzy. The catalogue in the tree is left as it was.
PO := goingsolo/locale/fr/LC_MESSAGES/django.po
check-catalogue: install
	@cp $(PO) $(PO).orig
	@cd goingsolo && ../$(BIN)/goingsolo makemessages -l fr --no-obsolete --no-location -v 0 2>/dev/null; cd ..; \
	out=$$(msgfmt --statistics -o /dev/null $(PO) 2>&1); mv $(PO).orig $(PO); \
	echo "French catalogue: $$out"; \
	if echo "$$out" | grep -qE "untranslated|fuzzy"; then \
		echo "The French catalogue is incomplete: run 'make messages-update' and translate." >&2; exit 1; fi

# Brings new strings into the French catalogue, to translate.
messages-update: install
	@cd goingsolo && ../$(BIN)/goingsolo makemessages -l fr --no-obsolete --no-location

check: lint check-migrations check-catalogue

clean:
	rm -rf $(VENV) build *.egg-info node_modules
