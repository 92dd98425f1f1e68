"""What each Hessian method costs, counted in multiply-adds (the Nankai lecture; chapter 16).

The Nankai lecture states the cost of every method as a power of the number of weights W:
second differences of E O(W³), differences of the backprop gradient O(W²), the diagonal
approximation O(W), one product vᵀH O(W) and the whole H from the W unit vectors O(W²).
Those are counts of operations, not times (chapter 13 shows why a clock hides them on small
networks), so :func:`operation_counts` counts them, with the convention of
:func:`nnbook.diagnostics.operation_counts`: a pass costs one multiply-add per weight of
every sum it forms (and one add per bias); work per *unit* (activation functions and their
derivatives) is not counted, since the weights far outnumber the units.
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["operation_counts", "COUNTED_METHODS"]

#: The keys of :func:`operation_counts` that are methods (``"W"`` is the size).
COUNTED_METHODS = ("fd_error", "fd_gradient", "r_whole", "exact", "outer_product", "woodbury",
                   "diagonal", "r_product", "gradient")


def operation_counts(sizes: Sequence[int], N: int = 1) -> dict:
    """Multiply-adds of every Hessian method of chapter 16 for one network and N samples.

    Notation for a network ``sizes = [n_0, n_1, ..., n_L]`` (D = n_0 inputs, K = n_L outputs):

    * C = Σ_l n_l n_(l-1) connections, B = Σ_l n_l biases, W = C + B parameters;
    * P = Σ_(l≥2) n_l n_(l-1), the weights that send δ back (the first layer sends nothing);
    * C_1 = n_1 n_0, the first layer's connections.

    Per sample:

    =================  =============================================================================
    forward pass       W: a_j = Σ_i w_ji z_i + b_j
    δ pass             P: δ_j = h'(a_j) Σ_k w_kj δ_k
    gradient           forward + δ + W (the products δ_j z_i, and δ_j for a bias) = 2W + P
    R-forward pass     2C − C_1 + B: R{a_j} = Σ_i w_ji R{z_i} + Σ_i v_ji z_i + c_j, R{x_i} = 0
    R-backward pass    2P: Σ_k v_kj δ_k and Σ_k w_kj R{δ_k}; Σ_k w_kj δ_k is the δ pass's
    R-products         2C − C_1 + B: R{δ_j} z_i + δ_j R{z_i}, R{z_i} = 0 for the inputs
    diagonal pass      P for Σ_k w_kj² ∂²E_n/∂a_k² (the h'' term reuses Σ_k w_kj δ_k), then
                       C + B for the entries ∂²E_n/∂a_j² z_i² (w² is formed once, P in all;
                       z² is work per unit)
    b_nk vectors       per output k: P for the Jacobian recursion and W for (∂a_k/∂a_j) z_i
    =================  =============================================================================

    and per method, for N samples:

    =================  =============================================================================
    ``fd_error``       (2W² + 1) N W: E(w) once, 2 evaluations per diagonal entry, 4 per pair
    ``fd_gradient``    2W · N(2W + P): two backprop gradients per column
    ``r_product``      N(W + P + R-forward + R-backward + R-products): one vᵀH
    ``r_whole``        N(W + P) + W · N(R-forward + R-backward + R-products): the forward and δ
                       passes once, then one R-pass per unit vector
    ``exact``          N(W + P + 2W² + K²M + KM²) with M = n_1 hidden units, two-layer networks
                       only: every entry a product of two per-sample factors, and the factors
                       Q_jj' = Σ_kk' w_kj M_kk' w_k'j'  (K²M + KM²)
    ``outer_product``  N(W + K(P + W) + K W²): the vectors b_nk, then Σ b bᵀ over N K terms
    ``woodbury``       N(W + K(P + W)) + N K (2W² + W): per term H⁻¹b (W²), bᵀH⁻¹b (W) and the
                       rank-one update (W²)
    ``diagonal``       N(W + P + P + C + B) + P
    ``gradient``       N(2W + P), for comparison
    =================  =============================================================================

    The numbers of passes in this table (2W² + 1 evaluations of E, 2W gradients, W R-passes, N K
    Woodbury updates) are what the package's functions run; the tests count them.

    Parameters
    ----------
    sizes : sequence of int
        ``[D, n_1, ..., K]``.
    N : int
        Number of samples in E = Σ_n E_n.

    Returns
    -------
    dict
        ``"W"`` (the number of parameters) and one int per method of :data:`COUNTED_METHODS`
        (``"exact"`` is None unless the network has one hidden layer).

    Examples
    --------
    >>> c = operation_counts([2, 3, 1], N=1)
    >>> c["W"], c["gradient"], c["fd_gradient"]
    (13, 29, 754)
    """
    n = [int(s) for s in sizes]
    if len(n) < 2 or min(n) < 1:
        raise ValueError(f"sizes must be at least [D, K] of positive ints; got {list(sizes)}")
    N = int(N)
    C = sum(a * b for a, b in zip(n[:-1], n[1:]))
    B = sum(n[1:])
    W = C + B
    P = sum(a * b for a, b in zip(n[1:-1], n[2:]))
    C1 = n[0] * n[1]
    K = n[-1]
    r_forward = 2 * C - C1 + B
    r_backward = 2 * P
    r_products = 2 * C - C1 + B
    r_pass = r_forward + r_backward + r_products
    b_vectors = K * (P + W)
    exact = None
    if len(n) == 3:
        M = n[1]
        exact = N * (W + P + 2 * W * W + K * K * M + K * M * M)
    return {
        "W": W,
        "fd_error": (2 * W * W + 1) * N * W,
        "fd_gradient": 2 * W * N * (2 * W + P),
        "r_whole": N * (W + P) + W * N * r_pass,
        "exact": exact,
        "outer_product": N * (W + b_vectors + K * W * W),
        "woodbury": N * (W + b_vectors) + N * K * (2 * W * W + W),
        "diagonal": N * (W + P + P + C + B) + P,
        "r_product": N * (W + P + r_pass),
        "gradient": N * (2 * W + P),
    }
