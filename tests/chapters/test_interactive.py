"""Tests of nnbook.page.interactive: slider figures that work on the static HTML page (no kernel) and live in a kernel."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

from nnbook.page import interactive as I  # noqa: E402

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


def readout(alt: str) -> str:
    """The "name = value" end of a frame's alt text (after what the figure shows)."""
    return alt.rsplit(". ", 1)[-1]


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
    visible = [readout(a["alt"]) for a in imgs if "visibility:visible" in a["style"]]
    assert visible == ["k = 0.5"]
    assert sum("visibility:hidden" in a["style"] for a in imgs) == 3


def test_initial_value_selects_the_nearest_frame_and_the_input_position():
    fig = I.slider_figure(draw_returning_figure, "k", [0.5, 1, 2, 4], initial=1.9)
    assert fig.initial == (2,)
    tags = Tags(fig.html)
    assert tags.all("input", type="range")[0]["value"] == "2"
    assert [readout(a["alt"]) for a in tags.all("img") if "visibility:visible" in a["style"]] == ["k = 2"]


def test_alt_text_says_what_the_figure_shows_then_name_equals_value_and_the_input_has_an_aria_label(one):
    tags = Tags(one.html)
    assert [a["alt"] for a in tags.all("img")] == [
        f"Line plot 'k = {k}'. k = {k}" for k in ("0.5", "1", "2", "4")]
    (slider,) = tags.all("input", type="range")
    assert slider["aria-label"] == "slope k"
    assert slider["aria-valuetext"] == "k = 0.5"         # read out instead of the index "0"
    assert "k = 0.5</output>" in one.html
    assert 'setAttribute("aria-valuetext"' in one.html   # and kept up to date when it moves


def test_alt_given_by_the_author_replaces_the_description():
    fig = I.slider_figure(draw_returning_figure, "k", [1, 2], alt=lambda k: f"tanh({k:g} x) over x")
    assert [a["alt"] for a in Tags(fig.html).all("img")] == ["tanh(1 x) over x. k = 1", "tanh(2 x) over x. k = 2"]
    fig = I.slider_figure(draw_line, "a", [1], alt="A straight line through the origin")
    assert [a["alt"] for a in Tags(fig.html).all("img")] == ["A straight line through the origin. a = 1"]


def test_two_parameter_figure_has_a_row_major_grid_of_frames_and_two_inputs(two):
    tags = Tags(two.html)
    assert two.shape == (3, 2)
    assert [readout(a["alt"]) for a in tags.all("img")] == [
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
from nnbook.page.interactive import slider_figure
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
    assert [readout(a["alt"]) for a in Tags(fig.html).all("img")] == ["h = relu", "h = tanh"]


def test_without_javascript_the_caption_lists_the_values_and_the_controls_are_hidden(one):
    tags = Tags(one.html)
    controls = [a for t, a in tags.tags if a.get("class") == "nnb-slider-controls"]
    assert len(controls) == 1 and "hidden" in controls[0]
    assert "Shown: k = 0.5." in one.html and "k = 0.5, 1, 2, 4." in one.html


def test_unknown_initial_value_is_rejected():
    with pytest.raises(ValueError, match="not one of its values"):
        I.slider_figure(lambda h: None, "h", ["relu", "tanh"], initial="elu")


# ------------------------------------------------------------------ the live widget (in a kernel)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class CountingDraw:
    """A draw function that counts its calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, k):
        self.calls.append(k)
        plt.plot(X, np.tanh(k * X))
        plt.ylim(-1.1, 1.1)


def parts(box):
    """(sliders, readouts, image) of a live widget."""
    rows, image = box.children[:-1], box.children[-1]
    return [r.children[0] for r in rows], [r.children[1] for r in rows], image


def test_live_widget_has_a_selection_slider_per_parameter_showing_the_initial_frame():
    fig = I.slider_figure2(draw_on_current_figure, ("a", "b"), [1, 2, 3], [-1, 0],
                           labels=("slope a", "offset b"), initial=(2, 0))
    sliders, readouts, image = parts(fig.widget())
    assert [s.description for s in sliders] == ["slope a", "offset b"]
    assert [s.options for s in sliders] == [(("1", 0), ("2", 1), ("3", 2)), (("-1", 0), ("0", 1))]
    assert [s.value for s in sliders] == [1, 1]
    assert [r.value for r in readouts] == ["a = 2", "b = 0"]
    assert image.format == "png" and image.value == fig.frames[1 * 2 + 1]


def test_moving_a_live_slider_shows_the_precomputed_frame_without_drawing_again():
    draw = CountingDraw()
    fig = I.slider_figure(draw, "k", [0.5, 1, 2, 4])
    assert len(draw.calls) == 4
    (slider,), (readout,), image = parts(fig.widget())
    assert slider.continuous_update            # every frame is ready: follow the drag
    for i in (3, 1, 2, 0):
        slider.value = i
        assert image.value == fig.frames[i] and readout.value == f"k = {fig.texts[0][i]}"
    assert len(draw.calls) == 4


def test_live_image_is_shown_at_the_pixel_width_of_its_frame_as_on_the_page():
    fig = I.slider_figure(draw_returning_figure, "k", [1, 2])
    _, _, image = parts(fig.widget())
    assert image.layout.width == f"{I._png_size(fig.frames[0])[0]}px" and image.layout.max_width == "100%"


def test_two_parameter_live_widget_picks_frames_in_row_major_order():
    fig = I.slider_figure2(draw_on_current_figure, ("a", "b"), [1, 2, 3], [-1, 0])
    (sa, sb), _, image = parts(fig.widget())
    for i in range(3):
        for j in range(2):
            sa.value, sb.value = i, j
            assert image.value == fig.frames[i * 2 + j]


def test_live_values_between_grid_points_are_drawn_once_when_first_shown():
    draw = CountingDraw()
    fig = I.slider_figure(draw, "k", [1, 2, 4], live_values=[1.5, 3])
    assert fig.live_values == ((1, 1.5, 2, 3, 4),) and fig.live_texts == (("1", "1.5", "2", "3", "4"),)
    assert draw.calls == [1, 2, 4]                   # nothing extra before the widget is used
    (slider,), (readout,), image = parts(fig.widget())
    assert not slider.continuous_update             # frames to draw: update on release
    slider.value = 1
    assert draw.calls[-1] == 1.5 and readout.value == "k = 1.5"
    assert image.value not in fig.frames
    new = image.value
    slider.value = 2
    assert image.value == fig.frames[1]
    slider.value = 1
    assert image.value == new and draw.calls == [1, 2, 4, 1.5]


def test_live_values_are_merged_in_the_order_of_the_values_without_duplicates():
    up = I.slider_figure(draw_line, "a", [0.1, 0.3], live_values=np.linspace(0.0, 0.4, 5))
    assert up.live_values == ((0.0, 0.1, 0.2, 0.3, 0.4),)          # 0.1 and 0.3 only once
    down = I.slider_figure(draw_line, "a", [3, 1], live_values=[2, 0])
    assert down.live_values == ((3, 2, 1, 0),) and down.live_initial() == (0,)


def test_live_values_need_numbers_and_sorted_values():
    with pytest.raises(ValueError, match="numeric"):
        I.slider_figure(draw_line, "h", ["relu", "tanh"], live_values=[1])
    with pytest.raises(ValueError, match="sorted"):
        I.slider_figure(draw_line, "a", [1, 3, 2], live_values=[1.5])
    with pytest.raises(ValueError, match="pair"):
        I.slider_figure2(draw_on_current_figure, ("a", "b"), [1], [0], live_values=[0.5])


def test_live_values_leave_the_static_html_and_frames_unchanged():
    plain = I.slider_figure(draw_returning_figure, "k", [1, 2])
    finer = I.slider_figure(draw_returning_figure, "k", [1, 2], live_values=[1.25, 1.5])
    assert finer.frames == plain.frames
    assert finer.html.replace(finer.element_id, "ID") == plain.html.replace(plain.element_id, "ID")


def test_outside_a_kernel_the_display_is_html_and_plain_text_only(one):
    from IPython.core.formatters import DisplayFormatter

    assert not I._in_kernel()
    data, _ = DisplayFormatter().format(one)
    assert set(data) == {"text/html", "text/plain"}


def test_in_a_kernel_the_display_adds_the_widget_view_and_keeps_the_same_html(monkeypatch):
    from IPython.core.formatters import DisplayFormatter

    fig = I.slider_figure(draw_returning_figure, "k", [1, 2, 3])
    monkeypatch.setattr(I, "_in_kernel", lambda: True)
    data, _ = DisplayFormatter().format(fig)
    assert set(data) == {"text/html", "text/plain", WIDGET_VIEW}
    assert data["text/html"] == fig.html
    assert data[WIDGET_VIEW]["model_id"] == fig.widget().model_id
    again, _ = DisplayFormatter().format(fig)       # a second display shows the same widget
    assert again[WIDGET_VIEW] == data[WIDGET_VIEW]
    assert WIDGET_VIEW not in fig._repr_mimebundle_(exclude={WIDGET_VIEW})


def test_a_closed_live_widget_is_replaced_by_a_new_one_on_the_next_display(monkeypatch):
    fig = I.slider_figure(draw_returning_figure, "k", [1, 2])
    monkeypatch.setattr(I, "_in_kernel", lambda: True)
    first = fig.widget()
    first.close()
    bundle = fig._repr_mimebundle_()
    assert fig.widget() is not first and bundle[WIDGET_VIEW]["model_id"] == fig.widget().model_id


def test_book_html_prefers_the_slider_html_but_still_renders_plain_widgets_as_widgets():
    from myst_nb.core.render import get_mime_priority

    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "_config.yml").read_text(encoding="utf-8"))
    overrides = config["sphinx"]["config"]["nb_mime_priority_overrides"]

    def chosen(builder, bundle):
        return next(m for m in get_mime_priority(builder, overrides) if m in bundle)

    for builder in ("html", "dirhtml", "singlehtml"):
        assert chosen(builder, {"text/html", "text/plain", WIDGET_VIEW}) == "text/html"
        assert chosen(builder, {"text/plain", WIDGET_VIEW}) == WIDGET_VIEW
        assert chosen(builder, {"image/png", "text/plain", WIDGET_VIEW}) == WIDGET_VIEW
        assert chosen(builder, {"text/html", "image/png", "text/plain"}) == "text/html"
    assert chosen("latex", {"text/html", "text/plain", WIDGET_VIEW}) == "text/plain"


def test_live_widget_of_values_that_numpy_cannot_compare_keeps_the_initial_position():
    points = [np.array([0.0, 1.0]), np.array([2.0, 3.0]), np.array([0.0, 1.0])]   # arrays, one repeated
    fig = I.slider_figure(lambda p: draw_on_current_figure(*p), "p", points,
                          fmt=lambda p: f"({p[0]:g}, {p[1]:g})")
    (slider,), _, image = parts(fig.widget())
    assert slider.continuous_update and fig.live_initial() == (0,)
    slider.value = 2
    assert image.value == fig.frames[2]
