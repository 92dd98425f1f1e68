"""The package's message catalogues (nnbook/locales/*/LC_MESSAGES/*.po) are complete and current.

Every message the package shows a reader is translated (none untranslated, fuzzy or obsolete,
the same ``{placeholders}`` in both languages), and the catalogues hold exactly the messages of
today's source: extracting them again adds, changes and removes nothing. The tools are
``python -m nnbook.i18n update`` (refresh the catalogues from the source) and
``python -m nnbook.i18n check`` (list what is left to translate).
"""

import shutil

import polib
import pytest

from nnbook import i18n

CATALOGUES = sorted(p for folder in i18n.LANGUAGES.values() if folder
                    for p in (i18n.LOCALES / folder / "LC_MESSAGES").glob("*.po"))
REFRESH = "run python -m nnbook.i18n update, then translate (python -m nnbook.i18n check lists what is left)"


def test_the_exercise_catalogue_exists():
    assert i18n.catalogue_path("zh_CN", "exercises") in CATALOGUES, REFRESH


@pytest.mark.parametrize("path", CATALOGUES, ids=[f"{p.parent.parent.name}/{p.name}" for p in CATALOGUES])
def test_every_message_is_translated(path):
    problems = i18n.problems(path)
    assert not problems, f"{len(problems)} problems in {path}; {REFRESH}:\n" + "\n".join(problems)


def test_the_catalogues_are_up_to_date_with_the_source(tmp_path):
    """Extracting the messages again into a copy of the catalogues changes nothing."""
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, locales)
    report = i18n.update(locales=locales, quiet=True)
    stale = {path.name: counts for path, counts in report.items()
             if counts["new"] or counts["fuzzy"] or counts["obsolete"]}
    details = []
    for name in stale:
        fresh = polib.pofile(str(locales / "zh_CN" / "LC_MESSAGES" / name))
        details += [f"  {name}: {'obsolete' if e.obsolete else 'fuzzy' if 'fuzzy' in e.flags else 'new'}: "
                    f"{e.msgid[:100]!r}" for e in fresh
                    if e.obsolete or "fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values()))]
    assert not stale, f"the catalogues are behind the source {stale}; {REFRESH}:\n" + "\n".join(details[:60])


def test_the_exercise_catalogue_covers_the_exercise_banks():
    """Titles, hints, mistakes, options and explanations of every exercise have a translation."""
    from nnbook.exercises import registry

    table = i18n.catalogue("zh_CN")
    missing = []
    for ex in registry.all():
        if ex.chapter == 99:          # the tests' own exercises (tests/exercises/fixture_exercises.py)
            continue
        texts = [ex.title, *ex.hints]
        texts += [m for _w, m in getattr(ex, "mistakes", [])]
        texts += list(getattr(ex, "options", [])) + list(getattr(ex, "explanations", {}).values())
        missing += [f"{ex.id}: {t!r}" for t in texts if t not in table]
    assert not missing, f"not in the catalogue (marked with N_()?); {REFRESH}:\n" + "\n".join(missing)


# ------------------------------------------------------------------------------ the tool itself


def _po(entries):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in entries:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return po


def test_merge_adds_new_marks_changed_fuzzy_and_obsoletes_removed_messages():
    po = _po([("Keep me.", "留下。"), ("The gradient of {name} is wrong.", "{name} 的梯度不对。"),
              ("Remove me entirely, please.", "删掉。")])
    template = {(None, "Keep me."): {"msgid_plural": None, "occurrences": [("nnbook/x.py", 1)]},
                (None, "The gradient of `{name}` is wrong."): {"msgid_plural": None, "occurrences": [("nnbook/x.py", 2)]},
                (None, "Brand new text"): {"msgid_plural": None, "occurrences": [("nnbook/x.py", 3)]}}
    counts = i18n.merge(po, template)
    assert counts == {"new": 1, "fuzzy": 1, "obsolete": 1, "kept": 1}
    by = {e.msgid: e for e in po}
    assert by["Keep me."].msgstr == "留下。" and not by["Keep me."].flags
    changed = by["The gradient of `{name}` is wrong."]
    assert "fuzzy" in changed.flags and changed.msgstr == "{name} 的梯度不对。"
    assert changed.previous_msgid == "The gradient of {name} is wrong."
    assert by["Brand new text"].msgstr == "" and not by["Brand new text"].flags
    assert by["Remove me entirely, please."].obsolete


def test_check_reports_untranslated_fuzzy_obsolete_and_placeholder_mismatches(tmp_path):
    po = _po([("a {x} b", "甲 {y} 乙"), ("untranslated", ""), ("fine {n:g}", "好 {n:g}")])
    po.append(polib.POEntry(msgid="gone", msgstr="没了", obsolete=True))
    po.append(polib.POEntry(msgid="changed", msgstr="变了", flags=["fuzzy"]))
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save(str(folder / "exercises.po"))
    text = "\n".join(i18n.check(locales=tmp_path))
    assert "placeholders differ" in text and "'a {x} b'" in text
    assert "untranslated: 'untranslated'" in text
    assert "obsolete" in text and "'gone'" in text
    assert "fuzzy" in text and "'changed'" in text
    assert "fine" not in text
    assert i18n.placeholders("{{literal}} {a} {b:.3g}") == ["a", "b:.3g"]


def test_messages_of_exercises_and_grade_go_to_the_exercise_catalogue():
    assert i18n.domain_of("exercises/checking.py") == "exercises"
    assert i18n.domain_of("grade/judge.py") == "exercises"
    assert i18n.domain_of("page/plotting.py") == "page"
    assert i18n.domain_of("surface.py") == "page"
