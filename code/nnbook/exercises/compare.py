"""Compare a student's value with the expected one and say precisely what differs.

:func:`compare` returns ``(ok, problem)``; `problem` is a sentence for the student:
wrong type, ``None`` returned, wrong shape (with a hint when the shape is transposed
or a column instead of a flat vector), NaN or inf where a finite number was
expected, or the first entry that is off, with the largest relative error.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..i18n import _
from .plain import Unsupported

__all__ = ["compare", "same_inputs"]


def compare(
    got: Any,
    expected: Any,
    rtol: float = 1e-7,
    atol: float = 1e-10,
    what: str | None = None,
    reveal: bool = True,
) -> tuple[bool, str]:
    """Compare `got` with `expected` (relative tolerance first).

    Parameters
    ----------
    got, expected : object
        Numbers, arrays, bools, strings, None, tuples/lists/dicts of those.
    rtol, atol : float
        As in ``numpy.isclose``: ``|got - expected| <= atol + rtol * |expected|``.
    what : str, optional
        How to name `got` in the message (already in the reader's language); default
        "your result", translated.
    reveal : bool
        If False, a wrong value is reported without the expected number (for
        value exercises, whose answer must stay hidden).

    Returns
    -------
    ok : bool
    problem : str
        Empty when `ok`.
    """
    whole = what is None
    what = _("your result") if what is None else what
    try:
        return _compare(got, expected, rtol, atol, what, reveal, whole)
    except Exception as exc:  # noqa: BLE001 - a student's object may break any operation
        return False, _("{what} could not be compared with the expected value ({error})").format(
            what=what, error=f"{type(exc).__name__}: {exc}")


def _expected_text(expected: Any) -> str:
    """How the expected value is described when the student's is an unsupported object."""
    if expected is None:
        return "None"
    if isinstance(expected, tuple) or (isinstance(expected, list) and not _numeric_list(expected)):
        return _("a tuple of {n} values").format(n=len(expected))
    if isinstance(expected, dict):
        return _("a dict")
    if isinstance(expected, (bool, np.bool_)):
        return _("True or False")
    if isinstance(expected, str):
        return _("a text")
    shape = np.shape(expected)
    return _("a number") if shape == () else _("an array of shape {shape}").format(shape=tuple(shape))


def _compare(got, expected, rtol, atol, what, reveal=True, whole=False):
    """`whole`: `what` names the student's whole result (its parts are "value k of ...")."""
    if isinstance(got, Unsupported):  # an object the kernel would not convert (nnbook.exercises.plain)
        return False, _("{what} is {found}, expected {expected}").format(
            what=what, found=got.describe(), expected=_expected_text(expected))
    tname = type(got).__name__
    if expected is None:
        return (got is None, "" if got is None else _("{what} should be None, got a {type}").format(what=what, type=tname))
    if isinstance(expected, tuple) or (isinstance(expected, list) and not _numeric_list(expected)):
        if got is None:
            return False, _("{what} is None: did you forget `return`?").format(what=what)
        if not isinstance(got, (tuple, list)):
            return False, _("{what} should be a tuple of {n} values, got a {type}").format(
                what=what, n=len(expected), type=tname)
        if len(got) != len(expected):
            return False, _("{what} has {got} values, expected {n}").format(what=what, got=len(got), n=len(expected))
        for k, (g, e) in enumerate(zip(got, expected)):
            part = _("value {k} of your result").format(k=k) if whole else f"{what}[{k}]"
            ok, problem = _compare(g, e, rtol, atol, part, reveal)
            if not ok:
                return ok, problem
        return True, ""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return False, _("{what} should be a dict, got a {type}").format(what=what, type=tname)
        if set(got) != set(expected):
            return False, _("{what} has keys {got}, expected {expected}").format(
                what=what, got=sorted(map(str, got)), expected=sorted(map(str, expected)))
        for k in expected:
            ok, problem = _compare(got[k], expected[k], rtol, atol, f"{what}[{k!r}]", reveal)
            if not ok:
                return ok, problem
        return True, ""
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return False, _("{what} should be True or False, got {type}").format(what=what, type=tname)
        same = bool(got) == bool(expected)
        return (same, "" if same else _("{what} is {got}, expected {expected}").format(
            what=what, got=bool(got), expected=bool(expected)))
    if isinstance(expected, str):
        ok = isinstance(got, str) and got.strip() == expected.strip()
        return ok, "" if ok else _("{what} should be the text {expected}, got {got}").format(
            what=what, expected=repr(expected), got=repr(got))
    if isinstance(expected, np.ndarray) and expected.dtype == bool:
        g = np.asarray(got)
        if g.shape != expected.shape:
            return False, _shape_problem(g.shape, expected.shape, what)
        ok = bool(np.array_equal(g.astype(bool), expected))
        return ok, "" if ok else _("{what} differs from the expected True/False pattern").format(what=what)
    # numbers and numeric arrays
    exp = np.asarray(expected)
    if got is None:
        return False, _("{what} is None: did you forget `return`?").format(what=what)
    if isinstance(got, (str, bytes)):
        return False, _("{what} is a string ({text}); a number or an array was expected").format(
            what=what, text=repr(got))
    if hasattr(got, "detach") and hasattr(got, "numpy"):  # a torch tensor
        got = got.detach().cpu().numpy()
    try:
        g = np.asarray(got)
    except Exception:  # noqa: BLE001
        return False, _("{what} (a {type}) cannot be read as a number or an array").format(what=what, type=tname)
    if g.dtype == object or g.dtype.kind not in "biufc":
        return False, _("{what} is a {type}, not a number or an array of numbers").format(what=what, type=tname)
    if g.shape != exp.shape:
        return False, _shape_problem(g.shape, exp.shape, what)
    if exp.dtype.kind == "c" or g.dtype.kind == "c":
        gf, ef = g.astype(complex), exp.astype(complex)
    else:
        gf, ef = g.astype(float), exp.astype(float)
    for bad, label in ((np.isnan, "NaN"), (np.isinf, "inf")):
        where = bad(gf) & ~bad(ef)
        if np.any(where):
            idx = _index(where)
            return False, _("{what} contains {value}{where} where a finite number was expected "
                            "(a division by zero, the log of 0, or an overflow in exp?)").format(
                what=what, value=label, where=idx)
    close = np.isclose(gf, ef, rtol=rtol, atol=atol, equal_nan=True)
    if np.all(close):
        return True, ""
    if not reveal:
        n_bad = int((~close).sum())
        if gf.ndim:
            return False, _("{what} is not correct ({bad} of {size} entries are off).").format(
                what=what, bad=n_bad, size=gf.size)
        return False, _("{what} is not correct.").format(what=what)
    idx_mask = ~close
    first = tuple(np.argwhere(idx_mask)[0]) if gf.ndim else ()
    gv, ev = (gf[first], ef[first]) if gf.ndim else (gf.item(), ef.item())
    diff = np.abs(gf - ef)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(np.abs(ef) > 0, diff / np.abs(ef), np.inf)
    worst = float(np.nanmax(np.where(idx_mask, rel, 0)))
    n_bad = int(idx_mask.sum())
    rel_txt = (_("largest relative error {rel:.3g}").format(rel=worst) if math.isfinite(worst)
               else _("expected exactly 0"))
    if gf.ndim:
        msg = _("{what} differs at index {index}: expected {expected}, got {got} ({bad} of {size} entries are off, "
                "{relative})").format(what=what, index=_fmt_index(first), expected=_short(ev), got=_short(gv),
                                      bad=n_bad, size=gf.size, relative=rel_txt)
    else:
        msg = _("{what} differs: expected {expected}, got {got} ({relative})").format(
            what=what, expected=_short(ev), got=_short(gv), relative=rel_txt)
    if np.allclose(gf, -ef, rtol=rtol, atol=atol):
        msg += _(". It is exactly the negative of the expected value: check a sign.")
    elif gf.size > 1 and np.all(ef != 0) and np.all(np.isfinite(gf)):
        ratio = gf / ef
        if np.allclose(ratio, ratio.flat[0], rtol=1e-6, atol=0):
            msg += _(". Every entry is off by the same factor {factor}.").format(factor=_short(ratio.flat[0]))
    return False, msg


def _numeric_list(x: list) -> bool:
    try:
        arr = np.asarray(x)
    except Exception:  # noqa: BLE001
        return False
    return arr.dtype.kind in "iufc"


def _shape_problem(got_shape, exp_shape, what) -> str:
    exp_txt = _("a single number") if exp_shape == () else _("shape {shape}").format(shape=exp_shape)
    got_txt = _("a single number") if got_shape == () else _("shape {shape}").format(shape=got_shape)
    msg = _("{what} has {got}, expected {expected}").format(what=what, got=got_txt, expected=exp_txt)
    if len(exp_shape) == 2 and tuple(got_shape) == tuple(exp_shape[::-1]) and exp_shape[0] != exp_shape[1]:
        msg += _(": it is transposed (batch first: rows are examples)")
    elif int(np.prod(got_shape)) == int(np.prod(exp_shape)) and got_shape != ():
        msg += _(": same number of entries, so a reshape or a missing/extra axis (a column (N, 1) instead of "
                 "a flat (N,)?)")
    elif exp_shape == () and got_shape != ():
        msg += _(": return a float, e.g. with .sum() or float(...)")
    return msg


def _index(mask: np.ndarray) -> str:
    if mask.ndim == 0:
        return ""
    return _(" at index {index}").format(index=_fmt_index(tuple(np.argwhere(mask)[0])))


def _fmt_index(idx: tuple) -> str:
    idx = tuple(int(i) for i in idx)
    return str(idx[0]) if len(idx) == 1 else str(idx)


def _short(v: Any) -> str:
    if isinstance(v, (complex, np.complexfloating)):
        return f"{complex(v):.6g}"
    return f"{float(v):.8g}"


def same_inputs(before: Any, after: Any) -> bool:
    """True if `after` (the arguments after a call) equals `before` (a copy made before)."""
    try:
        if isinstance(before, np.ndarray):
            return (
                isinstance(after, np.ndarray)
                and before.shape == after.shape
                and bool(np.array_equal(before, after, equal_nan=before.dtype.kind in "fc"))
            )
        if isinstance(before, (list, tuple)):
            return isinstance(after, (list, tuple)) and len(before) == len(after) and all(
                same_inputs(b, a) for b, a in zip(before, after)
            )
        if isinstance(before, dict):
            return isinstance(after, dict) and before.keys() == after.keys() and all(
                same_inputs(before[k], after[k]) for k in before
            )
        if isinstance(before, float) and math.isnan(before):
            return isinstance(after, float) and math.isnan(after)
        if hasattr(before, "state_dict") and hasattr(after, "state_dict"):  # torch modules
            return same_inputs({k: v.detach().numpy() for k, v in before.state_dict().items()},
                               {k: v.detach().numpy() for k, v in after.state_dict().items()})
        if hasattr(before, "detach") and hasattr(before, "numpy"):  # torch tensors
            return same_inputs(before.detach().numpy(), after.detach().numpy())
        if hasattr(before, "__dict__") and not isinstance(before, type) and type(before).__module__ != "builtins":
            return type(before) is type(after) and same_inputs(vars(before), vars(after))
        return bool(before == after)
    except Exception:  # noqa: BLE001 - cannot tell: do not accuse the student
        return True
