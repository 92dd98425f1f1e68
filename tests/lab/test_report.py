"""nnbook.lab.report: the confusion matrix, the most confident mistakes and weight images."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnbook.lab import report
from nnbook.losses import softmax


def test_confusion_matrix_counts_every_true_predicted_pair():
    rng = np.random.default_rng(0)
    t = rng.integers(0, 4, 200)
    p = rng.integers(0, 4, 200)
    C = report.confusion_matrix(t, p, K=4)
    expected = np.zeros((4, 4), int)
    for ti, pi in zip(t, p):
        expected[ti, pi] += 1
    np.testing.assert_array_equal(C, expected)


def test_confusion_matrix_rows_sum_to_class_counts_and_trace_to_correct():
    rng = np.random.default_rng(1)
    t = rng.integers(0, 10, 500)
    p = np.where(rng.random(500) < 0.8, t, rng.integers(0, 10, 500))
    C = report.confusion_matrix(t, p, K=10)
    np.testing.assert_array_equal(C.sum(axis=1), np.bincount(t, minlength=10))
    assert np.trace(C) == np.count_nonzero(t == p)


def test_confusion_matrix_infers_K_and_rejects_bad_labels():
    assert report.confusion_matrix([0, 2], [1, 2]).shape == (3, 3)
    with pytest.raises(ValueError):
        report.confusion_matrix([0, 5], [0, 1], K=3)
    with pytest.raises(ValueError):
        report.confusion_matrix([0, 1], [0])


def test_class_error_percent_averages_to_the_overall_error_weighted_by_class_counts():
    rng = np.random.default_rng(2)
    t = rng.integers(0, 5, 300)
    p = np.where(rng.random(300) < 0.7, t, rng.integers(0, 5, 300))
    C = report.confusion_matrix(t, p, K=5)
    per_class = report.class_error_percent(C)
    counts = C.sum(axis=1)
    overall = 100.0 * np.count_nonzero(t != p) / len(t)
    assert np.isclose(np.sum(per_class * counts) / counts.sum(), overall)


def test_class_error_percent_is_nan_for_an_empty_class():
    C = np.array([[3, 1], [0, 0]])
    e = report.class_error_percent(C)
    assert e[0] == pytest.approx(25.0) and np.isnan(e[1])


def test_most_confident_wrong_returns_only_mistakes_by_decreasing_confidence():
    rng = np.random.default_rng(3)
    Y = softmax(rng.normal(0, 3, (400, 10)))
    t = rng.integers(0, 10, 400)
    idx = report.most_confident_wrong(Y, t, k=15)
    pred = Y.argmax(axis=1)
    assert len(idx) == 15 and np.all(pred[idx] != t[idx])
    conf = Y[idx, pred[idx]]
    assert np.all(np.diff(conf) <= 0)
    others = np.setdiff1d(np.flatnonzero(pred != t), idx)
    assert Y[others, pred[others]].max() <= conf.min()


def test_most_confident_wrong_returns_fewer_when_few_are_wrong():
    Y = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    t = np.array([0, 1, 1])
    np.testing.assert_array_equal(report.most_confident_wrong(Y, t, k=5), [2])


def test_weight_images_are_the_rows_of_W1_in_pixel_order():
    rng = np.random.default_rng(4)
    W1 = rng.standard_normal((7, 784))
    imgs = report.weight_images(W1, units=[5, 2])
    assert imgs.shape == (2, 28, 28)
    assert imgs[0, 3, 11] == W1[5, 3 * 28 + 11] and imgs[1, 27, 0] == W1[2, 27 * 28]
    assert report.weight_images(W1).shape == (7, 28, 28)
    with pytest.raises(ValueError):
        report.weight_images(W1[:, :100])


def test_plot_confusion_matrix_draws_a_K_by_K_labelled_heat_map():
    C = np.array([[50, 2, 0], [1, 40, 3], [0, 0, 60]])
    fig, ax = plt.subplots()
    im = report.plot_confusion_matrix(ax, C, labels=["a", "b", "c"])
    assert im.get_array().shape == (3, 3)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert sum(1 for t in ax.texts) == np.count_nonzero(C)
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    plt.close(fig)
