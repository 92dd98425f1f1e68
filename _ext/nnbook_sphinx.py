"""The book's own Sphinx extension (build only; never imported by a page or by Colab).

Listed in ``_config.yml`` under ``sphinx: local_extensions``. It does two things:

* patches nbclient before myst-nb executes the pages, so that a missed wake-up after a
  widget cell costs a second, not the cell's whole time limit
  (:mod:`nnbook.grade.nbexec`, shared with the grader and the page tests);
* keeps every ``<script>`` of an HTML page only once (below).

Every ``<script>`` only once
----------------------------

With Sphinx 7.4, the inline configuration scripts that Jupyter Book 1 adds through
sphinx-thebe end up twice in a page's ``script_files`` (once with another priority), so
every page declared ``const THEBE_JS_URL`` twice: a SyntaxError in every reader's console
(the browser suite in tests/browser found it). This handler, connected late, keeps the
first of the entries that name the same file (or the same inline body) with the same
attributes.
"""

from __future__ import annotations


def _key(js) -> tuple:
    attributes = getattr(js, "attributes", None) or {}
    return (str(getattr(js, "filename", js) or ""),
            tuple(sorted((k, str(v)) for k, v in attributes.items())))


def drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context`` handler: remove repeated entries of ``context["script_files"]``."""
    files = context.get("script_files")
    if not files:
        return
    seen, kept = set(), []
    for js in files:
        key = _key(js)
        if key not in seen:
            seen.add(key)
            kept.append(js)
    files[:] = kept


def setup(app):
    from nnbook.grade.nbexec import patch_nbclient

    patch_nbclient()
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
