"""The local Sphinx extension (_ext/nnbook_sphinx.py) keeps every <script> of a page once (thebe's config came twice)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "_ext"))

from sphinx.builders.html._assets import _JavaScript

from nnbook_sphinx import drop_repeated_scripts


def test_repeated_script_with_same_attributes_is_dropped_and_order_kept():
    thebe = _JavaScript(None, body="const THEBE_JS_URL = 'x'", priority=500)
    a, b = _JavaScript("a.js"), _JavaScript("b.js", defer="defer")
    again = _JavaScript(None, body="const THEBE_JS_URL = 'x'", priority=800)
    context = {"script_files": [a, thebe, b, again]}
    drop_repeated_scripts(None, "page", "page.html", context, None)
    assert [id(s) for s in context["script_files"]] == [id(a), id(thebe), id(b)]


def test_same_file_with_other_attributes_is_kept():
    scripts = [_JavaScript("a.js"), _JavaScript("a.js", type="module")]
    context = {"script_files": list(scripts)}
    drop_repeated_scripts(None, "page", "page.html", context, None)
    assert len(context["script_files"]) == 2
