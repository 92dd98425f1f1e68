"""Plain data between a student's kernel and the grader: a strict converter and its validator.

The grader never trusts an object that comes out of a student's kernel: it receives text
(JSON) and turns it back into values itself. :func:`to_plain` runs in the kernel and turns
a value into JSON-able data; it accepts only exact built-in types (``None``, ``bool``,
``int``, ``float``, ``complex``, ``str``, ``list``, ``tuple``, ``dict``, ``set``,
``frozenset``), numpy arrays (exactly ``numpy.ndarray``) of a numeric or boolean dtype and
numpy's numeric scalars. It never calls a method that the value's class could override
(``__eq__``, ``__array__``, ``__float__``, ``__iter__``, ``__len__``, ...): exact types
are checked with ``type(x) is ...`` and read through the built-in types' own methods. Any
other object becomes ``{"$": "unsupported", "type": "module.Class"}``, which the checks
report as "an object of type Class". Arrays travel as base64 of their raw bytes with the
dtype and the shape, non-finite floats and containers other than lists as small tagged
objects (``{"$": "tuple", "items": [...]}``).

:func:`from_plain` runs in the grader and validates everything again: known tags only,
dtypes from a short list (booleans, integers, floats and complex numbers), shapes that
match the number of bytes, limits on depth and size. It never unpickles anything.

Inputs of an exercise that are not plain data (the function a numerical gradient
differentiates, a callable gradient object) go the other way only, from the grader to the
kernel, pickled (``to_plain(..., pickle_objects=True)``, read with ``from_plain(...,
allow_pickle=True)`` in the kernel: the grader is the trusted side). When the kernel
reports the arguments after a call, each such object is sent back as a reference to the
grader's own copy, ``{"$": "ref", "i": k, "same": bool}`` (the k-th object of
:func:`objects_in` of the inputs, and whether the call left it unchanged), never as
the object itself.
"""

from __future__ import annotations

import base64
import binascii
import math
import pickle
import re
from typing import Any, Mapping

import numpy as np

from ..i18n import N_, _

__all__ = ["PlainDataError", "Unsupported", "to_plain", "from_plain", "roundtrip", "objects_in", "contains_unsupported"]

TAG = "$"
MAX_DEPTH = 40
#: Bytes of array data one value may carry (the grader's references are far smaller).
MAX_BYTES = 64 * 1024 * 1024
_DTYPE_RE = re.compile(r"^[<>|=]?[biufc](1|2|4|8|16)$")
_NUMPY_SCALARS = frozenset(
    t
    for t in (
        np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
        np.float16, np.float32, np.float64, np.longlong, np.ulonglong, np.complex64, np.complex128,
    )
)
_MAX_INT_BITS = 4096


class PlainDataError(ValueError):
    """Data that does not follow the format (malformed, too deep, too large, unknown tag)."""


class Unsupported:
    """Stands for a value the kernel would not convert: an object of another type.

    Attributes
    ----------
    type_name : str
        ``"module.Class"`` of the object, as the kernel reported it.
    reason : str
        Why it was not converted (``""``: its type is not a plain type).
    """

    __slots__ = ("type_name", "reason")

    def __init__(self, type_name: str, reason: str = ""):
        self.type_name = str(type_name)[:200]
        self.reason = str(reason)[:200]

    @property
    def short_name(self) -> str:
        """The class name without its module."""
        return self.type_name.rsplit(".", 1)[-1]

    def describe(self) -> str:
        """``"an object of type Foo"`` (with the reason, if any)."""
        text = _("an object of type {type}").format(type=self.short_name)
        return _("{object} ({reason})").format(object=text, reason=_(self.reason)) if self.reason else text

    def __repr__(self) -> str:
        return f"<{self.describe()}>"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Unsupported) and (other.type_name, other.reason) == (self.type_name, self.reason)

    def __hash__(self) -> int:
        return hash((self.type_name, self.reason))


class _TooLarge(Exception):
    pass


def _type_name(t: type) -> str:
    try:
        module = type.__dict__["__module__"].__get__(t)
        name = type.__dict__["__qualname__"].__get__(t)
    except Exception:  # noqa: BLE001 - a class that lies about its name: say so
        return "unknown"
    return f"{module}.{name}" if isinstance(module, str) and module not in {"builtins"} else str(name)


def is_plain_leaf(v: Any) -> bool:
    """True for the values :func:`to_plain` sends as they are (numbers, text, numeric arrays)."""
    t = type(v)
    if v is None or t in (bool, int, float, complex, str) or t in _NUMPY_SCALARS:
        return True
    return t is np.ndarray and v.dtype.kind in "biufc" and v.dtype.fields is None and not v.dtype.hasobject


def objects_in(value: Any) -> list:
    """The objects in `value` that are not plain data, in a fixed order.

    Walks exact tuples, lists and dicts (values, in insertion order); sets and frozensets
    are leaves. Both sides call it on the same inputs (the grader on its own, the kernel on
    the copies it passed to the student's function), so that the k-th object means the same
    on both.
    """
    found: list = []

    def walk(v, depth=0):
        t = type(v)
        if depth > MAX_DEPTH or is_plain_leaf(v) or t in (set, frozenset):
            return
        if t in (tuple, list):
            for item in v:
                walk(item, depth + 1)
        elif t is dict:
            for item in dict.values(v):
                walk(item, depth + 1)
        else:
            found.append(v)

    walk(value)
    return found


# ------------------------------------------------------------------------- kernel side


def to_plain(value: Any, *, objects: Mapping | None = None, pickle_objects: bool = False,
             max_bytes: int = MAX_BYTES) -> Any:
    """Turn `value` into JSON-able data, strictly (see the module docstring).

    Parameters
    ----------
    value : object
    objects : dict of id(object) to (k, same), optional
        Objects sent as references ``{"$": "ref", "i": k, "same": same}`` (by identity).
    pickle_objects : bool
        Send every other object pickled (only the grader does, for an exercise's inputs).
    max_bytes : int
        Bytes of array data allowed in all; a larger value becomes an ``unsupported``
        entry with the reason ``"too large"``.

    Returns
    -------
    object
        Built of ``None``, ``bool``, ``int``, ``float`` (finite), ``str``, ``list`` and
        ``dict`` with string keys only.
    """
    by_id = dict(objects or {})
    by_id["pickle"] = pickle_objects
    budget = [int(max_bytes)]
    try:
        return _to(value, by_id, budget, 0, set())
    except _TooLarge:
        return {TAG: "unsupported", "type": _type_name(type(value)), "reason": N_("too large to send")}


def _spend(budget: list, n: int) -> None:
    budget[0] -= n
    if budget[0] < 0:
        raise _TooLarge()


def _float(x: float) -> Any:
    if math.isfinite(x):
        return x
    return {TAG: "float", "v": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def _to(v: Any, by_id: dict, budget: list, depth: int, path: set) -> Any:
    if depth > MAX_DEPTH:
        return {TAG: "unsupported", "type": _type_name(type(v)), "reason": N_("nested too deeply")}
    t = type(v)
    if t in (list, tuple, set, frozenset, dict):
        if id(v) in path:
            return {TAG: "unsupported", "type": t.__name__, "reason": N_("it contains itself")}
        path.add(id(v))
        try:
            return _container(v, t, by_id, budget, depth, path)
        finally:
            path.discard(id(v))
    if v is None or t is bool:
        return v
    if t is int:
        if int.bit_length(v) > _MAX_INT_BITS:
            return {TAG: "unsupported", "type": "int", "reason": N_("too large to send")}
        _spend(budget, 8)
        return v
    if t is float:
        _spend(budget, 8)
        return _float(v)
    if t is str:
        _spend(budget, str.__len__(v))
        return v
    if t is complex:
        _spend(budget, 16)
        return {TAG: "complex", "re": _float(complex.real.__get__(v)), "im": _float(complex.imag.__get__(v))}
    if id(v) in by_id:
        k, same = by_id[id(v)]
        return {TAG: "ref", "i": int(k), "same": bool(same)}
    if t is np.ndarray:  # an exact ndarray: its attributes and methods are numpy's own
        dtype = v.dtype
        if dtype.kind not in "biufc" or dtype.fields is not None or dtype.hasobject:
            return {TAG: "unsupported", "type": f"numpy.ndarray of dtype {dtype.name}", "reason": ""}
        shape = [int(n) for n in v.shape]
        raw = np.ndarray.tobytes(v, order="C")
        _spend(budget, len(raw))
        return {TAG: "ndarray", "dtype": dtype.str, "shape": shape, "data": base64.b64encode(raw).decode("ascii")}
    if t in _NUMPY_SCALARS:
        raw = np.generic.tobytes(v)
        _spend(budget, len(raw))
        return {TAG: "npscalar", "dtype": np.dtype(t).str, "data": base64.b64encode(raw).decode("ascii")}
    if by_id.get("pickle"):
        return {TAG: "pickled", "data": base64.b64encode(pickle.dumps(v)).decode("ascii")}
    return {TAG: "unsupported", "type": _type_name(t), "reason": ""}


def _container(v: Any, t: type, by_id: dict, budget: list, depth: int, path: set) -> Any:
    def each(items):
        out = []
        for item in items:
            _spend(budget, 8)
            out.append(_to(item, by_id, budget, depth + 1, path))
        return out

    if t is list:
        return each(list.copy(v))
    if t is tuple:
        return {TAG: "tuple", "items": each(tuple.__iter__(v))}
    if t in (set, frozenset):
        return {TAG: t.__name__, "items": each(list(t.__iter__(v)))}
    items = []
    for k, item in list(dict.items(v)):
        _spend(budget, 8)
        items.append([_to(k, by_id, budget, depth + 1, path), _to(item, by_id, budget, depth + 1, path)])
    return {TAG: "dict", "items": items}


# -------------------------------------------------------------------------- grader side


def from_plain(data: Any, *, objects: list | None = None, allow_pickle: bool = False,
               max_bytes: int = MAX_BYTES) -> Any:
    """Validate plain data and build the values; the inverse of :func:`to_plain`.

    Parameters
    ----------
    data : object
        What ``json.loads`` made of the kernel's text.
    objects : list, optional
        The objects a ``{"$": "ref", "i": k}`` entry names (:func:`objects_in` of the
        inputs); a reference that is not there, or says the object changed, becomes an
        :class:`Unsupported`.
    allow_pickle : bool
        Read ``{"$": "pickled"}`` entries. Only the kernel does, for inputs the grader
        sent; the grader never does.
    max_bytes : int
        Bytes of array data allowed in all.

    Returns
    -------
    object

    Raises
    ------
    PlainDataError
        For anything that does not follow the format.
    """
    budget = [int(max_bytes)]
    return _from(data, {"objects": list(objects or []), "pickle": allow_pickle}, budget, 0)


def _check(cond: bool, what: str) -> None:
    if not cond:
        raise PlainDataError(what)


def _from_float(d: Any) -> float:
    if type(d) in (int, float) and type(d) is not bool:
        return float(d)
    _check(type(d) is dict and d.get(TAG) == "float" and d.get("v") in ("nan", "inf", "-inf"), "bad float")
    return float(d["v"])


def _bytes(data: Any, budget: list) -> bytes:
    _check(type(data) is str, "array data must be base64 text")
    _check(len(data) <= 4 * (budget[0] // 3) + 4, "array data too large")
    try:
        raw = base64.b64decode(data.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise PlainDataError(f"bad base64: {exc}") from None
    budget[0] -= len(raw)
    _check(budget[0] >= 0, "value too large")
    return raw


def _dtype(s: Any) -> np.dtype:
    _check(type(s) is str and bool(_DTYPE_RE.match(s)), f"dtype not allowed: {str(s)[:40]!r}")
    dtype = np.dtype(s)
    _check(dtype.kind in "biufc" and dtype.fields is None and not dtype.hasobject, "dtype not allowed")
    return dtype


def _from(d: Any, ctx: dict, budget: list, depth: int) -> Any:
    _check(depth <= MAX_DEPTH + 2, N_("nested too deeply"))
    t = type(d)
    if d is None or t in (bool, str):
        return d
    if t is int:
        _check(d.bit_length() <= _MAX_INT_BITS, "integer too large")
        return d
    if t is float:
        return d
    if t is list:
        return [_from(x, ctx, budget, depth + 1) for x in d]
    _check(t is dict, f"unexpected {t.__name__}")
    tag = d.get(TAG)
    if tag == "float":
        return _from_float(d)
    if tag == "complex":
        return complex(_from_float(d.get("re")), _from_float(d.get("im")))
    if tag in ("tuple", "set", "frozenset"):
        items = d.get("items")
        _check(type(items) is list, f"{tag} without items")
        values = [_from(x, ctx, budget, depth + 1) for x in items]
        if tag == "tuple":
            return tuple(values)
        try:
            return set(values) if tag == "set" else frozenset(values)
        except TypeError:
            raise PlainDataError("unhashable set member") from None
    if tag == "dict":
        items = d.get("items")
        _check(type(items) is list, "dict without items")
        out = {}
        for pair in items:
            _check(type(pair) is list and len(pair) == 2, "bad dict item")
            key = _from(pair[0], ctx, budget, depth + 1)
            try:
                out[key] = _from(pair[1], ctx, budget, depth + 1)
            except TypeError:
                raise PlainDataError("unhashable dict key") from None
        return out
    if tag == "ndarray":
        dtype = _dtype(d.get("dtype"))
        shape = d.get("shape")
        _check(type(shape) is list and len(shape) <= 32 and all(type(n) is int and 0 <= n for n in shape), "bad shape")
        size = 1
        for n in shape:
            size *= n
        raw = _bytes(d.get("data"), budget)
        _check(len(raw) == size * dtype.itemsize, "array data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if tag == "npscalar":
        dtype = _dtype(d.get("dtype"))
        raw = _bytes(d.get("data"), budget)
        _check(len(raw) == dtype.itemsize, "scalar data does not match its dtype")
        return np.frombuffer(raw, dtype=dtype)[0]
    if tag == "ref":
        k, same, objects = d.get("i"), d.get("same"), ctx["objects"]
        _check(type(k) is int and type(same) is bool, "bad reference")
        if not 0 <= k < len(objects):
            return Unsupported("object", N_("not one of the inputs"))
        return objects[k] if same else Unsupported(_type_name(type(objects[k])), N_("changed by the call"))
    if tag == "pickled":
        _check(ctx["pickle"], "pickled data is not accepted here")
        return pickle.loads(_bytes(d.get("data"), budget))
    if tag == "unsupported":
        name, reason = d.get("type"), d.get("reason", "")
        _check(type(name) is str and type(reason) is str, "bad unsupported entry")
        return Unsupported(name, reason)
    raise PlainDataError(f"unknown tag {str(tag)[:40]!r}")


def roundtrip(value: Any) -> Any:
    """``from_plain(to_plain(value))``: what the grader would see of `value`."""
    return from_plain(to_plain(value))


def contains_unsupported(value: Any, depth: int = 0) -> Unsupported | None:
    """The first :class:`Unsupported` inside `value` (tuples, lists, sets, dicts), or None."""
    if isinstance(value, Unsupported):
        return value
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, (tuple, list, set, frozenset)):
        for v in value:
            found = contains_unsupported(v, depth + 1)
            if found is not None:
                return found
    elif isinstance(value, dict):
        for k, v in value.items():
            found = contains_unsupported(k, depth + 1) or contains_unsupported(v, depth + 1)
            if found is not None:
                return found
    return None
