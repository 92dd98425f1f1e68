"""Read a typed answer: ``"0.25"``, ``"1/4"``, ``"1, 2"``, ``"[1, 2; 3, 4]"``, ``"[[1, 2], [3, 4]]"``.

Only numbers, ``+ - * / **``, parentheses and the names ``pi``, ``e``, ``inf``,
``nan`` are allowed: the text is parsed with :mod:`ast`, never evaluated.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from typing import Any

import numpy as np

from ..i18n import _

__all__ = ["parse_value", "AnswerParseError"]


class AnswerParseError(ValueError):
    """The text is not a number or an array of numbers."""


_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_NAMES = {"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan}


def _number(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        v = _number(node.operand)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = _number(node.left), _number(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 1000:
            raise AnswerParseError(_("exponent too large"))
        try:
            return _BINOPS[type(node.op)](left, right)
        except ZeroDivisionError:
            raise AnswerParseError(_("division by zero")) from None
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_number(n) for n in node.elts]
    raise AnswerParseError(_("only numbers and + - * / ** ( ) pi e inf nan are allowed"))


def _expr(text: str) -> Any:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise AnswerParseError(_("cannot read {text} as a number").format(text=repr(text.strip()))) from None
    return _number(tree.body)


def parse_value(text: str) -> Any:
    """Parse a typed answer into a float or a numpy array.

    Parameters
    ----------
    text : str
        ``"0.25"``, ``"1/4"``, ``"2e-3"``, ``"1, 2, 3"`` (a vector),
        ``"[1, 2; 3, 4]"`` or ``"1 2; 3 4"`` (rows separated by ``;``),
        ``"[[1, 2], [3, 4]]"`` (Python lists).

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    AnswerParseError
        With a short message saying what could not be read.
    """
    if not isinstance(text, str):
        raise AnswerParseError(_("expected text"))
    s = text.strip()
    if not s:
        raise AnswerParseError(_("the answer is empty"))
    if ";" in s:  # MATLAB-style rows
        body = s[1:-1] if s.startswith("[") and s.endswith("]") else s
        rows = [r for r in body.split(";")]
        if any(not r.strip() for r in rows):
            raise AnswerParseError(_("empty row between ';'"))
        parsed = [_row(r) for r in rows]
        if len({len(r) for r in parsed}) != 1:
            raise AnswerParseError(_("rows have different lengths"))
        return np.array(parsed, dtype=float)
    if s.startswith("[") or "," in s:
        value = _expr(s if s.startswith("[") else f"[{s}]")
        try:
            return np.array(value, dtype=float)
        except ValueError:
            raise AnswerParseError(_("the rows of the array have different lengths")) from None
    if re.fullmatch(r"[-+0-9.eE\s]+", s) and len(s.split()) > 1:
        return np.array(_row(s), dtype=float)
    value = _expr(s)
    return float(value)


def _row(text: str) -> list:
    text = text.strip().strip("[]")
    items = [t for t in re.split(r"[,\s]+", text.strip()) if t]
    if not items:
        raise AnswerParseError(_("empty row"))
    out = []
    for item in items:
        v = _expr(item)
        if isinstance(v, list):
            raise AnswerParseError(_("nested lists inside a ';' row"))
        out.append(float(v))
    return out
