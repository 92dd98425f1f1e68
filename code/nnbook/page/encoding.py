"""The book's one encoding of answers: opaque strings for exercises and quizzes (obfuscation, not security).

The answers of number and choice exercises (:mod:`nnbook.exercises`) and of the chapter
quizzes (:mod:`nnbook.page.quiz`, whose shipped files hold the encoded questions) must
not be readable in plain text in the book's pages, in the package source or in its data
files, so that a reader who skims them is not handed the answer. :func:`encode` turns a
value into an opaque string::

    "nnb2:" + base64url( nonce + zlib( json(value) ) XOR keystream(salt, nonce) )

and :func:`decode` reverses it. The random 4-byte nonce makes two encodings of the
same value differ, so a reader cannot learn that one string always means ``0``.
(Strings of the first form, ``"nnb1:"`` without a nonce, still decode.)
Anyone who reads this module can decode the
strings: this is obfuscation, not security. A second form, :func:`encode` with
``hashed=True``, stores only a salted SHA-256 of the value rounded to a number of
significant digits; such an answer cannot be decoded at all and is checked by
hashing the student's answer the same way (:func:`matches_hash`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import numbers
import os
import zlib
from typing import Any

import numpy as np

__all__ = ["encode", "decode", "is_encoded", "is_hashed", "matches_hash", "normalize"]

_PREFIX = "nnb2:"
_PREFIXES = ("nnb1:", "nnb2:")
_HASH_PREFIX = "nnbh1:"
_SALT = b"nnbook:feedforward-networks:backprop"


def _keystream(n: int, nonce: bytes = b"") -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < n:
        out.extend(hashlib.sha256(_SALT + nonce + counter.to_bytes(4, "big")).digest())
        counter += 1
    return bytes(out[:n])


def _xor(data: bytes, nonce: bytes = b"") -> bytes:
    return bytes(a ^ b for a, b in zip(data, _keystream(len(data), nonce)))


def normalize(value: Any) -> Any:
    """Turn a value into plain JSON-able data (arrays become tagged lists).

    Parameters
    ----------
    value : number, bool, str, list, tuple, set, dict or numpy.ndarray

    Returns
    -------
    object
        ``{"__ndarray__": nested list, "dtype": str}`` for arrays,
        ``{"__set__": sorted list}`` for sets, ``{"__tuple__": list}`` for tuples.
    """
    if isinstance(value, np.ndarray):
        kind = "bool" if value.dtype == bool else ("int" if value.dtype.kind in "iu" else "float")
        return {"__ndarray__": _float_list(value.tolist()), "dtype": kind}
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return _float_list(float(value))
    if isinstance(value, (set, frozenset)):
        return {"__set__": sorted(normalize(v) for v in value)}
    if isinstance(value, tuple):
        return {"__tuple__": [normalize(v) for v in value]}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {str(k): normalize(v) for k, v in value.items()}
    if isinstance(value, str) or value is None:
        return value
    raise TypeError(f"encode() cannot store a value of type {type(value).__name__}")


def _float_list(x: Any) -> Any:
    if isinstance(x, list):
        return [_float_list(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return {"__float__": repr(x)}
    return x


def _restore(data: Any) -> Any:
    if isinstance(data, dict):
        if "__ndarray__" in data:
            dtype = {"bool": bool, "int": np.int64, "float": np.float64}[data.get("dtype", "float")]
            return np.array(_restore(data["__ndarray__"]), dtype=dtype)
        if "__set__" in data:
            return set(_restore(v) for v in data["__set__"])
        if "__tuple__" in data:
            return tuple(_restore(v) for v in data["__tuple__"])
        if "__float__" in data:
            return float(data["__float__"])
        return {k: _restore(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_restore(v) for v in data]
    return data


def encode(value: Any, *, hashed: bool = False, digits: int = 6) -> str:
    """Encode a reference answer as an opaque string.

    Parameters
    ----------
    value : number, array, list, int index, set of indices, str
        The answer. Arrays keep their shape; a set stands for a multiple-choice
        answer with several correct options.
    hashed : bool, optional
        If True, keep only a salted hash of the value (rounded to `digits`
        significant digits for floats). Such an answer can be checked but never
        decoded or displayed; tolerances other than the rounding do not apply.
    digits : int, optional
        Significant digits kept before hashing floats (only with ``hashed=True``).

    Returns
    -------
    str
        ``"nnb2:..."`` (decodable; different on every call) or
        ``"nnbh1:<digits>:<hex>"`` (hash).

    Examples
    --------
    >>> s = encode(0.25)
    >>> decode(s)
    0.25
    """
    if hashed:
        return f"{_HASH_PREFIX}{int(digits)}:{_hash_value(value, int(digits))}"
    raw = json.dumps(normalize(value), sort_keys=True, separators=(",", ":")).encode()
    nonce = os.urandom(4)
    body = nonce + _xor(zlib.compress(raw, 9), nonce)
    return _PREFIX + base64.urlsafe_b64encode(body).decode().rstrip("=")


def decode(text: str) -> Any:
    """Decode a string made by :func:`encode` (not possible for hashed answers).

    Parameters
    ----------
    text : str

    Returns
    -------
    object
        The original value (floats, ints, numpy arrays, sets, tuples, lists, str).

    Raises
    ------
    ValueError
        If `text` is not an encoded answer or is a hash.
    """
    if not is_encoded(text):
        if isinstance(text, str) and text.startswith(_HASH_PREFIX):
            raise ValueError("a hashed answer cannot be decoded; use matches_hash()")
        raise ValueError("not an encoded answer (expected a string starting with 'nnb2:')")
    version, body = text[:5], text[5:]
    data = base64.urlsafe_b64decode((body + "=" * (-len(body) % 4)).encode())
    try:
        if version == "nnb1:":
            raw = zlib.decompress(_xor(data))
        else:
            raw = zlib.decompress(_xor(data[4:], data[:4]))
    except zlib.error:
        raise ValueError("corrupt encoded answer") from None
    return _restore(json.loads(raw))


def is_encoded(text: Any) -> bool:
    """Return True if `text` is an encoded (decodable) answer."""
    return isinstance(text, str) and text.startswith(_PREFIXES)


def is_hashed(text: Any) -> bool:
    """Return True if `text` is a hashed answer made by ``encode(..., hashed=True)``."""
    return isinstance(text, str) and text.startswith(_HASH_PREFIX)


def _canonical(value: Any, digits: int) -> str:
    if isinstance(value, (list, tuple, np.ndarray)) or (
        isinstance(value, np.generic) and np.ndim(value) > 0
    ):
        arr = np.asarray(value, dtype=float)
        return "[" + ",".join(_canonical(v, digits) for v in arr.ravel().tolist()) + "]" + str(arr.shape)
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(v, digits) for v in value)) + "}"
    if isinstance(value, str):
        return "s:" + value.strip()
    if isinstance(value, (bool, np.bool_)):
        return "b:" + str(bool(value))
    if isinstance(value, numbers.Integral):
        return f"{float(value):.{digits}g}"
    x = float(value)
    if x == 0.0:
        x = 0.0  # -0.0 and 0.0 hash alike
    return f"{x:.{digits}g}"


def _hash_value(value: Any, digits: int) -> str:
    return hashlib.sha256(_SALT + _canonical(value, digits).encode()).hexdigest()[:32]


def matches_hash(value: Any, hashed: str) -> bool:
    """Return True if `value`, rounded like the stored answer, has the stored hash.

    Parameters
    ----------
    value : object
        The student's answer.
    hashed : str
        A string made by ``encode(answer, hashed=True, digits=d)``.
    """
    _, digits, digest = hashed.split(":", 2)
    try:
        return _hash_value(value, int(digits)) == digest
    except (TypeError, ValueError):
        return False
