"""The Chinese edition's message catalogues of the book's pages (build only; issue 16).

The English pages (``book/*.md``) are the only source of code, formulas and structure. Sphinx's
gettext builder extracts every paragraph, heading, list item, caption, exercise and proof title
of a page as one message (in MyST source form: ``$math$``, ```code```, ``{glue:text}`key```
stay as written); ``locales/zh_CN/LC_MESSAGES/book/<page>.po`` holds their Chinese. Display
formulas are not messages (the book's Sphinx extension keeps them out): they are the same in
both editions.

Commands (``python -m nnbook.publish.catalogues ...``; ``make catalogues`` runs ``update``)::

    update                   extract the messages and merge them into the catalogues
                             (sphinx-intl: new ones untranslated, changed ones fuzzy, removed
                             ones obsolete)
    check [PAGE ...]         what is left to do: untranslated, fuzzy and obsolete entries, and
                             translations that changed a formula, code, a glued value or a link
    export PAGE FILE         the untranslated and fuzzy messages of PAGE, numbered, for a translator
    import PAGE FILE         the translator's file back into the catalogue (validated)
    drop-obsolete [PAGE ...] remove obsolete entries (after their text moved to a new message)
    tidy [PAGE ...]          remove ``# glossary:`` exception comments the check no longer needs

The translator's file: for each message ``=== <number>`` on a line of its own, then the
Chinese text (one or more lines, up to the next ``===`` line). Lines starting with ``#`` before
the first ``===`` are comments.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LOCALES = ROOT / "locales"
LANGUAGE = "zh_CN"
CATALOGUES = LOCALES / LANGUAGE / "LC_MESSAGES" / "book"
REFRESH = "make catalogues  (python -m nnbook.publish.catalogues update), then translate what it marks"

# ------------------------------------------------------------------ what must not change

_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\$)(?:\\.|[^$\\])+?\$", re.S)
_ROLE = re.compile(r"\{([\w:+-]+)\}`([^`]*)`")
_CODE = re.compile(r"(?<![`}])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_TARGET = re.compile(r"<([^<>]+)>\s*$")
#: Roles whose text a translation may change: only the target after ``<...>`` must stay.
_TEXT_ROLES = {"ref", "doc", "numref", "term", "prf:ref", "download"}


def invariants(text: str) -> list[str]:
    """The parts of a message a translation must keep exactly (sorted): inline formulas, glued
    values and other roles (for ``{ref}`` and ``{doc}`` with a text, only the target), code
    spans and link targets."""
    found = []
    rest = text
    for m in _ROLE.finditer(rest):
        name, body = m.group(1), m.group(2)
        if name in _TEXT_ROLES:
            target = _TARGET.search(body)
            body = target.group(1) if target else body
        found.append(f"{{{name}}}{body}")
    rest = _ROLE.sub(" ", rest)
    found += [m.group(0) for m in _MATH.finditer(rest)]
    rest = _MATH.sub(" ", rest)
    found += [m.group(2).strip() for m in _CODE.finditer(rest)]
    found += [m.group(1) for m in _LINK.finditer(text)]
    return sorted(found)


def invariant_problems(msgid: str, msgstr: str) -> list[str]:
    """What a translation changed that it must keep (empty: nothing)."""
    want, got = invariants(msgid), invariants(msgstr)
    if want == got:
        return []
    missing = _multiset_minus(want, got)
    extra = _multiset_minus(got, want)
    out = []
    if missing:
        out.append("missing or changed: " + " | ".join(missing))
    if extra:
        out.append("not in the English: " + " | ".join(extra))
    return out


def _multiset_minus(a: list[str], b: list[str]) -> list[str]:
    rest = list(b)
    out = []
    for item in a:
        if item in rest:
            rest.remove(item)
        else:
            out.append(item)
    return out


# ------------------------------------------------------------------ the glossary's terms

#: A translator's comment on an entry, ``glossary: <English term> — <why>``, accepts that the
#: term's Chinese form is missing from that translation (reported by the tests; keep them few).
_EXCEPTION = re.compile(r"glossary:\s*(.+?)\s+[—-]+\s+\S")


def _english_forms(english: str) -> list[str]:
    """The English forms of a glossary entry to look for: without its parenthetical remarks."""
    text = english.replace('"', "")
    base = re.sub(r"\s*\([^)]*\)", "", text).strip()
    forms = {base} if base else set()
    if "(" in text and base.endswith(("nonlinear",)):
        forms.add(base + "ity")
    return sorted(forms, key=len, reverse=True)


def glossary_pairs() -> list[tuple[str, list[str]]]:
    """``(English form, [its Chinese forms])`` of the glossary, longest English first."""
    from nnbook.page.glossary import terms

    table: dict[str, list[str]] = {}
    for term in terms():
        for form in _english_forms(term.en):
            table.setdefault(form.lower(), [])
            if term.zh not in table[form.lower()]:
                table[form.lower()].append(term.zh)
    return sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True)


def _chinese_variants(zh: str) -> list[str]:
    """A glossary Chinese term and the spellings that are the same term (spacing, M—P/M-P)."""
    variants = {zh, zh.replace(" ", ""), zh.replace("—", "-"), zh.replace("—", "–"),
                zh.replace("(", "（").replace(")", "）")}
    # a space between Latin letters and Chinese characters is the same term (Jacobian 矩阵)
    variants.add(re.sub(r"(?<=[A-Za-z])(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=[A-Za-z])", " ", zh))
    return sorted(variants)


#: English glossary words that English also uses in another sense, and the Chinese that sense
#: takes: "activation" for an activation function, "argument" for a line of reasoning, "range"
#: for an interval or extent. A translation with either Chinese word keeps the term.
HOMONYMS = {
    "activation": ["激活函数"],
    "argument": ["论证", "理由"],
    "range": ["范围", "区间"],
}


def glossary_misses(msgid: str, msgstr: str) -> list[str]:
    """The glossary's English terms in ``msgid`` whose Chinese form is not in ``msgstr``
    (a hyphenated compound such as "mini-batch" is not its last word, "batch")."""
    english = _CODE.sub(" ", _MATH.sub(" ", _ROLE.sub(" ", msgid)))       # roles first, as in invariants()
    english = re.sub(r"\s+", " ", english).lower()
    found = []
    for form, chinese in glossary_pairs():
        words = r"[- ]".join(re.escape(w) for w in re.split(r"[- ]", form))
        pattern = r"(?<![\w-])" + words + r"(?:s|es)?(?![\w-])"
        if re.search(pattern, english):
            english = re.sub(pattern, " ", english)
            accepted = [v for zh in chinese for v in _chinese_variants(zh)] + HOMONYMS.get(form, [])
            if not any(v in msgstr for v in accepted):
                found.append(f"{form} → {' / '.join(chinese)}")
    return found


def glossary_exceptions(entry) -> set[str]:
    return {m.group(1).strip().lower() for m in _EXCEPTION.finditer(entry.tcomment or "")}


# ------------------------------------------------------------------ the catalogues


def pages() -> list[str]:
    """The page names (``ch10_backprop``, ``intro``, ...) that have a catalogue."""
    return sorted(p.stem for p in CATALOGUES.glob("*.po"))


def catalogue_path(page: str, root: Path | None = None) -> Path:
    """``locales/zh_CN/LC_MESSAGES/book/<page>.po`` (of the repository at ``root``)."""
    page = Path(page).stem
    folder = CATALOGUES if root is None else Path(root) / CATALOGUES.relative_to(ROOT)
    return folder / f"{page}.po"


def load(page: str, root: Path | None = None):
    import polib

    return polib.pofile(str(catalogue_path(page, root)), wrapwidth=0)


@dataclass
class Problem:
    page: str
    kind: str          # untranslated | fuzzy | obsolete | changed-invariant | glossary
    msgid: str
    detail: str = ""

    def __str__(self) -> str:
        text = " ".join(self.msgid.split())
        text = text if len(text) <= 160 else text[:157] + "..."
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.page}: {self.kind}{detail}: \"{text}\""


def problems(page: str, *, glossary: bool = True) -> list[Problem]:
    """Everything that keeps ``page``'s catalogue from being a complete, current translation
    (and, with ``glossary``, a glossary term whose Chinese form a translation lacks without a
    ``glossary: <term> — <reason>`` comment)."""
    out = []
    for entry in load(page):
        if entry.obsolete:
            out.append(Problem(page, "obsolete", entry.msgid,
                               "its English sentence is gone; move its translation, then drop-obsolete"))
        elif "fuzzy" in entry.flags:
            out.append(Problem(page, "fuzzy", entry.msgid,
                               "the English sentence changed; update the translation and remove the fuzzy flag"))
        elif not entry.msgstr.strip():
            out.append(Problem(page, "untranslated", entry.msgid))
        else:
            for detail in invariant_problems(entry.msgid, entry.msgstr):
                out.append(Problem(page, "changed-invariant", entry.msgid, detail))
            if glossary:
                accepted = glossary_exceptions(entry)
                for miss in glossary_misses(entry.msgid, entry.msgstr):
                    if miss.split(" → ")[0] not in accepted:
                        out.append(Problem(page, "glossary", entry.msgid, "no Chinese term for " + miss))
    return out


# ------------------------------------------------------------------ extract and merge


def extract(out: Path) -> Path:
    """Run Sphinx's gettext builder on the book (no execution: the text is in the source) into
    ``out``; returns the folder of the pages' templates (``book/*.pot``)."""
    import io
    from contextlib import redirect_stderr

    from jupyter_book.sphinx import build_sphinx

    out = Path(out)
    shutil.rmtree(out, ignore_errors=True)
    warnings = io.StringIO()
    with redirect_stderr(warnings):
        result = build_sphinx(
            str(ROOT), str(out / "gettext"), noconfig=True, path_config=str(ROOT / "_config.yml"),
            confoverrides={"external_toc_path": "_toc.yml", "nb_execution_mode": "off",
                           "latex_individualpages": False},
            builder="gettext", doctreedir=str(out / ".doctrees"), freshenv=True, quiet=True)
    if result not in (0, None):
        sys.stderr.write(warnings.getvalue())
        raise SystemExit(f"the gettext build failed ({result})")
    return out / "gettext" / "book"


def update(build: Path | None = None) -> list[str]:
    """Extract the pages' messages and merge them into ``locales`` (sphinx-intl); returns the
    pages whose catalogue changed."""
    from sphinx_intl import basic

    with tempfile.TemporaryDirectory() as tmp:
        pot_dir = extract(Path(build or tmp) / "catalogues")
        before = {p: catalogue_path(p).read_bytes() for p in pages()}
        # sphinx-intl names a catalogue after the template's path below the folder it is given
        staging = Path(tmp) / "pot"
        (staging / "book").mkdir(parents=True)
        for pot in pot_dir.glob("*.pot"):
            shutil.copy(pot, staging / "book" / pot.name)
        basic.update(str(LOCALES), str(staging), (LANGUAGE,), line_width=0, ignore_obsolete=False)
    changed = [p for p in pages() if before.get(p) != catalogue_path(p).read_bytes()]
    return changed


# ------------------------------------------------------------------ translators' files


def export(page: str, path: Path) -> int:
    """Write ``page``'s untranslated and fuzzy messages, numbered, to ``path``; returns how many."""
    cat = load(page)
    lines = [f"# {page}: {LANGUAGE} translation. After each '=== n' line write the Chinese of message n.",
             "# Keep $math$, `code`, {glue:text}`...`, {doc}/{ref} targets and links exactly.", ""]
    count = 0
    for number, entry in enumerate(e for e in cat if not e.obsolete):
        if entry.msgstr.strip() and "fuzzy" not in entry.flags:
            continue
        count += 1
        lines.append(f"=== {number}")
        if "fuzzy" in entry.flags and entry.msgstr:
            lines.append("# (fuzzy: the old translation was) " + entry.msgstr.replace("\n", " "))
        lines.append(entry.msgid)
        lines.append("")
    Path(path).write_text("\n".join(lines), encoding="utf-8")
    return count


def read_translations(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    number = None
    buf: list[str] = []
    for line in text.splitlines():
        m = re.match(r"^===\s*(\d+)\s*$", line)
        if m:
            if number is not None:
                out[number] = "\n".join(buf).strip()
            number, buf = int(m.group(1)), []
        elif number is not None:
            buf.append(line)
    if number is not None:
        out[number] = "\n".join(buf).strip()
    return out


def import_(page: str, path: Path, *, force: bool = False) -> list[str]:
    """Set the translations of ``path`` in ``page``'s catalogue; returns the problems found (a
    translation with a problem is not stored unless ``force``)."""
    cat = load(page)
    entries = [e for e in cat if not e.obsolete]
    translations = read_translations(Path(path).read_text(encoding="utf-8"))
    report = []
    for number, text in sorted(translations.items()):
        if number >= len(entries):
            report.append(f"=== {number}: no such message")
            continue
        entry = entries[number]
        if not text:
            report.append(f"=== {number}: empty translation")
            continue
        bad = invariant_problems(entry.msgid, text)
        if bad:
            report.append(f"=== {number}: " + "; ".join(bad))
            if not force:
                continue
        # one line per paragraph, as Sphinx gives the message
        if "\n" not in entry.msgid:
            text = _join_lines(text)
        entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
    cat.save(str(catalogue_path(page)))
    return report


def _join_lines(text: str) -> str:
    """Lines of a Chinese paragraph joined without spaces between CJK characters."""
    parts = [line.strip() for line in text.splitlines() if line.strip()]
    out = ""
    for part in parts:
        if out and not (_is_cjk(out[-1]) or _is_cjk(part[0])):
            out += " "
        out += part
    return out


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def tidy(page: str) -> int:
    """Remove ``glossary:`` exception comments the check no longer needs; returns how many."""
    cat = load(page)
    removed = 0
    for entry in cat:
        if entry.obsolete or not entry.tcomment or "glossary:" not in entry.tcomment:
            continue
        missing = {m.split(" → ")[0] for m in glossary_misses(entry.msgid, entry.msgstr)}
        kept = []
        for line in entry.tcomment.splitlines():
            m = _EXCEPTION.search(line)
            if m and m.group(1).strip().lower() not in missing:
                removed += 1
                continue
            kept.append(line)
        entry.tcomment = "\n".join(kept)
    if removed:
        cat.save(str(catalogue_path(page)))
    return removed


def drop_obsolete(page: str) -> int:
    cat = load(page)
    gone = [e for e in cat if e.obsolete]
    for entry in gone:
        cat.remove(entry)
    cat.save(str(catalogue_path(page)))
    return len(gone)


# ------------------------------------------------------------------ translating a page's source

#: What may stand before a message on its line: indentation, quote marks, a list marker, a
#: heading's hashes, a directive's fence and name (its argument is the message), a table bar.
_PREFIX = (r"(?:^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?:#{1,6}[ \t]+)?"
           r"(?:(?:`{3,}|~{3,}|:{3,})\{[\w:-]+\}[ \t]+)?|\|[ \t]*)")
_SUFFIX = r"(?=[ \t]*(?:\||$))"


def table(page: str, root: Path | None = None) -> dict[str, str]:
    """``{English message: Chinese}`` of ``page``'s translated, current entries."""
    path = catalogue_path(page, root)
    if not path.is_file():
        return {}
    return {e.msgid: e.msgstr for e in load(page, root)
            if not e.obsolete and e.msgstr and "fuzzy" not in e.flags}


def translate_markdown(text: str, messages: dict[str, str]) -> tuple[str, list[str]]:
    """The MyST source ``text`` with every message of ``messages`` found in it replaced by its
    translation (as Sphinx replaces them in the doctree); returns the text and the messages
    used. A message is found where it fills its line(s): a paragraph, list item, heading, table
    cell or directive title (the line breaks of a paragraph may be anywhere)."""
    used = []
    for msgid in sorted(messages, key=len, reverse=True):
        words = msgid.split()
        if not words:
            continue
        body = r"(?:[ \t]+|[ \t]*\n[ \t]*(?:>[ \t]*)?)".join(re.escape(w) for w in words)
        pattern = re.compile(f"({_PREFIX}){body}{_SUFFIX}", re.M)
        text, n = pattern.subn(lambda m, t=messages[msgid]: m.group(1) + t, text)
        if not n and msgid.startswith("(") and msgid.endswith(")"):
            # a proof's title: sphinx-proof's message is "(title)"
            inner = messages[msgid].strip()
            inner = inner[1:-1] if inner[:1] in "(（" and inner[-1:] in ")）" else inner
            return_text, found = translate_markdown(text, {msgid[1:-1]: inner})
            text, n = return_text, len(found)
        if n:
            used.append(msgid)
    return text, used


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnbook.publish.catalogues", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update")
    p = sub.add_parser("check")
    p.add_argument("pages", nargs="*")
    p = sub.add_parser("export")
    p.add_argument("page")
    p.add_argument("file", type=Path)
    p = sub.add_parser("import")
    p.add_argument("page")
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true", help="store translations with problems too")
    p = sub.add_parser("drop-obsolete")
    p.add_argument("pages", nargs="*")
    p = sub.add_parser("tidy", help="remove glossary exception comments that are no longer needed")
    p.add_argument("pages", nargs="*")
    args = parser.parse_args(argv)

    if args.command == "update":
        changed = update()
        print(f"catalogues in {LOCALES.relative_to(ROOT)}: {len(pages())} pages, changed: {', '.join(changed) or 'none'}")
        return 0
    if args.command == "check":
        found = [p for page in (args.pages or pages()) for p in problems(Path(page).stem)]
        for problem in found:
            print(problem)
        print(f"{len(found)} problem(s)" + (f"; to refresh the catalogues: {REFRESH}" if found else ""))
        return 1 if found else 0
    if args.command == "export":
        n = export(Path(args.page).stem, args.file)
        print(f"{n} message(s) to translate in {args.file}")
        return 0
    if args.command == "import":
        report = import_(Path(args.page).stem, args.file, force=args.force)
        for line in report:
            print(line)
        left = problems(Path(args.page).stem)
        print(f"{len(report)} problem(s) in the file; {len(left)} left in the catalogue")
        return 1 if report else 0
    if args.command == "tidy":
        for page in args.pages or pages():
            print(f"{page}: {tidy(Path(page).stem)} unneeded glossary exception comments removed")
        return 0
    if args.command == "drop-obsolete":
        for page in args.pages or pages():
            print(f"{page}: {drop_obsolete(Path(page).stem)} obsolete entries removed")
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
