"""The language of what the package says to the reader (all chapters; the Chinese edition).

Every text the package shows a reader — exercise titles, feedback, hints, widget labels,
quiz questions, progress tables, the words in figures — is written in English in the source
and marked with :func:`_`; its Chinese form lives in a message catalogue,
``nnbook/locales/zh_CN/LC_MESSAGES/*.po`` (one file per area, all read together). The
language is English unless ``NNBOOK_LANG=zh`` is set in the environment or a notebook calls
``nnbook.set_language("zh")``; the Chinese edition's pages run with ``NNBOOK_LANG=zh``.

Exercise IDs, function names and grades never depend on the language.

Maintainers refresh the catalogues from the source with ``python -m nnbook.i18n update``
(new messages are added untranslated, changed ones marked fuzzy, removed ones obsolete) and
find what is left to translate with ``python -m nnbook.i18n check``; the tests in
``tests/i18n`` fail while any message is untranslated, fuzzy or obsolete.

Usage in the package::

    from nnbook.i18n import _
    raise_feedback(_("expected shape {expected}, got {got}").format(expected=..., got=...))

Translate the template, then format: never translate an f-string (its text changes with the
values). For text computed at import time (a module-level table), mark it with
:func:`N_` and translate where it is shown: ``_(TITLE)``.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path

__all__ = ["_", "N_", "gettext", "ngettext", "set_language", "get_language", "LANGUAGES", "language"]

LOCALES = Path(__file__).resolve().parent / "locales"
#: Languages of the book: code -> the catalogue folder under ``locales``.
LANGUAGES = {"en": None, "zh_CN": "zh_CN"}
#: Spellings accepted for each language (NNBOOK_LANG, set_language).
_ALIASES = {"en": "en", "en_us": "en", "en_gb": "en", "english": "en",
            "zh": "zh_CN", "zh_cn": "zh_CN", "zh_hans": "zh_CN", "cn": "zh_CN", "chinese": "zh_CN"}

_current: str | None = None


def _normalise(lang: str) -> str:
    key = str(lang).strip().replace("-", "_").lower()
    if key not in _ALIASES:
        raise ValueError(f"unknown language {lang!r}: the book speaks {sorted(set(_ALIASES.values()))} "
                         f"(for example 'en' or 'zh')")
    return _ALIASES[key]


def get_language() -> str:
    """The language the package speaks now: ``"en"`` or ``"zh_CN"``."""
    global _current
    if _current is None:
        env = os.environ.get("NNBOOK_LANG", "").strip()
        try:
            _current = _normalise(env) if env else "en"
        except ValueError as err:
            print(f"nnbook: NNBOOK_LANG={env!r} ignored ({err}); speaking English", file=sys.stderr)
            _current = "en"
    return _current


def set_language(lang: str) -> str:
    """Speak ``lang`` from now on (``"en"``, ``"zh"``/``"zh_CN"``); returns the language set.

    Also sets ``NNBOOK_LANG`` for processes this one starts (a grader's kernel, a sandbox).
    """
    global _current
    _current = _normalise(lang)
    os.environ["NNBOOK_LANG"] = _current
    return _current


class language:
    """``with language("zh"): ...`` speaks ``"zh"`` inside the block, then the language before."""

    def __init__(self, lang: str):
        self.lang = _normalise(lang)

    def __enter__(self):
        self.before = get_language()
        self.env_before = os.environ.get("NNBOOK_LANG")
        set_language(self.lang)
        return self.lang

    def __exit__(self, *exc):
        global _current
        _current = self.before
        if self.env_before is None:
            os.environ.pop("NNBOOK_LANG", None)
        else:
            os.environ["NNBOOK_LANG"] = self.env_before
        return False


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """``{English message: translation}`` of every catalogue of ``lang`` (translated entries only;
    a plural entry maps ``(singular, index)``)."""
    folder = LANGUAGES.get(lang)
    if folder is None:
        return {}
    import polib

    table: dict = {}
    for path in sorted((LOCALES / folder / "LC_MESSAGES").glob("*.po")):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            if entry.msgid_plural:
                for index, text in entry.msgstr_plural.items():
                    if text:
                        table[(entry.msgid, int(index))] = text
            elif entry.msgstr:
                table[_key(entry.msgid, entry.msgctxt)] = entry.msgstr
    return table


def _key(message: str, context: str | None = None):
    return message if context is None else (context, message)


def gettext(message: str) -> str:
    """``message`` in the current language (itself in English, or when no translation exists)."""
    if get_language() == "en":
        return message
    return catalogue(get_language()).get(message, message)


_ = gettext


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart from the same English text elsewhere."""
    if get_language() == "en":
        return message
    return catalogue(get_language()).get((context, message), message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language (Chinese has one form)."""
    if get_language() == "en":
        return singular if n == 1 else plural
    return catalogue(get_language()).get((singular, 0), singular if n == 1 else plural)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (translate where shown)."""
    return message


# --------------------------------------------------------------------------------- maintenance
#
# ``python -m nnbook.i18n update``: extract every ``_()``, ``N_()``, ``gettext()``, ``ngettext()``
# and ``pgettext()`` message of the package source with babel and merge it into the catalogues
# of every language (polib): messages of ``nnbook/exercises/`` and ``nnbook/grade/`` go to
# ``exercises.po``, all others to ``page.po``. A new message is added untranslated; a changed
# one (a vanished message that is close to it) keeps the old translation marked fuzzy, with the
# old English as ``#| msgid``; a message gone from the source becomes obsolete.
# The figure words of the pages' code cells go to ``figures.po`` (see ``extract_figures``).
# ``python -m nnbook.i18n check``: lists what is untranslated, fuzzy or obsolete, and
# translations whose ``{placeholders}`` differ from the English; exits 1 if anything is listed.

PACKAGE = Path(__file__).resolve().parent
#: Catalogue file of each area: the first folder that matches a message's source file wins.
DOMAINS = (("exercises", ("exercises", "grade")), ("page", ()))
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
#: Vanished messages at least this similar to a new one give it their translation, as fuzzy.
FUZZY_RATIO = 0.7


def domain_of(relpath: str) -> str:
    """The catalogue (``"exercises"`` or ``"page"``) of a source file, relative to the package."""
    first = Path(relpath).parts[0] if Path(relpath).parts else ""
    for domain, folders in DOMAINS:
        if first in folders or not folders:
            return domain
    return DOMAINS[-1][0]


def extract(package: Path = PACKAGE) -> dict[str, dict]:
    """Every marked message of the package: ``{domain: {(msgctxt, msgid): entry info}}``.

    An entry info is ``{"msgid_plural": str | None, "occurrences": [(file, line)]}``; a
    message used in several areas goes to the first domain of :data:`DOMAINS` among them.
    """
    from babel.messages.extract import extract_from_dir

    found: dict = {}

    for filename, lineno, message, _comments, context in extract_from_dir(
        str(package), method_map=[("**.py", "python")], keywords=KEYWORDS,
        comment_tags=(), callback=None, strip_comment_tags=True,
        directory_filter=lambda d: Path(d).name not in {"__pycache__", "locales"},
    ):
        rel = Path(filename).as_posix()
        if rel == "i18n.py":  # this module's own examples
            continue
        if isinstance(message, tuple):
            msgid, plural = message[0], message[1]
        else:
            msgid, plural = message, None
        if not msgid:
            continue
        info = found.setdefault((context, msgid), {"msgid_plural": plural, "occurrences": [], "domains": set()})
        info["occurrences"].append((f"nnbook/{rel}", lineno))
        info["domains"].add(domain_of(rel))
    for rel, lineno, msgid, plural, context in _in_fstrings(package):
        info = found.setdefault((context, msgid), {"msgid_plural": plural, "occurrences": [], "domains": set()})
        if (f"nnbook/{rel}", lineno) not in info["occurrences"]:
            info["occurrences"].append((f"nnbook/{rel}", lineno))
        info["domains"].add(domain_of(rel))
    order = [d for d, _f in DOMAINS]
    out: dict[str, dict] = {d: {} for d in order}
    for key, info in found.items():
        domain = min(info.pop("domains"), key=order.index)
        out[domain][key] = info
    return out


def _in_fstrings(package: Path):
    """Marked messages inside f-string expressions (``f"<b>{_('Hints')}</b>"``), which babel's
    tokenizer does not look into before Python 3.12: ``(file, line, msgid, plural, context)``."""
    import ast

    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel == "i18n.py" or "locales" in path.parts:
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for fstring in (n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)):
            for call in (n for n in ast.walk(fstring) if isinstance(n, ast.Call)):
                name = getattr(call.func, "id", None)
                args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                        for a in call.args]
                if name not in KEYWORDS or not args or None in args[:2 if name in ("ngettext", "pgettext") else 1]:
                    continue
                if name == "ngettext":
                    yield rel, call.lineno, args[0], args[1], None
                elif name == "pgettext":
                    yield rel, call.lineno, args[1], None, args[0]
                else:
                    yield rel, call.lineno, args[0], None, None


# ------------------------------------------------------------------ the words of the pages' figures
#
# The pages' code cells are the same in both editions, and they write their figures' words
# literally: ``ax.set_title("training error")``, ``ax.plot(..., label="data")``. Their Chinese
# forms live in ``figures.po``; ``nnbook.page.plotting.fit_cjk_text`` swaps each figure text
# that has a translation when a figure is shown, and the slider figures translate their labels.
# ``python -m nnbook.i18n update`` collects these strings from the ``{code-cell}`` blocks of
# ``book/*.md`` (when the package runs from a checkout of the book's repository).

#: The book's repository when the package runs from a checkout (``code/nnbook`` inside it).
REPO = PACKAGE.parents[1]
#: Calls whose positional string arguments are figure words (``ax.set_title("...")``).
FIGURE_CALLS = {"set_title", "set_xlabel", "set_ylabel", "set_zlabel", "suptitle", "supxlabel",
                "supylabel", "text", "annotate", "set_label", "legend", "title", "xlabel", "ylabel"}
#: Keyword arguments of any call whose strings are figure or widget words.
FIGURE_KWARGS = {"label", "labels", "title", "xlabel", "ylabel", "zlabel", "description", "name"}
#: Slider figures: the position of the argument that names their sliders.
SLIDER_CALLS = {"slider_figure": 1, "slider_figure2": 1}
_LETTER = re.compile(r"[^\W\d_]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
#: English words of one or two letters (a text with one of them is words, not a formula).
_SHORT_WORDS = {"a", "an", "as", "at", "by", "if", "in", "is", "no", "of", "on", "or", "to", "up", "vs"}
_MATH_SPAN = re.compile(r"(?<!\\)\$.+?(?<!\\)\$", re.S)
#: A code word: an identifier with an underscore or a digit (``w1_hat``, ``float32``), or one
#: or two letters with optional digits/subscripts/primes (``M``, ``x₁``, ``ŵ``, ``β``).
_CODE_WORD = re.compile(r"^(?:[A-Za-z_]\w*(?:_|\d)\w*|[^\W\d_]\u0302?[^\W\d_]?[\d\u2080-\u2089'′]*)$")


def is_figure_word(text: str) -> bool:
    """Whether a string of a page's figure code is text to translate: it has letters outside
    ``$math$``, is not a formula of one- and two-letter symbols (``"x+y"``, ``"η = 1.5"``) and
    is not a code word (``"w1"``, ``"M"``, ``"η"``, ``"float32"``)."""
    bare = _MATH_SPAN.sub(" ", text)
    if not _LETTER.search(bare):
        return False
    runs = _LETTER_RUN.findall(bare)
    if all(len(run) <= 2 and run.lower() not in _SHORT_WORDS for run in runs):   # "x+y", "η = 1.5"
        return False
    return not _CODE_WORD.match(text.strip())


def code_cells(page: Path):
    """``(first line, source)`` of every ``{code-cell}`` of a MyST page; the source keeps the
    page's line numbering (cell options and IPython magics become blank lines)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    k = 0
    while k < len(lines):
        if not lines[k].startswith("```{code-cell}"):
            k += 1
            continue
        start = k + 1
        end = start
        while end < len(lines) and lines[end].rstrip() != "```":
            end += 1
        body = lines[start:end]
        j = 0
        if body and body[0].strip() == "---":           # a YAML block of cell options
            j = 1
            while j < len(body) and body[j].strip() != "---":
                j += 1
            j += 1
        else:
            while j < len(body) and re.match(r"^:[\w-]+:", body[j]):
                j += 1
        body = [""] * j + ["" if re.match(r"^\s*[%!]", ln) else ln for ln in body[j:]]
        yield start + 1, "\n".join(body)
        k = end + 1


def _strings(node):
    """The string constants a figure argument gives: the constant itself, the elements of a
    list/tuple/set, the values of a dict, both branches of ``a if c else b``; f-strings are
    counted apart (their text changes with the values)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value
    elif isinstance(node, ast.JoinedStr):
        yield node.lineno, None
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for elt in node.elts:
            yield from _strings(elt)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _strings(value)
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def figure_words(source: str):
    """``(line in the source, text)`` of every figure word of a piece of page code; ``text`` is
    None for an f-string in a figure word's place. Raises SyntaxError."""
    import ast

    tree = ast.parse(source)
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        args = []
        if name in FIGURE_CALLS:
            args += call.args
            args += [kw.value for kw in call.keywords if kw.arg in ("s", "text")]
        if name in SLIDER_CALLS and len(call.args) > SLIDER_CALLS[name]:
            args.append(call.args[SLIDER_CALLS[name]])
        # name= of a widget call can be a list of options (values, not words): strings only
        args += [kw.value for kw in call.keywords if kw.arg in FIGURE_KWARGS
                 and (kw.arg != "name" or isinstance(kw.value, ast.Constant))]
        for arg in args:
            for lineno, text in _strings(arg):
                if text is None or is_figure_word(text):
                    yield lineno, text


def extract_figures(book: Path, report: dict | None = None) -> dict:
    """The figure words of the pages ``book/*.md``: ``{(None, msgid): entry info}`` (see
    :func:`extract`), with each occurrence as ``("book/<page>.md", line)``. ``report`` (a dict)
    receives the counts ``{"pages", "fstrings", "unparsed"}`` and the f-strings' places."""
    found: dict = {}
    report = {} if report is None else report
    report.update(pages=0, fstrings=0, unparsed=[], fstring_places=[])
    for page in sorted(book.glob("*.md")):
        report["pages"] += 1
        for first, source in code_cells(page):
            try:
                words = list(figure_words(source))
            except SyntaxError as err:
                report["unparsed"].append(f"{book.name}/{page.name}:{first + (err.lineno or 1) - 1}")
                continue
            for lineno, text in words:
                where = (f"{book.name}/{page.name}", first + lineno - 1)
                if text is None:
                    report["fstrings"] += 1
                    report["fstring_places"].append(f"{where[0]}:{where[1]}")
                    continue
                info = found.setdefault((None, text), {"msgid_plural": None, "occurrences": []})
                if where not in info["occurrences"]:
                    info["occurrences"].append(where)
    return found


def _header(lang: str, domain: str):
    import polib

    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"nnbook {domain}",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;" if lang.startswith("zh") else "nplurals=2; plural=(n != 1);",
    }
    return po


def merge(po, template: dict) -> dict[str, int]:
    """Merge the extracted messages `template` of one domain into `po` (a ``polib.POFile``).

    Returns the counts ``{"new", "fuzzy", "obsolete", "kept"}``.
    """
    import difflib

    import polib

    counts = {"new": 0, "fuzzy": 0, "obsolete": 0, "kept": 0}
    existing = {(e.msgctxt, e.msgid): e for e in po}
    vanished = [e for key, e in existing.items() if key not in template and (e.msgstr or e.msgstr_plural)
                and not e.obsolete]
    for key, info in template.items():
        entry = existing.get(key)
        if entry is not None:
            if entry.obsolete:
                entry.obsolete = False
                if entry.msgstr and "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")  # back from the dead: read it again
            counts["kept"] += 1
        else:
            ctxt, msgid = key
            entry = polib.POEntry(msgid=msgid, msgctxt=ctxt, msgstr="")
            if info["msgid_plural"]:
                entry.msgid_plural = info["msgid_plural"]
                entry.msgstr_plural = {0: ""}
            best = max(vanished, key=lambda e: difflib.SequenceMatcher(None, e.msgid, msgid).ratio(), default=None)
            if best is not None and difflib.SequenceMatcher(None, best.msgid, msgid).ratio() >= FUZZY_RATIO:
                vanished.remove(best)
                entry.previous_msgid = best.msgid
                if entry.msgid_plural:
                    entry.msgstr_plural = dict(best.msgstr_plural) or {0: best.msgstr}
                else:
                    entry.msgstr = best.msgstr or best.msgstr_plural.get(0, "")
                entry.flags.append("fuzzy")
                po.remove(best)
                counts["fuzzy"] += 1
            else:
                counts["new"] += 1
            po.append(entry)
        entry.occurrences = list(info["occurrences"])
        if entry.msgid_plural != info["msgid_plural"] and info["msgid_plural"]:
            entry.msgid_plural = info["msgid_plural"]
    for key, entry in existing.items():
        if key not in template and entry in po and not entry.obsolete:
            entry.obsolete = True
            entry.occurrences = []
            counts["obsolete"] += 1
    return counts


def catalogue_path(lang: str, domain: str) -> Path:
    return LOCALES / LANGUAGES[lang] / "LC_MESSAGES" / f"{domain}.po"


def update(package: Path = PACKAGE, locales: Path | None = None, quiet: bool = False,
           book: Path | None = None) -> dict:
    """Extract the messages of `package` and merge them into every catalogue (see above).

    The figure words of the pages (``figures.po``) come from `book` (default: the ``book``
    folder of the repository when `package` is this checkout's package); without such a
    folder ``figures.po`` is left as it is. Returns ``{path: counts}``; files whose content
    would not change are not rewritten.
    """
    import polib

    templates = extract(package)
    if book is None and Path(package).resolve() == PACKAGE:
        book = REPO / "book"
    if book is not None and Path(book).is_dir():
        found: dict = {}
        templates["figures"] = extract_figures(Path(book), found)
        if not quiet:
            print(f"{Path(book).name}/*.md: {len(templates['figures'])} figure words of {found['pages']} pages; "
                  f"{found['fstrings']} f-strings left in English (their text changes with the values)"
                  + (f"; not parsed: {', '.join(found['unparsed'])}" if found["unparsed"] else ""))
    elif not quiet:
        print(f"no book/ folder{f' at {book}' if book else ''} (the package does not run from a checkout "
              f"of the book): figures.po not refreshed")
    report = {}
    for lang, folder in LANGUAGES.items():
        if folder is None:
            continue
        for domain, template in templates.items():
            path = (locales or LOCALES) / folder / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                po = polib.pofile(str(path), wrapwidth=0)
            else:
                po = _header(folder, domain)
            before = str(po) if path.exists() else None
            counts = merge(po, template)
            # messages in source order (file, line), obsolete ones last
            live = sorted((e for e in po if not e.obsolete),
                          key=lambda e: (e.occurrences[0][0], int(e.occurrences[0][1])) if e.occurrences else ("", 0))
            dead = [e for e in po if e.obsolete]
            po[:] = live + dead
            text = str(po)
            if text != before:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".po.tmp")
                tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
                tmp.replace(path)
            report[path] = counts
            if not quiet:
                print(f"{path.relative_to(path.parents[3])}: {len(live)} messages; "
                      + ", ".join(f"{v} {k}" for k, v in counts.items()))
    catalogue.cache_clear()
    return report


_FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def placeholders(text: str) -> list[str]:
    """The ``{fields}`` of a message (``{{`` and ``}}`` are literal braces), sorted."""
    return sorted(_FIELD.findall(text.replace("{{", "").replace("}}", "")))


def problems(path: Path) -> list[str]:
    """What is left to do in one catalogue file: one line per problem."""
    import polib

    out = []
    for e in polib.pofile(str(path)):
        where = f"{path.name}:{e.linenum}"
        short = e.msgid if len(e.msgid) <= 90 else e.msgid[:87] + "..."
        if e.obsolete:
            out.append(f"{where}: obsolete (no longer in the source): {short!r}")
            continue
        if "fuzzy" in e.flags:
            out.append(f"{where}: fuzzy (the English changed; check the translation): {short!r}")
        translations = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        if not any(translations):
            out.append(f"{where}: untranslated: {short!r}")
            continue
        fields = placeholders(e.msgid)
        for t in translations:
            if t and placeholders(t) != fields:
                out.append(f"{where}: placeholders differ: English {fields}, translation {placeholders(t)}: {short!r}")
    return out


def check(locales: Path | None = None) -> list[str]:
    """Problems of every catalogue of every language (empty when all is translated)."""
    out = []
    for folder in (f for f in LANGUAGES.values() if f):
        for path in sorted(((locales or LOCALES) / folder / "LC_MESSAGES").glob("*.po")):
            out.extend(f"{folder}/{line}" for line in problems(path))
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m nnbook.i18n", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update", help="extract the package's messages and merge them into the catalogues")
    sub.add_parser("check", help="list untranslated, fuzzy and obsolete messages and placeholder mismatches")
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
        return 0
    lines = check()
    for line in lines:
        print(line)
    if lines:
        print(f"{len(lines)} problems: translate them in {LOCALES}, then run python -m nnbook.i18n check again")
        return 1
    print("every package message is translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
