"""Every chapter's quiz has a Chinese version that asks the same questions.

The Chinese quizzes live in ``nnbook/page/quizzes/zh_CN/<slug>.json`` (encoded like the English
ones). A translation may change the words only: the number, order and types of the questions,
the answers' correctness, values, ranges and precision are those of the English quiz. Edit one
with ``python -m nnbook.page.quiz decode --lang zh <slug>`` and ``... encode ... --out``;
``python -m nnbook.page.quiz check`` compares every translation with its English quiz.
"""

import json
import re

import pytest

from nnbook.i18n import language
from nnbook.page import quiz as Q

SLUGS = Q.available()
CJK = re.compile(r"[\u3400-\u9fff]")
#: Two English words in a row (outside $math$): a text that has them must be translated.
PROSE = re.compile(r"[A-Za-z]{2,}[\s,]+[A-Za-z]{2,}")


def has_prose(text):
    return bool(PROSE.search(re.sub(r"\$[^$]*\$", " ", text)))


def zh(slug):
    return Q.load_questions(slug, "zh_CN")


def en(slug):
    return Q.load_questions(slug, "en")


def test_every_chapter_has_a_chinese_quiz():
    assert SLUGS, "no English quizzes found"
    missing = [s for s in SLUGS if not (Q.QUIZ_DIR / "zh_CN" / f"{s}.json").is_file()]
    assert not missing, f"no Chinese quiz for {missing}: write nnbook/page/quizzes/zh_CN/<slug>.json"
    assert "zh_CN" in Q.languages()


@pytest.mark.parametrize("slug", SLUGS)
def test_the_chinese_quiz_is_encoded_and_valid(slug):
    raw = json.loads((Q.QUIZ_DIR / "zh_CN" / f"{slug}.json").read_text(encoding="utf-8"))
    assert raw["format"] == Q.FORMAT and raw["slug"] == slug
    Q.validate(Q.decode_questions(raw))
    assert "正确" not in json.dumps(raw, ensure_ascii=False), "the shipped file shows text in plain"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_chinese_quiz_asks_the_english_questions(slug):
    english, chinese = en(slug), zh(slug)
    assert len(chinese) == len(english), f"{slug}: {len(chinese)} questions, English has {len(english)}"
    for n, (qe, qz) in enumerate(zip(english, chinese), 1):
        assert qz["type"] == qe["type"], f"{slug} question {n}: type {qz['type']} != {qe['type']}"
        assert qz.get("precision") == qe.get("precision"), f"{slug} question {n}: precision differs"
        assert len(qz["answers"]) == len(qe["answers"]), f"{slug} question {n}: number of answers differs"
        for k, (ae, az) in enumerate(zip(qe["answers"], qz["answers"]), 1):
            where = f"{slug} question {n} answer {k}"
            assert az.get("correct") == ae.get("correct"), f"{where}: correctness differs"
            assert az.get("type") == ae.get("type"), f"{where}: answer type differs"
            assert az.get("value") == ae.get("value"), f"{where}: value differs"
            assert az.get("range") == ae.get("range"), f"{where}: range differs"
            assert ("feedback" in az) == ("feedback" in ae), f"{where}: feedback present in one language only"
    assert Q.structure(chinese) == Q.structure(english)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_of_the_chinese_quiz_is_chinese(slug):
    english, chinese = en(slug), zh(slug)
    def translated(english_text, chinese_text):
        """Chinese where the English is prose; a formula or a number may stay as it is."""
        return bool(CJK.search(chinese_text)) or not has_prose(english_text)

    for n, (qe, qz) in enumerate(zip(english, chinese), 1):
        assert CJK.search(qz["question"]), f"{slug} question {n} is not translated: {qz['question']!r}"
        for k, (ae, az) in enumerate(zip(qe["answers"], qz["answers"]), 1):
            where = f"{slug} question {n} answer {k}"
            if "feedback" in az:
                assert translated(ae["feedback"], az["feedback"]), f"{where}: feedback not translated: {az['feedback']!r}"
            if qz["type"] != "numeric" and "answer" in az:
                assert translated(ae["answer"], az["answer"]), f"{where}: option not translated: {az['answer']!r}"
                if not CJK.search(az["answer"]) and not has_prose(ae["answer"]):
                    # an option that is a formula: the same formula (up to the case of a name)
                    assert az["answer"].lower() == ae["answer"].lower(), f"{where}: the formula changed"
    texts = Q.words(chinese)
    share = sum(bool(CJK.search(t)) for t in texts) / len(texts)
    assert share > 0.6, f"{slug}: only {share:.0%} of the texts are Chinese"


def test_the_quiz_file_follows_the_language_and_falls_back_to_english(tmp_path, monkeypatch):
    with language("zh"):
        assert Q.quiz_path("backprop") == Q.QUIZ_DIR / "zh_CN" / "backprop.json"
        assert CJK.search(Q.load_questions("backprop")[0]["question"])
    with language("en"):
        assert Q.quiz_path("backprop") == Q.QUIZ_DIR / "backprop.json"
        assert not CJK.search(Q.load_questions("backprop")[0]["question"])
    # a chapter without a translation shows its English quiz
    monkeypatch.setattr(Q, "QUIZ_DIR", tmp_path)
    (tmp_path / "only.json").write_text("[]", encoding="utf-8")
    with language("zh"):
        assert Q.quiz_path("only") == tmp_path / "only.json"


def _shown(slug, lang, monkeypatch):
    """What quiz(slug) displays in `lang`: the questions in the hidden element, and the scripts."""
    import base64

    import IPython.display
    import jupyterquiz.dynamic.display as jq

    out = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: out.extend(objs))
    monkeypatch.setattr(jq, "display", lambda *objs, **kw: out.extend(objs))
    with language(lang):
        Q.quiz(slug)
    data = re.search(r">([^<]+)</span>", out[0].data).group(1)
    scripts = "".join(o.data or "" for o in out if type(o).__name__ == "Javascript")
    return json.loads(base64.b64decode(data)), scripts


def test_quiz_shows_chinese_questions_and_jupyterquiz_speaks_chinese(monkeypatch):
    questions, scripts = _shown("backprop", "zh", monkeypatch)
    assert questions == zh("backprop")
    for english, chinese in [('"Correct!"', '"正确！"'), ('"Incorrect -- try again."', '"不对，请再试一次。"'),
                             ('"Type numeric answer here:"', '"在此输入数值答案："')]:
        assert english not in scripts and chinese in scripts, english


def test_quiz_in_english_is_unchanged(monkeypatch):
    questions, scripts = _shown("backprop", "en", monkeypatch)
    assert questions == en("backprop")
    assert '"Correct!"' in scripts and '"Type numeric answer here:"' in scripts
    assert not CJK.search(scripts.replace("\\u3400-\\u9fff", ""))


def test_the_quiz_check_command_compares_the_translations(capsys):
    assert Q.main(["check"]) == 0
    out = capsys.readouterr().out
    assert all(f"ok      zh_CN/{s}" in out for s in SLUGS)
