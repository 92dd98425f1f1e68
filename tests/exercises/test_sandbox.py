"""The sandbox stops endless loops, reports exceptions with the student's own line, survives exits."""

import os
import signal
import sys
import threading
import time

import pytest

from nnbook.exercises import sandbox


def endless():
    while True:
        pass


def endless_swallowing_everything():
    while True:
        try:
            while True:
                pass
        except:  # noqa: E722 - the student's bare except must not defeat the timeout
            pass


def inner_loop():
    while True:
        pass


def endless_calling_a_loop_and_continuing():
    while True:
        try:
            inner_loop()
        except BaseException:  # noqa: BLE001 — the point: a loop that swallows the time-out
            continue


def endless_in_finally():
    try:
        pass
    finally:
        while True:
            try:
                pass
            except:  # noqa: E722
                pass


def failing(x):
    y = x + 1
    return y / 0  # the student's line


@pytest.mark.parametrize("mode", ["alarm", "fork"])
def test_endless_loop_is_stopped(mode):
    start = time.monotonic()
    out = sandbox.call(endless, timeout=0.3, mode=mode)
    assert out.status == "timeout"
    assert time.monotonic() - start < 3


@pytest.mark.parametrize(
    "func", [endless_swallowing_everything, endless_calling_a_loop_and_continuing, endless_in_finally]
)
def test_endless_loop_that_swallows_the_timeout_is_still_stopped(func):
    start = time.monotonic()
    out = sandbox.call(func, timeout=0.3, mode="alarm")
    assert out.status == "timeout"
    assert time.monotonic() - start < 3
    assert sys.gettrace() is None or "coverage" in type(sys.gettrace()).__module__


def test_alarm_state_is_restored_after_the_call():
    before = signal.getsignal(signal.SIGALRM)
    sandbox.call(endless, timeout=0.1, mode="alarm")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_off_the_main_thread_the_fork_fallback_stops_a_loop():
    box = {}
    t = threading.Thread(target=lambda: box.setdefault("out", sandbox.call(endless, timeout=0.3)))
    t.start()
    t.join(10)
    assert box["out"].status == "timeout"


@pytest.mark.parametrize("mode", ["alarm", "fork", "thread"])
def test_exception_reports_the_students_own_line(mode):
    out = sandbox.call(failing, (1,), timeout=5, mode=mode)
    assert out.status == "error"
    assert out.error == "ZeroDivisionError: division by zero"
    assert "return y / 0  # the student's line" in out.where
    assert "nnbook" not in out.where


@pytest.mark.parametrize("mode", ["alarm", "fork"])
def test_value_and_mutated_arguments_come_back(mode):
    def f(lst):
        lst.append(1)
        return 42

    out = sandbox.call(f, ([],), timeout=5, mode=mode)
    assert out.status == "ok" and out.value == 42
    assert out.args == ([1],)


def test_sys_exit_is_caught():
    def f():
        raise SystemExit(3)

    out = sandbox.call(f, timeout=5, mode="alarm")
    assert out.status == "exit"


def test_os_exit_in_fork_mode_is_a_crash_not_a_dead_checker():
    out = sandbox.call(lambda: os._exit(7), timeout=5, mode="fork")
    assert out.status == "crash"
    assert "died" in out.error


# ----------------------------------------------------------- watching forbidden calls


def _forbidden_helper(x):
    return 2 * x


def _calls_the_helper(x):
    return _forbidden_helper(x) + 1


def _raises_after_calling_the_helper(x):
    _forbidden_helper(x)
    raise ValueError("student bug")


def _loops_after_calling_the_helper(x):
    _forbidden_helper(x)
    while True:
        pass


@pytest.mark.parametrize("mode", ["alarm", "fork", "thread"])
def test_call_watch_records_a_watched_function_run_through_a_wrapper(mode):
    watch = sandbox.CallWatch([_forbidden_helper])
    out = sandbox.call(_calls_the_helper, (3,), timeout=5, mode=mode, watch=watch)
    assert out.status == "ok" and out.value == 7
    assert out.forbidden == (f"{__name__}._forbidden_helper",)
    clean = sandbox.call(lambda x: 2 * x + 1, (3,), timeout=5, mode=mode, watch=watch)
    assert clean.status == "ok" and clean.forbidden == ()


@pytest.mark.parametrize("mode", ["alarm", "fork", "thread"])
@pytest.mark.parametrize("student", [_raises_after_calling_the_helper, _loops_after_calling_the_helper])
def test_call_watch_never_leaks_its_profile_function(mode, student):
    """However the student's call ends (an error, a timeout), the profile function is gone afterwards."""
    if mode == "thread" and student is _loops_after_calling_the_helper:
        pytest.skip("a thread cannot be stopped: the endless loop would keep a core busy")
    def mine(frame, event, arg):
        return None
    sys.setprofile(mine)
    try:
        out = sandbox.call(student, (1,), timeout=0.3, mode=mode, watch=sandbox.CallWatch([_forbidden_helper]))
        assert sys.getprofile() is mine                      # the caller's own profiler is back
    finally:
        sys.setprofile(None)
    assert out.status in ("error", "timeout")
    assert out.forbidden == (f"{__name__}._forbidden_helper",) or out.status == "timeout"
    assert sys.getprofile() is None


def test_call_watch_recognises_a_second_copy_of_the_same_function():
    """The grader imports nnbook afresh: a wrapper then calls another copy of the forbidden function."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_second_copy_of_this_test", __file__)
    copy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(copy)
    assert copy._forbidden_helper is not _forbidden_helper
    out = sandbox.call(lambda x: copy._forbidden_helper(x), (1,), timeout=5,
                       watch=sandbox.CallWatch([_forbidden_helper]))
    assert out.forbidden == (f"{__name__}._forbidden_helper",)
