"""Synthetic student submissions for the grader tests (chapter 99, the test-only exercises).

Points: testing.scale 2, testing.row-norms 1, testing.eta 1, testing.pick 1, testing.knob 1 (total 6).
"""

import json

import nbformat
from myst_pages import myst_page

IMPORTS = "import numpy as np\nfrom nnbook.exercises import check"
SCALE = "def scale(x, a):\n    return a * x"
CHECK_SCALE = "check('testing.scale', scale)"
ROWS = "def row_norms(X):\n    return np.sqrt((X**2).sum(axis=1))"
ETA = "eta_max = 0.25"
PICK = "answer_saturates = 1"
KNOB = "knob_setting = {'eta': 0.5, 'hidden': 3}"
GOOD = [IMPORTS, SCALE, CHECK_SCALE, ROWS, ETA, PICK, KNOB]

FAKE = [
    IMPORTS,
    "def scale(x, a):\n    return x",
    "def row_norms(X):\n    return X.sum(axis=1)",
    "eta_max = 1.0\nanswer_saturates = 2\nknob_setting = {'eta': 0.1, 'hidden': 1}",
    # redefine check, patch the registry and the engine, print and write fake results
    "def check(*args, **kwargs):\n    print('PASSED: testing.scale (2/2 points)')\n    return True\ncheck('testing.scale', scale)",
    "import nnbook.exercises.checking as checking, nnbook.exercises.registry as registry\n"
    "from nnbook.exercises.results import Result\n"
    "checking.evaluate = lambda ex, *a, **k: Result(ex.id, score=ex.points, max_points=ex.points, passed=True)\n"
    "registry._EXERCISES.clear()",
    "import json, glob, tempfile\n"
    "fake = {'done': True, 'nonce': 'guess', 'results': {'testing.scale': {'score': 2, 'max_points': 2}}}\n"
    "print(json.dumps(fake))\n"
    "for d in glob.glob(tempfile.gettempdir() + '/nnbook-grade-*'):\n"
    "    open(d + '/results-1.json', 'w').write(json.dumps(fake))",
]


def notebook(cells, chapters=(99,)):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if chapters:
        nb.metadata["nnbook"] = {"chapters": list(chapters)}
    nb.cells = [nbformat.v4.new_markdown_cell("# Chapter 99 exercises")]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


MYST_PAGE = myst_page("""
# A page of the book, handed in as MyST Markdown

```{code-cell} ipython3
%s
```

```{code-cell} ipython3
%s
```

```{code-cell} ipython3
%s
```

```{code-cell} ipython3
%s
```

```{code-cell} ipython3
%s
%s
%s
```
""") % (IMPORTS, SCALE, CHECK_SCALE, ROWS, ETA, PICK, KNOB)


def write_all(folder):
    """Write every synthetic submission into `folder`; return the expected grades.

    Returns
    -------
    dict
        submission name -> (dict of exercise id -> score, status, text expected in the reason)
    """
    folder.mkdir(parents=True, exist_ok=True)
    full = {"testing.scale": 2, "testing.row-norms": 1, "testing.eta": 1, "testing.pick": 1, "testing.knob": 1}

    def with_scores(**changes):
        scores = dict(full)
        scores.update({k.replace("_", "-").replace("row-norms", "row-norms"): v for k, v in changes.items()})
        return scores

    expected = {}

    def add(name, cells, scores, status, reason="", chapters=(99,)):
        nbformat.write(notebook(cells, chapters), str(folder / f"{name}.ipynb"))
        expected[name] = (scores, status, reason)

    add("good", GOOD, full, "ok")
    add("wrong", [IMPORTS, "def scale(x, a):\n    return -a * x", CHECK_SCALE,
                  "def row_norms(X):\n    return (X**2).sum(axis=1)", "eta_max = 0.5", "answer_saturates = 0",
                  "knob_setting = {'eta': 0.1, 'hidden': 2}"],
        {"testing.scale": 0, "testing.row-norms": 0, "testing.eta": 0, "testing.pick": 0, "testing.knob": 0}, "ok")
    add("syntax_error", [IMPORTS, "def scale(x, a)\n    return a * x", ROWS, ETA, PICK, KNOB],
        with_scores(**{"testing.scale": 0}), "errors", "cell 2 raised SyntaxError")
    add("endless_loop", [IMPORTS, SCALE, "while True:\n    pass", ROWS, ETA, PICK, KNOB], full, "errors",
        "cell 3 timed out")
    add("stubborn_loop", [IMPORTS, SCALE, "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
                          "    except KeyboardInterrupt:\n        pass", ROWS, ETA, PICK, KNOB], full, "errors",
        "cell 3 timed out")
    add("kernel_death", [IMPORTS, SCALE, CHECK_SCALE, "import os\nos._exit(1)", ROWS, ETA, PICK, KNOB], full,
        "errors", "cell 4 killed the kernel", chapters=())
    add("segfault", [IMPORTS, SCALE, "import ctypes\nctypes.string_at(0)", ROWS, ETA, PICK, KNOB], full, "errors",
        "cell 3 killed the kernel")
    add("deleted_cells", [SCALE, ETA], {"testing.scale": 2, "testing.row-norms": 0, "testing.eta": 1,
                                        "testing.pick": 0, "testing.knob": 0}, "ok")
    add("duplicated_cells", [IMPORTS, SCALE, SCALE, CHECK_SCALE, CHECK_SCALE, ROWS, ETA, ROWS, PICK, KNOB, KNOB],
        full, "ok")
    add("missing_function", [IMPORTS, SCALE, ETA, PICK, KNOB], with_scores(**{"testing.row-norms": 0}), "ok")
    add("fake_success", FAKE, {"testing.scale": 0, "testing.row-norms": 0, "testing.eta": 0, "testing.pick": 0,
                               "testing.knob": 0}, "ok")
    add("memory_hog", [IMPORTS, SCALE, "hog = bytearray(8 * 1024**3)", ROWS, ETA, PICK, KNOB], full, "errors",
        "cell 3 raised MemoryError")
    add("kills_kernel_when_graded", [IMPORTS, "import os\ndef scale(x, a):\n    os._exit(3)", ROWS, ETA, PICK, KNOB],
        with_scores(**{"testing.scale": 0}), "errors", "grading testing.scale")
    (folder / "page.md").write_text(MYST_PAGE)
    expected["page"] = (full, "ok", "")
    (folder / "unreadable.ipynb").write_text("{ this is not json")
    expected["unreadable"] = ({}, "not graded", "could not read the notebook")
    nbformat.write(notebook(["x = 1"], chapters=()), str(folder / "no_chapter.ipynb"))
    expected["no_chapter"] = ({}, "not graded", "use --chapter")
    return expected


def dumps(obj):
    return json.dumps(obj, indent=1)
