"""Tests of nnbook.neuron: the McCulloch–Pitts threshold unit (chapter 2)."""

import numpy as np
import pytest

from nnbook.neuron import GATES, MPNeuron, heaviside, logic_gate, mcculloch_pitts, search_threshold_unit, truth_table


def test_heaviside_fires_when_the_threshold_is_reached():
    assert np.array_equal(heaviside([-1.0, 0.0, 2.0]), [0.0, 1.0, 1.0])
    assert heaviside(0.0, at_zero=0.5) == 0.5


def test_mp_neuron_is_a_step_of_the_weighted_sum_minus_threshold():
    rng = np.random.default_rng(0)
    w, theta = rng.standard_normal(4), 0.3
    X = rng.standard_normal((50, 4))
    unit = MPNeuron(w, theta)
    assert np.array_equal(unit(X), (X @ w - theta >= 0).astype(int))
    assert np.allclose(unit.net_input(X), X @ w + unit.b)


@pytest.mark.parametrize("gate", ["and", "or", "nand", "nor"])
def test_logic_gates_reproduce_their_truth_tables(gate):
    assert np.array_equal(logic_gate(gate)(truth_table(2)), GATES[gate])


def test_and_gate_of_three_inputs_needs_all_three():
    assert np.array_equal(logic_gate("and", 3)(truth_table(3)), [0] * 7 + [1])


def test_not_gate_is_one_inhibitory_input():
    unit = logic_gate("not")
    assert unit.w[0] < 0 and np.array_equal(unit([[0], [1]]), [1, 0])


def test_no_small_integer_threshold_unit_computes_xor_but_one_computes_and():
    X = truth_table(2)
    assert search_threshold_unit(X, GATES["xor"]) is None
    found = search_threshold_unit(X, GATES["and"])
    assert found is not None and np.array_equal(found(X), GATES["and"])
    with pytest.raises(ValueError, match="XOR"):
        logic_gate("xor")


def test_absolute_inhibition_silences_the_original_1943_unit():
    E = [[1, 1], [1, 1], [1, 0]]
    I = [[0], [1], [0]]
    assert np.array_equal(mcculloch_pitts(E, I, theta=2), [1, 0, 0])
    assert np.array_equal(mcculloch_pitts(E, np.zeros((3, 0)), theta=1), [1, 1, 1])


def test_wrong_input_width_is_rejected():
    with pytest.raises(ValueError, match="shape"):
        MPNeuron([1, 1], 1)(np.zeros((3, 3)))
