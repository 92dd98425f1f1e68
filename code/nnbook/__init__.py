"""nnbook: the shared package of the book *Feedforward Neural Networks and Backpropagation*.

The tree shows the layers; each layer may import only the layers above it in this list::

    nnbook/              the lectures' mathematics and the chapters' demonstrations: what a
                         page imports to compute (activations, losses, networks, gradcheck,
                         optim, symbolic, autodiff, graph, jacobian, hessian/, data/, lab/,
                         features, neuron, approximation, symmetry, surface, diagnostics,
                         backprop_steps, matrix_backprop). Imports nothing else of nnbook.
    nnbook/page/         what a page uses to show things: the figure style (plotting),
                         kernel-free slider figures (interactive), source listings (display),
                         quizzes, the glossary.
    nnbook/exercises/    the student's half of teaching: exercises, check(), widgets, progress.
    nnbook/grade/        the instructor's half: the grader, the student edition, executing
                         notebooks reliably (nbexec).
    nnbook/publish/      build only: the notebooks the launch buttons open.

The book's Sphinx extension lives outside the package (``_ext/nnbook_sphinx.py``): no page
imports it. ``tests/project/test_layers.py`` holds the direction of imports.
"""

__version__ = "0.1.0"
