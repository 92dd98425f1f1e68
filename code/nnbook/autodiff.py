"""Chapter 11: how does a library run the backward pass of any array computation? A small reverse-mode autodiff.

The DLSys lecture ends its manual backpropagation with an observation: every layer of the
backward pass does the same thing, a *vector-Jacobian product* (VJP): it receives
G = ∂E/∂(its output) and sends G · ∂(output)/∂(input) on to each of its inputs. Give
every operation its own VJP, record the operations as they run, and the whole backward
pass is a loop over the record in reverse order. That is reverse-mode automatic
differentiation (the DLSys lecture: 自微分).

Here a :class:`Tensor` holds a numpy array ``value``, the tensors it was computed from
(``parents``) and a function ``vjp(G)`` that returns one gradient per parent. Each
operation below builds its output tensor and says, in two or three lines, how to send
a gradient back. :meth:`Tensor.backward` visits the graph in reverse topological order
and adds up the gradients that arrive at every tensor (a tensor used twice receives
two contributions: the sum over paths of the chain rule).

Operations: ``+`` and ``-`` (with numpy broadcasting, for biases), ``*`` (elementwise,
by a tensor, an array or a scalar), ``@`` (matrix product), :meth:`Tensor.square`,
:meth:`Tensor.sum`, :meth:`Tensor.mean`, :meth:`Tensor.activation` (any activation of
:mod:`nnbook.activations`, with its ``dh``), :meth:`Tensor.relu`,
:meth:`Tensor.log_softmax` and :func:`softmax_cross_entropy`. :func:`mlp_error` builds
the error of an :class:`nnbook.networks.MLP` from these operations, so the gradients of
this module can be compared with the manual backpropagation of the package.

The words are those of :mod:`nnbook.graph` (chapter 9), which does the same for scalar
gates: a *node* (here a :class:`Tensor`) holds its ``value`` after the forward pass and
its ``grad`` = ∂E/∂(value) after the backward pass; its *parents* are the tensors it is
computed from; the *upstream* gradient is the one arriving at a node (the DLSys lecture's G),
and ``vjp(upstream)`` multiplies it by the *local derivative* ∂(value)/∂(parent) of every
parent; :meth:`Tensor.backward` runs the backward pass. (The forward pass is the
computation itself: every operation records its node as it runs.)
"""

from __future__ import annotations

from typing import Callable, List, Optional, Tuple

import numpy as np

from . import activations as _act
from . import losses as _loss

__all__ = ["Tensor", "softmax_cross_entropy", "mlp_error", "mlp_gradients", "topological_order"]


def _unbroadcast(G, shape):
    """Sum a gradient G over the axes numpy broadcast, so it gets the shape ``shape``.

    A bias b of shape (n,) added to A of shape (N, n) is used N times; its gradient is the
    sum of the N row gradients (the MNIST-lab lecture: ∂E/∂b = Σ_n δ_n).
    """
    while G.ndim > len(shape):
        G = G.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and G.shape[axis] != 1:
            G = G.sum(axis=axis, keepdims=True)
    return G


class Tensor:
    """A node of the computational graph: a value, its parents and its VJP.

    Parameters
    ----------
    value : array_like
        The value (float arrays keep their dtype; anything else becomes float64).
    parents : tuple of Tensor
        The tensors this one was computed from (empty for inputs and parameters).
    vjp : callable or None
        ``vjp(G) -> tuple`` of gradients, one per parent, given G = ∂E/∂(this value)
        of the shape of ``value``.
    op : str
        Name of the operation that made the tensor (for display).
    name : str
        Optional label (``"W1"``).

    Attributes
    ----------
    grad : ndarray or None
        ∂E/∂value after :meth:`backward` was called on E (None before, and for tensors
        E does not depend on).
    """

    def __init__(self, value, parents: Tuple["Tensor", ...] = (), vjp: Optional[Callable] = None,
                 op: str = "", name: str = ""):
        value = np.asarray(value)
        if not np.issubdtype(value.dtype, np.floating):
            value = value.astype(np.float64)
        self.value = value
        self.parents = tuple(parents)
        self.vjp = vjp
        self.op = op
        self.name = name
        self.grad: Optional[np.ndarray] = None

    # --- display and shape -----------------------------------------------------------------
    @property
    def shape(self):
        return self.value.shape

    def __repr__(self):
        label = f"{self.name}, " if self.name else ""
        made = f", op={self.op}" if self.op else ""
        return f"Tensor({label}shape={self.shape}{made})"

    # --- the operations, each with its own vector-Jacobian product ---------------------
    def __add__(self, other):
        other = _lift(other)
        shape_a, shape_b = self.shape, other.shape
        return Tensor(self.value + other.value, (self, other),
                      lambda G: (_unbroadcast(G, shape_a), _unbroadcast(G, shape_b)), "add")

    __radd__ = __add__

    def __neg__(self):
        return Tensor(-self.value, (self,), lambda G: (-G,), "neg")

    def __sub__(self, other):
        return self + (-_lift(other))

    def __rsub__(self, other):
        return _lift(other) + (-self)

    def __mul__(self, other):
        """Elementwise product (broadcasting); ∂(xy)/∂x = y, ∂(xy)/∂y = x."""
        other = _lift(other)
        x, y = self.value, other.value
        return Tensor(x * y, (self, other),
                      lambda G: (_unbroadcast(G * y, x.shape), _unbroadcast(G * x, y.shape)), "mul")

    __rmul__ = __mul__

    def __matmul__(self, other):
        """Matrix product C = A B of (N, n) and (n, m); VJPs G Bᵀ and Aᵀ G."""
        other = _lift(other)
        A, B = self.value, other.value
        return Tensor(A @ B, (self, other), lambda G: (G @ B.T, A.T @ G), "matmul")

    @property
    def T(self):
        """The transpose; its VJP transposes the gradient back."""
        return Tensor(self.value.T, (self,), lambda G: (G.T,), "transpose")

    def square(self):
        """x², elementwise; VJP 2x G."""
        x = self.value
        return Tensor(x * x, (self,), lambda G: (2 * x * G,), "square")

    def sum(self, axis=None):
        """Sum over ``axis`` (all elements by default); VJP spreads G over the summed axis."""
        x = self.value

        def vjp(G):
            G = np.asarray(G)
            if axis is not None:
                G = np.expand_dims(G, axis)
            return (np.broadcast_to(G, x.shape).astype(x.dtype, copy=True),)
        return Tensor(x.sum(axis=axis), (self,), vjp, "sum")

    def mean(self):
        """Mean of all elements; VJP G / size in every element."""
        x = self.value
        return Tensor(x.mean(), (self,), lambda G: (np.full(x.shape, G / x.size, dtype=x.dtype),), "mean")

    def activation(self, h):
        """z = h(a) elementwise for an activation of :mod:`nnbook.activations`; VJP h'(a) ⊙ G.

        Parameters
        ----------
        h : str or Activation
            For example ``"tanh"`` or ``nnbook.activations.get("sigmoid")``.
        """
        h = _act.get(h) if isinstance(h, str) else h
        a = self.value
        return Tensor(h.h(a), (self,), lambda G: (h.dh(a) * G,), h.name)

    def relu(self):
        """max(0, a) elementwise; VJP passes G where a > 0 and stops it elsewhere."""
        a = self.value
        return Tensor(np.maximum(a, 0), (self,), lambda G: (G * (a > 0),), "relu")

    def log_softmax(self):
        """ln y_k = a_k − ln Σ_j e^{a_j} over each row (stable); VJP G − y Σ_k G_k."""
        lnY = _loss.log_softmax(self.value)
        Y = np.exp(lnY)
        return Tensor(lnY, (self,), lambda G: (G - Y * G.sum(axis=-1, keepdims=True),), "log_softmax")

    # --- reverse mode ----------------------------------------------------------------------
    def backward(self, upstream=None):
        """Compute ∂(self)/∂(every tensor it depends on), stored in their ``.grad``.

        Parameters
        ----------
        upstream : ndarray, optional
            The gradient arriving at ``self`` to start from (the DLSys lecture's G); default 1
            (``self`` must then be a scalar).
        """
        if upstream is None:
            if self.value.size != 1:
                raise ValueError("backward() without an upstream gradient needs a scalar; pass upstream "
                                 f"of shape {self.shape} for a tensor output")
            upstream = np.ones_like(self.value)
        order = topological_order(self)
        for node in order:
            node.grad = None
        self.grad = np.asarray(upstream, dtype=self.value.dtype)
        for node in reversed(order):                          # outputs first, inputs last
            if node.vjp is None or node.grad is None:
                continue
            for parent, g in zip(node.parents, node.vjp(node.grad)):
                parent.grad = g if parent.grad is None else parent.grad + g
        return self


def _lift(x) -> Tensor:
    """Wrap a constant (array or number) as a Tensor without parents."""
    return x if isinstance(x, Tensor) else Tensor(x, op="const")


def topological_order(root: Tensor) -> List[Tensor]:
    """Every tensor ``root`` depends on, each after all of its parents (inputs first).

    Depth-first search without recursion, so deep graphs do not hit Python's limit.
    """
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for p in node.parents:
            if id(p) not in seen:
                stack.append((p, False))
    return order


def softmax_cross_entropy(A: Tensor, T, reduction: str = "sum") -> Tensor:
    """E = −Σ_n Σ_k t_nk ln softmax(a_n)_k from the net inputs A (N, K), as one operation.

    Its VJP is the result of chapter 12, δ = y − t (divided by N for the mean): the
    whole Jacobian of softmax followed by cross-entropy collapses to one subtraction.

    Parameters
    ----------
    A : Tensor, shape (N, K)
        Net inputs a^(L) of the softmax output units.
    T : ndarray, shape (N, K) one-hot, or integer labels (N,)
    reduction : {"sum", "mean"}
    """
    A = _lift(A)
    N, K = A.shape
    T = _loss.targets(T, N, K, A.value.dtype)
    E = _loss.softmax_cross_entropy(A.value, T, reduction)
    scale = 1.0 / N if reduction == "mean" else 1.0
    Y = _loss.softmax(A.value)
    return Tensor(E, (A,), lambda G: (G * scale * (Y - T),), "softmax_ce")


def mlp_error(net, X, T, reduction: str = "sum", l2: float = 0.0):
    """The error E of an :class:`~nnbook.networks.MLP`, built from the operations above.

    The forward pass A^(l) = Z^(l-1) W^(l)ᵀ + b^(l), Z^(l) = h(A^(l)) is recorded as a
    graph; ``E.backward()`` then fills ``.grad`` of every parameter tensor.

    Parameters
    ----------
    net : MLP
        Any depth, hidden activations of :mod:`nnbook.activations` (not PReLU),
        identity+sse, sigmoid+bce or softmax+ce outputs, with or without skip layer.
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (integer labels (N,) for softmax)
    reduction : {"sum", "mean"}
    l2 : float
        λ of the weight-decay term ½λ‖W‖².

    Returns
    -------
    E : Tensor, a scalar
    params : list of Tensor
        In the order of ``net.parameters()``: W1, b1, W2, b2, ..., [W_skip]; their
        values are copies of the network's arrays.
    """
    if any(isinstance(h, _act.PReLU) for h in net.h):
        raise ValueError("mlp_error does not support PReLU layers")
    X = np.asarray(X, dtype=net.dtype)
    N = X.shape[0]
    params = [Tensor(p.copy(), name=n) for p, n in zip(net.parameters(), net.parameter_names())]
    Ws, bs = params[0:2 * net.L:2], params[1:2 * net.L:2]
    Z = Tensor(X, op="input", name="X")
    for l in range(1, net.L + 1):
        A = Z @ Ws[l - 1].T + bs[l - 1]                      # A^(l) = Z^(l-1) W^(l)ᵀ + b^(l)
        if l == net.L and net.skip:
            A = A + Tensor(X) @ params[2 * net.L].T
        if l < net.L:
            h = net.h[l - 1]
            Z = A.relu() if h.name == "relu" else A.activation(h)
    scale = 1.0 / N if reduction == "mean" else 1.0
    if net.loss_name == "ce" and net.output == "softmax":
        E = softmax_cross_entropy(A, net._targets(T, N), reduction)
    elif net.loss_name == "bce" and net.output == "sigmoid":
        Tn = net._targets(T, N)                             # softplus(a) − t a, summed
        E = ((A.activation("softplus") - A * Tn).sum()) * scale
    elif net.loss_name == "sse" and net.output == "identity":
        E = ((A - net._targets(T, N)).square().sum()) * (0.5 * scale)
    else:
        raise ValueError("mlp_error supports the canonical pairs identity+sse, sigmoid+bce, softmax+ce")
    if l2:
        decay = [W.square().sum() for W in params[:2 * net.L:2]] + (
            [params[2 * net.L].square().sum()] if net.skip else [])
        total = decay[0]
        for d in decay[1:]:
            total = total + d
        E = E + total * (0.5 * l2)
    return E, params


def mlp_gradients(net, X, T, reduction: str = "sum", l2: float = 0.0) -> List[np.ndarray]:
    """∇E of an MLP by automatic differentiation, in the order of ``net.parameters()``."""
    E, params = mlp_error(net, X, T, reduction, l2)
    E.backward()
    return [p.grad if p.grad is not None else np.zeros_like(p.value) for p in params]
