"""Showing the package's own code and math on a page.

A chapter that teaches a function shows its real source, so the text can never drift
from the code that runs (``show_source``).
"""

from __future__ import annotations

import inspect
import textwrap

__all__ = ["show_source", "source_markdown"]


def source_markdown(obj, docstring: bool = True) -> str:
    """The source of a function, class or method as a fenced Markdown code block.

    Parameters
    ----------
    obj : function, class, method or module
    docstring : bool
        Keep the docstring (True) or drop it to show only the code (False).
    """
    src = textwrap.dedent(inspect.getsource(obj))
    if not docstring:
        doc = inspect.getdoc(obj)
        if doc:
            lines = src.splitlines()
            # drop the first triple-quoted block after the signature
            out, inside, done = [], False, False
            for line in lines:
                stripped = line.strip()
                if not done and not inside and (stripped.startswith('"""') or stripped.startswith("'''")):
                    quote = stripped[:3]
                    if stripped.count(quote) >= 2 and len(stripped) > 3:
                        done = True
                        continue
                    inside = True
                    continue
                if inside:
                    if stripped.endswith('"""') or stripped.endswith("'''"):
                        inside, done = False, True
                    continue
                out.append(line)
            src = "\n".join(out)
    module = getattr(inspect.getmodule(obj), "__name__", "")
    where = f"# {module}.{getattr(obj, '__qualname__', '')}".rstrip(".")
    return f"```python\n{where}\n{src.rstrip()}\n```"


def show_source(obj, docstring: bool = True):
    """Display the source of ``obj`` as highlighted code (in a notebook and in the HTML book).

    Returns an ``IPython.display.Markdown`` object: make it the last expression of a cell.
    """
    from IPython.display import Markdown

    return Markdown(source_markdown(obj, docstring=docstring))
