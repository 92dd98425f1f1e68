"""A Jupyter server hook that keeps the generated notebooks clean when JupyterLab saves them.

JupyterLab saves a notebook every two minutes and on Ctrl+S, with its outputs, execution
counts and the kernel's ``language_info``. In a clone of the repository that turns the
generated ``book/*.ipynb`` and ``student/*.ipynb`` (:mod:`nnbook.publish.notebooks`) into
changed files although nobody edited them, and ``git status`` is no longer clean.

:func:`pre_save` strips, from a notebook whose metadata says :mod:`nnbook.publish.notebooks`
wrote it, what running it adds: outputs, execution counts, the ``language_info`` beyond its
name, the ``execution`` timing metadata of cells, and the unfolding of outputs (JupyterLab
unfolds a cell's output when it runs it; the folding is set back to what the cell's tags say,
:func:`nnbook.publish.notebooks.folding`). A person's edits (a cell's source, a new cell) are
saved as usual. Other notebooks are left alone.

This module is a Jupyter server extension that registers the hook; Binder enables it with
``binder/jupyter/jupyter_server_config.d/nnbook.json``::

    {"ServerApp": {"jpserver_extensions": {"nnbook.publish.jupyter_hooks": true}}}

(``binder/postBuild`` copies it into the environment's ``etc/jupyter``; ``make binder-env``
runs that script for ``.venv-binder``, ``make setup`` for ``.venv``). A server extension and
not ``ContentsManager.pre_save_hook = "..."``: jupyter_server 2 fails to import a hook given
by name in the configuration.
"""

from __future__ import annotations

__all__ = ["pre_save", "is_generated", "clean", "_jupyter_server_extension_points",
           "_load_jupyter_server_extension"]

GENERATOR_KEY = "nnbook"


def is_generated(nb: dict) -> bool:
    """Whether a notebook (a dict as in a contents model) was written by nnbook.publish.notebooks."""
    from nnbook.publish.notebooks import GENERATOR

    meta = (nb or {}).get("metadata") or {}
    info = meta.get(GENERATOR_KEY)
    return isinstance(info, dict) and info.get("generated_by") == GENERATOR


def clean(nb: dict) -> dict:
    """Strip what a run adds to a generated notebook (in place; returns it)."""
    from nnbook.publish.notebooks import apply_folding

    for cell in nb.get("cells") or []:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        meta = cell.get("metadata")
        if isinstance(meta, dict):
            meta.pop("execution", None)
            apply_folding(cell)             # running a cell unfolds its output in JupyterLab
    meta = nb.setdefault("metadata", {})
    info = meta.get("language_info")
    if isinstance(info, dict):
        meta["language_info"] = {"name": info.get("name", "python")}
    return nb


def pre_save(model=None, path=None, contents_manager=None, **kwargs):
    """``ContentsManager.pre_save_hook``: clean a generated notebook before it is written."""
    if not model or model.get("type") != "notebook" or not str(path or model.get("path", "")).endswith(".ipynb"):
        return
    content = model.get("content")
    if isinstance(content, dict) and is_generated(content):
        clean(content)


def _jupyter_server_extension_points():
    return [{"module": "nnbook.publish.jupyter_hooks"}]


def _load_jupyter_server_extension(serverapp) -> None:
    serverapp.contents_manager.register_pre_save_hook(pre_save)
    serverapp.log.info("nnbook: generated notebooks are saved without outputs (nnbook.publish.jupyter_hooks)")
