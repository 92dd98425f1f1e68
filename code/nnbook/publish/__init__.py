"""Publishing: the notebooks Binder, Colab and a JupyterHub open (build time), and the little
they need at run time.

* :mod:`~nnbook.publish.notebooks` — ``make notebooks``: ``book/<page>.ipynb``,
  ``student/<page>.ipynb``, ``binder/colab-constraints.txt``; the launch links
  (``--links``, ``--nbgitpuller``);
* :mod:`~nnbook.publish.plain_markdown` — MyST as plain Markdown, with the book's numbers
  and links into the online book;
* :mod:`~nnbook.publish.glue_values` — the numbers a page glues, for the notebooks;
* :mod:`~nnbook.publish.solutions` — ``%%solution``, with which Run All skips a reference
  solution (run time, registered by the notebooks' first cell);
* :mod:`~nnbook.publish.jupyter_hooks` — a Jupyter server extension that saves generated
  notebooks without outputs (Binder's settings enable it, ``binder/postBuild``).
"""
