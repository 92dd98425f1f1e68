"""Shared fixtures of the PyTorch conformance tests.

The ``torch`` fixture gives the torch module. Locally, a missing torch skips the test;
when the environment variable NNBOOK_REQUIRE_TORCH is set (``make test`` and CI set it
to 1) a missing torch FAILS the test instead: the conformance checks must never be
skipped silently there. Use it by naming it as an argument:

    def test_something(torch):
        x = torch.zeros(3, dtype=torch.float64)
"""

import os

import pytest


def _torch_required() -> bool:
    """True when NNBOOK_REQUIRE_TORCH is set to anything but an empty string, 0, false or no."""
    return os.environ.get("NNBOOK_REQUIRE_TORCH", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def torch():
    """The torch module (skips without torch, or fails if NNBOOK_REQUIRE_TORCH is set)."""
    if _torch_required():
        try:
            import torch as _torch
            return _torch
        except ImportError as exc:        # pragma: no cover - only without torch
            problem = repr(exc)
        pytest.fail(f"NNBOOK_REQUIRE_TORCH is set but torch cannot be imported: {problem}. "
                    f"Install it with `pip install -r requirements-dev.txt -c constraints.txt`.",
                    pytrace=False)
    return pytest.importorskip("torch", reason="PyTorch is not installed (set NNBOOK_REQUIRE_TORCH=1 to fail instead)")
