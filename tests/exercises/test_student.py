"""The student edition removes solutions and keeps a place for the student to write."""

from pathlib import Path

import nbformat
from myst_pages import myst_page

from nnbook.grade import student

PAGE = myst_page('''
# Testing chapter

```{exercise} Scale a vector
:label: ex-scale

Write `scale(x, a)`.
```

```{code-cell} ipython3
:tags: [solution, hide-input]
import numpy as np

def scale(x,
          a):
    """Return a * x (eq. 99.1)."""
    y = a * x
    return y
```

```{code-cell} ipython3
check("testing.scale", scale)
```

````{solution} ex-scale
:class: dropdown

```python
def scale(x, a):
    return a * x  # SECRET-1
```
````

Text between.

```{solution-start} ex-rows
:class: dropdown
```

Gated prose SECRET-2.

```{code-cell} ipython3
:tags: [solution]
def row_norms(X): return np.sqrt((X**2).sum(1))  # SECRET-3
```

```{code-cell} ipython3
helper = 42  # SECRET-4
```

```{solution-end}
```

:::{solution} ex-rows
SECRET-5
:::

```{code-cell} ipython3
:tags: [solution]
eta_max = 0.25  # SECRET-6
```

Final text.
''')


def _student(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "testing.md").write_text(PAGE)
    out = tmp_path / "out"
    assert student.main(["--out", str(out), "--root", str(tmp_path), str(book / "testing.md")]) == 0
    return nbformat.read(str(out / "testing.ipynb"), as_version=4)


def test_solutions_are_removed_and_placeholders_keep_signatures(tmp_path):
    nb = _student(tmp_path)
    everything = "\n".join(c.source for c in nb.cells)
    for n in range(1, 7):
        assert f"SECRET-{n}" not in everything
    assert "y = a * x" not in everything
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0] == (
        "import numpy as np\n\n\n"
        "def scale(x,\n          a):\n"
        '    """Return a * x (eq. 99.1)."""\n'
        '    raise NotImplementedError("Exercise testing.scale: write your solution here")'
    )
    assert code[1] == 'check("testing.scale", scale)'
    assert code[2] == (
        'def row_norms(X):\n    raise NotImplementedError("Exercise testing.row-norms: write your solution here")'
    )
    assert len(code) == 3  # the value answer cell and the gated helper are gone
    assert "Text between." in everything and "Final text." in everything
    assert "**Exercise: Scale a vector**" in everything and ":label:" not in everything
    for cell in nb.cells:
        assert "solution" not in cell.metadata.get("tags", [])


def test_metadata_tells_the_grader_the_chapter(tmp_path):
    nb = _student(tmp_path)
    assert nb.metadata["nnbook"] == {"chapters": [99], "source": "book/testing.md"}
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "jupytext" not in nb.metadata


def test_pages_come_from_the_chapter_table_in_reading_order(tmp_path):
    from nnbook import chapters

    (tmp_path / "book").mkdir()
    for name in ("ch02_neurons", "intro", "ch01_features", "notes"):
        (tmp_path / "book" / f"{name}.md").write_text("# x\n")
    pages = student.find_pages(tmp_path)                      # a partial copy: only what exists
    assert [p.stem for p in pages] == ["intro", "ch01_features", "ch02_neurons"]
    root = Path(__file__).resolve().parents[2]
    assert student.find_pages(root) == [root / p.page for p in chapters.PAGES]


def test_one_line_solution_and_async_functions():
    src = "async def f(x): return x\n\n@dec\ndef g(y):\n    return y\n"
    out = student.placeholder_source(src, {"g": "testing.g"})
    assert "async def f(x):" in out and 'raise NotImplementedError("Write your solution here")' in out
    assert "@dec\ndef g(y):" in out and "Exercise testing.g" in out
    assert student.placeholder_source("x = 1\n") is None
