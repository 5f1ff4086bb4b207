# The two commands: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app portal
HOST   ?= 127.0.0.1
PORT   ?= 5000
CHROMIUM ?= /usr/bin/chromium
# pybabel keywords: _l and lazy_gettext are not among its defaults
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2

.PHONY: run test security bench install install-test assets browser translations migrate demo i18n-extract clean

run: install assets translations migrate demo  ## install, migrate, load the demo and serve
	$(FLASK) run --host $(HOST) --port $(PORT)

# Two workers (pytest-xdist), a file at a time each; PostgreSQL gives each worker its own database.
TEST_WORKERS ?= 2

test: install-test assets browser translations  ## the whole suite (PostgreSQL too when PORTAL_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# sqlmap and wapiti (Debian's packages) against a fresh demo portal, and bandit over the code
security: install-test assets translations
	@command -v sqlmap >/dev/null && command -v wapiti >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq sqlmap wapiti >/dev/null; }
	$(BIN)/python security/scan.py

# The national data set under load (bench/): wrk from Debian's packages, PostgreSQL at
# PORTAL_BENCH_DATABASE_URL (default portal_bench on 127.0.0.1, created and loaded when missing)
bench: install assets translations
	$(BIN)/python -m bench

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs are repeated only when the lock file changes.
$(VENV)/.installed-run: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

# htmx (and axe-core for the accessibility tests) from the npm registry, exactly as locked
assets: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests; Playwright never downloads a browser here
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	fi
	@$(CHROMIUM) --version

translations: install
	$(BIN)/pybabel compile -d translations

migrate: install translations
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

# For developers: after changing visible strings, extract and update the catalogues,
# then translate the new entries in translations/vi/LC_MESSAGES/messages.po.
i18n-extract: install
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
	  --project portal --copyright-holder "Portal developers" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --width=100 \
	  --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules .pytest_cache
