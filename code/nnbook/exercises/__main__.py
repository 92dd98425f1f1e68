"""``python -m nnbook.exercises {encode,decode,list}``: tools for chapter authors.

Examples
--------
python -m nnbook.exercises encode 0.25
python -m nnbook.exercises encode "[1, 2; 3, 4]"
python -m nnbook.exercises encode --choice 0 2
python -m nnbook.exercises encode --hash --digits 4 0.25
python -m nnbook.exercises decode nnb2:...
python -m nnbook.exercises list [--chapter N]
"""

from __future__ import annotations

import argparse
import sys

from ..page.encoding import decode, encode
from . import registry
from .parsing import AnswerParseError, parse_value


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m nnbook.exercises", description="Tools for exercise authors.")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("encode", help="print the opaque string of an answer")
    e.add_argument("value", nargs="+", help="a number, an array like '[1, 2; 3, 4]', or option indices with --choice")
    e.add_argument("--choice", action="store_true", help="option indices: one -> int, several -> set")
    e.add_argument("--hash", action="store_true", help="store only a hash (cannot be decoded)")
    e.add_argument("--digits", type=int, default=6, help="significant digits kept before hashing")
    d = sub.add_parser("decode", help="show what an encoded string holds")
    d.add_argument("text")
    ls = sub.add_parser("list", help="list the registered exercises")
    ls.add_argument("--chapter", help="only this chapter (number or slug)")
    a = p.parse_args(argv)
    if a.command == "encode":
        if a.choice:
            idx = [int(v) for v in " ".join(a.value).replace(",", " ").split()]
            value = idx[0] if len(idx) == 1 else set(idx)
        else:
            try:
                value = parse_value(" ".join(a.value))
            except AnswerParseError as exc:
                p.error(str(exc))
        print(encode(value, hashed=a.hash, digits=a.digits))
        return 0
    if a.command == "decode":
        print(repr(decode(a.text)))
        return 0
    if a.command == "list":
        items = registry.all() if a.chapter is None else registry.for_chapter(a.chapter)
        for ex in items:
            print(f"{ex.chapter:>3}  {ex.id:<36} {ex.kind:<8} {ex.points:g} pts  {ex.name:<24} {ex.title}")
        for label, _ in registry.load_errors():
            print(f"could not load {label}", file=sys.stderr)
        return 0
    return 2  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
