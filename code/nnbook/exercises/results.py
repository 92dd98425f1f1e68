"""The result of checking an answer, and how it shows itself.

A :class:`Result` displays itself as HTML in a notebook (``_repr_html_``) and as
plain text in a terminal (``repr``). :func:`nnbook.exercises.check` shows it at once;
when the same result is also the last expression of the cell it is not shown twice.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

from ..i18n import _

__all__ = ["Result", "CaseReport", "format_value"]

_GREEN, _RED, _GREY = "#1a7f37", "#cf222e", "#57606a"


def format_value(value: Any, limit: int = 400) -> str:
    """A short, readable text for an input, an expected value or a student's output."""
    import numpy as np

    try:
        if isinstance(value, np.ndarray):
            text = np.array2string(value, precision=6, threshold=24, edgeitems=3, max_line_width=78)
            text = f"array{value.shape} {text}" if value.ndim else text
        elif isinstance(value, float):
            text = repr(value) if len(repr(value)) <= 12 else f"{value:.8g}"
        else:
            text = repr(value)
    except Exception:  # noqa: BLE001 - a student's object with a broken __repr__
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class CaseReport:
    """One failing (or otherwise notable) test case.

    Attributes
    ----------
    label : str
        ``"public case 2 of 3"`` or ``"grading case 1 of 5"``.
    inputs : str
        The arguments, formatted ``name = value`` one per line.
    expected, got : str
        Formatted values ("" when not shown, e.g. for value exercises).
    problem : str
        What is wrong, in one or two sentences.
    """

    label: str = ""
    inputs: str = ""
    expected: str = ""
    got: str = ""
    problem: str = ""


@dataclass
class Result:
    """The outcome of :func:`nnbook.exercises.check` or of the grader for one exercise.

    Attributes
    ----------
    exercise_id, title, kind : str
    score, max_points : float
    passed : bool
    messages : list of str
        Everything the student should read, plain text, most important first.
    cases : list of CaseReport
    hint : str
        The hint revealed by this attempt ("" if none).
    attempts : int
        Attempts recorded so far for this exercise (0 if progress is not recorded).
    """

    exercise_id: str
    title: str = ""
    kind: str = ""
    score: float = 0.0
    max_points: float = 0.0
    passed: bool = False
    messages: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    hint: str = ""
    attempts: int = 0
    _shown_at: Any = field(default=None, repr=False, compare=False)

    # -------------------------------------------------------------- data

    def to_dict(self) -> dict:
        """Plain data for JSON reports."""
        d = asdict(self)
        d.pop("_shown_at", None)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> "Result":
        data = dict(data)
        data["cases"] = [CaseReport(**c) for c in data.get("cases", [])]
        data.pop("_shown_at", None)
        return cls(**data)

    @property
    def headline(self) -> str:
        mark = _("PASSED") if self.passed else _("NOT YET")
        pts = _points(self.score, self.max_points, "/")
        title = f" — {self.title}" if self.title else ""
        return _("{mark}: {exercise}{title} ({points})").format(mark=mark, exercise=self.exercise_id, title=title,
                                                              points=pts)

    # -------------------------------------------------------------- text

    def text(self) -> str:
        """The plain-text report."""
        lines = [self.headline]
        for m in self.messages:
            lines.extend("  " + line for line in m.splitlines())
        labels = {"expected": _("expected:"), "got": _("got:")}
        width = max(_width(t) for t in labels.values()) + 1
        for c in self.cases:
            lines.append("  " + (_("{case}:").format(case=c.label) if c.label else _("case:")))
            if c.inputs:
                lines.append("    " + _("input:"))
                lines.extend("      " + line for line in c.inputs.splitlines())
            for key in ("expected", "got"):
                value = getattr(c, key)
                if value:
                    label = labels[key] + " " * (width - _width(labels[key]))
                    lines.append("    " + label + value.replace("\n", "\n" + " " * (4 + width)))
            if c.problem:
                lines.extend("    " + line for line in c.problem.splitlines())
        if self.hint:
            lines.append("  " + _("Hint: {hint}").format(hint=self.hint))
        if self.attempts:
            lines.append("  " + _("(attempt {n})").format(n=self.attempts))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    __str__ = __repr__

    # -------------------------------------------------------------- html

    def _repr_html_(self) -> str:
        colour = _GREEN if self.passed else _RED
        mark = "&#10004;" if self.passed else "&#10008;"
        esc = html.escape
        parts = [
            f'<div class="nnbook-result" style="border-left:6px solid {colour};'
            'padding:0.4em 0.8em;margin:0.4em 0;background:rgba(127,127,127,0.06);'
            'font-family:var(--jp-content-font-family,sans-serif)">',
            f'<div style="font-weight:bold;color:{colour}">{mark} {esc(self.exercise_id)}'
            + (f" &mdash; {esc(self.title)}" if self.title else "")
            + f' <span style="float:right">{esc(_points(self.score, self.max_points, " / "))}</span></div>',
        ]
        for m in self.messages:
            parts.append(f'<div style="margin:0.3em 0;white-space:pre-wrap">{esc(m)}</div>')
        for c in self.cases:
            rows = []
            if c.inputs:
                rows.append((_("input"), c.inputs))
            if c.expected:
                rows.append((_("expected"), c.expected))
            if c.got:
                rows.append((_("got"), c.got))
            table = "".join(
                f'<tr><th style="text-align:right;vertical-align:top;padding-right:0.6em">{esc(k)}</th>'
                f'<td style="text-align:left"><pre style="margin:0">{esc(v)}</pre></td></tr>'
                for k, v in rows
            )
            parts.append(
                f'<div style="margin:0.3em 0"><b>{esc(c.label)}</b>'
                + (f'<table style="margin:0.2em 0">{table}</table>' if table else "")
                + (f'<div style="white-space:pre-wrap;color:{_RED}">{esc(c.problem)}</div>' if c.problem else "")
                + "</div>"
            )
        if self.hint:
            parts.append(f'<div style="margin-top:0.3em"><b>{esc(_("Hint:"))}</b> {esc(self.hint)}</div>')
        if self.attempts:
            parts.append(f'<div style="color:{_GREY};font-size:85%">'
                         f'{esc(_("attempt {n}").format(n=self.attempts))}</div>')
        parts.append("</div>")
        return "".join(parts)

    # -------------------------------------------------------------- IPython

    def _ipython_display_(self) -> None:
        from IPython.display import display

        count = _execution_count()
        if self._shown_at is not None and self._shown_at == count:
            return  # already shown by check() in this very cell
        display({"text/html": self._repr_html_(), "text/plain": self.text()}, raw=True)

    def show(self) -> "Result":
        """Display now (HTML in a notebook, text elsewhere) and remember it for this cell."""
        try:
            from IPython import get_ipython

            ip = get_ipython()
        except ImportError:  # pragma: no cover
            ip = None
        if ip is None:
            import sys

            if not hasattr(sys, "ps1"):  # a script: print; a REPL shows the returned repr
                print(self.text())
            return self
        self._shown_at = None
        self._ipython_display_()
        self._shown_at = _execution_count()
        return self


def _execution_count():
    """An identifier of the running cell: the request's message id in a kernel."""
    try:
        from IPython import get_ipython

        ip = get_ipython()
    except ImportError:  # pragma: no cover
        return None
    if ip is None:
        return None
    header = getattr(ip, "parent_header", None) or {}
    msg_id = header.get("header", {}).get("msg_id") if isinstance(header, dict) else None
    return (ip.execution_count, msg_id)


def _num(x: float) -> str:
    return f"{x:g}"


def _points(score: float, max_points: float, sep: str) -> str:
    """``"1/2 points"`` in the reader's language."""
    return _("{score}{sep}{max} points").format(score=_num(score), sep=sep, max=_num(max_points))


def _width(text: str) -> int:
    """Columns `text` takes in a terminal (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
