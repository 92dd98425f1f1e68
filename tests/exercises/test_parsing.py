"""Typed answers are read safely: numbers, fractions, vectors and matrices."""

import math

import numpy as np
import pytest

from nnbook.exercises.parsing import AnswerParseError, parse_value


@pytest.mark.parametrize(
    "text, expected",
    [("0.25", 0.25), ("1/4", 0.25), (" -2e-3 ", -0.002), ("2**-2", 0.25), ("pi/2", math.pi / 2)],
)
def test_numbers(text, expected):
    assert parse_value(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1, 2", [1, 2]),
        ("[1, 2; 3, 4]", [[1, 2], [3, 4]]),
        ("1 2; 3 4", [[1, 2], [3, 4]]),
        ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
        ("[1/2, 1/4]", [0.5, 0.25]),
        ("1 2 3", [1, 2, 3]),
    ],
)
def test_arrays(text, expected):
    assert np.array_equal(parse_value(text), np.array(expected, dtype=float))


@pytest.mark.parametrize("text", ["", "abc", "__import__('os')", "[1, 2; 3]", "1/0", "[[1], [2, 3]]", "2**99999"])
def test_bad_text_raises_a_clear_error(text):
    with pytest.raises(AnswerParseError):
        parse_value(text)
