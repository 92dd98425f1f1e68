"""Quizzes that work on the static pages of the book (no kernel needed).

``quiz("backprop")`` shows the jupyterquiz questions stored for a chapter slug in
``nnbook/page/quizzes/<slug>.json``. The shipped file holds the questions' JSON text
encoded by :mod:`nnbook.page.encoding`, the book's one encoding of answers (the one the
exercises use). On the page the questions travel base64-encoded in a hidden ``<span>``
of the cell's HTML output, and jupyterquiz's own loader decodes them in the browser
(``display_quiz("#<element id>")`` reads "the ID of an HTML element with base64-encoded
JSON as inner HTML": base64 is jupyterquiz's format, not a second scheme of ours). So
neither the page's HTML source nor the shipped JSON file shows the answers in plain
text. This is obfuscation, not security.

Authors write plain jupyterquiz JSON and encode it::

    python -m nnbook.page.quiz encode code/nnbook/page/quizzes/backprop.json   # in place
    python -m nnbook.page.quiz decode backprop > /tmp/backprop.json        # to edit again
    python -m nnbook.page.quiz check                                       # validate all

A numeric answer may carry ``"tolerance": t``; encoding turns it into the
jupyterquiz range ``[value - t, value + t]``.

Languages. The Chinese questions of a chapter live in ``quizzes/zh_CN/<slug>.json``, in the
same encoded format: the same questions in the same order with the same answers, only the
words differ (:func:`structure` is what must agree; ``check`` and ``tests/i18n`` compare it).
``quiz(slug)`` shows the file of the current language (:func:`nnbook.i18n.get_language`),
English when there is none, and jupyterquiz's own words ("Correct!", "Incorrect -- try
again.", "Type numeric answer here:") in that language too. Edit a translation with::

    python -m nnbook.page.quiz decode code/nnbook/page/quizzes/zh_CN/backprop.json > /tmp/zh.json
    python -m nnbook.page.quiz encode /tmp/zh.json --out code/nnbook/page/quizzes/zh_CN/backprop.json
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import random
import sys
import zlib
from pathlib import Path
from typing import Any

from nnbook.i18n import N_, _, get_language

from . import encoding

__all__ = ["quiz", "load_questions", "encode_questions", "decode_questions", "validate", "quiz_html"]

QUIZ_DIR = Path(__file__).parent / "quizzes"
FORMAT = "nnbook-quiz/2"
#: The first format (the JSON text in plain base64); ``encode`` still reads it, to re-encode.
OLD_FORMAT = "nnbook-quiz/1"


# ------------------------------------------------------------------ file format


def encode_questions(questions: list, slug: str = "") -> dict:
    """The shipped form: ``{"format", "slug", "encoding", "note", "data"}``, ``data`` the
    questions' JSON text encoded by :func:`nnbook.page.encoding.encode`.

    Parameters
    ----------
    questions : list of dict
        Plain jupyterquiz questions (``tolerance`` already expanded or not).
    slug : str
    """
    plain = [_expand_tolerance(q) for q in questions]
    validate(plain)
    return {
        "format": FORMAT,
        "slug": slug,
        "encoding": "nnbook.page.encoding of the questions' JSON text (ASCII)",
        "note": "encoded with `python -m nnbook.page.quiz encode`; decode with `python -m nnbook.page.quiz decode`",
        "data": encoding.encode(_json_text(plain)),
    }


def _json_text(questions: list) -> str:
    """The questions as compact ASCII JSON: what the page's hidden element carries in base64."""
    return json.dumps(questions, ensure_ascii=True, separators=(",", ":"))


def _shipped_text(shipped: dict) -> str:
    """The questions' JSON text held by a shipped file (either format)."""
    if shipped.get("format") == FORMAT:
        return encoding.decode(shipped["data"])
    return base64.b64decode(shipped["data"]).decode("ascii")          # OLD_FORMAT


def decode_questions(shipped: Any) -> list:
    """Plain jupyterquiz questions from the shipped form (or a plain list, returned as is)."""
    if isinstance(shipped, list):
        return shipped
    if not isinstance(shipped, dict) or shipped.get("format") not in (FORMAT, OLD_FORMAT):
        raise ValueError("not an nnbook quiz file (expected a list of questions or an encoded file)")
    return json.loads(_shipped_text(shipped))


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


def quiz_path(slug: str, lang: str | None = None) -> Path:
    """The quiz file of ``slug`` in ``lang`` (default: the current language); the English
    file when that language has none."""
    lang = get_language() if lang is None else lang
    if lang != "en":
        translated = QUIZ_DIR / lang / f"{slug}.json"
        if translated.exists():
            return translated
    return QUIZ_DIR / f"{slug}.json"


def available() -> list[str]:
    """Slugs that have a quiz file."""
    return sorted(p.stem for p in QUIZ_DIR.glob("*.json"))


def languages() -> list[str]:
    """The languages that have translated quizzes (folders of ``quizzes/``), e.g. ``["zh_CN"]``."""
    return sorted(p.name for p in QUIZ_DIR.iterdir() if p.is_dir() and any(p.glob("*.json")))


def structure(questions: list) -> list:
    """What a translation must keep: per question its type and precision, per answer its
    type, correctness and numbers (value, range) — everything but the words."""
    out = []
    for q in questions:
        answers = [(a.get("type"), a.get("correct"), a.get("value"),
                    tuple(a["range"]) if "range" in a else None, "feedback" in a) for a in q["answers"]]
        out.append((q["type"], q.get("precision"), answers))
    return out


def words(questions: list) -> list[str]:
    """Every text a reader reads in a quiz: questions, answer options and feedback."""
    out = []
    for q in questions:
        out.append(q["question"])
        for a in q["answers"]:
            if isinstance(a.get("answer"), str) and q["type"] != "numeric":
                out.append(a["answer"])
            if "feedback" in a:
                out.append(a["feedback"])
    return out


def load_questions(slug: str, lang: str | None = None) -> list:
    """The plain questions of a chapter's quiz (decoded), in ``lang`` (default: current)."""
    path = quiz_path(slug, lang)
    if not path.exists():
        import difflib

        close = difflib.get_close_matches(slug, available(), n=3)
        more = f" Did you mean: {', '.join(close)}?" if close else ""
        raise FileNotFoundError(f"no quiz for chapter slug {slug!r} ({path}).{more}")
    return decode_questions(json.loads(path.read_text(encoding="utf-8")))


# -------------------------------------------------------------------- display


_shown: dict = {}

#: jupyterquiz's colours, changed where its text fell below WCAG AA contrast (4.5:1):
#: white on the many-choice orange #f75c03 (3.1:1) and on the "correct" green #009113
#: (4.0:1). The answer field and the feedback are styled by book/_static/nnbook.css.
QUIZ_COLORS = {
    "--jq-many-choice-bg": "#a63c00",      # white text 6.2:1
    "--jq-correct-color": "#007a10",       # white text 5.3:1, on white 5.5:1
    "--jq-incorrect-color": "#c80202",     # white text 5.8:1, on white 6.1:1
}

# Runs after jupyterquiz has drawn the questions of the quiz whose encoded questions are in
# the element %(element)s, and adds what its HTML lacks for a screen reader: the answer
# field gets its visible label ("Type numeric answer here:") and the question as its
# description; the options of a choice question form a radio group named by the question,
# and an option written in mathematics only gets its TeX, read aloud as words, as its name
# (a typeset formula alone gives the radio button no name); the feedback is a polite live
# region, read out when it changes. Keyboard: Tab reaches the
# options (radio buttons) and the answer field; arrow keys or Space choose an option, Enter
# sends a number (tests/browser presses those keys).
_A11Y_JS = r"""(function () {
  var GREEK = {alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', eta: 'η', theta: 'θ',
               lambda: 'λ', mu: 'μ', sigma: 'σ', tau: 'τ', phi: 'φ', omega: 'ω', Delta: 'Δ', nabla: '∇',
               partial: '∂', cdot: '·', times: '×', le: '≤', leq: '≤', ge: '≥', geq: '≥', to: '→',
               infty: '∞', sum: '∑', approx: '≈', ne: '≠', neq: '≠', top: 'transposed', prime: '′'};
  // The option's text with its TeX as words (before MathJax typesets it: jupyterquiz has
  // just written "\(\eta < 0.5\)"; after, the formula's hidden MathML text).
  function spoken(el) {
    var c = el.cloneNode(true);
    c.querySelectorAll('mjx-container').forEach(function (m) {
      var mml = m.querySelector('mjx-assistive-mml');
      m.replaceWith(document.createTextNode(' ' + (mml ? mml.textContent : '') + ' '));
    });
    var t = c.textContent.replace(/\\[()\[\]]|\$/g, ' ')
      .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '($1)/($2)')
      .replace(/\\([A-Za-z]+)/g, function (m, name) { return GREEK[name] || name; })
      .replace(/[{}]/g, '').replace(/\\[,;:! ]/g, ' ');
    return t.replace(/\s+/g, ' ').trim();
  }
  // Whether an option has words outside its mathematics (then its text names it already).
  function plain(el) {
    var c = el.cloneNode(true);
    c.querySelectorAll('mjx-container').forEach(function (m) { m.remove(); });
    return /[A-Za-z0-9]{2,}|[\u3400-\u9fff]/.test(c.textContent.replace(/\\\(.*?\\\)|\\\[.*?\\\]|\$[^$]*\$/g, ''));
  }
  function patch(root) {
    var qs = root.querySelectorAll('.Quiz:not([data-nnb-a11y])');
    for (var k = 0; k < qs.length; k++) {
      var q = qs[k], qn = q.querySelector('[id^="quizQn"]');
      q.setAttribute('data-nnb-a11y', '1');
      var answers = q.querySelector('.Answer');
      if (answers && answers.querySelector('input[type=radio]')) {
        answers.setAttribute('role', 'radiogroup');
        if (qn) answers.setAttribute('aria-labelledby', qn.id);
        answers.querySelectorAll('label.MCButton').forEach(function (label) {
          var radio = label.querySelector('input[type=radio]'), text = spoken(label);
          if (radio && text && !plain(label)) radio.setAttribute('aria-label', text);
        });
      }
      var field = q.querySelector('input.Input-text'), label = q.querySelector('label.InpLabel');
      if (field) {
        if (label) label.htmlFor = field.id; else field.setAttribute('aria-label', %(answer)s);
        if (qn) field.setAttribute('aria-describedby', qn.id);
        field.setAttribute('autocomplete', 'off');
      }
      var fb = q.querySelector('.Feedback');
      if (fb) { fb.setAttribute('role', 'status'); fb.setAttribute('aria-live', 'polite'); }
    }
    return qs.length;
  }
  var tries = 0;
  function run() {
    var span = document.getElementById('%(element)s');
    // the outputs of the quiz's cell: the book's page, JupyterLab, the classic notebook
    var root = span && (span.closest('.cell_output') || span.closest('.jp-OutputArea') ||
                        span.closest('.output_wrapper') || document);
    if ((root && patch(root)) || ++tries > 50) return;
    setTimeout(run, 100);
  }
  run();
})();"""


def quiz_html(slug: str) -> tuple[str, str]:
    """The hidden element with the encoded questions (of the current language), and its element id."""
    path = quiz_path(slug)
    shipped = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    if shipped is None:
        load_questions(slug)  # raises with suggestions
    if isinstance(shipped, list):                                        # a plain file, not yet encoded
        shipped = encode_questions(shipped, slug)
    text = _shipped_text(shipped)
    data = base64.b64encode(text.encode("ascii")).decode("ascii")        # jupyterquiz's format
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
    from IPython.display import HTML, Javascript, display
    from jupyterquiz import display_quiz

    span, element = quiz_html(slug)
    display(HTML(span))
    if num is not None:
        kwargs["num"] = num
    kwargs.setdefault("colors", dict(QUIZ_COLORS))
    # jupyterquiz names its elements with Python's global ``random``: seed it from the quiz
    # (and restore it) so that a page renders to the same bytes on every build.
    state = random.getstate()
    random.seed(zlib.crc32(element.encode()))
    try:
        with _own_mathjax(_ui_words()):
            display_quiz("#" + element, shuffle_answers=shuffle_answers, **kwargs)
    finally:
        random.setstate(state)
    display(Javascript(_A11Y_JS % {"element": element, "answer": json.dumps(_("answer"))}))


#: jupyterquiz's own words (string literals of its scripts), shown in the reader's language.
_JQ_WORDS = ('"Correct!"', '"Incorrect -- try again."', '"Incorrect. Try again."', '"Correct"',
             '"Type numeric answer here:"', '"Type your answer here:"')


def _ui_words() -> dict:
    """``{JavaScript literal: translated literal}`` for jupyterquiz's words (empty in English)."""
    if get_language() == "en":
        return {}
    out = {}
    for literal in _JQ_WORDS:
        text = json.loads(literal)
        translated = _(text)
        if translated != text:
            out[literal] = json.dumps(translated, ensure_ascii=False)
    return out


# The words of jupyterquiz's scripts, marked for the catalogue (see _JQ_WORDS).
_MARKED = (N_("Correct!"), N_("Incorrect -- try again."), N_("Incorrect. Try again."), N_("Correct"),
           N_("Type numeric answer here:"), N_("Type your answer here:"))


# jupyterquiz typesets its questions and feedback with ``MathJax.typeset`` (MathJax 3) or
# ``MathJax.Hub`` (MathJax 2). JupyterLab's ``window.MathJax`` has neither, so jupyterquiz
# replaced it and loaded a second MathJax from a CDN, and then threw "Cannot read properties of
# undefined (reading '0')" on every answer. Its script now runs inside a function of its own in
# which ``MathJax`` is this stand-in: it typesets with the page's MathJax 3 (the HTML book,
# Notebook 7) or MathJax 2 (classic Notebook), and in JupyterLab with the notebook's own
# typesetter (found through ``window.jupyterapp``, which Binder's settings expose:
# binder/jupyter/jupyter_lab_config.json). It never
# touches ``window.MathJax`` and never loads MathJax itself. Where nothing can typeset (yet),
# it retries for five seconds, then leaves the TeX as it is.
_MATHJAX_STAND_IN = r"""
var MathJax = (function () {
  function inLab(elements) {
    var app = window.jupyterapp;
    if (!app || !app.shell || typeof app.shell.widgets !== "function") return false;
    var done = false;
    for (const widget of app.shell.widgets("main")) {
      var typesetter = widget.content && widget.content.rendermime && widget.content.rendermime.latexTypesetter;
      if (!typesetter) continue;
      (elements || []).forEach(function (el) {
        if (el && widget.node.contains(el)) { typesetter.typeset(el); done = true; }
      });
    }
    return done;
  }
  function typeset(elements, tries) {
    var mj = window.MathJax;
    if (mj && typeof mj.typesetPromise === "function") {
      mj.typesetPromise(elements).catch(function (err) { console.warn("quiz: MathJax", err); });
    } else if (mj && mj.Hub && typeof mj.Hub.Queue === "function") {
      (elements || []).forEach(function (el) { mj.Hub.Queue(["Typeset", mj.Hub, el]); });
    } else if (!inLab(elements) && tries < 20) {
      setTimeout(function () { typeset(elements, tries + 1); }, 250);
    }
  }
  return {version: "3", typeset: function (elements) { typeset(elements, 0); }};
})();
"""


class _own_mathjax:
    """While jupyterquiz displays a quiz: its script wrapped with the MathJax stand-in, and its
    words (``{JavaScript literal: replacement}``, see :func:`_ui_words`) replaced."""

    def __init__(self, words: dict | None = None):
        self.words = dict(words or {})

    def __enter__(self):
        from jupyterquiz.dynamic import display as shown

        self._module, self._original = shown, shown.Javascript
        original, words = self._original, self.words

        def wrapped(data=None, *a, **k):
            script = data or ""
            for literal, replacement in words.items():
                script = script.replace(literal, replacement)
            return original("(function () {\n" + _MATHJAX_STAND_IN + "\n" + script + "\n})();\n", *a, **k)

        shown.Javascript = wrapped
        return self

    def __exit__(self, *exc):
        self._module.Javascript = self._original
        return False


# ------------------------------------------------------------------------ CLI


def _encode_file(src: Path, out: Path | None) -> Path:
    data = json.loads(src.read_text(encoding="utf-8"))
    questions = decode_questions(data)
    slug = (out or src).stem
    shipped_dirs = {QUIZ_DIR.resolve(), *(d.resolve() for d in QUIZ_DIR.iterdir() if d.is_dir())}
    target = out or (src if src.parent.resolve() in shipped_dirs else QUIZ_DIR / f"{slug}.json")
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
    p.add_argument("--lang", help="the language of a slug's quiz (default: NNBOOK_LANG or English), e.g. zh")
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
        if data is not None:
            questions = decode_questions(data)
        else:
            from nnbook.i18n import _normalise

            lang = _normalise(args.lang) if args.lang else None
            questions = load_questions(args.slug_or_file, lang)
        print(json.dumps(questions, indent=2, ensure_ascii=False))
        return 0
    if args.command == "check":
        bad = 0
        for lang in ["en", *languages()]:
            for slug in available():
                path = QUIZ_DIR / f"{slug}.json" if lang == "en" else QUIZ_DIR / lang / f"{slug}.json"
                name = slug if lang == "en" else f"{lang}/{slug}"
                try:
                    if not path.exists():
                        raise ValueError(f"no {lang} quiz: write {path} (the English questions, translated)")
                    raw = json.loads(path.read_text(encoding="utf-8"))
                    if isinstance(raw, list) or raw.get("format") != FORMAT:
                        raise ValueError("plain JSON or an old format: run `python -m nnbook.page.quiz encode` on it")
                    questions = decode_questions(raw)
                    validate(questions)
                    if lang != "en" and structure(questions) != structure(load_questions(slug, "en")):
                        raise ValueError("not the English quiz's questions (types, answers, correctness, "
                                         "numbers or order differ): translate only the words")
                    print(f"ok      {name}")
                except (ValueError, KeyError) as exc:
                    bad += 1
                    print(f"FAILED  {name}: {exc}")
        return 1 if bad else 0
    if args.command == "list":
        print("\n".join(available()))
        return 0
    return 2  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
