"""The book's editions: English at ``_build/html/``, Chinese at ``_build/html/zh/`` (build only).

Both are built from the same English pages with Jupyter Book's own Sphinx entry point; the
Chinese edition adds ``language = zh_CN`` (Sphinx takes the pages' text from the catalogues in
``locales/``, see :mod:`nnbook.publish.catalogues`) and runs its pages' code with
``NNBOOK_LANG=zh_CN``, so that what the package prints, draws and checks is in Chinese too. Its
outputs differ from the English ones only in those words (formulas, code and glued numbers are
the same: a test compares them), so it keeps an execution cache of its own beside the English
one; ``make book`` and ``make strict`` build the two editions at the same time, one per core.

    python -m nnbook.publish.editions build zh [--strict]      # the Chinese edition alone
    python -m nnbook.publish.editions build en [--strict]      # what `jupyter-book build .` does
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BUILD = ROOT / "_build"


@dataclass(frozen=True)
class Edition:
    code: str            # the edition's short name: en, zh
    language: str        # Sphinx's language and NNBOOK_LANG
    folder: str          # below _build/html ("" for the English edition)
    title: str = ""      # the book's title in the edition's language ("": _config.yml's)

    @property
    def html(self) -> Path:
        """Where readers find the edition: the English site's root or a folder in it."""
        return BUILD / "html" / self.folder if self.folder else BUILD / "html"

    @property
    def build_root(self) -> Path:
        """Where Sphinx builds the edition: ``<root>/html``, with myst-nb's ``jupyter_execute``
        beside it (myst-nb puts it next to the output folder, so not inside the English site)."""
        return BUILD if self.code == "en" else BUILD / self.code

    @property
    def doctrees(self) -> Path:
        return self.build_root / ".doctrees"

    @property
    def execution_cache(self) -> Path:
        return self.build_root / ".jupyter_cache"

    @property
    def progress(self) -> Path:
        """The exercises' progress file the build's kernels write (each edition its own: two
        builds at the same time must not count each other's attempts)."""
        return BUILD / ".nnbook" / ("progress.json" if self.code == "en" else f"progress-{self.code}.json")


EDITIONS = {"en": Edition("en", "en", ""), "zh": Edition("zh", "zh_CN", "zh", "前馈神经网络与反向传播")}


def overrides(edition: Edition) -> dict:
    """Sphinx settings of ``edition`` on top of ``_config.yml``."""
    out = {"external_toc_path": "_toc.yml", "latex_individualpages": False}
    if edition.code != "en":
        out.update({
            "language": edition.language,
            "nb_execution_cache_path": str(edition.execution_cache),
        })
    if edition.title:
        out.update({"html_title": edition.title, "project": edition.title})
    if edition.language == "zh_CN":
        # the search splits Chinese text into words with jieba; the glossary's terms are words
        out["html_search_options"] = {"dict": str(search_dictionary(edition))}
        # myst-nb's folded cells
        out.update({"nb_code_prompt_show": "显示代码单元", "nb_code_prompt_hide": "隐藏代码单元"})
    return out


def search_dictionary(edition: Edition) -> Path:
    """A jieba user dictionary of the glossary's Chinese terms (so that the search finds
    误差反向传播 as one word), written into the edition's build folder."""
    from nnbook.page.glossary import terms

    path = edition.build_root / "search-words.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    words = sorted({t.zh for t in terms() if " " not in t.zh})
    path.write_text("".join(f"{w} 1000 n\n" for w in words), encoding="utf-8")
    return path


def build(code: str, *, strict: bool = False) -> int:
    """Build one edition (``strict``: every page, warnings are errors; ``make strict`` removes
    the earlier builds of both editions first)."""
    from jupyter_book.sphinx import build_sphinx

    edition = EDITIONS[code]
    edition.progress.unlink(missing_ok=True)
    os.environ["NNBOOK_LANG"] = edition.language
    os.environ["NNBOOK_PROGRESS"] = str(edition.progress)
    os.chdir(ROOT)
    result = build_sphinx(
        str(ROOT), str(edition.build_root / "html"), noconfig=True, path_config=str(ROOT / "_config.yml"),
        confoverrides=overrides(edition), doctreedir=str(edition.doctrees), builder="html",
        force_all=strict, freshenv=strict, warningiserror=strict, keep_going=strict)
    if result:
        print(f"The {code} edition failed to build ({result}).", file=sys.stderr)
        return 1
    publish(edition)
    print(f"The {code} edition is built: file://{edition.html / 'index.html'}")
    return 0


def publish(edition: Edition) -> None:
    """The built edition into its folder of the site (a copy: the site stays one folder that
    can be served, zipped or opened from disk), with an ``index.html`` to its first page."""
    built = edition.build_root / "html"
    if built != edition.html:
        shutil.rmtree(edition.html, ignore_errors=True)
        shutil.copytree(built, edition.html)
    index = edition.html / "index.html"
    if not index.exists():
        index.write_text('<!DOCTYPE html>\n<html><head><meta charset="utf-8" />'
                         '<meta http-equiv="Refresh" content="0; url=book/intro.html" /></head></html>\n',
                         encoding="utf-8")


def publish_all() -> None:
    """Copy every built edition other than English into the English site (after an English
    build from clean removed them)."""
    for edition in EDITIONS.values():
        if edition.code != "en" and (edition.build_root / "html" / "book").is_dir():
            publish(edition)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnbook.publish.editions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build")
    p.add_argument("edition", choices=sorted(EDITIONS))
    p.add_argument("--strict", action="store_true", help="all pages, -W --keep-going")
    sub.add_parser("publish", help="copy the built editions into the English site (_build/html/<edition>/)")
    args = parser.parse_args(argv)
    if args.command == "publish":
        publish_all()
        return 0
    return build(args.edition, strict=args.strict)


if __name__ == "__main__":
    raise SystemExit(main())
