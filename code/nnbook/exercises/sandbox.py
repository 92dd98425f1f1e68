"""Run a student's function so that it can always be stopped and never crashes the checker.

:func:`call` runs ``func(*args, **kwargs)`` with a time limit and returns an
:class:`Outcome` instead of raising. Three ways to stop an endless loop:

``"alarm"``
    On the main thread of a POSIX process (a Jupyter kernel runs cells there):
    ``signal.setitimer(ITIMER_REAL)`` sends ``SIGALRM`` after the time limit and the
    handler raises :class:`StudentTimeout` inside the student's code. So that a bare
    ``except:`` in a loop cannot swallow it, the handler also installs a line tracer
    that raises again at the next line, which is then inside the ``except`` handler
    (see :func:`_tracer`), and the timer keeps firing every 50 ms. Runs in-process:
    fast, and prints go to the notebook as usual.
``"fork"``
    Elsewhere on POSIX (a widget callback on another thread, a timer already in use):
    the call runs in a forked child that is killed with ``SIGKILL`` after the limit;
    the result, the arguments after the call (to detect mutation) and the captured
    output come back pickled through a pipe.
``"thread"``
    Last resort (no fork, e.g. Windows): a daemon thread; after the limit the checker
    gives up waiting, but the thread cannot be killed.

A :class:`CallWatch` passed as ``watch=`` records whether the call ran any of a given set
of functions (an exercise's forbidden reference), in every mode: ``sys.setprofile`` is
installed around the call only (in the forked child there) and the previous profile
function is restored when the call ends, however it ends.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import linecache
import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

from ..i18n import _

__all__ = ["Outcome", "StudentTimeout", "CallWatch", "call", "student_frames", "describe_exception"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIB_DIRS = tuple(
    {os.path.abspath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix) if p}
)


class StudentTimeout(BaseException):
    """Raised inside the student's code when its time is up (a BaseException, so that
    ``except Exception`` in the student's code does not catch it)."""


@dataclass
class Outcome:
    """What happened when the student's function was called.

    Attributes
    ----------
    status : {"ok", "error", "timeout", "exit", "interrupted", "crash"}
    value : object
        The return value when ``status == "ok"``.
    args, kwargs : tuple, dict
        The arguments after the call (mutated in place if the function did so).
    error : str
        One-line description of the exception (``"ZeroDivisionError: division by zero"``).
    where : str
        The student's own line(s) from the traceback, nnbook frames removed.
    output : str
        Captured output (fork mode only; in-process prints go to the notebook).
    seconds : float
    forbidden : tuple of str
        The watched functions (see :class:`CallWatch`) that the call ran, in the order
        first seen.
    """

    status: str
    value: Any = None
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    error: str = ""
    where: str = ""
    output: str = ""
    seconds: float = 0.0
    forbidden: tuple = ()


def _code_of(func: Any):
    """The code object a call of `func` runs (through partials, bound methods, decorators)."""
    for _step in range(20):
        if isinstance(func, functools.partial):
            func = func.func
        elif inspect.ismethod(func):
            func = func.__func__
        elif hasattr(func, "__wrapped__"):
            func = func.__wrapped__
        else:
            break
    code = getattr(func, "__code__", None)
    if code is None and callable(func) and not isinstance(func, type):
        code = getattr(getattr(type(func), "__call__", None), "__code__", None)
    return code


def _label(func: Any) -> str:
    module = getattr(func, "__module__", None) or ""
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)
    return f"{module}.{name}" if module else name


class CallWatch:
    """Records which of some Python functions run while a student's function is called.

    A function is recognised by where its code is (file, first line, name), not by
    identity: the grader imports nnbook afresh after the student's cells ran, so a
    wrapper in the notebook calls another copy of the same function. Pass it to
    :func:`call` as ``watch=``; :attr:`hits` then holds the labels of the functions that
    ran (``"nnbook.hessian.woodbury.woodbury_update"``).

    Parameters
    ----------
    functions : iterable of callables
        Functions without Python code (builtins, numpy ufuncs) are ignored.
    """

    def __init__(self, functions=()):
        self._where: dict = {}
        for func in functions:
            code = _code_of(func)
            if code is not None:
                self._where[(code.co_filename, code.co_firstlineno, code.co_name)] = _label(func)
        self._files = frozenset(key[0] for key in self._where)
        self.hits: list = []

    def __bool__(self) -> bool:
        return bool(self._where)

    def _profile(self, frame, event, arg):
        if event == "call":
            code = frame.f_code
            if code.co_filename in self._files:
                label = self._where.get((code.co_filename, code.co_firstlineno, code.co_name))
                if label is not None and label not in self.hits:
                    self.hits.append(label)


@contextlib.contextmanager
def _watching(watch):
    """Profile the calls of this thread with `watch` for the duration; restore what was there."""
    if not watch:
        yield
        return
    previous = sys.getprofile()
    sys.setprofile(watch._profile)
    try:
        yield
    finally:
        sys.setprofile(previous)


class _State(threading.local):
    active = False
    fired = False
    old_trace = None


_state = _State()


def _tracer(frame, event, arg):  # pragma: no cover - timing dependent
    """After the time limit, raise again at the next line the student's code runs.

    The alarm handler raises at a random point, usually inside the student's ``try``
    body, where a bare ``except:`` may swallow it; the next line event then comes from
    the ``except`` handler itself, and an exception raised there leaves the ``try``.
    CPython switches tracing off after a trace function raises, so the alarm (repeating
    every 50 ms) installs the tracer again until the call has unwound.
    """
    if event == "line" and _state.active and frame.f_code not in _OWN_CODES:
        raise StudentTimeout()
    return _tracer


def _alarm(signum, frame):  # pragma: no cover - timing dependent
    if not _state.active:
        return
    if not _state.fired:
        _state.fired = True
        _state.old_trace = sys.gettrace()
    sys.settrace(_tracer)
    f = frame
    while f is not None and f.f_code not in _OWN_CODES:
        f.f_trace = _tracer
        f.f_trace_lines = True
        f = f.f_back
    if frame is not None and frame.f_code in _OWN_CODES:
        return  # never raise inside the sandbox itself; the next tick will
    raise StudentTimeout()


def student_frames(tb) -> list[traceback.FrameSummary]:
    """Frames of a traceback that belong to the student: not nnbook, not libraries."""
    frames = traceback.extract_tb(tb)
    out = []
    for fr in frames:
        path = os.path.abspath(fr.filename) if not fr.filename.startswith("<") else fr.filename
        if path.startswith(_PACKAGE_DIR + os.sep):
            continue
        if any(path.startswith(d + os.sep) for d in _LIB_DIRS):
            continue
        out.append(fr)
    return out


def describe_exception(exc: BaseException) -> tuple[str, str]:
    """Return ``(error, where)``: the exception in one line and the student's lines."""
    error = f"{type(exc).__name__}: {exc}".rstrip(": ").rstrip()
    if isinstance(exc, SyntaxError) and exc.text:
        where = _("line {line}: {code}").format(line=exc.lineno, code=exc.text.strip())
        return error, where
    frames = student_frames(exc.__traceback__)
    lines = []
    for fr in frames[-3:]:
        code = fr.line or linecache.getline(fr.filename, fr.lineno).strip()
        lines.append(_("line {line}, in {function}: {code}").format(line=fr.lineno, function=fr.name, code=code)
                     .rstrip(": ").rstrip("："))
    return error, "\n".join(lines)


def _mode(requested: str | None) -> str:
    if requested:
        return requested
    if (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None, _alarm)
    ):
        return "alarm"
    if hasattr(os, "fork"):
        return "fork"
    return "thread"


def call(
    func: Callable,
    args: tuple = (),
    kwargs: dict | None = None,
    timeout: float = 10.0,
    mode: str | None = None,
    watch: CallWatch | None = None,
) -> Outcome:
    """Call ``func(*args, **kwargs)`` with a time limit; never raise because of `func`.

    Parameters
    ----------
    func : callable
    args : tuple
        Positional arguments; they are passed as they are (copy them first if the
        caller wants to detect mutation).
    kwargs : dict, optional
    timeout : float
        Seconds before the call is stopped.
    mode : {"alarm", "fork", "thread"}, optional
        Force a mechanism; by default the best available one.
    watch : CallWatch, optional
        Record which of its functions the call runs (``Outcome.forbidden``).

    Returns
    -------
    Outcome
    """
    kwargs = dict(kwargs or {})
    mode = _mode(mode)
    watch = watch if watch is not None else CallWatch()
    watch.hits = []
    start = time.perf_counter()
    if mode == "alarm":
        out = _call_alarm(func, args, kwargs, timeout, watch)
    elif mode == "fork":
        out = _call_fork(func, args, kwargs, timeout, watch)
    else:
        out = _call_thread(func, args, kwargs, timeout, watch)
    out.seconds = time.perf_counter() - start
    if mode != "fork":
        out.forbidden = tuple(watch.hits)
    return out


def _from_exception(exc: BaseException, args, kwargs) -> Outcome:
    if isinstance(exc, KeyboardInterrupt):
        return Outcome("interrupted", args=args, kwargs=kwargs, error="KeyboardInterrupt")
    if isinstance(exc, SystemExit):
        return Outcome("exit", args=args, kwargs=kwargs, error=f"SystemExit({exc.code!r})")
    error, where = describe_exception(exc)
    return Outcome("error", args=args, kwargs=kwargs, error=error, where=where)


def _call_alarm(func, args, kwargs, timeout, watch=None) -> Outcome:
    previous = signal.signal(signal.SIGALRM, _alarm)
    _state.fired = False
    _state.old_trace = None
    outcome = None
    try:
        while outcome is None:  # loop only if a late timeout lands in our own frame
            try:
                # The profile function is set and restored here, not by a context manager:
                # a late alarm could land in the manager's exit and skip the restore, but
                # none acts once _state.active is False.
                previous_profile = sys.getprofile()
                try:
                    _state.active = True
                    if watch:
                        sys.setprofile(watch._profile)
                    signal.setitimer(signal.ITIMER_REAL, max(timeout, 1e-3), 0.05)
                    value = func(*args, **kwargs)
                finally:
                    _state.active = False
                    signal.setitimer(signal.ITIMER_REAL, 0, 0)
                    if watch:
                        sys.setprofile(previous_profile)
                if _state.fired:
                    outcome = Outcome("timeout", args=args, kwargs=kwargs)
                else:
                    outcome = Outcome("ok", value=value, args=args, kwargs=kwargs)
            except StudentTimeout:
                outcome = Outcome("timeout", args=args, kwargs=kwargs)
            except BaseException as exc:  # noqa: BLE001 - the student's code may raise anything
                if _state.fired:
                    outcome = Outcome("timeout", args=args, kwargs=kwargs)
                else:
                    outcome = _from_exception(exc, args, kwargs)
    finally:
        _state.active = False
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, previous)
        if _state.fired:
            _cleanup_after_timeout()
    return outcome


def _cleanup_after_timeout() -> None:
    """Remove the tracer from the thread and from the frames still on the stack."""
    sys.settrace(_state.old_trace)
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_trace is _tracer:
            frame.f_trace = None
        frame = frame.f_back


_OWN_CODES = {_call_alarm.__code__, _cleanup_after_timeout.__code__}


def _call_fork(func, args, kwargs, timeout, watch=None) -> Outcome:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: run, send back, exit without cleanup
        os.close(read_fd)
        try:
            buffer = io.StringIO()
            sys.stdout = sys.stderr = buffer
            try:
                with _watching(watch):
                    value = func(*args, **kwargs)
                payload = ("ok", value, args, kwargs, "", "")
            except BaseException as exc:  # noqa: BLE001
                o = _from_exception(exc, (), {})
                payload = (o.status, None, args, kwargs, o.error, o.where)
            hits = tuple(watch.hits) if watch is not None else ()
            try:
                data = pickle.dumps(payload + (buffer.getvalue(), hits))
            except Exception as exc:  # noqa: BLE001 - e.g. a lambda in the result
                data = pickle.dumps(
                    ("error", None, (), {}, _("the result cannot be sent back: {error}").format(error=exc), "", buffer.getvalue(), hits)
                )
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + timeout
    timed_out = False
    with os.fdopen(read_fd, "rb") as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _w, _x = select.select([pipe], [], [], left)
            if ready:
                chunk = os.read(pipe.fileno(), 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    if timed_out:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _pid, status = os.waitpid(pid, 0)
    if timed_out:
        return Outcome("timeout", args=args, kwargs=kwargs)
    try:
        st, value, new_args, new_kwargs, error, where, output, hits = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - the child died (os._exit, segfault) before sending
        code = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status
        return Outcome("crash", args=args, kwargs=kwargs, error=_("the process running your function died (exit code {code})").format(code=code))
    if output:
        sys.stdout.write(output)
    return Outcome(st, value=value, args=new_args, kwargs=new_kwargs, error=error, where=where, output=output,
                   forbidden=tuple(hits))


def _call_thread(func, args, kwargs, timeout, watch=None) -> Outcome:
    box: dict[str, Outcome] = {}

    def target():
        try:
            with _watching(watch):
                value = func(*args, **kwargs)
            box["out"] = Outcome("ok", value=value, args=args, kwargs=kwargs)
        except BaseException as exc:  # noqa: BLE001
            box["out"] = _from_exception(exc, args, kwargs)

    thread = threading.Thread(target=target, daemon=True, name="nnbook-student-call")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        return Outcome("timeout", args=args, kwargs=kwargs, error="(the call is still running in the background)")
    return box["out"]
