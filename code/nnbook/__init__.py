"""nnbook: the shared package of the book *Feedforward Neural Networks and Backpropagation*.

Small modules named after the concepts of the lectures, so that "where is the softmax
derivative" is answered by a file name:

* the network and its training: ``activations``, ``losses``, ``networks`` (the MLP and its
  batch backpropagation), ``optim`` (batch, stochastic and mini-batch gradient descent);
* checking gradients: ``gradcheck`` (finite differences, ``compare``), ``symbolic`` (SymPy
  derivations), ``autodiff`` (a small reverse-mode automatic differentiation);
* chapter topics: ``features``, ``neuron``, ``approximation``, ``symmetry``, ``surface``,
  ``graph``, ``backprop_steps``, ``matrix_backprop``, ``diagnostics``;
* beyond the gradient: ``jacobian``, ``hessian`` (every method of lecture 000), ``pruning``,
  ``hessian_tools``;
* data and the lab: ``data`` (IDX reader, verified MNIST loader, toy data), ``lab``;
* the book itself: ``plotting``, ``display``, ``interactive`` (kernel-free sliders),
  ``glossary``, ``exercises``, ``quiz``, ``grade``, ``student``, ``nbexec``, ``notebooks``
  (the notebooks the launch buttons open).
"""

__version__ = "0.1.0"
