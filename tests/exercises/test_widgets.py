"""Exercise widgets work without a kernel: click, read feedback, reveal hints, count attempts."""

from nnbook.exercises.widgets import ExerciseWidget


def test_value_widget_wrong_then_right():
    w = ExerciseWidget("testing.eta")
    w.answer_box.value = "0.5"
    w.check_button.click()
    assert "0.5 is the value of the sigmoid at 0" in w.feedback.value
    assert "0 / 1 points" in w.feedback.value
    assert "Attempts: 1" in w.attempts_label.value
    w.answer_box.value = "1/4"
    w.check_button.click()
    assert w.last_result.passed and "1 / 1 points" in w.feedback.value
    assert "Attempts: 2" in w.attempts_label.value
    assert w.stored == 0.25 and "eta_max" in w.feedback.value


def test_value_widget_reports_unreadable_text_without_counting_an_attempt():
    w = ExerciseWidget("testing.eta")
    w.answer_box.value = "a quarter"
    w.check_button.click()
    assert "Cannot read this" in w.feedback.value and w.attempts == 0


def test_array_answers_are_parsed():
    from nnbook.exercises import encode, registry, value_exercise

    value_exercise(id="testing.matrix", chapter=99, title="m", points=1, name="M",
                   answer=encode([[1.0, 2.0], [3.0, 4.0]]), mistakes=[(encode([[1.0, 3.0], [2.0, 4.0]]), "transposed")])
    try:
        w = ExerciseWidget("testing.matrix")
        w.answer_box.value = "[1, 3; 2, 4]"
        w.check_button.click()
        assert "transposed" in w.feedback.value
        w.answer_box.value = "[1, 2; 3, 4]"
        w.check_button.click()
        assert w.last_result.passed and w.stored == [[1.0, 2.0], [3.0, 4.0]]
    finally:
        registry.unregister("testing.matrix")


def test_hints_are_revealed_one_by_one():
    w = ExerciseWidget("testing.scale")
    assert w.hints_area.value == "" and w.hint_button.description == "Show hint (1 of 2)"
    w.hint_button.click()
    assert "Multiply every entry by a." in w.hints_area.value and "return a * x" not in w.hints_area.value
    w.hint_button.click()
    assert "return a * x" in w.hints_area.value
    assert w.hint_button.disabled and w.hint_button.description == "All hints shown"


def test_choice_widget_uses_radio_buttons():
    w = ExerciseWidget("testing.pick")
    w.check_button.click()
    assert "Choose an option first" in w.feedback.value and w.attempts == 0
    w.choice.value = 0
    w.check_button.click()
    assert "ReLU has slope 1" in w.feedback.value and not w.last_result.passed
    w.choice.value = 1
    w.check_button.click()
    assert w.last_result.passed and w.stored == 1


def test_multiple_choice_widget_uses_checkboxes():
    from nnbook.exercises import choice_exercise, encode, registry

    choice_exercise(id="testing.multi-w", chapter=99, title="t", points=1, name="mw", options=["a", "b", "c"],
                    answer=encode({0, 2}))
    try:
        w = ExerciseWidget("testing.multi-w")
        assert w.choice is None and len(w.checkboxes) == 3
        w.checkboxes[0].value = True
        w.check_button.click()
        assert "Some correct options are missing" in w.feedback.value
        w.checkboxes[2].value = True
        w.check_button.click()
        assert w.last_result.passed and w.stored == {0, 2}
    finally:
        registry.unregister("testing.multi-w")


def test_slider_widget():
    w = ExerciseWidget("testing.knob")
    assert type(w.sliders["hidden"]).__name__ == "IntSlider"
    assert type(w.sliders["eta"]).__name__ == "FloatSlider"
    w.check_button.click()
    assert "eta * hidden = 0.200" in w.feedback.value and not w.last_result.passed
    w.sliders["eta"].value = 0.6
    w.check_button.click()
    assert w.last_result.passed and w.stored == {"eta": 0.6, "hidden": 2}
    assert "knob_setting" in w.feedback.value


def test_function_widget_without_a_definition_says_so():
    w = ExerciseWidget("testing.row-norms")
    w.check_button.click()
    assert "is not defined yet" in w.feedback.value


def test_unknown_id_shows_suggestions():
    w = ExerciseWidget("testing.etaa")
    assert w.exercise is None and "testing.eta" in w.feedback.value


def test_slider_values_are_stored_and_shown_without_round_off_noise():
    """A FloatSlider's value carries the round-off of its steps; the student sees clean numbers."""
    w = ExerciseWidget("testing.knob")
    w.sliders["eta"].value = 0.6
    w.sliders["eta"].value = 0.1 + 0.2 + 0.30000000000000004      # 0.6000000000000001
    assert w.sliders["eta"].value != 0.6
    w.check_button.click()
    assert w.stored == {"eta": 0.6, "hidden": 2}
    assert "{&#x27;eta&#x27;: 0.6, &#x27;hidden&#x27;: 2}" in w.feedback.value
    assert "0000000" not in w.feedback.value and "99999" not in w.feedback.value


def test_hint_button_is_as_wide_as_its_label():
    """The default Button width (148 px) cut the label to "Show hint (1 of…"."""
    w = ExerciseWidget("testing.scale")
    assert w.hint_button.layout.width == "auto"
