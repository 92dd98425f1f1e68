"""Local record of a reader's attempts, and the progress table.

Every :func:`nnbook.exercises.check` (and every Check button of a widget) records
its result in a JSON file:

1. ``$NNBOOK_PROGRESS`` if set (the tests and the grader set it to a temporary file;
   the value ``off`` disables recording);
2. otherwise ``progress.json`` in ``platformdirs.user_data_dir("nnbook")``;
3. otherwise ``~/.nnbook/progress.json``.

The file holds, per exercise ID, the best score, the points, whether it was passed,
the number of attempts and the time of the last attempt. Nothing leaves the machine.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import _

__all__ = ["progress_path", "load", "record", "attempts", "progress", "ProgressReport", "reset"]

ENV = "NNBOOK_PROGRESS"


def progress_path() -> Path | None:
    """Where progress is kept (``None`` if recording is off)."""
    env = os.environ.get(ENV)
    if env:
        return None if env.strip().lower() in {"off", "0", "none", "false"} else Path(env).expanduser()
    try:
        import platformdirs

        return Path(platformdirs.user_data_dir("nnbook", appauthor=False)) / "progress.json"
    except ImportError:  # pragma: no cover
        return Path.home() / ".nnbook" / "progress.json"


def load() -> dict[str, dict[str, Any]]:
    """The recorded entries, by exercise ID (empty if none or unreadable)."""
    path = progress_path()
    if path is None or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return dict(data.get("exercises", {}))
    except (OSError, ValueError, AttributeError):
        return {}


def _save(entries: dict[str, dict[str, Any]]) -> None:
    path = progress_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".json", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"version": 1, "exercises": entries}, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


def attempts(exercise_id: str) -> int:
    """How many attempts are recorded for this exercise."""
    return int(load().get(exercise_id, {}).get("attempts", 0))


def record(result) -> int:
    """Record one attempt; return the number of attempts so far (0 if not recorded).

    Parameters
    ----------
    result : nnbook.exercises.results.Result
    """
    if progress_path() is None:
        return 0
    try:
        entries = load()
        entry = entries.get(result.exercise_id, {})
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
        entry["best_score"] = max(float(entry.get("best_score", 0.0)), float(result.score))
        entry["max_points"] = float(result.max_points)
        entry["passed"] = bool(entry.get("passed", False) or result.passed)
        entry["last_passed"] = bool(result.passed)
        entry["last"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        entries[result.exercise_id] = entry
        _save(entries)
        return entry["attempts"]
    except OSError:
        return 0


def reset() -> None:
    """Forget all recorded attempts."""
    _save({})


@dataclass
class ProgressReport:
    """Per-chapter table of exercises done. Displays as HTML in a notebook, text elsewhere.

    Attributes
    ----------
    rows : list of dict
        One per exercise: chapter, id, title, points, best_score, passed, attempts.
    """

    rows: list

    @property
    def score(self) -> float:
        return sum(r["best_score"] for r in self.rows)

    @property
    def max_points(self) -> float:
        return sum(r["points"] for r in self.rows)

    def by_chapter(self) -> dict[int, list[dict]]:
        out: dict[int, list[dict]] = {}
        for r in self.rows:
            out.setdefault(r["chapter"], []).append(r)
        return out

    def text(self) -> str:
        lines = [self._total()]
        for chapter, rows in sorted(self.by_chapter().items()):
            done = sum(r["passed"] for r in rows)
            lines.append(_("Chapter {chapter}: {done}/{n} done").format(chapter=chapter, done=done, n=len(rows)))
            for r in rows:
                mark = "[x]" if r["passed"] else ("[~]" if r["attempts"] else "[ ]")
                lines.append(
                    f"  {mark} {r['id']:<34} {r['best_score']:g}/{r['points']:g}  "
                    + _("attempts: {n}").format(n=r["attempts"]) + f"  {r['title']}"
                )
        if not self.rows:
            lines.append(_("(no exercises)"))
        return "\n".join(lines)

    def _total(self) -> str:
        return _("Progress: {score:g} / {max:g} points").format(score=self.score, max=self.max_points)

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        esc = html.escape
        heads = [_("chapter"), _("exercise"), _("title"), _("points"), _("attempts"), _("done")]
        out = [
            f'<div class="nnbook-progress"><b>{esc(self._total())}</b>',
            '<table style="border-collapse:collapse;margin-top:0.3em">',
            "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in heads) + "</tr>",
        ]
        for chapter, rows in sorted(self.by_chapter().items()):
            done = sum(r["passed"] for r in rows)
            out.append(
                f'<tr style="border-top:1px solid #999"><td rowspan="{len(rows)}" '
                f'style="vertical-align:top">{chapter}<br><small>'
                + esc(_("{done}/{n} done").format(done=done, n=len(rows))) + "</small></td>"
            )
            for i, r in enumerate(rows):
                mark = "&#10004;" if r["passed"] else ("&#8230;" if r["attempts"] else "")
                colour = "#1a7f37" if r["passed"] else "#57606a"
                out.append(
                    ("" if i == 0 else "<tr>")
                    + f"<td><code>{esc(r['id'])}</code></td><td>{esc(r['title'])}</td>"
                    f"<td>{r['best_score']:g}/{r['points']:g}</td><td>{r['attempts']}</td>"
                    f'<td style="color:{colour}">{mark}</td></tr>'
                )
        out.append("</table></div>")
        return "".join(out)


def progress(chapter: int | str | None = None) -> ProgressReport:
    """Show which exercises are done, per chapter.

    Parameters
    ----------
    chapter : int or str, optional
        Only this chapter (number or slug).

    Returns
    -------
    ProgressReport
        Displays itself (HTML table in a notebook, text in a terminal).
    """
    from . import registry

    entries = load()
    exercises = registry.all() if chapter is None else registry.for_chapter(chapter)
    rows = []
    for ex in exercises:
        e = entries.get(ex.id, {})
        rows.append(
            {
                "chapter": ex.chapter,
                "id": ex.id,
                "title": _(ex.title),
                "points": ex.points,
                "best_score": float(e.get("best_score", 0.0)),
                "passed": bool(e.get("passed", False)),
                "attempts": int(e.get("attempts", 0)),
            }
        )
    return ProgressReport(rows)
