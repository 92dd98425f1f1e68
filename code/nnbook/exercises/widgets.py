"""Widgets for exercises: an answer box, radio buttons, checkboxes or sliders, a Check button.

``ExerciseWidget("gd.learning-rate")`` builds the right input for the exercise's kind:

* value exercise: a text box that reads ``0.25``, ``1/4``, ``1, 2`` or ``[1, 2; 3, 4]``;
* choice exercise: radio buttons (one correct option) or checkboxes (several);
* slider task: one slider per setting;
* function exercise: a Check button that checks the function the notebook defines.

Every widget has a Check button (``check_button``), a feedback area (``feedback``, an
HTML widget), a "Show hint" button (``hint_button``) that reveals the hints one by
one into ``hints_area``, and an attempt counter (``attempts``, shown in
``attempts_label``). A checked answer is also stored in the notebook under the
exercise's ``name`` (for example ``eta_max``), the variable the grader reads; to
hand it in, keep that assignment in a code cell. Everything works without a
kernel too, so tests drive a widget with ``widget.check_button.click()``.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..i18n import _
from . import registry
from .checking import check
from .parsing import AnswerParseError, parse_value
from .registry import ChoiceExercise, FunctionExercise, SliderTask, ValueExercise

__all__ = ["ExerciseWidget"]


def _user_ns() -> dict | None:
    try:
        from IPython import get_ipython

        ip = get_ipython()
        return None if ip is None else ip.user_ns
    except ImportError:  # pragma: no cover
        return None


class ExerciseWidget(widgets.VBox):
    """An interactive exercise: input, Check button, feedback, hints, attempts.

    Parameters
    ----------
    exercise_id : str
        ID of a value, choice, slider or function exercise.
    record : bool
        Record attempts in the local progress file (as :func:`check` does).

    Attributes
    ----------
    exercise : Exercise
    answer_box : ipywidgets.Text or None
        Value exercises.
    choice : ipywidgets.RadioButtons or None
        Choice exercises with one correct option.
    checkboxes : list of ipywidgets.Checkbox
        Choice exercises with several correct options.
    sliders : dict of str to ipywidgets slider
        Slider tasks.
    check_button, hint_button : ipywidgets.Button
    feedback, hints_area : ipywidgets.HTML
    attempts : int
    last_result : Result or None
    stored : object
        The last checked answer (also put in the notebook under ``exercise.name``).
    """

    def __init__(self, exercise_id: str, *, record: bool = True, **kwargs: Any):
        self.exercise_id = exercise_id
        self.record = record
        self.attempts = 0
        self.hints_shown = 0
        self.last_result = None
        self.stored = None
        self.answer_box = None
        self.choice = None
        self.checkboxes: list = []
        self.sliders: dict = {}
        self.feedback = widgets.HTML(value="")
        self.hints_area = widgets.HTML(value="")
        self.attempts_label = widgets.HTML(value=self._attempts_text())
        self.check_button = widgets.Button(description=_("Check"), button_style="primary", icon="check")
        # width "auto": the label "Show hint (1 of 3)" fits (a Button is 148 px wide by default)
        self.hint_button = widgets.Button(description=_("Show hint"), icon="lightbulb-o",
                                          layout=widgets.Layout(width="auto"))
        try:
            self.exercise = registry.get(exercise_id)
        except registry.UnknownExerciseError as exc:
            self.exercise = None
            self.feedback.value = f"<b>{html.escape(str(exc.args[0]))}</b>"
            super().__init__(children=[self.feedback], **kwargs)
            return
        ex = self.exercise
        title = widgets.HTML(
            value=f"<b>{html.escape(_(ex.title))}</b> <small>("
            + _("{points:g} points, {id}").format(points=ex.points, id=f"<code>{html.escape(ex.id)}</code>")
            + ")</small>"
        )
        inputs = self._build_inputs()
        self.check_button.on_click(self._on_check)
        self.hint_button.on_click(self._on_hint)
        self.hint_button.disabled = not ex.hints
        self._update_hint_button()
        buttons = widgets.HBox([self.check_button, self.hint_button, self.attempts_label])
        super().__init__(children=[title, *inputs, buttons, self.feedback, self.hints_area], **kwargs)

    # ------------------------------------------------------------------ inputs

    def _build_inputs(self) -> list:
        ex = self.exercise
        if isinstance(ex, ValueExercise):
            self.answer_box = widgets.Text(
                value="",
                placeholder=_("a number (0.25, 1/4) or an array (1, 2 or [1, 2; 3, 4])"),
                description=f"{ex.name} =",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="32em"),
            )
            return [self.answer_box]
        if isinstance(ex, ChoiceExercise):
            if ex.multiple:
                self.checkboxes = [
                    widgets.Checkbox(value=False, description=_(o), indent=False) for o in ex.options
                ]
                note = widgets.HTML(value=f"<small>{html.escape(_('Select all that apply.'))}</small>")
                return [note, *self.checkboxes]
            self.choice = widgets.RadioButtons(
                options=[(_(o), i) for i, o in enumerate(ex.options)], value=None,
                layout=widgets.Layout(width="auto"),
            )
            return [self.choice]
        if isinstance(ex, SliderTask):
            out = []
            for key, (lo, hi, step, init) in ex.sliders.items():
                cls = widgets.IntSlider if ex.integer[key] else widgets.FloatSlider
                kw = {} if ex.integer[key] else {"readout_format": ".4g"}
                s = cls(value=init, min=lo, max=hi, step=step, description=key,
                        continuous_update=False, **kw)
                self.sliders[key] = s
                out.append(s)
            return out
        if isinstance(ex, FunctionExercise):
            return [
                widgets.HTML(
                    value=html.escape(_("Define {name} in a code cell, run it, then press Check.")).format(
                        name=f"<code>{html.escape(ex.name)}</code>")
                )
            ]
        return []

    # ---------------------------------------------------------------- answers

    def answer(self) -> Any:
        """The answer currently entered in the widget (``None`` if none yet)."""
        ex = self.exercise
        if isinstance(ex, ValueExercise):
            return self.answer_box.value
        if isinstance(ex, ChoiceExercise):
            if ex.multiple:
                return {i for i, c in enumerate(self.checkboxes) if c.value}
            return self.choice.value
        if isinstance(ex, SliderTask):
            return {k: _shown(s.value) for k, s in self.sliders.items()}
        if isinstance(ex, FunctionExercise):
            ns = _user_ns() or {}
            return ns.get(ex.name)
        return None

    def _on_check(self, _button=None) -> None:
        ex = self.exercise
        answer = self.answer()
        if isinstance(ex, ChoiceExercise) and (answer is None or answer == set()):
            self.feedback.value = f"<i>{html.escape(_('Choose an option first.'))}</i>"
            return
        if isinstance(ex, ValueExercise):
            try:
                parse_value(answer)
            except AnswerParseError as exc:
                self.feedback.value = ("<span style='color:#cf222e'>"
                                       + html.escape(_("Cannot read this: {problem}").format(problem=exc)) + "</span>")
                return
        if isinstance(ex, FunctionExercise) and answer is None:
            self.feedback.value = "<i>" + html.escape(_("{name} is not defined yet: run the cell that defines it.")).format(
                name=f"<code>{html.escape(ex.name)}</code>") + "</i>"
            return
        self.attempts += 1
        self.attempts_label.value = self._attempts_text()
        result = check(self.exercise_id, answer, show=False, record=self.record)
        result.hint = ""  # hints are revealed with the hint button here
        self.last_result = result
        self._store(answer)
        note = ""
        if not isinstance(ex, FunctionExercise):
            note = (
                "<div style='font-size:85%;color:#57606a'>"
                + html.escape(_("Stored as {assignment}; to hand it in, keep this line in a code cell of your "
                                "notebook.")).format(assignment=f"<code>{html.escape(ex.name)}</code>"
                                                     f" = <code>{html.escape(_literal(self.stored))}</code>")
                + "</div>"
            )
        self.feedback.value = result._repr_html_() + note

    def _store(self, answer: Any) -> None:
        ex = self.exercise
        if isinstance(ex, ValueExercise):
            value = parse_value(answer)
            value = value.tolist() if hasattr(value, "tolist") and getattr(value, "ndim", 0) else value
        elif isinstance(ex, ChoiceExercise):
            value = set(answer) if ex.multiple else answer
        elif isinstance(ex, SliderTask):
            # a FloatSlider's value carries the round-off of its steps (1.5999999999999999)
            value = {k: _shown(v) for k, v in answer.items()}
        else:
            return
        self.stored = value
        ns = _user_ns()
        if ns is not None:
            ns[ex.name] = value

    # ------------------------------------------------------------------ hints

    def _on_hint(self, _button=None) -> None:
        hints = self.exercise.hints if self.exercise else []
        if self.hints_shown >= len(hints):
            return
        self.hints_shown += 1
        items = "".join(f"<li>{html.escape(_(h))}</li>" for h in hints[: self.hints_shown])
        self.hints_area.value = f"<b>{html.escape(_('Hints'))}</b><ol style='margin:0.2em 0'>{items}</ol>"
        self._update_hint_button()

    def _update_hint_button(self) -> None:
        n = len(self.exercise.hints) if self.exercise else 0
        if n == 0:
            self.hint_button.description = _("No hints")
            self.hint_button.disabled = True
        elif self.hints_shown >= n:
            self.hint_button.description = _("All hints shown")
            self.hint_button.disabled = True
        else:
            self.hint_button.description = _("Show hint ({i} of {n})").format(i=self.hints_shown + 1, n=n)

    def _attempts_text(self) -> str:
        text = html.escape(_("Attempts: {n}").format(n=self.attempts))
        return f"<span style='margin-left:1em;color:#57606a'>{text}</span>"

    def __repr__(self) -> str:
        return f"ExerciseWidget({self.exercise_id!r})"


def _shown(value: Any) -> Any:
    """A float without the noise of binary round-off (12 significant digits); others as they are."""
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return float(f"{value:.12g}")
    return value


def _literal(value: Any) -> str:
    if isinstance(value, set):
        return "{" + ", ".join(repr(_shown(v)) for v in sorted(value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_shown(v)!r}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return repr(_clean_list(value))
    return repr(_shown(value))


def _clean_list(value: list) -> list:
    return [_clean_list(v) if isinstance(v, list) else _shown(v) for v in value]
