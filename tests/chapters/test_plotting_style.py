"""The figure style (nnbook.page.plotting): a palette for colour-vision deficiency, and
alternative text for every figure a page shows."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.page import plotting as P  # noqa: E402

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}

# Machado, Oliveira and Fernandes (2009): full-severity dichromacy, in linear RGB.
DICHROMACY = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(rgb_linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb_linear, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 216 / 24389, np.cbrt(t), (24389 / 27 * t + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _closest_pair(colours, vision) -> float:
    """The smallest CIELAB distance (ΔE*ab) between two colours as a reader with ``vision`` sees them."""
    m = np.eye(3) if vision == "normal" else np.asarray(DICHROMACY[vision])
    labs = [_lab(m @ _linear(c)) for c in colours]
    return min(float(np.linalg.norm(a - b)) for a, b in itertools.combinations(labs, 2))


def test_the_palette_is_okabe_ito_in_the_module_and_in_the_style():
    assert {c.upper() for c in P.COLORS} == OKABE_ITO and len(P.COLORS) == 8
    with matplotlib.rc_context():
        P.use_style()
        cycle = [c.upper() if c.startswith("#") else "#" + c.upper()
                 for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]]
        assert cycle == [c.upper() for c in P.COLORS]
        assert matplotlib.rcParams["image.cmap"] == "viridis"


@pytest.mark.parametrize("vision", ["normal", "protanopia", "deuteranopia", "tritanopia"])
def test_every_two_colours_stay_apart_for_readers_with_colour_vision_deficiency(vision):
    # ΔE*ab above 15 is a clearly visible difference; matplotlib's default palette (tab10)
    # falls to 4.6 for protanopia (orange and green) and 7.3 for deuteranopia.
    assert _closest_pair(P.COLORS, vision) > 15
    tab10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    if vision in ("protanopia", "deuteranopia"):
        assert _closest_pair(tab10, vision) < 10          # the test tells the two apart


# ------------------------------------------------------------------ alternative text


def test_a_line_plot_is_described_by_its_title_axes_and_legend_with_mathtext_as_symbols():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0], label=r"$\eta = 0.1$")
    ax.plot([0, 1], [0, 1], label=r"$\eta = 1$")
    ax.set(xlabel="epoch", ylabel=r"error $E(\mathbf{w})$", title="Training", yscale="log")
    ax.legend()
    assert P.describe_figure(fig) == ("Line plot 'Training' of error E(w) against epoch (y axis logarithmic); "
                                      "legend: η = 0.1, η = 1.")
    plt.close(fig)


def test_panels_are_numbered_and_the_figure_title_comes_first():
    fig, (a, b) = plt.subplots(1, 2)
    a.scatter([0, 1], [1, 0])
    a.set_title(r"$w_{2}$ against $w_1$")
    b.bar([1, 2, 3], [3, 1, 2])
    b.set_title("costs")
    fig.suptitle("Two views")
    assert P.describe_figure(fig) == "Two views. 2 panels. 1: scatter plot 'w_2 against w_1'. 2: bar chart 'costs'."
    plt.close(fig)


def test_a_grid_of_images_is_summarised_with_its_titles():
    fig = plt.figure()
    P.image_grid(fig, np.zeros((6, 784)), ncols=3, titles=list("012345"))
    assert P.describe_figure(fig) == "Grid of 6 images titled 0, 1, 2, 3, 4, 5."
    plt.close(fig)


def test_text_given_with_set_alt_text_wins_and_an_empty_figure_has_none():
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    P.set_alt_text(ax, "A rising line from 0 to 1")
    assert P.alt_text(fig) == "A rising line from 0 to 1"
    empty = plt.figure()
    assert P.alt_text(empty) == ""
    plt.close("all")


def test_in_ipython_a_displayed_figure_carries_its_alt_text_in_the_output_metadata():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"})          # what the inline backend registers
        P._wrap_formatters(shell)
        P._wrap_formatters(shell)                      # twice: still one wrapper
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        ax.set(xlabel="x", ylabel="y")
        data, meta = shell.display_formatter.format(fig)
        assert data["image/png"] and meta["image/png"]["alt"] == "Line plot of y against x."
        P.set_alt_text(fig, "The identity on [0, 1]")
        assert shell.display_formatter.format(fig)[1]["image/png"]["alt"] == "The identity on [0, 1]"
        plt.close(fig)
    finally:
        InteractiveShell.clear_instance()
