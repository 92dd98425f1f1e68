"""Executing notebooks reliably: a work-around for a stalled reply in nbclient.

When a cell displays ipywidgets (``interact``, the exercise widgets), nbclient sometimes
misses the wake-up of its wait for the kernel's ``execute_reply``: the kernel is idle and
the reply is there, but the client sleeps until the cell's whole time limit has passed
(jupyter/nbclient#312). A book build then stalls for many minutes and a test run for the
full timeout, without any error.

:func:`patch_nbclient` makes the client wait for the reply in short steps (one second), so
that a missed wake-up costs at most a second; a real time-out still happens when the
cell's limit has passed. It is applied by the page tests, by the instructors' grader, and
by the book build (the local Sphinx extension ``_ext/nnbook_sphinx.py``).
"""

from __future__ import annotations

from queue import Empty
from time import monotonic

__all__ = ["patch_nbclient", "poll_in_short_steps"]

#: Seconds of one wait for a message; a missed wake-up costs at most this.
STEP = 1.0


def poll_in_short_steps(kernel_client, step: float = STEP):
    """Wrap ``kernel_client.shell_channel.get_msg`` so that it waits at most ``step`` at a time.

    The wrapped method keeps the meaning of its ``timeout``: it raises ``queue.Empty`` only
    when no message arrived within the whole timeout (None: wait for ever).
    """
    channel = kernel_client.shell_channel
    if getattr(channel, "_nnbook_short_steps", False):
        return kernel_client
    original = channel.get_msg

    async def get_msg(timeout=None, **kwargs):
        from nbclient.util import ensure_async

        deadline = None if timeout is None else monotonic() + timeout
        while True:
            wait = step if deadline is None else max(0.0, min(step, deadline - monotonic()))
            try:
                return await ensure_async(original(timeout=wait, **kwargs))
            except Empty:
                if deadline is not None and monotonic() >= deadline:
                    raise

    channel.get_msg = get_msg
    channel._nnbook_short_steps = True
    return kernel_client


def patch_nbclient() -> None:
    """Make every ``nbclient.NotebookClient`` wait for replies in short steps (idempotent)."""
    from nbclient import NotebookClient

    if getattr(NotebookClient, "_nnbook_patched", False):
        return
    start = NotebookClient.async_start_new_kernel_client

    async def async_start_new_kernel_client(self):
        kc = await start(self)
        return poll_in_short_steps(kc)

    from nbclient.util import run_sync

    NotebookClient.async_start_new_kernel_client = async_start_new_kernel_client
    NotebookClient.start_new_kernel_client = run_sync(async_start_new_kernel_client)
    NotebookClient._nnbook_patched = True
