"""The third-party files the book serves itself (book/_static/npm/, issue 15: no CDN).

They are exact files of npm releases, committed so that `make book` needs only Python:
PROVENANCE.json records package, version, the lockfile's integrity of the release and the
SHA-256 of every file (tests/browser/vendor_assets.py writes and checks it; the browser suite
compares the files byte for byte with the releases that `npm ci` installs). Here, without
npm: the files are the ones recorded, with their licences, and the book's configuration
loads exactly these files.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import vendor_assets as V  # noqa: E402


def _provenance() -> dict:
    return {p["package"]: p for p in V.provenance()["packages"]}


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]


def test_every_committed_file_has_the_recorded_sha256_and_nothing_is_unlisted():
    assert V.check() == []


def test_every_package_has_its_licence_and_the_version_the_lockfile_pins():
    lock = json.loads(V.LOCKFILE.read_text(encoding="utf-8"))["packages"]
    for name, pkg in _provenance().items():
        entry = lock[f"node_modules/{name}"]
        assert (pkg["version"], pkg["integrity"]) == (entry["version"], entry["integrity"]), name
        assert pkg["license"], name
        for lic in pkg["licence_files"]:
            path = lic.split(" (header)")[0]
            assert (V.VENDOR / pkg["folder"] / path).is_file(), f"{name}: licence {lic} missing"
    # require.js carries its licence in its header
    head = (V.VENDOR / _provenance()["requirejs"]["folder"] / "require.js").read_text(encoding="utf-8")[:400]
    assert "Released under MIT license" in head


def _served(path: str) -> tuple[str, str]:
    """('mathjax', 'es5/tex-mml-chtml.js') for the _static path 'npm/mathjax@3.2.2/es5/tex-mml-chtml.js'."""
    m = re.match(r"^npm/((?:@[^/]+/)?[^/@]+)@([^/]+)/(.+)$", path)
    assert m, f"{path} is not a file of book/_static/npm/<package>@<version>/"
    pkg = _provenance()[m.group(1)]
    assert pkg["version"] == m.group(2), f"{path}: the copy is {m.group(1)}@{pkg['version']}"
    assert m.group(3) in pkg["files"], f"{path} is not among the copied files"
    return m.group(1), m.group(3)


def test_the_book_loads_mathjax_requirejs_and_the_widget_manager_from_its_own_copies():
    cfg = _config()
    assert _served(cfg["mathjax_path"]) == ("mathjax", "es5/tex-mml-chtml.js")
    scripts = list(cfg["nb_ipywidgets_js"])
    assert [_served(s)[0] for s in scripts] == ["requirejs", "@jupyter-widgets/html-manager"]
    for attrs in cfg["nb_ipywidgets_js"].values():
        # a crossorigin attribute makes Chromium refuse the script on a page opened from disk
        assert "crossorigin" not in (attrs or {}) and "integrity" not in (attrs or {})


def test_the_widget_helper_points_require_js_at_the_same_widget_manager():
    js = (ROOT / "book" / "_static" / "nnbook-widgets.js").read_text(encoding="utf-8")
    manager = next(s for s in _config()["nb_ipywidgets_js"] if "html-manager" in s)
    folder = manager.rsplit("/", 1)[0] + "/"
    assert f'"{folder}"' in js, f"nnbook-widgets.js does not point require.js at {folder}"
    assert "cdn.jsdelivr" not in js and "https://" not in js


def test_no_file_of_the_book_names_a_cdn_for_what_it_loads():
    """The configuration and the book's static files load nothing from a CDN."""
    for path in [ROOT / "_config.yml", *sorted((ROOT / "book" / "_static").glob("*.js")),
                 *sorted((ROOT / "book" / "_static").glob("*.css"))]:
        text = path.read_text(encoding="utf-8")
        hits = re.findall(r"https?://(?:cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|unpkg\.com)[^\s\"']*", text)
        assert not hits, f"{path.relative_to(ROOT)} loads from a CDN: {hits}"
