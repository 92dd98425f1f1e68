"""The built HTML book as one archive that opens from disk (``make dist``).

``python -m nnbook.publish.site_archive`` packs ``_build/html`` (with the PDFs of ``make pdf``
in ``_pdf/`` when they are there) into ``_build/dist/<name>.zip``, a folder ``<name>/`` inside.
A reader unpacks it anywhere and opens ``<name>/index.html`` in a browser: every page works
from ``file://`` without a network and without a kernel (mathematics, figures, slider
figures, quizzes, folded solutions, the embedded widgets), because the site serves every
script, style sheet and font itself (``book/_static/npm``) and loads none with
``crossorigin`` (which a browser refuses from ``file://``). What does not work from disk: the
text snippets under search results (the search finds the pages, but Sphinx fetches the
snippets, which browsers refuse for ``file://`` pages), Live Code and the launch buttons
(they need the internet).
``tests/browser/test_offline.py`` opens pages of an archive from ``file://`` in Chromium.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zipfile
from pathlib import Path

__all__ = ["make_archive", "main"]

#: Folders of the built site that are not part of the archive.
SKIP = {".buildinfo", "_dist"}

_README = """{title}

Open {name}/index.html in a web browser. Everything works from this folder, without a
network: the mathematics, the figures and slider figures, the quizzes and the solutions.
(The snippets under search results, Live Code and the launch buttons need a web server or
the internet.)
PDFs of every chapter and of the whole book are in {name}/_pdf/ when they were built.
"""


def make_archive(site: Path, out: Path, name: str = "nnbook-site", title: str = "") -> Path:
    """Zip ``site`` into ``out`` under the folder ``name/``; returns ``out``."""
    site, out = Path(site), Path(out)
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site}/index.html is missing: build the book first (make book)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(f"{name}/README.txt", _README.format(title=title or name, name=name))
        for dirpath, dirnames, filenames in os.walk(site):
            rel_dir = Path(dirpath).relative_to(site)
            dirnames[:] = sorted(d for d in dirnames if not (rel_dir == Path(".") and d in SKIP))
            for fn in sorted(filenames):
                if rel_dir == Path(".") and fn in SKIP:
                    continue
                path = Path(dirpath) / fn
                arc = f"{name}/{(rel_dir / fn).as_posix()}"
                # Already compressed formats are stored as they are (faster, no bigger).
                kind = zipfile.ZIP_STORED if path.suffix in {".png", ".jpg", ".woff", ".woff2", ".pdf", ".zip"} \
                    else zipfile.ZIP_DEFLATED
                zf.write(path, arc, compress_type=kind)
    tmp.replace(out)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnbook.publish.site_archive",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("_build/html"))
    parser.add_argument("--out", type=Path, default=Path("_build/dist/nnbook-site.zip"))
    parser.add_argument("--name", default=None, help="the folder inside the archive (default: the file's stem)")
    parser.add_argument("--title", default="Feedforward Neural Networks and Backpropagation")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    out = make_archive(args.site, args.out, args.name or args.out.stem, args.title)
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.0f} s): unpack it and open "
          f"{args.name or args.out.stem}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
