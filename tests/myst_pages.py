"""The front matter of a MyST Markdown notebook page, for tests that write a page of their own."""

MYST_HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


def myst_page(body: str) -> str:
    """A MyST notebook page (jupytext front matter, Python 3 kernel) with ``body`` below it."""
    return MYST_HEADER + body
