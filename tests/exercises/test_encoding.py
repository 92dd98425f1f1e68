"""Encoded answers round-trip, are opaque, and hashed answers match only the right value."""

import math

import numpy as np
import pytest

from nnbook.exercises import decode, encode
from nnbook.exercises.__main__ import main as cli
from nnbook.page.encoding import is_encoded, is_hashed, matches_hash


@pytest.mark.parametrize(
    "value",
    [0.25, -3, 7, True, "tanh", [1, 2.5], (1, "a"), {0, 2}, {"eta": 0.1, "hidden": 3}, math.inf, -math.inf],
)
def test_encode_decode_round_trip(value):
    s = encode(value)
    assert is_encoded(s)
    assert decode(s) == value


def test_arrays_keep_shape_dtype_and_nan():
    a = np.array([[1.0, np.nan], [np.inf, -2.5]])
    b = decode(encode(a))
    assert b.shape == (2, 2) and b.dtype == np.float64
    assert np.array_equal(a, b, equal_nan=True)
    ints = decode(encode(np.arange(6).reshape(2, 3)))
    assert ints.dtype.kind == "i" and ints.shape == (2, 3)


def test_encoded_answer_is_not_readable():
    s = encode(0.123456789)
    assert "0.123" not in s and "123456789" not in s
    s = encode({0, 2})
    assert "[0,2]" not in s and "__set__" not in s


def test_same_value_encodes_differently_each_time_and_old_strings_decode():
    assert encode(0) != encode(0)
    assert decode(encode(0)) == decode(encode(0)) == 0
    assert decode("nnb1:bo70Ddio34mP") == 0  # the first format, without a nonce


def test_decode_rejects_garbage_and_hashes():
    with pytest.raises(ValueError):
        decode("0.25")
    with pytest.raises(ValueError):
        decode("nnb2:AAAAAAAAAAAA")
    with pytest.raises(ValueError):
        decode(encode(0.25, hashed=True))


def test_hashed_answer_matches_to_the_given_digits():
    h = encode(0.25, hashed=True, digits=4)
    assert is_hashed(h) and "0.25" not in h
    assert matches_hash(0.25, h)
    assert matches_hash(0.250001, h)
    assert not matches_hash(0.251, h)
    assert not matches_hash("abc", h)
    assert matches_hash([1, 2], encode(np.array([1.0, 2.0]), hashed=True))


def test_cli_encode_and_decode(capsys):
    assert cli(["encode", "0.25"]) == 0
    s = capsys.readouterr().out.strip()
    assert decode(s) == 0.25
    assert cli(["encode", "[1, 2; 3, 4]"]) == 0
    assert np.array_equal(decode(capsys.readouterr().out.strip()), [[1, 2], [3, 4]])
    assert cli(["encode", "--choice", "0", "2"]) == 0
    assert decode(capsys.readouterr().out.strip()) == {0, 2}
    assert cli(["encode", "--hash", "--digits", "3", "0.25"]) == 0
    assert capsys.readouterr().out.startswith("nnbh1:3:")
    assert cli(["decode", s]) == 0
    assert capsys.readouterr().out.strip() == "0.25"
