"""The IDX reader on tiny handmade files: header, big-endian sizes, gzip, and its errors."""

import gzip

import numpy as np
import pytest

from nnbook.data.idx import IDXError, idx_bytes, read_idx, write_idx


def test_reads_a_handmade_label_file_with_magic_2049():
    raw = bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big") + bytes([7, 0, 9])
    assert int.from_bytes(raw[:4], "big") == 2049
    t = read_idx(raw, expected_magic=2049)
    assert t.dtype == np.uint8 and t.tolist() == [7, 0, 9]


def test_reads_a_handmade_gzipped_image_file_with_magic_2051(tmp_path):
    pixels = bytes(range(12))
    raw = bytes([0, 0, 0x08, 3]) + b"".join(n.to_bytes(4, "big") for n in (2, 2, 3)) + pixels
    assert int.from_bytes(raw[:4], "big") == 2051
    path = tmp_path / "tiny-images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(raw))
    X = read_idx(path, expected_magic=2051)
    assert X.shape == (2, 2, 3)
    np.testing.assert_array_equal(X, np.arange(12, dtype=np.uint8).reshape(2, 2, 3))


def test_big_endian_sizes_above_255_are_decoded():
    raw = bytes([0, 0, 0x08, 1]) + (300).to_bytes(4, "big") + bytes(300)
    assert read_idx(raw).shape == (300,)


def test_multibyte_types_are_big_endian_and_round_trip(tmp_path):
    a = np.array([[1, -2, 3000], [-32768, 0, 32767]], dtype=np.int16)
    raw = idx_bytes(a)
    assert raw[:4] == bytes([0, 0, 0x0B, 2]) and raw[-2:] == (32767).to_bytes(2, "big")
    for dt in (np.int16, np.int32, np.float32, np.float64, np.uint8, np.int8):
        b = a.astype(dt) if dt not in (np.uint8, np.int8) else np.array([[1, 2], [3, 4]], dt)
        path = write_idx(tmp_path / f"x-{np.dtype(dt).name}.gz", b)
        got = read_idx(path)
        assert got.dtype == np.dtype(dt) and got.dtype.isnative
        np.testing.assert_array_equal(got, b)


def test_bad_magic_number_is_rejected_with_message():
    raw = bytes([0, 0, 0x08, 3]) + b"".join(n.to_bytes(4, "big") for n in (1, 1, 1)) + b"\x00"
    with pytest.raises(IDXError, match=r"bad magic number 2051.*expected 2049"):
        read_idx(raw, expected_magic=2049)
    with pytest.raises(IDXError, match="bad magic number"):
        read_idx(b"\x12\x34\x08\x01" + bytes(5))


def test_truncated_data_is_rejected_with_message():
    raw = bytes([0, 0, 0x08, 1]) + (10).to_bytes(4, "big") + bytes(4)
    with pytest.raises(IDXError, match="truncated IDX file"):
        read_idx(raw)
    with pytest.raises(IDXError, match="truncated IDX header"):
        read_idx(bytes([0, 0, 0x08, 3, 0, 0]))
    with pytest.raises(IDXError, match="truncated"):
        read_idx(b"\x00\x00")


def test_truncated_gzip_is_rejected_with_message():
    raw = gzip.compress(bytes([0, 0, 0x08, 1]) + (1000).to_bytes(4, "big") + bytes(range(256)) * 4)
    with pytest.raises(IDXError, match="gzip"):
        read_idx(raw[: len(raw) // 2])


def test_trailing_bytes_are_rejected():
    raw = bytes([0, 0, 0x08, 1]) + (2).to_bytes(4, "big") + bytes(3)
    with pytest.raises(IDXError, match="trailing"):
        read_idx(raw)
