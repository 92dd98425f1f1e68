"""The third-party files the book's pages load, committed in ``book/_static/npm/``.

The HTML book serves every script, style sheet and font from its own ``_static`` folder
(issue 15: no CDN). Those files are exact copies of files of npm releases, committed to the
repository so that ``make book`` needs nothing but Python. This module says which files of
which release, and keeps ``book/_static/npm/PROVENANCE.json`` (package, version, the npm
lockfile's integrity of the release, licence, and the SHA-256 of every copied file).

* ``python tests/browser/vendor_assets.py update`` (maintainers, after changing a version in
  ``tests/browser/package.json`` and ``npm install`` there): copies the files below from
  ``tests/browser/node_modules`` into ``book/_static/npm/<package>@<version>/`` and
  rewrites PROVENANCE.json. The only step that needs Node.js; a reader or author never runs it.
* ``python tests/browser/vendor_assets.py check``: every committed file has the SHA-256 that
  PROVENANCE.json records, nothing is unlisted, every licence file is there
  (``tests/project/test_vendored_assets.py`` runs this in ``make unit``).
* ``tests/browser/test_offline.py`` compares every committed file byte for byte with the same
  file of the npm release installed by ``npm ci`` from the lockfile (the browser suite).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NODE_MODULES = HERE / "node_modules"
LOCKFILE = HERE / "package-lock.json"
VENDOR = REPO / "book" / "_static" / "npm"
PROVENANCE = VENDOR / "PROVENANCE.json"


@dataclass(frozen=True)
class Vendored:
    """Which files of an npm package the site serves, and why."""

    package: str
    files: tuple           # glob patterns, relative to the package's folder
    licence_files: tuple   # files of the package that carry its licence (copied as well)
    why: str


PACKAGES = (
    Vendored(
        "mathjax",
        files=(
            # What Sphinx loads on every page with math (mathjax_path in _config.yml) ...
            "es5/tex-mml-chtml.js",
            # ... and what it loads later: TeX extensions (autoload: \boldsymbol, ...),
            "es5/input/tex/extensions/*.js",
            # the CHTML fonts,
            "es5/output/chtml/fonts/woff-v2/*.woff",
            # and what the reader's MathJax menu can switch on: the accessibility extensions
            # and their speech rules (Accessibility), the SVG renderer (Math Renderer).
            "es5/a11y/*.js",
            "es5/sre/mathmaps/*.json",
            "es5/output/svg.js",
            "es5/output/svg/fonts/tex.js",
            "es5/ui/safe.js",
            "es5/ui/lazy.js",
        ),
        licence_files=("LICENSE",),
        why="typesets the mathematics (MathJax 3, CommonHTML output with its web fonts)",
    ),
    Vendored(
        "requirejs",
        files=("require.js",),
        licence_files=(),          # MIT, stated in the header of require.js itself
        why="the AMD loader the Jupyter widget manager needs (myst-nb's nb_ipywidgets_js)",
    ),
    Vendored(
        "@jupyter-widgets/html-manager",
        files=("dist/embed-amd.js", "dist/*.woff2", "dist/*.woff", "dist/embed.js.LICENSE.txt"),
        licence_files=("LICENSE",),
        why="renders the embedded Jupyter widgets of a page without a kernel (with Font Awesome's "
            "icon fonts, which every current browser takes as WOFF2 or WOFF)",
    ),
    Vendored(
        "@fortawesome/fontawesome-free",
        files=(),
        licence_files=("LICENSE.txt",),
        why="the licence of the icon fonts bundled in the widget manager's dist/ (no file of its own)",
    ),
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lock_entry(package: str) -> dict:
    """The package's entry in tests/browser/package-lock.json (version, integrity, licence)."""
    lock = json.loads(LOCKFILE.read_text(encoding="utf-8"))
    entry = lock["packages"].get(f"node_modules/{package}")
    if entry is None:
        raise SystemExit(f"{package} is not in {LOCKFILE}: add it to package.json (npm install --save-exact)")
    return entry


def folder(package: str, version: str) -> str:
    """The package's folder under book/_static/npm/: ``<package>@<version>``."""
    return f"{package}@{version}"


def update() -> dict:
    """Copy the files of PACKAGES from node_modules into VENDOR and write PROVENANCE.json."""
    if not (NODE_MODULES / ".package-lock.json").is_file():
        raise SystemExit(f"no {NODE_MODULES}: run `make browser-deps` (npm ci in tests/browser) first")
    record = {
        "about": "Third-party files served by the book from _static/npm/: exact files of npm "
                 "releases. Written by `python tests/browser/vendor_assets.py update`; checked by "
                 "tests/project/test_vendored_assets.py (SHA-256) and tests/browser/test_offline.py "
                 "(byte for byte against the release installed by npm ci from the lockfile).",
        "packages": [],
    }
    if VENDOR.exists():
        for child in VENDOR.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    for spec in PACKAGES:
        entry = lock_entry(spec.package)
        src = NODE_MODULES / spec.package
        meta = json.loads((src / "package.json").read_text(encoding="utf-8"))
        if meta["version"] != entry["version"]:
            raise SystemExit(f"node_modules has {spec.package}@{meta['version']}, the lockfile "
                             f"{entry['version']}: run npm ci in tests/browser")
        dest = VENDOR / folder(spec.package, entry["version"])
        files = {}
        for pattern in spec.files + spec.licence_files:
            matched = sorted(p for p in src.glob(pattern) if p.is_file())
            if not matched:
                raise SystemExit(f"{spec.package}@{entry['version']}: no file matches {pattern}")
            for p in matched:
                rel = p.relative_to(src).as_posix()
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(p, dest / rel)
                files[rel] = sha256(p)
        record["packages"].append({
            "package": spec.package,
            "version": entry["version"],
            "registry": "npm",
            "integrity": entry["integrity"],
            "license": entry.get("license") or meta.get("license"),
            "licence_files": list(spec.licence_files) or [f"{spec.files[0]} (header)"],
            "folder": folder(spec.package, entry["version"]),
            "why": spec.why,
            "files": dict(sorted(files.items())),
        })
    PROVENANCE.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return record


def provenance() -> dict:
    return json.loads(PROVENANCE.read_text(encoding="utf-8"))


def check() -> list[str]:
    """What is wrong with the committed copies (empty: every file as PROVENANCE.json records it)."""
    if not PROVENANCE.is_file():
        return [f"{PROVENANCE} is missing: run `python tests/browser/vendor_assets.py update`"]
    record = provenance()
    problems, listed = [], {PROVENANCE}
    by_name = {p["package"]: p for p in record["packages"]}
    for spec in PACKAGES:
        if spec.package not in by_name:
            problems.append(f"{spec.package}: not in PROVENANCE.json")
    for pkg in record["packages"]:
        base = VENDOR / pkg["folder"]
        if pkg["folder"] != folder(pkg["package"], pkg["version"]):
            problems.append(f"{pkg['package']}: folder {pkg['folder']} does not name version {pkg['version']}")
        if not pkg.get("license"):
            problems.append(f"{pkg['package']}@{pkg['version']}: no licence recorded")
        for lic in pkg["licence_files"]:
            if not lic.endswith("(header)") and lic not in pkg["files"]:
                problems.append(f"{pkg['package']}@{pkg['version']}: licence file {lic} is not copied")
        for rel, digest in pkg["files"].items():
            path = base / rel
            listed.add(path)
            if not path.is_file():
                problems.append(f"{pkg['package']}@{pkg['version']}: {rel} is missing")
            elif sha256(path) != digest:
                problems.append(f"{pkg['package']}@{pkg['version']}: {rel} has SHA-256 {sha256(path)}, "
                                f"PROVENANCE.json records {digest} (a changed copy)")
    extra = sorted(p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file() and p not in listed)
    problems += [f"{rel}: in book/_static/npm but not in PROVENANCE.json" for rel in extra]
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "check"])
    args = parser.parse_args(argv)
    if args.command == "update":
        record = update()
        for pkg in record["packages"]:
            size = sum((VENDOR / pkg["folder"] / f).stat().st_size for f in pkg["files"])
            print(f"{pkg['package']}@{pkg['version']}: {len(pkg['files'])} files, {size / 1e6:.2f} MB")
    problems = check()
    for p in problems:
        print("FAILED", p)
    if not problems:
        print(f"ok: {PROVENANCE.relative_to(REPO)} matches every file")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
