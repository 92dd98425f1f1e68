"""Find submissions, read them (``.ipynb`` or MyST ``.md``), and decide what to grade.

Which exercises a notebook is graded on: all exercises of its chapters. The chapters
come, in this order, from the ``--chapter`` option, the notebook metadata
``nnbook.chapters`` (written by the student edition), the exercise IDs that the
notebook's code mentions (``check("id", ...)``, ``ExerciseWidget("id")``, the
``"Exercise <id>:"`` placeholders), and a file name equal to a chapter slug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from nnbook.exercises import registry

__all__ = ["Submission", "find_submissions", "read_notebook", "detect_chapters", "exercises_for"]

_ID_RE = re.compile(r"""(?:check|ExerciseWidget)\(\s*(?:exercise_id\s*=\s*)?["']([a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_.-]*)["']""")
_PLACEHOLDER_RE = re.compile(r"Exercise ([a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_.-]*):")


@dataclass
class Submission:
    """One file to grade.

    Attributes
    ----------
    path : Path
    name : str
        Unique, file-system-safe name used for reports.
    student : str
        Who handed it in, for the gradebook: the first folder below the folder that was
        given (``submissions/alice/ch10.ipynb`` -> ``alice``), else the file name.
    """

    path: Path
    name: str = ""
    notes: list = field(default_factory=list)
    student: str = ""
    data: bytes | None = field(default=None, repr=False)

    def snapshot(self) -> None:
        """Read the file now (the grader reads every submission before any notebook runs,
        so that no notebook can change another one on disk before it is graded)."""
        try:
            self.data = Path(self.path).read_bytes()
        except OSError:
            self.data = None


def find_submissions(paths: list[str | Path]) -> list[Submission]:
    """Files given, and ``.ipynb``/``.md`` files found (recursively) in folders given."""
    files: list[Path] = []
    students: dict[Path, str] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.suffix in {".ipynb", ".md"} and f.is_file() and ".ipynb_checkpoints" not in f.parts and not f.name.startswith("."):
                    files.append(f)
                    rel = f.relative_to(p).parts
                    students[f] = rel[0] if len(rel) > 1 else f.stem
        else:
            files.append(p)
            students[p] = p.stem
    seen: dict[str, int] = {}
    out = []
    for f in files:
        parts = [f.parent.name, f.stem] if f.parent.name else [f.stem]
        base = f.stem
        if any(g.stem == f.stem and g != f for g in files):
            base = "__".join(parts)
        base = re.sub(r"[^A-Za-z0-9_.-]+", "_", base) or "submission"
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(Submission(path=f, name=base if n == 0 else f"{base}_{n + 1}", student=students.get(f, f.stem)))
    return out


def read_notebook(path: Path, data: bytes | None = None) -> nbformat.NotebookNode:
    """Read an ``.ipynb`` (nbformat) or a MyST ``.md`` page (jupytext).

    Parameters
    ----------
    path : Path
    data : bytes, optional
        The file's content, read earlier (default: read `path` now).

    Raises
    ------
    Exception
        Whatever the readers raise for an unreadable file.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8") if data is None else data.decode("utf-8")
    if path.suffix == ".md":
        import jupytext

        fmt = "md:myst" if "{code-cell}" in text else "md"
        return jupytext.reads(text, fmt=fmt)
    return nbformat.reads(text, as_version=4)


def mentioned_ids(nb) -> list[str]:
    """Exercise IDs mentioned in the code cells of a notebook."""
    found: list[str] = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        for m in list(_ID_RE.finditer(src)) + list(_PLACEHOLDER_RE.finditer(src)):
            if m.group(1) not in found:
                found.append(m.group(1))
    return found


def _chapter_of(token: str | int) -> list[int]:
    if isinstance(token, int) or str(token).isdigit():
        return [int(token)]
    return sorted({e.chapter for e in registry.for_chapter(str(token))})


def detect_chapters(nb, path: Path, forced: list[str] | None = None) -> tuple[list[int], str]:
    """The chapters to grade and how they were found.

    Returns
    -------
    chapters : list of int
    source : str
        ``"--chapter"``, ``"metadata"``, ``"exercise ids"``, ``"file name"`` or ``""``.
    """
    if forced:
        return sorted({c for f in forced for c in _chapter_of(f)}), "--chapter"
    meta = nb.metadata.get("nnbook", {}) if hasattr(nb, "metadata") else {}
    chapters = meta.get("chapters") or ([meta["chapter"]] if "chapter" in meta else [])
    chapters = [c for c in chapters if isinstance(c, int) or str(c).isdigit()]
    if chapters:
        return sorted({int(c) for c in chapters}), "metadata"
    known = {e.id: e.chapter for e in registry.all()}
    from_ids = sorted({known[i] for i in mentioned_ids(nb) if i in known})
    if from_ids:
        return from_ids, "exercise ids"
    by_name = _chapter_of(path.stem.replace("_", "-")) or _chapter_of(path.stem)
    if by_name:
        return by_name, "file name"
    return [], ""


def exercises_for(chapters: list[int]) -> list[str]:
    """IDs of all exercises of these chapters."""
    return [e.id for c in chapters for e in registry.for_chapter(c)]
