"""nnbook: the shared package of the book *Feedforward Neural Networks and Backpropagation*.

Small modules named after the concepts of the lectures:

activations, losses, networks, gradcheck, symbolic, data, optim, plotting,
jacobian, hessian, autodiff, exercises, grade, lab.
"""

__version__ = "0.1.0"
