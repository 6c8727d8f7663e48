# OpenKAM: the two commands a new user needs are `make demo` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export UV_LINK_MODE := copy

VENV := .venv
PY := $(VENV)/bin/python
KAM := $(VENV)/bin/kam
# PostgreSQL for the second test run when DATABASE_URL does not name one already.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/openkam
# The second database run skips the packages that never touch the Django database, and the
# two tests that ask every route as every role (the permission matrix, the pseudo-locale
# check): they test the views' rules, which do not depend on the database, and take a third
# of the suite's time; the first run has them.
DJANGO_FREE := --ignore=openkam/analytics --ignore=openkam/facts \
  --ignore=tests/test_permission_matrix.py --ignore=tests/i18n/test_pseudo_locale.py
# Two pytest workers (pytest-xdist), one per core: the suite takes about half the time.
PYTEST := $(VENV)/bin/pytest -n 2

.PHONY: demo test install install-dev messages translations lint browser-deps pdf-deps test-sqlite test-postgres bench clean help

help:
	@echo "make demo   install, migrate, load the demo data and serve on http://127.0.0.1:8000"
	@echo "make test   the whole test suite (SQLite and PostgreSQL, browser, API fuzzing)"

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv

install: uv
	uv sync --locked --no-dev
	@$(MAKE) --no-print-directory messages

# The translations: .po files are the source, the .mo files Django reads are built from them.
messages:
	$(VENV)/bin/pybabel -q compile -d openkam/locale -D django

install-dev: uv
	uv sync --locked --extra spark
	@$(MAKE) --no-print-directory messages

demo: install pdf-deps
	$(KAM) migrate --no-input -v 0
	$(KAM) demo
	$(KAM) serve

# New or changed strings into the four catalogues (then translate what the checker lists).
translations: install-dev
	cd openkam && ../$(KAM) makemessages -l th -l vi -l sr_Latn -l fil --no-obsolete \
	  --add-location file --ignore 'tests/*' --ignore '*/tests/*' --ignore 'locale/*' -v 0
	$(PY) -m tests.i18n.catalogues th vi sr_Latn fil | tail -n 1

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(KAM) makemigrations --check --dry-run -v 1

# Debian's chromium for the Playwright tests, and Thai fonts (DejaVu, which Debian ships, covers
# Vietnamese and Serbian but has no Thai); skipped (with a notice) where apt cannot run.
# WeasyPrint (the PDFs) draws text with Pango, a system library; the fonts come from PyPI.
pdf-deps:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Pango for the PDFs..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null) \
	      || echo "WARNING: could not install Pango; PDFs will not print"; \
	  else echo "WARNING: Pango (libpangoft2-1.0) missing; install it to print PDFs"; fi; \
	fi

browser-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing=" chromium"; \
	fc-list :lang=th family 2>/dev/null | grep -q . || missing="$$missing fonts-thai-tlwg"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing$$missing for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "WARNING: could not install$$missing; browser tests may be skipped"; \
	  else echo "WARNING:$$missing missing and apt-get unavailable; browser tests may be skipped"; fi; \
	fi

test: install-dev browser-deps pdf-deps lint
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== Test suite on $${DATABASE_URL%%://*} (DATABASE_URL) =="; \
	  $(PYTEST) || exit $$?; \
	  echo "== Test suite on SQLite (browser, fuzz and the Django-free packages ran above) =="; \
	  env -u DATABASE_URL $(PYTEST) -m "not browser and not fuzz" $(DJANGO_FREE) \
	    -p no:cacheprovider || exit $$?; \
	else \
	  echo "== Test suite on SQLite =="; \
	  $(PYTEST) || exit $$?; \
	  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	    echo "== Test suite on PostgreSQL ($(PG_TEST_URL)) =="; \
	    DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m "not browser and not fuzz" $(DJANGO_FREE) \
	      -p no:cacheprovider || exit $$?; \
	  else echo "NOTICE: no PostgreSQL on 127.0.0.1:5432; ran SQLite only (CI runs PostgreSQL)"; fi; \
	fi

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

bench: install-dev
	$(PY) bench/account_list.py
	$(PY) bench/import_orders.py
	$(PY) bench/analytics.py
	$(PY) bench/repeat_purchase_model.py
	$(PY) bench/pages.py --data-dir var/bench/pages
	$(PY) bench/account_360.py --data-dir var/bench/account360
	$(PY) bench/health.py --data-dir var/bench/account360
	$(PY) bench/alerts.py --data-dir var/bench/account360
