"""nnbook: the shared package of the book *Feedforward Neural Networks and Backpropagation*.

The tree shows the layers; each layer may import only the layers above it in this list::

    nnbook/              the lectures' mathematics and the chapters' demonstrations: what a
                         page imports to compute (activations, losses, networks, gradcheck,
                         optim, symbolic/, autodiff, graph, jacobian, hessian/, data/, lab/,
                         features, neuron, approximation, symmetry, surface, diagnostics/,
                         backprop_steps, matrix_backprop), and the chapter table (chapters:
                         which page, slug, modules, exercise bank and quiz each chapter has).
                         Imports nothing else of nnbook.
    nnbook/page/         what a page uses to show things: the figure style (plotting),
                         kernel-free slider figures (interactive), source listings (display),
                         quizzes, the glossary, the one encoding of hidden answers (encoding).
    nnbook/exercises/    the student's half of teaching: exercises, check(), widgets, progress.
    nnbook/grade/        the instructor's half: the grader, the student edition, executing
                         notebooks reliably (nbexec).
    nnbook/publish/      build only: the notebooks the launch buttons open.

The book's Sphinx extension lives outside the package (``_ext/nnbook_sphinx.py``): no page
imports it. ``tests/project/test_layers.py`` holds the direction of imports.

Every module's docstring names, in its first line, the chapter(s) it serves; ``nnbook.chapters``
lists the modules each chapter's page imports (``tests/project/test_chapters.py`` checks both).

The backward passes written for teaching, one per question (tests check each against finite
differences or another pass; ``tests/project/test_backward_index.py`` checks that every row
names a real function)::

    function                                         chapter  what it shows
    nnbook.graph.Graph.backward                      9        scalar gates: upstream gradient × local
                                                              derivative on every edge
    nnbook.backprop_steps.backprop_sample            10       the Nankai lecture's four steps, unit by unit,
                                                              one sample at a time
    nnbook.networks.MLP.backward                     10, 11   the package's network: matrices for a batch,
                                                              any depth, every output/error pair
    nnbook.matrix_backprop.backward                  11       the DLSys lecture's row layout, G_i = ∂ℓ/∂Z_i
    nnbook.autodiff.Tensor.backward                  11       a tape: each operation's vector-Jacobian
                                                              product, in reverse order
    nnbook.diagnostics.ScalarMLP.gradient            13       one multiply-add at a time, to count the
                                                              O(W) cost
    nnbook.jacobian.jacobian                         15       ∂y/∂x by backpropagating from the outputs
    nnbook.hessian.roperator.hessian_vector_product  16       the R-operator: R-passes forward and
                                                              backward give vᵀH
    nnbook.lab.minibatch.MiniBatchSGD._batch         17       the lab trainer: float32, in place, on
                                                              buffers allocated once

The four lectures the book follows, by the names the pages and docstrings use (the key
table is in the book's appendix *References and credits*): **the Nankai lecture** (神经网络(1),
file 000, PRML chapter 5 style), **the ECNU lecture** (第8章 人工神经网络, file 002), **the
DLSys lecture** (Manual Neural Networks / Backprop, file 003) and **the MNIST-lab lecture**
(手写字符识别(下), file 004).
"""

__version__ = "0.1.0"



def __getattr__(name: str):
    """``nnbook.set_language("zh")``, ``nnbook.get_language()``: the reader's language (nnbook.i18n),
    imported on first use, so that ``python -m nnbook.i18n`` runs the module only once."""
    if name in ("get_language", "set_language"):
        from . import i18n

        return getattr(i18n, name)
    raise AttributeError(f"module 'nnbook' has no attribute {name!r}")

