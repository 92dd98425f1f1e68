"""The Hessian H_ij = ∂²E/∂w_i∂w_j of a network's error: every method of the Nankai lecture, and its uses (chapter 16).

All weights and biases are one vector w in the order of ``net.get_w()`` (see
:mod:`.layout`); the error is E = Σ_n E_n by default (the Nankai lecture), or the mean.

Computing H:

==================  ==========================================  ===========  =====================
module              method                                      cost         what it gives
==================  ==========================================  ===========  =====================
finite_differences  second differences of E                     O(W³)        H (reference)
finite_differences  central differences of the backprop ∇E      O(W²)        H (reference)
diagonal            backward recursion for ∂²E_n/∂a_j²          O(W)         diag H (approx./exact)
outer_product       Σ_n b_n b_nᵀ (Levenberg–Marquardt)          O(W²)        H at zero residuals
woodbury            sequential (H + αI)⁻¹                       O(N W²)      inverse of the above
exact               closed forms, two-layer network             O(W²)        H
roperator           R{·} forward and backward passes            O(W) per v   vᵀH, and H from e_i
==================  ==========================================  ===========  =====================

:func:`hessian` (module ``methods``) dispatches by name; :data:`METHODS` lists the names.
``costs`` counts the multiply-adds of each method (:func:`operation_counts`).

Using H:

====================  ==========================================================================
module                what it holds
====================  ==========================================================================
training              training by steps −(H + μI)⁻¹∇E: Levenberg–Marquardt and damped Newton
pruning               Optimal Brain Damage and Surgeon: saliencies, the OBS step, pruning curves
inspection            how far from diagonal H is; the error in the plane of two weights
layout                where each weight sits in w; names and blocks for plots
====================  ==========================================================================
"""

from __future__ import annotations

from .costs import COUNTED_METHODS, operation_counts
from .diagonal import diagonal_backward_layer, hessian_diagonal
from .exact import hessian_exact_two_layer, mixed_second_derivatives
from .finite_differences import central_difference_hessian, hessian_fd_error, hessian_fd_gradient
from .inspection import error_slice, offdiagonal_ratio
from .layout import parameter_blocks, parameter_names, unflatten, weight_mask
from .methods import METHODS, hessian
from .outer_product import hessian_outer_product, outer_product_factors, outer_product_sum, output_gradients
from .pruning import PruningCurve, obd_saliency, obs_saliency, obs_update, pruning_curve, quadratic_increase
from .roperator import (
                            hessian_r_operator,
                            hessian_vector_product,
                            r_backward_layer,
                            r_forward_layer,
                            r_hidden_output,
                            r_output_delta,
                            r_weight_gradients,
)
from .training import LMHistory, levenberg_marquardt
from .woodbury import outer_product_inverse, woodbury_update

__all__ = [
    "hessian", "METHODS",
    "hessian_fd_gradient", "hessian_fd_error", "central_difference_hessian",
    "hessian_diagonal", "diagonal_backward_layer",
    "hessian_outer_product", "outer_product_factors", "outer_product_sum", "output_gradients",
    "outer_product_inverse", "woodbury_update",
    "hessian_exact_two_layer", "mixed_second_derivatives",
    "hessian_vector_product", "hessian_r_operator",
    "r_forward_layer", "r_hidden_output", "r_output_delta", "r_backward_layer", "r_weight_gradients",
    "parameter_blocks", "parameter_names", "weight_mask", "unflatten",
    "operation_counts", "COUNTED_METHODS",
    "LMHistory", "levenberg_marquardt",
    "obd_saliency", "obs_saliency", "obs_update", "quadratic_increase", "PruningCurve", "pruning_curve",
    "offdiagonal_ratio", "error_slice",
]
