"""Looking inside a backward pass (chapters 13 and 14): per-layer norms, per-layer gradient checks, timing.

Chapter 13 (the Nankai lecture, 反向传播的效率) measures what backpropagation costs against
finite differences and uses central differences per layer to find a broken backward
pass; chapter 14 (the ECNU lecture, 梯度消失问题) measures how the error signals δ^(l) shrink
from layer to layer. One module per job; pages import the names from here
(``from nnbook import diagnostics``, ``from nnbook.diagnostics import delta_norms``):

======  =======  ===============================================================================
module  chapter  question it answers
======  =======  ===============================================================================
norms   14       how do δ^(l) and ∂E/∂W^(l) shrink from layer to layer? (:func:`delta_norms`,
                 :func:`gradient_norms`, :func:`weight_changes`)
checks  13       which layer of a backward pass is wrong, and which step ε can tell?
                 (:func:`layer_gradient_check`, :func:`finite_difference_errors`)
timing  13       does backprop cost O(W) per gradient and finite differences O(W²)?
                 (:func:`operation_counts`, :class:`ScalarMLP`, :func:`time_gradients`,
                 :func:`median_time`)
======  =======  ===============================================================================
"""

from __future__ import annotations

from .checks import LayerCheck, finite_difference_errors, layer_gradient_check
from .norms import delta_norms, gradient_norms, weight_changes
from .timing import GradientTimings, ScalarMLP, median_time, operation_counts, time_gradients

__all__ = ["delta_norms", "gradient_norms", "weight_changes", "LayerCheck", "layer_gradient_check",
           "finite_difference_errors", "median_time", "ScalarMLP", "operation_counts", "GradientTimings",
           "time_gradients"]
