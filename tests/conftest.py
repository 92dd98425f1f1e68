"""Shared test set-up: a non-interactive matplotlib and a private progress file."""

import os

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("NNBOOK_QUIET", "1")
