"""The words the pages' own figures show are Chinese in the Chinese edition (issue 16).

The pages' code cells are the same in both editions and write their figures' words in English
(``ax.set_title("Training error")``, ``label="data"``). Their Chinese forms are the package
catalogue ``figures.po``, extracted from the ``{code-cell}`` blocks of ``book/*.md`` by
``python -m nnbook.i18n update``; when a figure is shown (the kernel's figure display, the
frames of slider figures) ``nnbook.page.plotting.fit_cjk_text`` replaces each text that has a
translation. Here: the catalogue is complete and holds exactly the pages' figure words, the
extraction takes what it should and skips what it should, and a figure shown under
``language("zh")`` has Chinese titles, labels, legends and texts (tick labels and texts without
a translation unchanged), under English the English ones.
"""

from __future__ import annotations

import re
import shutil

import matplotlib
import polib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nnbook import i18n  # noqa: E402
from nnbook.i18n import language  # noqa: E402
from nnbook.page import plotting  # noqa: E402

FIGURES_PO = i18n.catalogue_path("zh_CN", "figures")
BOOK = i18n.REPO / "book"
REFRESH = "run python -m nnbook.i18n update, then translate the new messages in figures.po"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _book_style():
    """The book's style (with its CJK font fallback), as every page sets it; restored after."""
    with matplotlib.rc_context():
        plotting.use_style()
        yield
    plt.close("all")


# ------------------------------------------------------------------ the catalogue


def test_every_figure_word_is_translated():
    assert FIGURES_PO.exists(), f"no {FIGURES_PO}; {REFRESH}"
    problems = i18n.problems(FIGURES_PO)
    assert not problems, f"{len(problems)} problems in {FIGURES_PO.name}; {REFRESH}:\n" + "\n".join(problems)


@pytest.mark.skipif(not BOOK.is_dir(), reason="the package does not run from a checkout of the book")
def test_the_catalogue_holds_exactly_the_figure_words_of_the_pages():
    found = i18n.extract_figures(BOOK)
    live = {e.msgid: e for e in polib.pofile(str(FIGURES_PO)) if not e.obsolete}
    new = [f"  {file}:{line}: {msgid!r} is not in figures.po"
           for (_ctx, msgid), info in sorted(found.items(), key=lambda kv: kv[1]["occurrences"][0])
           for file, line in info["occurrences"][:1] if msgid not in live]
    words = {msgid for _ctx, msgid in found}
    gone = [f"  {' '.join(f'{f}:{n}' for f, n in e.occurrences[:1]) or 'figures.po'}: {msgid!r} "
            f"is no longer a figure word of that page" for msgid, e in live.items() if msgid not in words]
    assert not new and not gone, (f"figures.po is behind the pages ({len(new)} new, {len(gone)} gone); "
                                  f"{REFRESH}:\n" + "\n".join(new + gone))


def test_a_figure_word_has_one_translation_in_all_catalogues():
    """The catalogues are read together: a word in figures.po and another catalogue (``"epoch"``)
    must mean the same in both, or one of them would be shown in the figure's place."""
    figures = {e.msgid: e.msgstr for e in polib.pofile(str(FIGURES_PO)) if not e.obsolete}
    clashes = []
    for path in sorted(FIGURES_PO.parent.glob("*.po")):
        if path == FIGURES_PO:
            continue
        for e in polib.pofile(str(path)):
            if not e.obsolete and e.msgid in figures and e.msgstr and e.msgstr != figures[e.msgid]:
                clashes.append(f"  {e.msgid!r}: {path.name} {e.msgstr!r}, figures.po {figures[e.msgid]!r}")
    assert not clashes, "the same English word has two translations:\n" + "\n".join(clashes)


# ------------------------------------------------------------------ the extraction

PAGE = '''# A page

```{code-cell} ipython3
:tags: [hide-input]
%matplotlib inline
fig, ax = plt.subplots()
ax.set_title("Training error")
ax.plot(x, y, label="data")
ax.set(xlabel="input $x$", ylabel="$y$", title=f"{n} units")
ax.legend(["one", "two"], loc="upper left")
ax.text(0, 0, "round-off\\ndominates", ha="center")
ax.plot(x, y, label="fit" if k == 0 else None)
widgets.interact(f, w1=widgets.FloatSlider(description="w1"), name=["swish", "elu"],
                 k=widgets.IntSlider(description="hidden layers"))
slider_figure(draw, "gates", values, label="gates done in the backward pass")
slider_figure(draw, "η", values, label="learning rate η")
G.add(a, b, name="x+y")
```

Some prose with ax.set_title("not code").

```{code-cell} ipython3
ax.annotate("saddle point", xy=(0, 1))
ax.set_xlabel("epoch")
```
'''


def test_the_extraction_takes_the_figure_words_of_the_code_cells(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "ch99_probe.md").write_text(PAGE, encoding="utf-8")
    report: dict = {}
    found = i18n.extract_figures(book, report)
    words = {msgid: [f"{f}:{n}" for f, n in info["occurrences"]] for (_c, msgid), info in found.items()}
    assert words == {
        "Training error": ["book/ch99_probe.md:7"],
        "data": ["book/ch99_probe.md:8"],
        "input $x$": ["book/ch99_probe.md:9"],
        "one": ["book/ch99_probe.md:10"],
        "two": ["book/ch99_probe.md:10"],
        "round-off\ndominates": ["book/ch99_probe.md:11"],
        "fit": ["book/ch99_probe.md:12"],
        "hidden layers": ["book/ch99_probe.md:14"],
        "gates": ["book/ch99_probe.md:15"],
        "gates done in the backward pass": ["book/ch99_probe.md:15"],
        "learning rate η": ["book/ch99_probe.md:16"],
        "saddle point": ["book/ch99_probe.md:23"],
        "epoch": ["book/ch99_probe.md:24"],
    }, words
    # skipped: the f-string (counted), "$y$" (math only), "w1" and "η" (code words), "x+y" (a
    # formula), the options of name=[...], "upper left"/"center" (not figure words), the prose
    assert report["fstrings"] == 1 and report["fstring_places"] == ["book/ch99_probe.md:9"]
    assert report["pages"] == 1 and report["unparsed"] == []


@pytest.mark.parametrize("text, word", [
    ("data", True), ("hidden units $z_j$", True), ("f = (x + y)·y at x = 1.5", True),
    ("$E(\\mathbf{w})$", False), ("0.5", False), ("M", False), ("β", False), ("x₁", False),
    ("ŵ₁", False), ("w1_hat", False), ("float32", False), ("η = 1.5", False), ("x+y", False),
])
def test_what_counts_as_a_figure_word(text, word):
    assert i18n.is_figure_word(text) is word


def test_update_without_a_book_folder_leaves_figures_po_alone(tmp_path, capsys):
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, locales)
    path = locales / "zh_CN" / "LC_MESSAGES" / "figures.po"
    before = path.read_text(encoding="utf-8")
    report = i18n.update(locales=locales, book=tmp_path / "no-book")
    assert "no book/ folder" in capsys.readouterr().out
    assert path not in report and path.read_text(encoding="utf-8") == before


# ------------------------------------------------------------------ shown in a figure


def zh(msgid: str) -> str:
    with language("zh"):
        text = i18n.gettext(msgid)
    assert CJK.search(text), f"{msgid!r} has no Chinese translation in figures.po"
    return text


def page_figure():
    """A figure as a page draws it: words from figures.po, one text that has no translation."""
    fig, (ax, other) = plt.subplots(1, 2)
    ax.plot([0, 1], [1, 0], label="data")
    ax.plot([0, 1], [0.9, 0.1], label="fit")
    ax.set(title="Training error", xlabel="epoch", ylabel="mean cross-entropy")
    ax.legend(title="hidden units")
    ax.text(0.5, 0.5, "confidently wrong")
    ax.annotate("saddle point", xy=(0.2, 0.2), xytext=(0.4, 0.8), arrowprops={"arrowstyle": "->"})
    ax.set_xticks([0, 1], ["data", "fit"])              # tick labels stay as the page wrote them
    other.plot([0, 1], [0, 1])
    other.set_title("a title no catalogue has")
    fig.suptitle("Gradient per layer")
    return fig


def words(fig) -> dict:
    ax, other = fig.axes
    legend = ax.get_legend()
    return {"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
            "legend": [t.get_text() for t in legend.get_texts()], "legend title": legend.get_title().get_text(),
            "text": ax.texts[0].get_text(), "annotation": ax.texts[1].get_text(),
            "suptitle": fig._suptitle.get_text(), "ticks": [t.get_text() for t in ax.get_xticklabels()],
            "other": other.get_title()}


ENGLISH = {"title": "Training error", "xlabel": "epoch", "ylabel": "mean cross-entropy",
           "legend": ["data", "fit"], "legend title": "hidden units", "text": "confidently wrong",
           "annotation": "saddle point", "suptitle": "Gradient per layer", "ticks": ["data", "fit"],
           "other": "a title no catalogue has"}


@pytest.fixture
def shell():
    """The kernel's figure display, as ``use_style()`` sets it up (the inline backend's PNG)."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"})
        plotting._wrap_formatters(shell)
        yield shell
    finally:
        InteractiveShell.clear_instance()


def test_a_page_figure_shown_in_chinese_has_the_chinese_words(shell):
    fig = page_figure()
    with language("zh"):
        data, meta = shell.display_formatter.format(fig)
    assert data["image/png"]
    expected = {key: ([zh(w) for w in value] if isinstance(value, list) else zh(value))
                for key, value in ENGLISH.items() if key not in ("ticks", "other")}
    expected.update(ticks=["data", "fit"], other="a title no catalogue has")
    assert words(fig) == expected
    assert zh("Training error") in meta["image/png"]["alt"]      # the alt text is read off after


def test_a_page_figure_shown_in_english_keeps_the_english_words(shell):
    fig = page_figure()
    with language("en"):
        data, meta = shell.display_formatter.format(fig)
    assert data["image/png"] and words(fig) == ENGLISH
    assert not CJK.search(meta["image/png"]["alt"])


def test_a_slider_figure_shows_its_label_name_and_frames_in_the_reader_language():
    from nnbook.page.interactive import slider_figure

    def draw(k):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, k])
        ax.set(title="Training error", xlabel="epoch")
        return fig

    def make(lang):
        with language(lang):
            return slider_figure(draw, "gates", [0, 1], label="gates done in the backward pass")

    chinese, english = make("zh"), make("en")
    assert chinese.labels == (zh("gates done in the backward pass"),) and chinese.names == (zh("gates"),)
    assert f"{zh('gates')} = 0" in chinese.html and zh("Training error") in chinese.html   # readout, alt
    assert english.labels == ("gates done in the backward pass",) and english.names == ("gates",)
    assert not CJK.search(re.sub(r'src="data:[^"]*"', "", english.html))


def test_widgets_the_pages_make_show_their_description_in_the_readers_language():
    import ipywidgets as widgets

    from nnbook.i18n import language
    from nnbook.page.plotting import use_style

    use_style()
    with language("zh"):
        assert widgets.IntSlider(description="hidden layers").description == "隐含层数"
        assert widgets.IntSlider(description="no such word").description == "no such word"
    assert widgets.IntSlider(description="hidden layers").description == "hidden layers"
