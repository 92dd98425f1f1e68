"""The student's path in a real JupyterLab: Binder's environment, the generated notebooks, Chromium.

JupyterLab starts from ``.venv-binder`` (Binder's requirements and ``binder/postBuild``) on
127.0.0.1 with a token, serving copies of ``book/``, ``student/`` and ``jupytext.toml``
(``jupyterlab_support.py``). For each chapter of the sample, the reader's notebook is opened in
headless Chromium (offline: any request to another host is blocked and reported), run with
*Run > Run All Cells*, and checked as a student would look at it:

* no cell has an error output or printed to stderr; no JavaScript error, no console error,
  no request to the internet (so no second MathJax from a CDN: the quizzes use JupyterLab's);
* JupyterLab asks nothing at start (no "Jupyter news?" notification);
* the Markdown is typeset: math rendered, no raw TeX delimiters, no raw MyST;
* widgets are rendered; a live slider figure shows another frame when its slider is moved
  with the keyboard; an exercise widget's Check button gives feedback; the hint button's
  label is not cut;
* every ``check(...)`` cell shows its result — and none shows full points: Run All does not
  run the reference solutions (their cells are folded and print why);
* the quiz answers a click with feedback, without a page error;
* saving the notebook (Ctrl+S) leaves the file as generated (no outputs: the server hook).

Once per run: a MyST page opened as a Jupytext notebook is left unchanged by a save, and the
student edition of a chapter runs through.

Screenshots go to ``_build/screenshots/jupyterlab-*.png``. The sample (three chapters, about
two minutes on two cores) runs in ``make test``; ``NNBOOK_JUPYTERLAB_ALL=1`` runs every
notebook page (the weekly workflow).
"""

from __future__ import annotations

import os
import re
import time

import pytest
from browser_support import SCREENSHOTS, chromium_path
from jupyterlab_support import REPO, JupyterLab, binder_problems, lay_out, open_in_lab, run_all

# With pytest-xdist (make browser: -n 2 --dist loadgroup) these tests share one worker and so
# one fixture instance (the jupyterlab fixtures are expensive).
pytestmark = pytest.mark.xdist_group("jupyterlab")

SAMPLE = ["ch02_neurons", "ch08_gradient_descent", "ch11_matrix_backprop"]
ALL = os.environ.get("NNBOOK_JUPYTERLAB_ALL") == "1"


def _chapters() -> list[str]:
    from nnbook.publish import notebooks

    pages = [p.stem for p in notebooks.notebook_pages(REPO)]
    return pages if ALL else [p for p in SAMPLE if p in pages]


CHAPTERS = _chapters()
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    problems = binder_problems()
    if not (os.path.isfile(chromium_path()) and os.access(chromium_path(), os.X_OK)):
        problems.append(f"no Chromium at {chromium_path()}: apt-get install -y chromium (or set $CHROMIUM)")
    if problems:
        pytest.fail("The JupyterLab test cannot run: " + "; ".join(problems), pytrace=False)
    from nnbook.publish import notebooks

    work = tmp_path_factory.mktemp("jupyterlab")
    pages = notebooks.notebook_pages(REPO)
    files = [notebooks.notebook_path(p) for p in pages] + sorted((REPO / "student").glob("*.ipynb"))
    files += [notebooks.notebook_path(p, "zh_CN") for p in pages if p.stem == CHINESE]
    root = lay_out(work, files, extra=[REPO / "book" / "ch02_neurons.md"])
    start = time.monotonic()
    server = JupyterLab(root, work / "jupyterlab.log").start()
    TIMINGS["start JupyterLab"] = time.monotonic() - start
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chromium(browser):
    """The suite's one Chromium (conftest): a second sync Playwright in the same run would fail."""
    return browser


@pytest.fixture(scope="module", params=CHAPTERS)
def chapter(request, lab, chromium):
    """A chapter's reader notebook, opened in JupyterLab and run with Run All Cells."""
    name = request.param
    start = time.monotonic()
    loaded = open_in_lab(chromium, lab, f"book/{name}.ipynb")
    loaded.opened_after = time.monotonic() - start
    loaded.ran_in = run_all(loaded)
    loaded.page.wait_for_timeout(1500)                  # quizzes and widget views finish drawing
    TIMINGS[name] = time.monotonic() - start
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    loaded.page.screenshot(path=str(SCREENSHOTS / f"jupyterlab-{name}.png"))
    loaded.name = name
    try:
        yield loaded
    finally:
        loaded.page.context.close()


def _outputs(page) -> list[dict]:
    """Every output of every code cell of the notebook in the main area (nbformat JSON), with its cell."""
    return page.evaluate("""() => {
      const w = window.jupyterapp.shell.currentWidget;
      const out = [];
      w.content.widgets.forEach((c, i) => {
        if (c.model.type !== 'code') return;
        const src = c.model.sharedModel.getSource();
        c.model.outputs.toJSON().forEach(o => out.push({cell: i, source: src, output: o}));
      });
      return out;
    }""")


def _scroll_to(page, locator):
    locator.scroll_into_view_if_needed(timeout=10_000)
    page.wait_for_timeout(300)


# ------------------------------------------------------------------------------ the checks


def test_run_all_gives_no_error_and_prints_nothing_to_stderr(chapter):
    bad = [f"cell {o['cell']}: {o['output'].get('ename', '')} {o['output'].get('evalue', '')}"
           f"{''.join(o['output'].get('text', ''))[:300]}" for o in _outputs(chapter.page)
           if o["output"]["output_type"] == "error"
           or (o["output"]["output_type"] == "stream" and o["output"].get("name") == "stderr")]
    assert not bad, f"{chapter.name}: Run All left errors or stderr output:\n" + "\n".join(bad)


def test_no_javascript_error_and_nothing_from_the_internet(chapter):
    assert not chapter.errors, f"{chapter.name}: uncaught JavaScript errors:\n" + "\n".join(chapter.errors)
    assert not chapter.console_errors, f"{chapter.name}: console errors:\n" + "\n".join(chapter.console_errors)
    assert not chapter.external, f"{chapter.name}: requests to other hosts (blocked): {chapter.external}"
    mathjax = chapter.page.evaluate("""() => ({
        version: window.MathJax && window.MathJax.version,
        scripts: Array.from(document.scripts).filter(s => /mathjax/i.test(s.src)).map(s => s.src)})""")
    assert mathjax["version"] and not mathjax["scripts"], f"a second MathJax was loaded: {mathjax}"


def test_jupyterlab_asks_nothing_at_start(chapter):
    toasts = chapter.page.locator(".Toastify__toast").all_inner_texts()
    assert not [t for t in toasts if "news" in t.lower() or "update" in t.lower()], toasts


def test_markdown_is_typeset_without_raw_tex_or_myst(chapter):
    found = chapter.page.evaluate("""() => {
      const cells = Array.from(document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown'));
      let math = 0; const raw = [];
      cells.forEach(c => {
        math += c.querySelectorAll('mjx-container, .katex').length;
        const copy = c.cloneNode(true);
        copy.querySelectorAll('code, pre, mjx-container, .katex, .MathJax, script, style').forEach(e => e.remove());
        const text = copy.textContent;
        const m = text.match(/\\$[^$\\s][^$]*\\$|\\\\\\(|\\\\\\[|\\{(doc|ref|glue:text|glue:md|cite|exercise|solution-start)\\}|^:label:/m);
        if (m) raw.push(m[0] + ' in: ' + text.slice(Math.max(0, m.index - 60), m.index + 60));
      });
      return {cells: cells.length, math, raw};
    }""")
    assert found["cells"] > 10 and found["math"] > 0, f"{chapter.name}: Markdown not rendered/typeset: {found}"
    assert not found["raw"], f"{chapter.name}: raw TeX or MyST in the rendered Markdown: {found['raw'][:5]}"


def test_widgets_are_rendered(chapter):
    views = chapter.page.evaluate("""() => {
      const v = Array.from(document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets'));
      return {n: v.length, errors: v.filter(e => /Error displaying widget|Loading widget/.test(e.textContent)).length}
    }""")
    assert views["n"] > 0 and views["errors"] == 0, f"{chapter.name}: widget views {views}"


def test_live_slider_changes_its_figure_from_the_keyboard(chapter):
    page = chapter.page
    box = page.locator(".nnb-slider-live").first
    _scroll_to(page, box)
    image = box.locator("img").first
    before = image.get_attribute("src")
    readout = box.locator("div.widget-label").first.inner_text()      # the Label "name = value"
    handle = box.locator(".noUi-handle, .ui-slider-handle, input[type=range]").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([img, src]) => img.getAttribute('src') !== src",
                           arg=[image.element_handle(), before], timeout=20_000)
    assert box.locator("div.widget-label").first.inner_text() != readout
    page.screenshot(path=str(SCREENSHOTS / f"jupyterlab-{chapter.name}-slider.png"))


def test_exercise_widget_check_button_gives_feedback_and_hint_label_fits(chapter):
    page = chapter.page
    check = page.locator(".jp-OutputArea-output .jupyter-widgets button:has-text('Check')").first
    _scroll_to(page, check)
    widget = check.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    before = widget.inner_text()
    check.click()
    page.wait_for_function("([el, text]) => el.innerText !== text", arg=[widget.element_handle(), before],
                           timeout=20_000)
    assert len(widget.inner_text()) > len(before), f"{chapter.name}: the Check button gave no feedback"
    hints = page.locator(".jp-OutputArea-output .jupyter-widgets button:has-text('Show hint')")
    for i in range(hints.count()):
        fits = hints.nth(i).evaluate("b => ({text: b.innerText, fits: b.scrollWidth <= b.clientWidth + 1})")
        assert fits["fits"] and re.search(r"Show hint \(1 of \d+\)", fits["text"]), fits


def test_check_cells_show_a_result_and_run_all_gives_no_free_points(chapter):
    outputs = _outputs(chapter.page)
    checks = {}
    for o in outputs:
        if re.match(r"\s*check\(", o["source"]):
            html = o["output"].get("data", {}).get("text/html", "")
            checks.setdefault(o["cell"], []).append("".join(html) if isinstance(html, list) else html)
    assert checks, f"{chapter.name}: no check(...) cell"
    for cell, htmls in checks.items():
        shown = "".join(htmls)
        assert "nnbook-result" in shown, f"{chapter.name}: check cell {cell} shows no result"
        assert "&#10004;" not in shown and "✔" not in shown, (
            f"{chapter.name}: check cell {cell} shows full points after Run All: a reference solution ran")
    solutions = [o for o in outputs if o["source"].startswith("%%solution ")]
    assert solutions and all("not run (Run All skips it)" in "".join(o["output"].get("text", ""))
                             for o in solutions), f"{chapter.name}: solution cells did not say they were skipped"
    folded = chapter.page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.type === 'code' && c.model.sharedModel.getSource().startsWith('%%solution'))
        .every(c => c.inputHidden)""")
    assert folded, f"{chapter.name}: a reference solution cell is not folded"


def test_quiz_answers_with_feedback(chapter):
    page = chapter.page
    quiz = page.locator(".jp-OutputArea-output .Quiz").first
    _scroll_to(page, quiz)
    button = page.locator(".jp-OutputArea-output .Quiz .MCButton").first
    errors_before = len(chapter.errors)
    button.click()
    page.wait_for_selector(".jp-OutputArea-output .Feedback.correct, .jp-OutputArea-output .Feedback.incorrect",
                           timeout=10_000)
    page.wait_for_timeout(700)
    assert len(chapter.errors) == errors_before, chapter.errors[errors_before:]
    has_tex = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-OutputArea-output .Quiz'))
        .map(q => q.cloneNode(true)).map(c => { c.querySelectorAll('mjx-container').forEach(e => e.remove());
        return /\\$[^$\\s][^$]*\\$/.test(c.textContent); }).some(x => x)""")
    assert not has_tex, f"{chapter.name}: quiz math left as TeX"
    page.screenshot(path=str(SCREENSHOTS / f"jupyterlab-{chapter.name}-quiz.png"))


def test_saving_after_run_all_leaves_the_generated_file_as_it_was(chapter, lab):
    page = chapter.page
    path = lab.root / "book" / f"{chapter.name}.ipynb"
    generated = (REPO / "book" / f"{chapter.name}.ipynb").read_bytes()
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save').then(() => true)")
    page.wait_for_function("""() => !window.jupyterapp.shell.currentWidget.context.model.dirty""", timeout=20_000)
    assert path.read_bytes() == generated, (
        f"{chapter.name}: saving in JupyterLab changed the generated notebook (outputs or metadata saved)")


# ---------------------------------------------------------------------------- once a run


def test_myst_page_opened_with_jupytext_saves_unchanged(lab, chromium):
    """Open With > Jupytext Notebook on a page, then save without an edit: the file stays as it is."""
    page_path = lab.root / "book" / "ch02_neurons.md"
    original = page_path.read_bytes()
    loaded = open_in_lab(chromium, lab, "book/ch02_neurons.ipynb")
    page = loaded.page
    try:
        page.evaluate("""() => window.jupyterapp.commands.execute('docmanager:open',
                          {path: 'book/ch02_neurons.md', factory: 'Jupytext Notebook'}).then(() => true)""")
        page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
            return w && w.context && w.context.path === 'book/ch02_neurons.md' && w.content
                   && w.content.widgets.length > 10 && w.sessionContext.session
                   && w.sessionContext.session.kernel; }""", timeout=60_000)
        page.wait_for_timeout(2000)
        page.screenshot(path=str(SCREENSHOTS / "jupyterlab-myst-page.png"))
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save').then(() => true)")
        page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=20_000)
        page.wait_for_timeout(500)
        assert page_path.read_bytes() == original, "saving the unedited page in JupyterLab changed it"
        assert not loaded.errors, loaded.errors
    finally:
        page.context.close()


def test_student_edition_runs_through_without_errors(lab, chromium):
    name = "ch11_matrix_backprop" if "ch11_matrix_backprop" in CHAPTERS else CHAPTERS[-1]
    loaded = open_in_lab(chromium, lab, f"student/{name}.ipynb")
    try:
        run_all(loaded)
        outputs = _outputs(loaded.page)
        bad = [o for o in outputs if o["output"]["output_type"] == "error"]
        assert not bad, f"student/{name}.ipynb: errors on Run All: {bad[:3]}"
        assert not loaded.errors, loaded.errors
        shown = "".join("".join(o["output"].get("data", {}).get("text/html", "")) for o in outputs
                        if re.match(r"\s*check\(", o["source"]))
        assert "write your solution here" in shown and "&#10004;" not in shown, (
            f"student/{name}.ipynb: check(...) should say the placeholder is not written yet")
    finally:
        loaded.page.context.close()


CHINESE = "ch08_gradient_descent"


def test_chinese_notebook_runs_and_its_checks_answer_in_chinese(lab, chromium):
    """The Chinese edition's notebook (book/zh/): Run All gives no error, its text, check(...)
    results, widgets and quiz are in Chinese."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    start = time.monotonic()
    loaded = open_in_lab(chromium, lab, f"book/zh/{CHINESE}.ipynb")
    try:
        run_all(loaded)
        page = loaded.page
        page.wait_for_timeout(1500)
        TIMINGS[f"zh/{CHINESE}"] = time.monotonic() - start
        page.screenshot(path=str(SCREENSHOTS / f"jupyterlab-zh-{CHINESE}.png"))
        outputs = _outputs(page)
        bad = [o for o in outputs if o["output"]["output_type"] == "error"
               or (o["output"]["output_type"] == "stream" and o["output"].get("name") == "stderr")]
        assert not bad, f"book/zh/{CHINESE}.ipynb: errors on Run All: {bad[:3]}"
        assert not loaded.errors, loaded.errors
        checks = ["".join(o["output"].get("data", {}).get("text/html", "")) for o in outputs
                  if re.match(r"\s*check\(", o["source"])]
        assert checks and all(cjk.search(c) for c in checks), (
            f"book/zh/{CHINESE}.ipynb: a check(...) result is not in Chinese: {[c[:200] for c in checks]}")
        markdown = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-MarkdownOutput'))
            .map(e => e.innerText).join('\\n')""")
        # JupyterLab renders only the cells near the view: a few hundred characters are there
        assert len(cjk.findall(markdown)) > 100, "the notebook's text is not Chinese"
        quiz = page.locator(".jp-OutputArea-output .Quiz").first
        assert cjk.search(quiz.inner_text()), "the quiz is not in Chinese"
    finally:
        loaded.page.context.close()


def test_report_timings():
    """Last in the file: the time each step took (printed with -s, and in the report on failure)."""
    print("\nJupyterLab test timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in TIMINGS.items()))
