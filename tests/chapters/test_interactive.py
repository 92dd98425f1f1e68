"""Tests of nnbook.interactive: slider figures that work on the static HTML page (no kernel)."""

import re
import subprocess
import sys
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook import interactive as I  # noqa: E402

X = np.linspace(-3.0, 3.0, 40)


def draw_returning_figure(k):
    fig, ax = plt.subplots(figsize=(3.0, 2.0))
    ax.plot(X, np.tanh(k * X))
    ax.set_title(f"k = {k:g}")
    return fig


def draw_line(a):
    """Draws on the current figure and returns None."""
    plt.plot(X, np.abs(X) if isinstance(a, str) else a * X)


def draw_on_current_figure(a, b):
    plt.plot(X, a * X + b)
    plt.ylim(-10, 10)


class Tags(HTMLParser):
    """Every start tag of a snippet as (tag, attributes)."""

    def __init__(self, text):
        super().__init__()
        self.tags = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag, **match):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in match.items())]


@pytest.fixture(scope="module")
def one():
    return I.slider_figure(draw_returning_figure, "k", [0.5, 1, 2, 4], label="slope k")


@pytest.fixture(scope="module")
def two():
    return I.slider_figure2(draw_on_current_figure, ("a", "b"), [1, 2, 3], [-1, 0])


def test_html_has_one_img_per_frame_as_png_data_uri(one):
    imgs = Tags(one.html).all("img")
    assert len(imgs) == len(one.frames) == 4
    assert all(a["src"].startswith("data:image/png;base64,") for a in imgs)


def test_one_range_input_from_zero_to_last_value_index(one):
    ranges = Tags(one.html).all("input", type="range")
    assert len(ranges) == 1
    assert (ranges[0]["min"], ranges[0]["max"], ranges[0]["step"]) == ("0", "3", "1")


def test_only_the_initial_frame_is_visible(one):
    imgs = Tags(one.html).all("img")
    visible = [a["alt"] for a in imgs if "visibility:visible" in a["style"]]
    assert visible == ["k = 0.5"]
    assert sum("visibility:hidden" in a["style"] for a in imgs) == 3


def test_initial_value_selects_the_nearest_frame_and_the_input_position():
    fig = I.slider_figure(draw_returning_figure, "k", [0.5, 1, 2, 4], initial=1.9)
    assert fig.initial == (2,)
    tags = Tags(fig.html)
    assert tags.all("input", type="range")[0]["value"] == "2"
    assert [a["alt"] for a in tags.all("img") if "visibility:visible" in a["style"]] == ["k = 2"]


def test_alt_text_is_name_equals_value_and_the_input_has_an_aria_label(one):
    tags = Tags(one.html)
    assert [a["alt"] for a in tags.all("img")] == ["k = 0.5", "k = 1", "k = 2", "k = 4"]
    assert tags.all("input", type="range")[0]["aria-label"] == "slope k"
    assert "k = 0.5</output>" in one.html


def test_two_parameter_figure_has_a_row_major_grid_of_frames_and_two_inputs(two):
    tags = Tags(two.html)
    assert two.shape == (3, 2)
    assert [a["alt"] for a in tags.all("img")] == [
        "a = 1, b = -1", "a = 1, b = 0", "a = 2, b = -1", "a = 2, b = 0", "a = 3, b = -1", "a = 3, b = 0"]
    ranges = tags.all("input", type="range")
    assert [(r["min"], r["max"]) for r in ranges] == [("0", "2"), ("0", "1")]


def test_element_ids_are_unique_within_and_across_calls_even_for_identical_figures():
    f1 = I.slider_figure(draw_returning_figure, "k", [1, 2])
    f2 = I.slider_figure(draw_returning_figure, "k", [1, 2])
    g = I.slider_figure2(draw_on_current_figure, ("a", "b"), [1, 2], [0, 1])
    ids = [a["id"] for f in (f1, f2, g) for _, a in Tags(f.html).tags if "id" in a]
    assert len(ids) == len(set(ids)) == 7          # three roots and four range inputs
    assert f1.element_id != f2.element_id
    assert f1.frames == f2.frames


def test_no_external_script_or_resource_is_referenced(one, two):
    for fig in (one, two):
        tags = Tags(fig.html)
        assert all("src" not in a for a in tags.all("script"))
        assert len(tags.all("script")) == 1
        assert all(a["src"].startswith("data:") for _, a in tags.tags if "src" in a)
        text = re.sub(r'src="data:image/png;base64,[A-Za-z0-9+/=]*"', "", fig.html)
        assert "http" not in text and "//" not in text and "url(" not in text and "<link" not in text


def test_text_plain_repr_is_short_and_html_is_the_rich_repr(one):
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(one)
    assert data["text/html"] == one.html
    assert len(data["text/plain"]) < 120 and "base64" not in data["text/plain"]
    assert repr(one).startswith("<SliderFigure k (4 values): 4 frames")


def test_frames_are_the_same_bytes_on_two_calls_and_carry_no_software_metadata():
    f1 = I.slider_figure(draw_returning_figure, "k", [1, 3])
    f2 = I.slider_figure(draw_returning_figure, "k", [1, 3])
    assert f1.frames == f2.frames
    assert all(b"Software" not in png and b"matplotlib" not in png for png in f1.frames)
    assert f1.html.replace(f1.element_id, "ID") == f2.html.replace(f2.element_id, "ID")


SCRIPT = """
import matplotlib; matplotlib.use("Agg")
import hashlib, matplotlib.pyplot as plt, numpy as np
from nnbook.interactive import slider_figure
def draw(k):
    plt.plot(np.linspace(0, 1, 20) ** k)
print(hashlib.sha256(slider_figure(draw, "k", [1, 2, 3]).html.encode()).hexdigest())
"""


def test_html_is_byte_identical_when_a_page_is_executed_afresh():
    runs = [subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs[0] == runs[1] and len(runs[0].strip()) == 64


def test_max_bytes_raises_a_value_error_that_says_what_to_change():
    with pytest.raises(ValueError, match=r"max_bytes=1000\).*fewer values.*max_bytes=None"):
        I.slider_figure(draw_returning_figure, "k", [1, 2, 3], max_bytes=1000)
    fig = I.slider_figure(draw_returning_figure, "k", [1, 2], max_bytes=None)
    assert fig.nbytes > 1000


def test_too_many_frames_are_refused_before_drawing():
    calls = []
    with pytest.raises(ValueError, match="70 frames"):
        I.slider_figure2(lambda a, b: calls.append((a, b)), ("a", "b"), range(10), range(7))
    assert calls == []


def test_every_figure_made_while_drawing_is_closed(one):
    before = plt.get_fignums()
    I.slider_figure(draw_returning_figure, "k", [1, 2])
    I.slider_figure2(draw_on_current_figure, ("a", "b"), [1], [0, 1])
    assert plt.get_fignums() == before


def test_figures_are_closed_even_when_draw_fails():
    before = plt.get_fignums()

    def broken(k):
        plt.plot([0, 1])
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        I.slider_figure(broken, "k", [1])
    assert plt.get_fignums() == before


def test_draw_returning_something_else_than_a_figure_is_rejected():
    with pytest.raises(TypeError, match="return a matplotlib Figure or None"):
        I.slider_figure(lambda k: 42, "k", [1])


def test_width_resizes_frames_and_default_frames_are_about_500_px_wide():
    plain = I.slider_figure(draw_line, "a", [1])
    small = I.slider_figure(draw_line, "a", [1], width=2.5)
    w_plain, _ = I._png_size(plain.frames[0])
    w_small, _ = I._png_size(small.frames[0])
    assert 440 <= w_plain <= 520          # 5.5 in at 90 dpi, minus the tight bounding box
    assert w_small < 0.6 * w_plain


def test_values_that_do_not_fit_the_format_are_shown_with_str():
    fig = I.slider_figure(draw_line, "h", ["relu", "tanh"])
    assert [a["alt"] for a in Tags(fig.html).all("img")] == ["h = relu", "h = tanh"]


def test_without_javascript_the_caption_lists_the_values_and_the_controls_are_hidden(one):
    tags = Tags(one.html)
    controls = [a for t, a in tags.tags if a.get("class") == "nnb-slider-controls"]
    assert len(controls) == 1 and "hidden" in controls[0]
    assert "Shown: k = 0.5." in one.html and "k = 0.5, 1, 2, 4." in one.html


def test_unknown_initial_value_is_rejected():
    with pytest.raises(ValueError, match="not one of its values"):
        I.slider_figure(lambda h: None, "h", ["relu", "tanh"], initial="elu")
