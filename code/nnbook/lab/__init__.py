"""The handwritten-digit lab of the MNIST-lab lecture (chapter 17).

* :mod:`nnbook.lab.minibatch` — mini-batch gradient descent for a ReLU + softmax MLP,
  every line a formula of the lecture, in place on preallocated buffers (fast);
* :mod:`nnbook.lab.augment` — random shifts of the training images by a pixel (more data for free);
* :mod:`nnbook.lab.report` — confusion matrix, most confidently wrong digits, weight images;
* :mod:`nnbook.lab.mnist` — training and evaluation on MNIST: ``train(config)``,
  ``evaluate(net, X, t)``, ``train_cached(config)`` and the command
  ``python -m nnbook.lab.mnist``.

The submodules are imported on use (``from nnbook.lab import mnist``), so that
``python -m nnbook.lab.mnist`` runs the module once, as the program.
"""

__all__ = ["augment", "minibatch", "mnist", "report"]
