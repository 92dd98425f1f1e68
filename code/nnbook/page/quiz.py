"""Quizzes that work on the static pages of the book (no kernel needed).

``quiz("backprop")`` shows the jupyterquiz questions stored for a chapter slug in
``nnbook/page/quizzes/<slug>.json``. The questions travel base64-encoded in a hidden
``<span>`` of the cell's HTML output, and jupyterquiz's own loader decodes them in the
browser (``display_quiz("#<element id>")`` reads "the ID of an HTML element with
base64-encoded JSON as inner HTML"). So neither the page's HTML source nor the shipped
JSON file shows the answers in plain text. This is obfuscation, not security.

Authors write plain jupyterquiz JSON and encode it::

    python -m nnbook.page.quiz encode code/nnbook/page/quizzes/backprop.json   # in place
    python -m nnbook.page.quiz decode backprop > /tmp/backprop.json        # to edit again
    python -m nnbook.page.quiz check                                       # validate all

A numeric answer may carry ``"tolerance": t``; encoding turns it into the
jupyterquiz range ``[value - t, value + t]``.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import random
import zlib
import sys
from pathlib import Path
from typing import Any

__all__ = ["quiz", "load_questions", "encode_questions", "decode_questions", "validate", "quiz_html"]

QUIZ_DIR = Path(__file__).parent / "quizzes"
FORMAT = "nnbook-quiz/1"


# ------------------------------------------------------------------ file format


def encode_questions(questions: list, slug: str = "") -> dict:
    """The shipped form: ``{"format", "slug", "encoding", "data"}`` with base64 data.

    Parameters
    ----------
    questions : list of dict
        Plain jupyterquiz questions (``tolerance`` already expanded or not).
    slug : str
    """
    plain = [_expand_tolerance(q) for q in questions]
    validate(plain)
    text = json.dumps(plain, ensure_ascii=True, separators=(",", ":"))
    return {
        "format": FORMAT,
        "slug": slug,
        "encoding": "base64(json, ascii)",
        "note": "encoded with `python -m nnbook.page.quiz encode`; decode with `python -m nnbook.page.quiz decode`",
        "data": base64.b64encode(text.encode("ascii")).decode("ascii"),
    }


def decode_questions(shipped: Any) -> list:
    """Plain jupyterquiz questions from the shipped form (or a plain list, returned as is)."""
    if isinstance(shipped, list):
        return shipped
    if not isinstance(shipped, dict) or shipped.get("format") != FORMAT:
        raise ValueError("not an nnbook quiz file (expected a list of questions or an encoded file)")
    return json.loads(base64.b64decode(shipped["data"]).decode("ascii"))


def _expand_tolerance(q: dict) -> dict:
    q = dict(q)
    if q.get("type") == "numeric":
        answers = []
        for a in q.get("answers", []):
            a = dict(a)
            if a.get("type") == "value" and "tolerance" in a:
                tol = float(a.pop("tolerance"))
                v = float(a["value"])
                a = {**{k: v2 for k, v2 in a.items() if k != "value"}, "type": "range",
                     "range": [v - tol, v + tol + 1e-12 * max(1.0, abs(v))]}
            answers.append(a)
        q["answers"] = answers
    return q


def validate(questions: Any) -> None:
    """Raise ``ValueError`` with a clear message if a question is malformed.

    Supported types (those jupyterquiz registers): ``multiple_choice``,
    ``many_choice``, ``numeric``, ``string``.
    """
    if not isinstance(questions, list) or not questions:
        raise ValueError("a quiz is a non-empty list of questions")
    for n, q in enumerate(questions, 1):
        where = f"question {n}"
        if not isinstance(q, dict) or not isinstance(q.get("question"), str):
            raise ValueError(f"{where}: needs a 'question' text")
        kind = q.get("type")
        answers = q.get("answers")
        if kind not in {"multiple_choice", "many_choice", "numeric", "string"}:
            raise ValueError(f"{where}: unknown type {kind!r}")
        if not isinstance(answers, list) or not answers:
            raise ValueError(f"{where}: needs a non-empty 'answers' list")
        if kind in {"multiple_choice", "many_choice", "string"}:
            if not any(a.get("correct") is True for a in answers):
                raise ValueError(f"{where}: no answer is marked \"correct\": true")
            for a in answers:
                if "answer" not in a or not isinstance(a.get("correct"), bool):
                    raise ValueError(f"{where}: every answer needs 'answer' and 'correct' (true/false)")
        if kind == "many_choice" and sum(a["correct"] for a in answers) < 1:
            raise ValueError(f"{where}: a many_choice question needs correct answers")
        if kind == "numeric":
            if "precision" in q and (not isinstance(q["precision"], int) or q["precision"] < 0):
                raise ValueError(f"{where}: precision must be a non-negative int (significant digits)")
            has_correct = False
            for a in answers:
                t = a.get("type")
                if t == "value":
                    if not isinstance(a.get("value"), (int, float)) or not math.isfinite(a["value"]):
                        raise ValueError(f"{where}: a value answer needs a finite 'value'")
                elif t == "range":
                    r = a.get("range")
                    if not (isinstance(r, list) and len(r) == 2 and r[0] <= r[1]):
                        raise ValueError(f"{where}: a range answer needs 'range': [low, high]")
                elif t != "default":
                    raise ValueError(f"{where}: numeric answers are of type value, range or default")
                if t != "default" and not isinstance(a.get("correct"), bool):
                    raise ValueError(f"{where}: numeric answers need 'correct': true/false")
                has_correct |= a.get("correct") is True
            if not has_correct:
                raise ValueError(f"{where}: no numeric answer is marked correct")


def quiz_path(slug: str) -> Path:
    return QUIZ_DIR / f"{slug}.json"


def available() -> list[str]:
    """Slugs that have a quiz file."""
    return sorted(p.stem for p in QUIZ_DIR.glob("*.json"))


def load_questions(slug: str) -> list:
    """The plain questions of a chapter's quiz (decoded)."""
    path = quiz_path(slug)
    if not path.exists():
        import difflib

        close = difflib.get_close_matches(slug, available(), n=3)
        more = f" Did you mean: {', '.join(close)}?" if close else ""
        raise FileNotFoundError(f"no quiz for chapter slug {slug!r} ({path}).{more}")
    return decode_questions(json.loads(path.read_text(encoding="utf-8")))


# -------------------------------------------------------------------- display


_shown: dict = {}


def quiz_html(slug: str) -> tuple[str, str]:
    """The hidden element with the encoded questions, and its element id."""
    path = quiz_path(slug)
    shipped = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    if shipped is None:
        load_questions(slug)  # raises with suggestions
    data = shipped["data"] if isinstance(shipped, dict) else encode_questions(shipped, slug)["data"]
    _shown[slug] = _shown.get(slug, 0) + 1           # unique per page, the same on every build
    element = f"nnbquiz-{slug}-{_shown[slug]}"
    span = f'<span id="{element}" class="{element}" style="display:none">{html.escape(data)}</span>'
    return span, element


def quiz(slug: str, *, shuffle_answers: bool = True, num: int | None = None, **kwargs: Any) -> None:
    """Show the quiz of a chapter; works in a notebook and on the static HTML page.

    Parameters
    ----------
    slug : str
        Chapter slug, e.g. ``"backprop"`` for ``nnbook/page/quizzes/backprop.json``.
    shuffle_answers : bool
        Shuffle the options of multiple-choice questions.
    num : int, optional
        Show only this many questions, drawn at random.
    **kwargs
        Passed to ``jupyterquiz.display_quiz`` (e.g. ``colors="fdsp"``).

    Notes
    -----
    Put the call in a cell tagged ``remove-input`` so that only the quiz shows.
    """
    from IPython.display import HTML, display
    from jupyterquiz import display_quiz

    span, element = quiz_html(slug)
    display(HTML(span))
    if num is not None:
        kwargs["num"] = num
    # jupyterquiz names its elements with Python's global ``random``: seed it from the quiz
    # (and restore it) so that a page renders to the same bytes on every build.
    state = random.getstate()
    random.seed(zlib.crc32(element.encode()))
    try:
        display_quiz("#" + element, shuffle_answers=shuffle_answers, **kwargs)
    finally:
        random.setstate(state)


# ------------------------------------------------------------------------ CLI


def _encode_file(src: Path, out: Path | None) -> Path:
    data = json.loads(src.read_text(encoding="utf-8"))
    questions = decode_questions(data)
    slug = (out or src).stem
    target = out or (src if src.parent.resolve() == QUIZ_DIR.resolve() else quiz_path(slug))
    target.write_text(json.dumps(encode_questions(questions, slug), indent=1) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m nnbook.page.quiz {encode,decode,check,list}``."""
    parser = argparse.ArgumentParser(prog="python -m nnbook.page.quiz", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("encode", help="encode plain jupyterquiz JSON into the shipped form")
    p.add_argument("files", nargs="+", type=Path, help="plain JSON files; <slug>.json")
    p.add_argument("--out", type=Path, help="output file (one input only); default: nnbook/page/quizzes/<slug>.json")
    p = sub.add_parser("decode", help="print the plain JSON of a quiz")
    p.add_argument("slug_or_file")
    sub.add_parser("check", help="validate every quiz file and check that it is encoded")
    sub.add_parser("list", help="list the quiz slugs")
    args = parser.parse_args(argv)
    if args.command == "encode":
        if args.out and len(args.files) != 1:
            parser.error("--out needs exactly one input file")
        for f in args.files:
            target = _encode_file(f, args.out)
            print(f"encoded {f} -> {target}")
        return 0
    if args.command == "decode":
        path = Path(args.slug_or_file)
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        questions = decode_questions(data) if data is not None else load_questions(args.slug_or_file)
        print(json.dumps(questions, indent=2, ensure_ascii=False))
        return 0
    if args.command == "check":
        bad = 0
        for slug in available():
            try:
                raw = json.loads(quiz_path(slug).read_text(encoding="utf-8"))
                if isinstance(raw, list):
                    raise ValueError("plain JSON: run `python -m nnbook.page.quiz encode` on it")
                validate(decode_questions(raw))
                print(f"ok      {slug}")
            except (ValueError, KeyError) as exc:
                bad += 1
                print(f"FAILED  {slug}: {exc}")
        return 1 if bad else 0
    if args.command == "list":
        print("\n".join(available()))
        return 0
    return 2  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
