"""What the package draws and renders on a page speaks the reader's language.

Under ``language("zh")`` the figures the package draws (titles, axis labels, legends, texts),
the slider figures' HTML (caption, alternative texts) and the tables it renders (glossary,
computational-graph table, derivative table) are Chinese; under English they contain no
Chinese at all. Chinese text is drawn with the CJK font of ``nnbook.page.plotting.CJK_FONTS``
(behind the book's Latin font) without a single "Glyph ... missing" warning, also where it
mixes with mathtext; the English figures are exactly as they were without the CJK fallback.
"""

import io
import logging
import re
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nnbook.i18n import language  # noqa: E402
from nnbook.page import plotting  # noqa: E402

CJK = re.compile(r"[\u3400-\u9fff]")
LANGS = ["en", "zh"]


def figure_texts(fig):
    """Every text drawn in a figure: titles, axis labels, legend entries, annotations."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def has_chinese(texts):
    return any(CJK.search(t) for t in texts)


def draw_graph():
    from nnbook.graph import LECTURE_INPUTS, sigmoid_neuron

    g = sigmoid_neuron()
    g.forward(**LECTURE_INPUTS)
    g.backward()
    return g.draw().figure, g


def draw_lecture002():
    from nnbook.backprop_steps import draw_lecture002_network

    return draw_lecture002_network(deltas=([0.01, -0.02, 0.003], [-0.1, 0.05]), focus=2)[0].figure


def draw_confusion():
    from nnbook.lab.report import plot_confusion_matrix

    fig, ax = plt.subplots()
    plot_confusion_matrix(ax, np.array([[5, 1], [2, 7]]))
    return fig


def draw_curves():
    fig, ax = plotting.new_figure()
    plotting.plot_curves(ax, {"train": [3.0, 2.0, 1.0], "test": [3.5, 2.5, 2.0]}, ylabel="$E$")
    return fig


FIGURES = {"graph": lambda: draw_graph()[0], "lecture002": draw_lecture002, "confusion": draw_confusion,
           "curves": draw_curves}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_the_package_figures_speak_the_reader_language(name):
    with language("zh"):
        plotting.use_style()
        zh = figure_texts(FIGURES[name]())
    with language("en"):
        en = figure_texts(FIGURES[name]())
    assert has_chinese(zh), f"{name}: no Chinese text under language('zh'): {zh}"
    assert not has_chinese(en), f"{name}: Chinese text in the English figure: {[t for t in en if CJK.search(t)]}"


def test_the_words_of_a_figure_are_chinese_and_the_formulas_unchanged():
    with language("zh"):
        fig = draw_lecture002()
        zh_title = fig.axes[0].get_title()
        legend = [t.get_text() for t in draw_graph()[0].axes[0].get_legend().get_texts()]
        confusion = draw_confusion().axes[0]
    assert zh_title.startswith("前向：$z_i^{(l)} = ")
    assert legend == ["值（前向）", "梯度 ∂f/∂·（反向）"]
    assert (confusion.get_xlabel(), confusion.get_ylabel(), confusion.get_title()) == ("预测类别", "真实类别", "混淆矩阵")


@pytest.fixture
def cjk_font():
    font = plotting.cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (fc-list :lang=zh); .ci/run installs WenQuanYi Zen Hei")
    return font


def render(fig) -> bytes:
    buf = io.BytesIO()
    plotting.fit_cjk_text(fig)
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_chinese_figures_render_without_missing_glyphs(name, cjk_font, caplog):
    with language("zh"):
        plotting.use_style()
        assert cjk_font in matplotlib.rcParams["font.family"]
        with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.INFO, logger="matplotlib"):
            warnings.simplefilter("always")
            render(FIGURES[name]())
            for fmt in ("svg", "pdf"):
                plotting.fit_cjk_text(FIGURES[name]()).savefig(io.BytesIO(), format=fmt)
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message) or "font" in str(w.message).lower()]
    assert not glyphs, glyphs
    logged = [r.getMessage() for r in caplog.records
              if r.levelno >= logging.WARNING and r.name.startswith("matplotlib")]
    assert not logged, logged


def test_chinese_mixed_with_mathtext_is_drawn_with_the_cjk_font(cjk_font, caplog):
    plotting.use_style()
    fig, ax = plt.subplots()
    ax.set_title("训练误差 $E(w_{ji}^{(l)})$")
    ax.set_xlabel("epoch $t$")
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("always")
        render(fig)
    assert ax.title.get_fontfamily()[0] == cjk_font                   # the words: the CJK font
    assert ax.xaxis.label.get_fontfamily()[0] != cjk_font             # English text: untouched
    assert not [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]


def test_english_figures_are_the_same_with_the_cjk_fallback(cjk_font):
    """The fallback font changes no pixel of a figure without Chinese text."""
    def english():
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.plot([1, 2, 3], [3, 1, 2], label="train")
        ax.set_title("Training error $E$ against epoch $\\tau$")
        ax.set_xlabel("epoch")
        ax.legend()
        return render(fig)

    plotting.use_style()
    with_fallback = english()
    family = [f for f in matplotlib.rcParams["font.family"] if f != cjk_font]
    with matplotlib.rc_context({"font.family": family}):
        without = english()
    assert with_fallback == without


def test_no_cjk_font_means_no_fallback_and_no_warning(monkeypatch, caplog):
    monkeypatch.setattr(plotting, "CJK_FONTS", ("No Such Font CJK",))
    with matplotlib.rc_context(), caplog.at_level(logging.WARNING, logger="matplotlib"):
        plotting.use_style()
        assert "No Such Font CJK" not in matplotlib.rcParams["font.family"]
        render(draw_curves())
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]


def slider(lang):
    from nnbook.page.interactive import slider_figure

    def draw(eta):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, eta])
        plotting.plot_curves(ax, {"E": [1.0, 0.5, 0.2]})
        return fig

    with language(lang):
        return slider_figure(draw, "η", [0.1, 0.2], label="η")


def test_slider_figures_speak_the_reader_language():
    zh, en = slider("zh").html, slider("en").html
    assert "当前显示：η = 0.1。此图的交互版本" in zh
    assert 'alt="折线图，坐标轴：大周期。η = 0.1"' in zh, re.findall(r'alt="[^"]*"', zh)
    assert "Shown: η = 0.1. The interactive version" in en
    assert 'alt="Line plot over epoch. η = 0.1"' in en
    text = re.sub(r'src="data:[^"]*"', "", en)
    assert not CJK.search(text)


def test_figure_descriptions_speak_the_reader_language():
    fig, axes = plt.subplots(1, 2)
    axes[0].plot([1, 2], [3, 4], label="a")
    axes[0].plot([1, 2], [4, 3], label="b")
    axes[0].legend()
    axes[0].set_yscale("log")
    axes[1].scatter([1, 2], [1, 2])
    fig.suptitle("Errors")
    with language("zh"):
        zh = plotting.describe_figure(fig)
    en = plotting.describe_figure(fig)
    assert en == ("Errors. 2 panels. 1: line plot (y axis logarithmic); legend: a, b. 2: scatter plot.")
    assert zh == "Errors。共 2 个子图。1：折线图 (y 轴为对数坐标)；图例：a，b。2：散点图。"


def test_tables_the_package_renders_speak_the_reader_language():
    from nnbook.page.glossary import glossary_markdown
    from nnbook.symbolic.deltas import softmax_ce_delta_case_k_eq_j
    from nnbook.symbolic.table import derivative_table_markdown

    g = draw_graph()[1]
    with language("zh"):
        assert glossary_markdown().splitlines()[0] == "| 英文 | 中文 | 首次出现 |"
        assert g.table().splitlines()[0].startswith("| 边 | 值（前向） |")
        assert derivative_table_markdown(names=("relu",)).splitlines()[0].startswith("| 激活函数 | 讲义名称 |")
        zh_derivation = softmax_ce_delta_case_k_eq_j(K=3, j=1).markdown()
    assert glossary_markdown().splitlines()[0] == "| English | 中文 | introduced in |"
    assert g.table().splitlines()[0].startswith("| edge | value (forward) |")
    en_derivation = softmax_ce_delta_case_k_eq_j(K=3, j=1).markdown()
    assert zh_derivation.startswith("**MNIST 实验讲义，k = j 的情形（K = 3）**") and "独热目标" in zh_derivation
    assert en_derivation.startswith("**The MNIST-lab lecture, case k = j (K = 3)**") and not CJK.search(en_derivation)
