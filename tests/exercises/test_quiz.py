"""Quizzes render as HTML + JavaScript with the answers encoded, never in plain text."""

import base64
import json

import pytest

from nnbook.page import quiz as quiz_module

QUESTIONS = [
    {"question": "Largest value of the sigmoid's slope?", "type": "multiple_choice",
     "answers": [{"answer": "one quarter", "correct": True, "feedback": "Right: at a = 0."},
                 {"answer": "one half", "correct": False, "feedback": "That is sigma(0)."}]},
    {"question": "tanh'(0) = ?", "type": "numeric", "precision": 3,
     "answers": [{"type": "value", "value": 0.987654, "correct": True, "feedback": "Exactly."},
                 {"type": "value", "value": 3.25, "tolerance": 0.5, "correct": False, "feedback": "Too big."},
                 {"type": "default", "feedback": "Use 1 - tanh squared."}]},
]
SECRETS = ["one quarter", "0.987654", "Right: at a = 0.", "Exactly.", "Too big.", '"correct": true', '"correct":true']


@pytest.fixture
def quiz_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(quiz_module, "QUIZ_DIR", tmp_path)
    return tmp_path


def _captured_outputs(monkeypatch, slug):
    shown = []
    import IPython.display
    import jupyterquiz.dynamic.display as jqd

    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    monkeypatch.setattr(jqd, "display", lambda *objs, **kw: shown.extend(objs))
    quiz_module.quiz(slug)
    return shown


def test_quiz_output_is_html_and_javascript_without_plain_answers(quiz_dir, monkeypatch):
    src = quiz_dir / "draft.json"
    src.write_text(json.dumps(QUESTIONS))
    assert quiz_module.main(["encode", str(src), "--out", str(quiz_dir / "demo.json")]) == 0
    shown = _captured_outputs(monkeypatch, "demo")
    kinds = [type(o).__name__ for o in shown]
    # the hidden questions, jupyterquiz's container and script, then the book's ARIA pass
    assert kinds == ["HTML", "HTML", "Javascript", "Javascript"]
    assert "radiogroup" in str(shown[3].data) and "nnbquiz-demo-" in str(shown[3].data)
    page = "".join(str(o.data) for o in shown)
    for secret in SECRETS:
        assert secret not in page
    assert "display:none" in page and "nnbquiz-demo-" in page
    # the hidden element holds base64 JSON that jupyterquiz decodes in the browser
    span = str(shown[0].data)
    data = span.split(">", 1)[1].rsplit("<", 1)[0]
    decoded = json.loads(base64.b64decode(data))
    assert decoded[0]["answers"][0]["answer"] == "one quarter"
    assert 'document.getElementById("' + span.split('id="')[1].split('"')[0] + '")' in page


def test_shipped_file_has_no_plain_answers_and_round_trips(quiz_dir, capsys):
    src = quiz_dir / "draft.json"
    src.write_text(json.dumps(QUESTIONS))
    quiz_module.main(["encode", str(src), "--out", str(quiz_dir / "demo.json")])
    shipped = (quiz_dir / "demo.json").read_text()
    for secret in SECRETS:
        assert secret not in shipped
    capsys.readouterr()
    assert quiz_module.main(["decode", str(quiz_dir / "demo.json")]) == 0
    back = json.loads(capsys.readouterr().out)
    assert back[0] == QUESTIONS[0]
    assert back[1]["answers"][1]["type"] == "range"  # tolerance became a jupyterquiz range
    assert back[1]["answers"][1]["range"][0] == pytest.approx(2.75)
    assert back[1]["answers"][1]["range"][1] == pytest.approx(3.75)


def test_non_ascii_text_survives_the_browser_atob_decoding(quiz_dir):
    q = [{"question": "σ'(0) = ? (η, δ)", "type": "multiple_choice",
          "answers": [{"answer": "¼", "correct": True}, {"answer": "½", "correct": False}]}]
    (quiz_dir / "x.json").write_text(json.dumps(quiz_module.encode_questions(q, "x")))
    span, _ = quiz_module.quiz_html("x")
    raw = base64.b64decode(span.split(">", 1)[1].rsplit("<", 1)[0])
    assert raw.isascii()  # window.atob yields bytes as Latin-1; JSON escapes keep them intact
    assert json.loads(raw)[0]["question"] == "σ'(0) = ? (η, δ)"


def test_shipped_quizzes_use_the_books_one_answer_encoding(quiz_dir):
    from nnbook.page import encoding

    shipped = quiz_module.encode_questions(QUESTIONS, "demo")
    assert shipped["format"] == quiz_module.FORMAT and encoding.is_encoded(shipped["data"])
    assert quiz_module.decode_questions(shipped)[0] == QUESTIONS[0]
    # a file of the first format (plain base64) is still read, so `encode` can re-encode it
    text = json.dumps(quiz_module.decode_questions(shipped), ensure_ascii=True, separators=(",", ":"))
    old = {"format": quiz_module.OLD_FORMAT, "slug": "demo", "data": base64.b64encode(text.encode()).decode()}
    assert quiz_module.decode_questions(old) == quiz_module.decode_questions(shipped)
    (quiz_dir / "demo.json").write_text(json.dumps(old))
    assert quiz_module.main(["check"]) == 1                    # ... but never shipped
    assert quiz_module.main(["encode", str(quiz_dir / "demo.json")]) == 0
    assert json.loads((quiz_dir / "demo.json").read_text())["format"] == quiz_module.FORMAT
    assert quiz_module.main(["check"]) == 0


@pytest.mark.parametrize(
    "bad",
    [[], [{"type": "multiple_choice", "answers": []}],
     [{"question": "q", "type": "essay", "answers": [{"answer": "a", "correct": True}]}],
     [{"question": "q", "type": "multiple_choice", "answers": [{"answer": "a", "correct": False}]}],
     [{"question": "q", "type": "numeric", "answers": [{"type": "value", "value": 1, "correct": False}]}]],
)
def test_malformed_quizzes_are_refused(bad):
    with pytest.raises(ValueError):
        quiz_module.validate(bad)


def test_unknown_slug_suggests_close_ones(quiz_dir):
    (quiz_dir / "backprop.json").write_text(json.dumps(quiz_module.encode_questions(QUESTIONS, "backprop")))
    with pytest.raises(FileNotFoundError, match="backprop"):
        quiz_module.load_questions("backprob")


def test_every_shipped_quiz_is_encoded_and_valid(capsys):
    """The quizzes of the book's chapters (code/nnbook/page/quizzes/*.json)."""
    code = quiz_module.main(["check"])
    assert code == 0, capsys.readouterr().out
