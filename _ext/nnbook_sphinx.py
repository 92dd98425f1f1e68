"""The book's own Sphinx extension (build only; never imported by a page or by Colab).

Listed in ``_config.yml`` under ``sphinx: local_extensions``. It does five things:

* patches nbclient before myst-nb executes the pages, so that a missed wake-up after a
  widget cell costs a second, not the cell's whole time limit
  (:mod:`nnbook.grade.nbexec`, shared with the grader and the page tests);
* keeps every ``<script>`` of an HTML page only once (below);
* gives every image output of a notebook cell the alternative text its output carries
  (below);
* makes the download button of every page offer the page's PDF and the whole book's
  (below);
* fixes the HTML that axe-core finds inaccessible in the theme and in myst-nb (below).

Accessible HTML (WCAG 2.1 A/AA, checked by axe-core in tests/browser)
----------------------------------------------------------------------

* ``_ext/templates/``: the theme's search and colour-mode buttons, whose
  ``aria-label`` did not contain their visible text (rule label-content-name-mismatch);
  the folder is put first on Sphinx's template path.
* The ``<summary>`` of a cell whose source or output is folded (``hide-input`` ...) had the
  ``aria-label`` "Toggle hidden content" over its visible "Show code cell source": written
  without it (its name is its text).
* The bibliography's entries had ``role="doc-biblioentry"``, deprecated in DPUB-ARIA 1.1
  (axe: a ``list`` whose children are not list items): written with ``role="listitem"``.

Alternative text of figures
---------------------------

myst-nb writes an image output as ``<img>`` with the ``alt`` of the cell's
``mystnb: image: alt:`` metadata, else with the image's file name. A figure shown by a page
carries its own description in its output metadata (``{"image/png": {"alt": ...}}``, put
there by :func:`nnbook.page.plotting.use_style` in the kernel), which myst-nb ignores:
:func:`image_alt_from_output` wraps myst-nb's image renderer so that this text becomes the
``alt`` when the cell gives none.

Every ``<script>`` only once
----------------------------

With Sphinx 7.4, the inline configuration scripts that Jupyter Book 1 adds through
sphinx-thebe end up twice in a page's ``script_files`` (once with another priority), so
every page declared ``const THEBE_JS_URL`` twice: a SyntaxError in every reader's console
(the browser suite in tests/browser found it). This handler, connected late, keeps the
first of the entries that name the same file (or the same inline body) with the same
attributes.

Download button: the page's PDF
-------------------------------

sphinx-book-theme's download menu offers the page's source and "print to PDF" (the
browser's print dialog). ``make pdf`` (:mod:`nnbook.publish.pdf`) prints every page and the
whole book into ``_pdf/`` of the site; :func:`offer_pdf_downloads` replaces the print entry
with links to ``_pdf/<page>.pdf`` and ``_pdf/book.pdf``.
"""

from __future__ import annotations

from pathlib import Path


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


def image_alt_from_output(render_image):
    """myst-nb's ``render_image``, also taking ``alt`` from the output's own metadata.

    The cell's ``mystnb: image: alt:`` (myst-nb's own option) wins when it is given.
    """
    if getattr(render_image, "_nnbook_alt", False):
        return render_image

    def render(self, data):
        out = render_image(self, data)
        alt = (data.output_metadata.get(data.mime_type) or {}).get("alt")
        if isinstance(alt, str) and alt.strip():
            for node in out:
                if node.tagname == "image" and not node.get("alt"):
                    node["alt"] = " ".join(alt.split())
        return out

    render._nnbook_alt = True
    return render


def patch_myst_nb_images() -> None:
    from myst_nb.core.render import NbElementRenderer

    NbElementRenderer.render_image = image_alt_from_output(NbElementRenderer.render_image)


PDF_DIR = "_pdf"


def offer_pdf_downloads(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context`` handler (after the theme's): PDF links in the download menu."""
    pathto = context.get("pathto")
    if pathto is None:
        return
    for group in context.get("header_buttons") or []:
        if group.get("label") != "download-buttons":
            continue
        buttons = [b for b in group.get("buttons", []) if b.get("label") != "download-pdf-button"]
        stem = pagename.split("/")[-1]
        buttons += [
            {"type": "link", "url": pathto(f"{PDF_DIR}/{stem}.pdf", 1), "text": ui(app, "chapter .pdf"),
             "tooltip": ui(app, "Download this chapter as PDF"), "icon": "fas fa-file-pdf",
             "label": "download-chapter-pdf-button"},
            {"type": "link", "url": pathto(f"{PDF_DIR}/book.pdf", 1), "text": ui(app, "book .pdf"),
             "tooltip": ui(app, "Download the whole book as PDF"), "icon": "fas fa-book",
             "label": "download-book-pdf-button"},
        ]
        group["buttons"] = buttons


TEMPLATES = Path(__file__).resolve().parent / "templates"


def add_templates(app, config) -> None:
    """``config-inited``: the book's templates (_ext/templates) before the theme's."""
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))


def visit_hide_cell(self, node) -> None:
    """myst-nb's ``<details>`` of a folded cell, with a ``<summary>`` named by its own text."""
    from html import escape

    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def visit_citation(self, node) -> None:
    """docutils' citation entry, as a ``listitem`` of the citation list."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def accessible_nodes(app) -> None:
    from docutils import nodes
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
    from sphinx.writers.html5 import HTML5Translator

    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell, depart_HideCellInput))
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))


# ---- Editions (issue 16): the English pages are the source, the Chinese edition their translation
# through the message catalogues in locales/ (Sphinx gettext). The Chinese site lives in
# <english site>/zh/ (nnbook.publish.editions builds it).

#: The other edition of each edition: (its language code, its folder relative to this edition's
#: root, the switch's text in that language, its lang attribute).
EDITIONS = {
    "en": ("zh_CN", "zh/", "中文", "zh-CN"),
    "zh_CN": ("en", "../", "English", "en"),
}

#: The few words the extension itself puts on a page, per language (the pages' own text is in
#: locales/; tests/i18n checks this table is complete).
UI_TEXT = {
    "chapter .pdf": {"zh_CN": "本章 .pdf"},
    "book .pdf": {"zh_CN": "全书 .pdf"},
    "Download this chapter as PDF": {"zh_CN": "下载本章 PDF"},
    "Download the whole book as PDF": {"zh_CN": "下载全书 PDF"},
    "Other language": {"zh_CN": "其他语言"},
}


def ui(app, text: str) -> str:
    """``text`` in the build's language (UI_TEXT), English when there is no entry."""
    return UI_TEXT.get(text, {}).get(app.config.language, text)


def language_switch(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: a visible link to the same page in the other edition, at the top of
    the article, and ``<link rel="alternate" hreflang>`` for both editions in the head."""
    other = EDITIONS.get(app.config.language)
    if other is None or "body" not in context:
        return
    _, folder, label, lang = other
    depth = pagename.count("/")
    href = "../" * depth + folder + pagename + ".html"
    title = "本页中文版" if lang == "zh-CN" else "This page in English"
    context["body"] = (
        f'<nav class="nnbook-language" aria-label="{ui(app, "Other language")}">'
        f'<a href="{href}" hreflang="{lang}" lang="{lang}" title="{title}">{label}</a></nav>\n'
        + context["body"])
    here = "zh-CN" if app.config.language == "zh_CN" else "en"
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{here}" href="{pagename.split("/")[-1]}.html" />'
        f'\n<link rel="alternate" hreflang="{lang}" href="{href}" />')


def chinese_notebooks(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context`` (after the theme's): in the Chinese edition the launch buttons open
    the Chinese notebook ``book/zh/<page>.ipynb`` (nnbook.publish.notebooks writes them)."""
    if app.config.language != "zh_CN" or "/" not in pagename:
        return
    folder, stem = pagename.rsplit("/", 1)
    for group in context.get("header_buttons") or []:
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            url = button.get("url", "")
            for sep in ("/", "%2F"):
                old = f"{folder}{sep}{stem}.ipynb"
                if old in url:
                    button["url"] = url.replace(old, f"{folder}{sep}zh{sep}{stem}.ipynb")


def glue_in_translations() -> None:
    """Glued values in translated paragraphs.

    Sphinx parses a translation as a small document of its own, after myst-nb has parsed the
    page and let go of the page's notebook (its glue data), so a ``{glue:text}`` role in a
    translation would find nothing. The renderer myst-nb made for the page being read is kept
    here, and a role in such a small document reads that page's glue data.
    """
    import myst_nb.sphinx_ as nb_sphinx
    from myst_nb.ext.glue import directives, roles, utils

    if getattr(utils.retrieve_glue_data, "_nnbook", False):
        return
    current: dict = {}
    load_renderer = nb_sphinx.load_renderer

    def keep_renderer(name):
        factory = load_renderer(name)

        def make(*args, **kwargs):
            current["renderer"] = factory(*args, **kwargs)
            return current["renderer"]

        return make

    original = utils.retrieve_glue_data

    def retrieve_glue_data(document, key):
        if "nb_renderer" not in document and "renderer" in current:
            document = {"nb_renderer": current["renderer"]}
        return original(document, key)

    retrieve_glue_data._nnbook = True
    nb_sphinx.load_renderer = keep_renderer
    utils.retrieve_glue_data = roles.retrieve_glue_data = directives.retrieve_glue_data = retrieve_glue_data


def translatable_titles(app) -> None:
    """Exercise and proof titles into the message catalogues, display formulas out of them.

    sphinx-exercise and sphinx-proof make their titles without a source, so Sphinx's gettext
    would neither extract nor translate them; and sphinx-exercise's post-transform replaces the
    title before the gettext builder sees it, so the titles found here are also handed to that
    builder's catalogue directly. A display formula is the same in every edition: not a message.
    """
    from docutils import nodes
    from sphinx.transforms import SphinxTransform

    class TitlesToCatalogue(SphinxTransform):
        default_priority = 10          # before sphinx.transforms.i18n.Locale (20)

        def apply(self, **kwargs) -> None:
            from sphinx_exercise.nodes import exercise_subtitle, exercise_title, solution_subtitle, solution_title

            source = self.document["source"]
            lines: list[str] = []           # the page's source, read at the first exercise title
            found = []
            for node in self.document.findall(nodes.math_block):
                node["translatable"] = False
            for node in list(self.document.findall(nodes.Element)):
                if isinstance(node, (exercise_title, solution_title, solution_subtitle)):
                    # "Exercise", "Solution to": Sphinx's translations; a solution's subtitle is
                    # the exercise's title, translated there
                    node["translatable"] = False
                    continue
                is_proof_title = isinstance(node, nodes.title) and type(node.parent).__module__.startswith("sphinx_proof")
                if not (isinstance(node, exercise_subtitle) or is_proof_title):
                    continue
                node.source = node.source or source
                node.line = node.line or _line_of(node)
                if isinstance(node, exercise_subtitle):
                    if not lines:
                        lines = _source_lines(node.source)
                    node.rawsource = _directive_argument(lines, node.line) or node.astext()
                elif not node.rawsource.strip():
                    node.rawsource = node.astext()
                found.append((node.rawsource.replace("\n", " ").strip(), node.source, node.line))
            titles = getattr(self.env, "nnbook_titles", None)
            if titles is None:
                titles = self.env.nnbook_titles = {}
            titles[self.env.docname] = found

    def purge(app, env, docname) -> None:
        getattr(env, "nnbook_titles", {}).pop(docname, None)

    def to_gettext_catalogue(app, doctree, docname) -> None:
        if app.builder.name != "gettext":
            return
        from sphinx.builders.gettext import MsgOrigin
        from sphinx.util.i18n import docname_to_domain

        catalog = app.builder.catalogs[docname_to_domain(docname, app.config.gettext_compact)]
        for msg, source, line in getattr(app.env, "nnbook_titles", {}).get(docname, []):
            if msg:
                catalog.add(msg, MsgOrigin(source, line))

    class TranslateToctreeCaptions(SphinxTransform):
        """The parts' captions of the table of contents: sphinx-external-toc inserts the toctrees
        (priority 100) after Sphinx translated the page (20), so they are translated here, from
        the same catalogue (the root page's: the gettext builder puts them there)."""

        default_priority = 101

        def apply(self, **kwargs) -> None:
            from sphinx import addnodes
            from sphinx.locale import init as init_locale
            from sphinx.util.i18n import docname_to_domain

            if (self.config.language or "en") == "en" or self.app.builder.name == "gettext":
                return
            dirs = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
            domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
            catalog, found = init_locale(dirs, self.config.language, domain, namespace="nnbook-toctree")
            if not found:
                return
            for node in self.document.findall(addnodes.toctree):
                caption = node.get("caption")
                if caption and catalog.gettext(caption) != caption:
                    node["caption"] = node["rawcaption"] = catalog.gettext(caption)

    app.add_transform(TitlesToCatalogue)
    app.add_transform(TranslateToctreeCaptions)
    app.connect("env-purge-doc", purge)
    app.connect("doctree-resolved", to_gettext_catalogue)


def _source_lines(source) -> list[str]:
    try:
        return Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, TypeError):
        return []


def _directive_argument(lines: list[str], line) -> str:
    """The title a directive's first line (``line`` of the page's ``lines``) gives
    (``{exercise} Title with $math$``), as written: the message keeps its markup, like every
    other message of the page."""
    import re

    try:
        text = lines[int(line) - 1]
    except (ValueError, TypeError, IndexError):
        return ""
    m = re.match(r"^\s*(?:`{3,}|~{3,}|:{3,})\{[\w:-]+\}\s+(.*?)\s*$", text)
    return m.group(1) if m else ""


def _line_of(node):
    while node is not None:
        if getattr(node, "line", None):
            return node.line
        node = node.parent
    return None


def setup(app):
    from nnbook.grade.nbexec import patch_nbclient

    patch_nbclient()
    patch_myst_nb_images()
    accessible_nodes(app)
    app.connect("config-inited", add_templates)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.connect("html-page-context", offer_pdf_downloads, priority=900)
    app.connect("html-page-context", language_switch, priority=900)
    app.connect("html-page-context", chinese_notebooks, priority=900)
    translatable_titles(app)
    glue_in_translations()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
