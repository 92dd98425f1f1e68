# Two commands do all set-up on a fresh machine:
#   make book   create .venv if needed, install, build the HTML book into _build/html
#   make test   the same set-up, then every test and a strict build of the whole book from clean
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2
# Tests of the built book (_build/html): they run after the strict build.
SITE_TESTS := tests/launch/test_launch_urls.py tests/site tests/browser
# Exact versions from constraints.txt; `make test CONSTRAINTS=` takes the newest releases that
# requirements.txt allows instead (the weekly drift check does).
CONSTRAINTS ?= -c constraints.txt

# MNIST: use the read-only copy beside the repository when it exists (CI, these machines).
SHARED_DATA := $(abspath ../shared/data)
ifneq ($(wildcard $(SHARED_DATA)/mnist/SHA256SUMS),)
export NNBOOK_DATA ?= $(SHARED_DATA)
endif
# No progress bars in builds and tests (pages still draw their figures inline).
export NNBOOK_QUIET := 1
export PYTHONHASHSEED := 0
# Keep tests and builds away from the user's real progress file; every build starts with
# an empty one, so an executed check() always reads "attempt 1" and pages are reproducible.
export NNBOOK_PROGRESS ?= $(CURDIR)/_build/.nnbook/progress.json
# The lab chapter trains its network once per `make test` (pages run twice) and `make book`.
export NNBOOK_CACHE ?= $(CURDIR)/_build/.nnbook/cache
# Two test workers each running a kernel: one BLAS thread each, or they fight for the cores.
PYTEST := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest

.PHONY: help setup book book-en book-zh strict-en strict-zh catalogues test unit check lint pages strict student bench bench-grade clean distclean constraints site-tests pdf dist

help:
	@echo "make book     build the HTML book into _build/html (set-up included)"
	@echo "make test     all tests, then a strict build of the whole book from clean"
	@echo "make unit     the tests without the book pages; make pages: only the pages; make strict: only the strict build"
	@echo "make lint     ruff on the package, tests, benchmarks and the Sphinx extension (ruff.toml)"
	@echo "make check    the fast unit tests for contributors (about a minute): no pages, kernels, browser, PyTorch, grader runs"
	@echo "make catalogues   refresh the Chinese edition's catalogues (locales/) from the English pages"
	@echo "make student  the student edition (notebooks without solutions) in _build/student"
	@echo "make bench    the MNIST speed benchmark against PyTorch"
	@echo "make bench-grade   the grader's speed: notebooks per minute with --jobs 1 and 2"
	@echo "make notebooks     regenerate book/*.ipynb (what Binder, Colab, JupyterHub open) from the pages"
	@echo "make binder-env    Binder's environment in .venv-binder (the page tests run in it)"
	@echo "make site-tests    launch links and the browser suite on the built book (after make strict)"
	@echo "make pdf      the built book as PDF (every chapter and the whole book) into _build/pdf"
	@echo "make dist     the built book as one archive that opens from disk: _build/dist/nnbook-site.zip"
	@echo "make clean    remove _build"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt constraints.txt code/pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt $(CONSTRAINTS)
	@touch $(STAMP)

# The book's Jupyter settings (binder/postBuild, as on Binder) in .venv too, for `jupyter lab`.
JUPYTER_SETTINGS := binder/postBuild binder/jupyter/lab/settings/overrides.json \
  binder/jupyter/jupyter_server_config.d/nnbook.json binder/jupyter/jupyter_lab_config.json
$(VENV)/.jupyter-settings: $(STAMP) $(JUPYTER_SETTINGS)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash binder/postBuild
	@touch $@

setup: $(STAMP) $(VENV)/.jupyter-settings

# Both editions at once, one per core: English into _build/html, Chinese (the pages' text from
# the catalogues in locales/, the package speaking Chinese) into _build/html/zh.
book: setup
	$(MAKE) --no-print-directory -j2 book-en book-zh
	@echo
	@echo "The book is built. Open: file://$(CURDIR)/_build/html/index.html (中文版: _build/html/zh/index.html)"

book-en: setup
	rm -f $(NNBOOK_PROGRESS)
	$(BIN)/jupyter-book build . --builder html
	$(BIN)/python -m nnbook.publish.editions publish

book-zh: setup
	set -o pipefail; $(BIN)/python -m nnbook.publish.editions build zh 2>&1 | sed -u 's/^/[zh] /'

# The Chinese edition's catalogues from the English pages: new sentences untranslated, changed
# ones fuzzy, removed ones obsolete (then: python -m nnbook.publish.catalogues check).
catalogues: setup
	$(BIN)/python -m nnbook.publish.catalogues update
	$(BIN)/python -m nnbook.publish.catalogues check || true

# Unit tests and every page's notebook executed in Binder's environment (one test per page),
# then the strict build from clean, then the tests of the built site: its launch links and
# every page in a real browser.
test: setup binder-env lint
	NNBOOK_REQUIRE_TORCH=1 $(PYTEST) -n $(JOBS) --dist loadgroup tests $(SITE_TESTS:%=--ignore=%)
	$(MAKE) --no-print-directory strict
	$(MAKE) --no-print-directory site-tests

unit: setup
	NNBOOK_REQUIRE_TORCH=1 $(PYTEST) -n $(JOBS) tests --ignore=tests/book $(SITE_TESTS:%=--ignore=%)

# The quick loop while editing the package: `make unit` without what starts kernels, builds
# notebooks, drives a browser, runs PyTorch or grades whole notebooks (tests marked slow too).
CHECK_SKIPS := tests/book tests/browser tests/site tests/torch tests/grading tests/launch/test_launch_urls.py \
  tests/launch/test_install_paths.py tests/launch/test_notebooks_sync.py tests/test_nbexec.py \
  tests/chapters/test_interactive_kernel.py tests/exercises/test_in_kernel.py tests/lab/test_lab_mnist.py
lint: setup
	$(BIN)/ruff check .

check: setup lint
	$(PYTEST) -n $(JOBS) -m "not slow" tests $(CHECK_SKIPS:%=--ignore=%)

pages: setup binder-env
	$(PYTEST) -n $(JOBS) tests/book

# From clean: a second incremental -W build can pass while a page is broken.
# Both editions, each on one core.
strict: setup
	rm -rf _build/html _build/jupyter_execute _build/.doctrees _build/.jupyter_cache _build/zh _build/.nnbook/progress*.json
	$(MAKE) --no-print-directory -j2 strict-en strict-zh
	$(BIN)/python -m nnbook.publish.editions publish
	@echo "Strict build passed: file://$(CURDIR)/_build/html/index.html (中文版: _build/html/zh/index.html)"

strict-en: setup
	$(BIN)/jupyter-book build . --all -W --keep-going --builder html

strict-zh: setup
	set -o pipefail; $(BIN)/python -m nnbook.publish.editions build zh --strict 2>&1 | sed -u 's/^/[zh] /'

student: setup
	$(BIN)/python -m nnbook.grade.student --out _build/student
	$(BIN)/python -m nnbook.publish.notebooks --student zh_CN --out _build/student/zh
	@echo "Student edition: $(CURDIR)/_build/student (中文: _build/student/zh)"

bench: setup
	$(BIN)/python benchmarks/bench_mnist.py --json _build/bench_mnist.json

bench-grade: setup
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/bench_grade.py --json _build/bench_grade.json

constraints: setup
	( echo "# Exact versions the book is built and tested with (pip freeze of the venv made by make)."; \
	  echo "# Regenerate with: make constraints"; \
	  $(BIN)/python -m pip freeze --exclude-editable | sed 's/+cpu$$//' | sort -f ) > constraints.txt

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV) $(BINDER_VENV)

# The book as PDF, printed from the built HTML by the project's Chromium (nnbook.publish.pdf):
# _build/pdf/<page>.pdf and book.pdf, copied into _build/html/_pdf/ (the download buttons).
# Every edition of the site (a second one in _build/html/<language>/ goes to _build/pdf/<language>/).
# NNBOOK_SITE=<built html> prints another build (its PDFs stay beside it, in <site>/_pdf/).
pdf: setup
	@test -f $(SITE)/index.html || { echo "no built book in $(SITE): run make book first"; exit 1; }
	CHROMIUM="$(CHROMIUM)" $(BIN)/python -m nnbook.publish.pdf --site $(SITE) --toc _toc.yml \
	  --out $(if $(NNBOOK_SITE),$(SITE)/../pdf,_build/pdf)

# The built site (with its PDFs when make pdf made them) as one zip that opens from disk.
dist: setup
	$(BIN)/python -m nnbook.publish.site_archive --site $(SITE) --out _build/dist/nnbook-site.zip

# The built site: every launch link resolves, every page works in a real browser.
site-tests: setup
	$(PYTEST) -n $(JOBS) tests/launch/test_launch_urls.py tests/site
	$(MAKE) --no-print-directory browser

# ---- Launching: Binder, Colab, a JupyterHub ------------------------------------------------
# book/<page>.ipynb are the notebooks the launch buttons open, generated from the MyST pages
# (never edited by hand; tests/launch fails when they are out of date).
BINDER_VENV := .venv-binder
BINDER_STAMP := $(BINDER_VENV)/.installed
BINDER_KERNEL := nnbook-binder

.PHONY: notebooks binder-env

# The glued numbers come from the notebooks themselves while the page's code is unchanged, else
# from the last build (_build/jupyter_execute) or by running the page; REFRESH=1 takes them all
# afresh (from the build where it ran the page's code as it is).
notebooks: setup
	$(BIN)/python -m nnbook.publish.notebooks $(if $(REFRESH),--refresh-glue)

# Binder's install path in a fresh venv of its own: binder/requirements.txt installed from the
# repository root, as repo2docker does, and a kernel named nnbook-binder. The page tests run
# every chapter notebook in that kernel. Made again from scratch when a requirement changes.
$(BINDER_STAMP): binder/requirements.txt binder/runtime.txt requirements.txt constraints.txt code/pyproject.toml
	rm -rf $(BINDER_VENV)
	$(PYTHON) -m venv $(BINDER_VENV)
	$(BINDER_VENV)/bin/python -m pip install --quiet --upgrade "pip>=24"
	$(BINDER_VENV)/bin/python -m pip install --quiet -r binder/requirements.txt
	$(BINDER_VENV)/bin/python -m ipykernel install --prefix $(BINDER_VENV) --name $(BINDER_KERNEL) \
	  --display-name "Python 3 (nnbook, Binder's requirements)"
	@touch $(BINDER_STAMP)

# binder/postBuild, as repo2docker runs it after the install (re-run alone when it changes).
$(BINDER_VENV)/.jupyter-settings: $(BINDER_STAMP) $(JUPYTER_SETTINGS)
	PATH="$(CURDIR)/$(BINDER_VENV)/bin:$$PATH" bash binder/postBuild
	@touch $@

binder-env: $(BINDER_STAMP) $(BINDER_VENV)/.jupyter-settings

# ---- Browser tests: every page of the built book in headless Chromium, offline -------------
# tests/browser drives Debian's Chromium ($(CHROMIUM)) with Playwright against _build/html
# (or $$NNBOOK_SITE); the CDN scripts the pages load come from npm copies in
# tests/browser/node_modules (npm ci from the committed package-lock.json, redone when it
# changes). Without a Chromium the target warns loudly and passes, unless
# NNBOOK_REQUIRE_BROWSER=1 (CI), which makes it fail.
CHROMIUM ?= /usr/bin/chromium
# The built site that make pdf, make dist and the browser suite use.
SITE := $(if $(NNBOOK_SITE),$(NNBOOK_SITE),_build/html)
BROWSER_DIR := tests/browser
BROWSER_STAMP := $(BROWSER_DIR)/node_modules/.nnbook-npm-ci

.PHONY: browser browser-deps

$(BROWSER_STAMP): $(BROWSER_DIR)/package.json $(BROWSER_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 with npm (apt-get install -y nodejs npm)"; exit 1; }
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $(BROWSER_STAMP)

browser-deps: setup $(BROWSER_STAMP)

browser: setup binder-env
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "########################################################################"; \
	  echo "#  BROWSER TESTS NOT RUN: no Chromium at $(CHROMIUM)."; \
	  echo "#  The built book was NOT checked in a browser (math, figures, widgets,"; \
	  echo "#  solutions, quizzes, explorers, launch buttons)."; \
	  echo "#  Install Debian's Chromium:   apt-get install -y chromium"; \
	  echo "#  (or run with CHROMIUM=/path/to/chromium), then:   make browser"; \
	  echo "########################################################################"; \
	  if [ "$(NNBOOK_REQUIRE_BROWSER)" = 1 ]; then echo "NNBOOK_REQUIRE_BROWSER=1: failing."; exit 1; fi; \
	  exit 0; \
	fi; \
	$(MAKE) --no-print-directory browser-deps && \
	$(MAKE) --no-print-directory pdf && \
	CHROMIUM="$(CHROMIUM)" $(PYTEST) -n $(JOBS) --dist loadgroup $(BROWSER_DIR)
