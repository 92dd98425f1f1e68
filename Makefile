# Two commands do all set-up on a fresh machine:
#   make book   create .venv if needed, install, build the HTML book into _build/html
#   make test   the same set-up, then every test and a strict build of the whole book from clean
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

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

.PHONY: help setup book test unit pages strict student bench clean distclean constraints

help:
	@echo "make book     build the HTML book into _build/html (set-up included)"
	@echo "make test     all tests, then a strict build of the whole book from clean"
	@echo "make unit     the tests without the book pages; make pages: only the pages; make strict: only the strict build"
	@echo "make student  the student edition (notebooks without solutions) in _build/student"
	@echo "make bench    the MNIST speed benchmark against PyTorch"
	@echo "make clean    remove _build"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt constraints.txt code/pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	@touch $(STAMP)

setup: $(STAMP)

book: setup
	rm -f $(NNBOOK_PROGRESS)
	$(BIN)/jupyter-book build . --builder html
	@echo
	@echo "The book is built. Open: file://$(CURDIR)/_build/html/index.html"

# Unit tests and every page executed as a notebook (one test per page), then the strict build.
test: setup
	NNBOOK_REQUIRE_TORCH=1 $(PYTEST) -n $(JOBS) --dist loadgroup tests
	$(MAKE) --no-print-directory strict

unit: setup
	NNBOOK_REQUIRE_TORCH=1 $(PYTEST) -n $(JOBS) tests --ignore=tests/book

pages: setup
	$(PYTEST) -n $(JOBS) tests/book

# From clean: a second incremental -W build can pass while a page is broken.
strict: setup
	rm -rf _build/html _build/jupyter_execute _build/.doctrees _build/.jupyter_cache $(NNBOOK_PROGRESS)
	$(BIN)/jupyter-book build . --all -W --keep-going --builder html
	@echo "Strict build passed: file://$(CURDIR)/_build/html/index.html"

student: setup
	$(BIN)/python -m nnbook.student --out _build/student
	@echo "Student edition: $(CURDIR)/_build/student"

bench: setup
	$(BIN)/python benchmarks/bench_mnist.py --json _build/bench_mnist.json

constraints: setup
	( echo "# Exact versions the book is built and tested with (pip freeze of the venv made by make)."; \
	  echo "# Regenerate with: make constraints"; \
	  $(BIN)/python -m pip freeze --exclude-editable | sed 's/+cpu$$//' | sort -f ) > constraints.txt

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV)
