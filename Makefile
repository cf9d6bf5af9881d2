# EduCIO — everything a fresh machine needs comes from these targets and the lockfiles.
SHELL := /bin/bash
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export UV_PYTHON_DOWNLOADS := never

.PHONY: run install assets browsers lint test test-fast test-browser bench demo serve migrate clean

run: install migrate demo ## Install, migrate, load the demo jurisdictions, and serve on 127.0.0.1:8000
	@$(MANAGE) demo_accounts
	@echo "EduCIO: http://$(HOST):$(PORT)/ (with the task worker for background exports)"
	@# The worker builds large exports in the background; the trap stops it when the server stops.
	@$(MANAGE) db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT) --noreload

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV) ## Python and npm dependencies from uv.lock and package-lock.json
	$(UV) sync --frozen --quiet
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) scripts/vendor_assets.py

migrate:
	$(MANAGE) migrate --noinput -v 0

demo:
	$(MANAGE) load_demo

# The browser the Playwright tests drive (tests/browser/conftest.py reads the same variable).
export EDUCIO_CHROMIUM ?= /usr/bin/chromium
# fc-list comes with the `fontconfig` package, which --no-install-recommends may leave out,
# so the font file itself is checked too.
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

browsers: ## Debian's Chromium and CJK fonts for the browser tests (installed when running as root)
	@if [ -x "$(EDUCIO_CHROMIUM)" ] && { [ -f "$(CJK_FONT)" ] || fc-list 2>/dev/null | grep -qi "noto sans cjk"; }; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing chromium and fonts-noto-cjk with apt-get (about a minute)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; \
		[ -x "$(EDUCIO_CHROMIUM)" ] || { echo "$(EDUCIO_CHROMIUM) is still missing after apt-get install chromium"; exit 1; }; \
	else echo "$(EDUCIO_CHROMIUM) or fonts-noto-cjk is missing: run 'make browsers' as root (apt-get install chromium fonts-noto-cjk)"; exit 1; fi

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

test: install browsers lint ## Lint, then the whole suite (browser tests included)
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install browsers
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

bench: install ## Province-sized data and a load test with gunicorn
	$(PY) bench/run.py --schools $${BENCH_SCHOOLS:-20000}

clean:
	rm -rf var/ .pytest_cache .mypy_cache src/educio/static/vendor test-artifacts
