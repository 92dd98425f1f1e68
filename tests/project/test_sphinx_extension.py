"""The local Sphinx extension (_ext/nnbook_sphinx.py) keeps every <script> of a page once (thebe's config came twice)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "_ext"))

from nnbook_sphinx import drop_repeated_scripts
from sphinx.builders.html._assets import _JavaScript


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


# ------------------------------------------------------------------ issue 15


def test_an_image_output_takes_the_alt_text_its_output_metadata_carries():
    from types import SimpleNamespace

    from docutils import nodes
    from nnbook_sphinx import image_alt_from_output

    def render_image(self, data):                     # myst-nb's: alt only from the cell's metadata
        node = nodes.image(uri="x.png")
        if data.cell_alt:
            node["alt"] = data.cell_alt
        return [node]

    render = image_alt_from_output(render_image)
    assert image_alt_from_output(render) is render     # patched once
    meta = {"image/png": {"alt": "Line plot of  E\nagainst epoch."}}
    out = render(None, SimpleNamespace(mime_type="image/png", output_metadata=meta, cell_alt=None))
    assert out[0]["alt"] == "Line plot of E against epoch."
    out = render(None, SimpleNamespace(mime_type="image/png", output_metadata=meta, cell_alt="The author's"))
    assert out[0]["alt"] == "The author's"             # the cell's mystnb: image: alt: wins
    out = render(None, SimpleNamespace(mime_type="image/png", output_metadata={}, cell_alt=None))
    assert "alt" not in out[0].attributes or not out[0]["alt"]


def test_the_download_menu_offers_the_chapter_pdf_and_the_book_instead_of_printing():
    from nnbook_sphinx import offer_pdf_downloads

    group = {"label": "download-buttons", "buttons": [
        {"label": "download-source-button", "url": "../_sources/book/ch08.md"},
        {"label": "download-pdf-button", "type": "javascript", "javascript": "window.print()"}]}
    context = {"header_buttons": [group], "pathto": lambda name, resource=0: "../" + name}
    from types import SimpleNamespace

    app = SimpleNamespace(config=SimpleNamespace(language="en"))
    offer_pdf_downloads(app, "book/ch08_gradient_descent", "page.html", context, None)
    labels = [b["label"] for b in group["buttons"]]
    assert labels == ["download-source-button", "download-chapter-pdf-button", "download-book-pdf-button"]
    assert [b["url"] for b in group["buttons"][1:]] == ["../_pdf/ch08_gradient_descent.pdf", "../_pdf/book.pdf"]
