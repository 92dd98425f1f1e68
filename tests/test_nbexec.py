"""The nbclient work-around: replies are awaited in short steps, and time-outs keep their meaning."""

import asyncio
from queue import Empty
from time import monotonic

import jupytext
import pytest
from nbclient import NotebookClient

from nnbook.grade.nbexec import patch_nbclient, poll_in_short_steps


class _Channel:
    """A shell channel whose message arrives after `delay` s but whose long waits never wake."""

    def __init__(self, delay):
        self.ready_at = monotonic() + delay

    async def get_msg(self, timeout=None):
        if timeout is None or timeout > 5:          # the missed wake-up: a long wait sleeps it out
            await asyncio.sleep(60)
            raise AssertionError("a long wait was not split")
        await asyncio.sleep(min(timeout, max(0.0, self.ready_at - monotonic())))
        if monotonic() >= self.ready_at:
            return {"reply": True}
        raise Empty


class _Client:
    def __init__(self, delay):
        self.shell_channel = _Channel(delay)


def test_a_reply_is_picked_up_within_a_step_even_if_a_long_wait_would_sleep_through_it():
    kc = poll_in_short_steps(_Client(delay=0.3), step=0.1)
    t0 = monotonic()
    assert asyncio.run(kc.shell_channel.get_msg(timeout=600)) == {"reply": True}
    assert monotonic() - t0 < 2


def test_no_reply_within_the_timeout_still_raises_empty():
    kc = poll_in_short_steps(_Client(delay=100), step=0.1)
    with pytest.raises(Empty):
        asyncio.run(kc.shell_channel.get_msg(timeout=0.35))


def test_patched_client_runs_a_widget_notebook():
    patch_nbclient()
    nb = jupytext.reads("import ipywidgets as w\nw.interact(lambda x: x, x=3);\n1 + 1\n", fmt="py:percent")
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    assert nb.cells[-1].outputs or nb.cells[0].outputs
