"""Every page of the built book, checked in headless Chromium as a reader would see it.

One test per check and page; the page id in brackets names the page (``ch08_gradient_descent``).
A page is loaded once, in its own browser context, and all its checks look at that load
(see conftest.py). A check runs on the pages whose HTML has what it checks (a quiz test for
pages with a quiz, ...); ``test_source_features_reach_the_html`` makes sure that nothing
the sources declare is missing from the HTML and so escapes those checks.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import FAILING_IMPACTS, READY_TIMEOUT_MS, REPO, book_config, catalogue, run_axe

# Errors allowed on a page, by exact message text (JsError.text), each with the reason why it
# cannot be avoided. Empty: none is.
ALLOWED_CONSOLE_ERRORS: dict[str, str] = {}


def _unexpected(errors) -> list:
    return [e for e in errors if e.text not in ALLOWED_CONSOLE_ERRORS]


def _short(text: str, n: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _listing(items) -> str:
    return "\n  - " + "\n  - ".join(_short(i, 600) for i in items)


# ------------------------------------------------------------------ loading, errors, network


@pytest.mark.book_pages()
def test_page_loads_without_javascript_errors(book_page):
    problems = [f"JavaScript {e}" for e in _unexpected(book_page.errors)]
    problems += [f"site file failed to load: {f}" for f in book_page.local_failures]
    problems += [f"not finished within {READY_TIMEOUT_MS / 1000:.0f} s: {w}" for w in book_page.not_ready]
    assert not problems, f"{book_page.where()}: {len(problems)} problems while loading:{_listing(problems)}"


@pytest.mark.book_pages()
def test_no_request_leaves_the_site(book_page):
    """Offline: the page was loaded with every host but the site blocked, and asked none.

    Every script, style sheet and font comes from the site's _static (book/_static/npm
    for MathJax, require.js and the widget manager); a reader without internet, or behind a
    firewall that blocks CDNs, sees the same page. (Thebe and the launch buttons reach Binder
    or Colab only when clicked; nothing here clicks them.)
    """
    assert not book_page.unrouted, (
        f"{book_page.where()}: requests to other hosts than the site (blocked here, and lost "
        "for a reader offline):"
        + _listing(f"{url} [{kind}]: {why}" for url, kind, why in book_page.unrouted))
    assert not book_page.integrity_problems, (
        f"{book_page.where()}: pinned script hashes that the local copies do not match:"
        + _listing(book_page.integrity_problems))


# ------------------------------------------------------------------ accessibility (axe-core)


# Violations accepted on the pages, each of a third-party component that the book cannot fix:
# (axe rule id, CSS selector of the element as axe names it (a regular expression), the
# component, why it cannot be fixed). Keep it short; README, "Accessibility", lists them.
AXE_EXCEPTIONS: list[tuple[str, str, str, str]] = []


def _accepted(rule: str, target: str) -> bool:
    return any(rule == r and re.search(sel, target) for r, sel, _, _ in AXE_EXCEPTIONS)


def _axe_failures(result: dict) -> list[str]:
    out = []
    for v in result["violations"]:
        for n in v["nodes"]:
            impact = n["impact"] or v["impact"]
            if impact in FAILING_IMPACTS and not _accepted(v["id"], n["target"]):
                out.append(f"{v['id']} ({impact}: {v['help']}) at {n['target']}: {n['html']} "
                           f"-- {n['summary']}")
    return out


@pytest.mark.book_pages()
def test_axe_finds_no_serious_or_critical_violation(book_page):
    """axe-core, WCAG 2.1 A and AA, on the page as loaded (solutions folded, quizzes unanswered).

    The states a reader brings about later are checked where they happen: answered quizzes
    (contrast of the feedback colours) in the quiz test, moved sliders in the slider test.
    """
    result = run_axe(book_page.page)
    failures = _axe_failures(result)
    assert not failures, (f"{book_page.where()}: axe-core {result['version']} finds {len(failures)} "
                          f"serious or critical WCAG 2.1 A/AA violations:{_listing(failures)}")


# ------------------------------------------------------------------ math


_MATH_REPORT = r"""() => {
  const where = el => el.closest('.bd-sidebar-primary, nav') ? 'navigation'
                      : el.closest('.bd-sidebar-secondary') ? 'page contents' : 'article';
  const maths = [...document.querySelectorAll('.math')];
  const untypeset = maths.filter(m => !m.querySelector('mjx-container'))
                         .map(m => `${where(m)}: ${m.textContent.trim().slice(0, 80)}`);
  const errors = [...document.querySelectorAll('mjx-merror')]
                    .map(e => `${where(e)}: ${(e.getAttribute('data-mjx-error') || e.textContent).slice(0, 120)}`);
  // Raw TeX in the text a reader sees: delimiters, or a TeX command such as \delta
  // (code, scripts and MathJax's own output are excluded).
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, .nnb-slider-static';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const leftovers = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    const t = n.textContent;
    const m = t.match(/\\[()\[\]]|\$\$|\\[A-Za-z]{2,}/);
    if (m) leftovers.push(`${where(el)}: ...${t.slice(Math.max(0, m.index - 40), m.index + 60)}...`);
  }
  return {containers: document.querySelectorAll('mjx-container').length,
          maths: maths.length, untypeset, errors, leftovers};
}"""


@pytest.mark.book_pages()
def test_math_is_typeset_by_mathjax(book_page):
    page, info = book_page.page, book_page.info
    report = page.evaluate(_MATH_REPORT)
    where = book_page.where()
    if info.math_nodes:
        assert info.mathjax, (
            f"{where}: the page has {info.math_nodes} math elements but loads no MathJax, so they "
            f"show as raw TeX:{_listing(report['untypeset'])}")
        assert report["containers"] > 0, f"{where}: MathJax typeset nothing (no mjx-container)"
        assert report["containers"] >= info.math_nodes, (
            f"{where}: {report['containers']} typeset formulas for {info.math_nodes} math elements")
    assert not report["untypeset"], f"{where}: math elements not typeset:{_listing(report['untypeset'])}"
    assert not report["errors"], f"{where}: MathJax reports TeX errors:{_listing(report['errors'])}"
    assert not report["leftovers"], (
        f"{where}: raw TeX in the text (math not typeset):{_listing(report['leftovers'])}")


# ------------------------------------------------------------------ figures


_IMAGES = r"""() => [...document.images].map((img, i) => ({
  i, ok: img.complete && img.naturalWidth > 0, alt: img.alt || '',
  src: (img.getAttribute('src') || '').slice(0, 90),
  cls: img.className, hidden: !!img.closest('.nnb-slider-frames') && img.style.visibility === 'hidden'}))"""


@pytest.mark.book_pages("images")
def test_every_image_is_loaded(book_page):
    page = book_page.page
    # Images marked loading="lazy" load when scrolled near: bring each one into view first.
    for img in page.locator("img[loading=lazy]").all():
        img.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=15_000)
    images = page.evaluate(_IMAGES)
    assert images, f"{book_page.where()}: the HTML has <img> elements but the page shows none"
    broken = [f"<img #{d['i']} class={d['cls']!r} alt={d['alt']!r} src={d['src']!r}>"
              for d in images if not d["ok"]]
    assert not broken, f"{book_page.where()}: {len(broken)} of {len(images)} images did not load:{_listing(broken)}"


# What is not a description of a figure: a file name or address, or a word for "a figure".
_NOT_A_DESCRIPTION = re.compile(
    r"(?:\.(?:png|jpe?g|svg|gif|webp)\b|^data:|^https?:|_build/|^[0-9a-f]{32,}|"
    r"^(?:an? |the )?(?:figure|image|img|picture|plot|graph|chart|output|line plot|scatter plot|"
    r"contour plot|bar chart|diagram|3-d plot|3-d surface plot|grid of \d+ images)\.?$)", re.I)

_ALT = r"""() => [...document.images].map((img, i) => ({
  i, alt: img.getAttribute('alt'), src: (img.getAttribute('src') || '').slice(0, 90),
  decorative: img.getAttribute('role') === 'presentation' || img.getAttribute('aria-hidden') === 'true'
              || !!img.closest('[aria-hidden="true"]'),
  where: img.closest('article') ? 'article' : 'page furniture'}))"""


@pytest.mark.book_pages("images")
def test_every_image_says_what_it_shows(book_page):
    """Every image has alternative text that describes it: not missing, not empty (unless the
    image is marked decorative), not its file name, not just "figure" or "line plot".

    Figures drawn by a page get theirs in the kernel (nnbook.page.plotting: set_alt_text, or
    the description read off the figure); slider frames from nnbook.page.interactive.
    """
    problems = []
    for img in book_page.page.evaluate(_ALT):
        alt = (img["alt"] or "").strip()
        what = f"<img #{img['i']} in the {img['where']} src={img['src']!r}>"
        if img["alt"] is None and not img["decorative"]:
            problems.append(f"{what}: no alt attribute")
        elif not alt and not img["decorative"]:
            problems.append(f"{what}: empty alt text but not marked decorative")
        elif alt and _NOT_A_DESCRIPTION.search(alt):
            problems.append(f"{what}: alt text {alt!r} does not say what the image shows")
    assert not problems, (f"{book_page.where()}: {len(problems)} images without a description "
                          f"(set_alt_text in the page's cell, or the cell's `mystnb: image: alt:`):"
                          f"{_listing(problems)}")


# ------------------------------------------------------------------ widgets


_WIDGETS = r"""() => [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
  .map((s, i) => {
    const model = JSON.parse(s.textContent).model_id;
    const view = s.previousElementSibling;
    if (!view || !view.classList.contains('widget-subarea'))
      return {i, model, problem: 'not rendered: no widget-subarea before its view script'};
    const r = view.getBoundingClientRect();
    const content = view.querySelectorAll('.jupyter-widgets, .lm-Widget').length;
    const visible = (view.innerText || '').trim().length > 0 ||
                    view.querySelector('img, canvas, svg, input, select, button, textarea') !== null;
    const outputs = [...view.querySelectorAll('.widget-output')].map(o => {
      const b = o.getBoundingClientRect();
      return {w: b.width, h: b.height, text: (o.innerText || '').trim().length,
              media: o.querySelectorAll('img, canvas, svg, table').length};
    });
    return {i, model, w: r.width, h: r.height, content, visible, outputs,
            html: view.innerHTML.slice(0, 200)};
  })"""


@pytest.mark.book_pages("widget_views")
def test_widget_views_render_visible_content(book_page):
    info = book_page.info
    where = book_page.where()
    assert info.widget_state, f"{where}: widget views without the embedded widget state"
    views = book_page.page.evaluate(_WIDGETS)
    assert len(views) == info.widget_views, f"{where}: {len(views)} widget views found, {info.widget_views} in the HTML"
    problems = []
    for v in views:
        name = f"widget view #{v['i']} (model {v['model']})"
        if "problem" in v:
            problems.append(f"{name}: {v['problem']}")
            continue
        if v["w"] <= 0 or v["h"] <= 0:
            problems.append(f"{name}: rendered with size {v['w']}x{v['h']} (blank)")
        elif not v["content"] or not v["visible"]:
            problems.append(f"{name}: rendered without visible content: {v['html']!r}")
        for k, o in enumerate(v["outputs"]):
            if o["w"] <= 0 or o["h"] <= 0 or not (o["text"] or o["media"]):
                problems.append(f"{name}: output area #{k} is blank ({o['w']:.0f}x{o['h']:.0f} px, "
                                f"{o['text']} characters, {o['media']} images) - its outputs were "
                                "not saved in the widget state")
    assert not problems, f"{where}: widget views that do not show:{_listing(problems)}"


# ------------------------------------------------------------------ solutions


# The state of every solution block: folded (sphinx-togglebutton's toggle-hidden class and
# no visible body), its toggle button, and whether its body shows content.
_SOLUTIONS = r"""() => [...document.querySelectorAll('div.solution')].map((sol, k) => {
  const title = sol.querySelector(':scope > .admonition-title');
  const body = [...sol.querySelectorAll(':scope > :not(.admonition-title)')];
  const shown = el => el.checkVisibility() && el.getBoundingClientRect().height > 0;
  return {k, id: sol.id || `#${k}`, title: title ? title.innerText.trim().slice(0, 60) : null,
          bodies: body.length, hidden: sol.classList.contains('toggle-hidden'),
          bodyShown: body.some(shown),
          buttons: title ? title.querySelectorAll('button.toggle-button').length : 0,
          content: body.some(b => b.innerText.trim().length > 0 || b.querySelector('img, mjx-container'))};
})"""


@pytest.mark.book_pages("solutions")
def test_solutions_are_folded_and_open_on_click(book_page):
    page, where = book_page.page, book_page.where()
    before = page.evaluate(_SOLUTIONS)
    assert len(before) == book_page.info.solutions, (
        f"{where}: {len(before)} solution blocks in the page, {book_page.info.solutions} in the HTML")
    errors_before = len(book_page.errors)
    problems = []
    for sol in before:
        name = f"solution {sol['id']} ({sol['title']!r})"
        if sol["title"] is None or not sol["bodies"]:
            problems.append(f"{name}: has no title or no body")
        elif not sol["hidden"] or sol["bodyShown"]:
            problems.append(f"{name}: not folded at load")
        elif sol["buttons"] != 1:
            problems.append(f"{name}: its title has {sol['buttons']} toggle buttons, not 1")
        else:
            # The reader's click: on the toggle button (clicking the title's own link to the
            # exercise navigates there instead).
            page.locator("div.solution").nth(sol["k"]).locator(":scope > .admonition-title button.toggle-button").click()
    after = page.evaluate(_SOLUTIONS)
    for sol, now in zip(before, after):
        if sol["hidden"] and sol["buttons"] == 1 and not sol["bodyShown"]:
            name = f"solution {sol['id']} ({sol['title']!r})"
            if now["hidden"] or not now["bodyShown"]:
                problems.append(f"{name}: still folded after a click on its toggle button")
            elif not now["content"]:
                problems.append(f"{name}: opens onto an empty body")
    new_errors = _unexpected(book_page.new_errors_since(errors_before))
    assert not problems, f"{where}:{_listing(problems)}"
    assert not new_errors, f"{where}: JavaScript errors while opening solutions:{_listing(new_errors)}"


# ------------------------------------------------------------------ the keyboard


# Puts the keyboard focus just before an element (on a marker that Tab leaves at once), as a
# reader who tabs through the page arrives there.
_FOCUS_BEFORE = r"""el => {
  let mark = document.getElementById('nnb-test-tab-start');
  if (!mark) { mark = document.createElement('span'); mark.id = 'nnb-test-tab-start'; mark.tabIndex = -1; }
  el.before(mark);
  mark.focus();
  return document.activeElement === mark;
}"""


def _tab_to(page, start, target, max_tabs: int = 60) -> int | None:
    """Press Tab from just before ``start`` until the focus is on ``target``; the presses, or None.

    (Every typeset formula on the way is a stop too: MathJax makes it focusable for its menu
    and its accessibility explorer.)
    """
    assert start.evaluate(_FOCUS_BEFORE), "could not put the focus before the element"
    handle = target.element_handle()
    for presses in range(1, max_tabs + 1):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", handle):
            return presses
    return None


# ------------------------------------------------------------------ quizzes


def _numeric_answers(answers_json: str):
    """A correct and a wrong submission for a jupyterquiz numeric question (its data-answers)."""
    answers = json.loads(answers_json)
    correct = [a for a in answers if a.get("correct") and ("value" in a or "range" in a)]
    right = None
    for a in correct:
        if "value" in a:
            right = repr(float(a["value"])) if not float(a["value"]).is_integer() else str(int(a["value"]))
            break
        lo, hi = a["range"]
        right = f"{(lo + hi) / 2:.12g}"
        break

    def matches(x: float) -> bool:
        for a in answers:
            if "value" in a and abs(float(a["value"]) - x) < 1e-9:
                return True
            if "range" in a and a["range"][0] <= x < a["range"][1]:
                return True
        return False

    wrong = next(str(w) for w in (987654321, -987654321, 123456789) if not matches(float(w)))
    return right, wrong


# What each rendered jupyterquiz question offers: its text, the index of a right and of a
# wrong option (multiple/many choice, marked by data-correct), or its numeric answers.
_QUIZ_PLAN = r"""() => [...document.querySelectorAll('.Quiz')].map(q => {
  const labels = [...q.querySelectorAll('label.MCButton')];
  const numeric = q.querySelector('input.Input-text');
  return {text: (q.querySelector('[id^=quizQn]') || q).innerText.trim().slice(0, 70),
          right: labels.findIndex(l => l.dataset.correct === 'true'),
          wrong: labels.findIndex(l => l.dataset.correct === 'false'),
          options: labels.length,
          answers: numeric ? numeric.dataset.answers : null};
})"""

_FEEDBACK = "q => { const fb = q.querySelector('.Feedback'); return [fb.className, fb.innerText.trim()]; }"


def _choose_with_keys(page, radios, focused: int, target: int) -> int:
    """With the focus on option ``focused`` of a radio group, choose option ``target`` with the
    keys a reader uses: Space chooses the focused option, the down arrow moves to the next
    option and chooses it. Returns the option that has the focus then."""
    n = radios.count()
    if focused == target:
        page.keyboard.press("Space")
    for _ in range((target - focused) % n):
        page.keyboard.press("ArrowDown")
    return target


@pytest.mark.book_pages("quizzes")
def test_quiz_gives_feedback_for_a_wrong_and_a_right_answer(book_page):
    """Every question: a wrong answer, then a right one; the feedback says so and changes.

    From the keyboard alone: Tab reaches the question's options (radio buttons) or its
    answer field; Space and the arrow keys choose an option; a number is typed and sent with
    Enter. The options of the first choice question are also clicked with the mouse. After
    the answers, the feedback and the marked options meet the contrast ratio (axe-core).
    """
    page, where = book_page.page, book_page.where()
    plan = page.evaluate(_QUIZ_PLAN)
    assert plan, f"{where}: the quiz rendered no questions"
    errors_before = len(book_page.errors)
    problems, checked = [], 0
    first_choice = next((k for k, item in enumerate(plan) if item["options"]), None)
    for k, item in enumerate(plan):
        name = f"quiz question {k + 1} ({item['text']!r})"
        q = page.locator(".Quiz").nth(k)
        if item["options"]:
            if item["right"] < 0 or item["wrong"] < 0:
                problems.append(f"{name}: needs a right and a wrong option to test")
                continue
            if k == first_choice:
                # A real mouse click on the first question's options (nothing covers them).
                options = q.locator("label.MCButton")
                options.nth(item["wrong"]).click()
                if "incorrect" not in q.evaluate(_FEEDBACK)[0].split():
                    problems.append(f"{name}: a mouse click on a wrong option gave feedback {q.evaluate(_FEEDBACK)}")
                options.nth(item["right"]).click()
                if "correct" not in q.evaluate(_FEEDBACK)[0].split():
                    problems.append(f"{name}: a mouse click on the right option gave feedback {q.evaluate(_FEEDBACK)}")
                q.evaluate("q => q.querySelectorAll('input[type=radio]').forEach(r => { r.checked = false; })")
            radios = q.locator("input[type=radio]")
            if _tab_to(page, q, radios.first) is None:
                problems.append(f"{name}: Tab does not reach its first option")
                continue
            focused = _choose_with_keys(page, radios, 0, item["wrong"])
            after_wrong = q.evaluate(_FEEDBACK)
            _choose_with_keys(page, radios, focused, item["right"])
            after_right = q.evaluate(_FEEDBACK)
        elif item["answers"] is not None:
            right_text, wrong_text = _numeric_answers(item["answers"])
            if right_text is None:
                problems.append(f"{name}: no correct numeric answer to type")
                continue
            field = q.locator("input.Input-text")
            if _tab_to(page, q, field) is None:
                problems.append(f"{name}: Tab does not reach its answer field")
                continue
            page.keyboard.type(wrong_text)     # the field clears itself when it gets the focus
            page.keyboard.press("Enter")       # jupyterquiz checks the answer on Enter
            after_wrong = q.evaluate(_FEEDBACK)
            if _tab_to(page, q, field) is None:    # Enter took the focus away (jupyterquiz blurs)
                problems.append(f"{name}: Tab does not reach its answer field again")
                continue
            page.keyboard.type(right_text)
            page.keyboard.press("Enter")
            after_right = q.evaluate(_FEEDBACK)
        else:
            problems.append(f"{name}: neither options nor a numeric input")
            continue
        checked += 1
        if "incorrect" not in after_wrong[0].split():
            problems.append(f"{name}: a wrong answer gave feedback {after_wrong}")
        if "correct" not in after_right[0].split():
            problems.append(f"{name}: a right answer gave feedback {after_right}")
        if after_wrong == after_right:
            problems.append(f"{name}: the feedback did not change between a wrong and a right answer")
    new_errors = _unexpected(book_page.new_errors_since(errors_before))
    assert not problems, f"{where}: {checked} of {len(plan)} questions answered:{_listing(problems)}"
    assert not new_errors, f"{where}: JavaScript errors while answering the quiz:{_listing(new_errors)}"


def _contrast_page():
    """The page whose quiz has the most kinds of questions (its colours are every quiz's)."""
    def kinds(p):
        text = p.html_path.read_text(encoding="utf-8")
        return len({k for k in ("many_choice", "multiple_choice", "numeric") if k in text})
    quizzes = [p for p in catalogue() if p.quizzes]
    return quizzes and [max(quizzes, key=lambda p: (kinds(p), -quizzes.index(p)))]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_answered_quiz_meets_the_contrast_ratio_in_light_and_dark_mode(scheme, browser, site_url, local_cdn,
                                                                       site_pages):
    """The colours a quiz shows after an answer (the marked option, the feedback) against
    their background, wrong and right, in the light and the dark theme (axe-core color-contrast)."""
    from browser_support import open_page

    chosen = _contrast_page()
    assert chosen, "no page of the book has a quiz"
    loaded = open_page(browser, site_url, local_cdn, chosen[0], site_pages, color_scheme=scheme)
    page = loaded.page
    try:
        assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
        problems = []
        for state in ("wrong", "right"):
            for k, item in enumerate(page.evaluate(_QUIZ_PLAN)):
                q = page.locator(".Quiz").nth(k)
                if item["options"] and item[state] >= 0:
                    q.locator("label.MCButton").nth(item[state]).dispatch_event("click")
                elif item["answers"] is not None:
                    right, wrong = _numeric_answers(item["answers"])
                    q.locator("input.Input-text").fill(right if state == "right" else wrong)
                    q.locator("input.Input-text").press("Enter")
            page.wait_for_timeout(1000)        # jupyterquiz's colour animations (0.6 s, 0.8 s)
            problems += [f"after {state} answers: {f}" for f in
                         _axe_failures(run_axe(page, include=[".Quiz"], rules=["color-contrast"]))]
    finally:
        page.context.close()
    assert not problems, f"{loaded.where()} in {scheme} mode: quiz text below the contrast ratio:{_listing(problems)}"


# ------------------------------------------------------------------ precomputed explorers


_SLIDER_STATE = r"""(root) => {
  const frames = [...root.querySelectorAll('img.nnb-slider-frame')];
  const shown = frames.map((f, i) => [i, f]).filter(([i, f]) => getComputedStyle(f).visibility === 'visible');
  return {shown: shown.map(([i]) => i), alt: shown.map(([i, f]) => f.alt),
          readout: [...root.querySelectorAll('output.nnb-slider-value')].map(o => o.textContent),
          values: [...root.querySelectorAll('input.nnb-slider-input')].map(i => i.value),
          valuetext: [...root.querySelectorAll('input.nnb-slider-input')].map(i => i.getAttribute('aria-valuetext')),
          controlsHidden: root.querySelector('.nnb-slider-controls').hidden,
          staticShown: !root.querySelector('.nnb-slider-static').hidden,
          nframes: frames.length};
}"""


@pytest.mark.book_pages("sliders")
def test_explorer_slider_changes_the_figure(book_page):
    page, where = book_page.page, book_page.where()
    roots = page.locator("div.nnb-slider").all()
    assert len(roots) == book_page.info.sliders, (
        f"{where}: {len(roots)} slider figures in the page, {book_page.info.sliders} in the HTML")
    errors_before = len(book_page.errors)
    problems = []
    for root in roots:
        name = f"slider figure {root.get_attribute('id')}"
        state = root.evaluate(_SLIDER_STATE)
        if state["controlsHidden"] or state["staticShown"]:
            problems.append(f"{name}: its script did not run (controls hidden or static caption shown)")
            continue
        if len(state["shown"]) != 1:
            problems.append(f"{name}: {len(state['shown'])} frames visible at load, not 1")
            continue
        inputs = root.locator("input.nnb-slider-input").all()
        root.scroll_into_view_if_needed()
        for j, inp in enumerate(inputs):
            before = root.evaluate(_SLIDER_STATE)
            top = int(inp.get_attribute("max"))
            if top == 0:
                continue                      # a single value: nothing to move
            # Move the slider the way a reader does with the keyboard alone: Tab reaches it,
            # an arrow key moves it; the browser changes the value and fires the input event.
            what = f"{name}, slider {j} ({inp.get_attribute('aria-label')!r})"
            if _tab_to(page, root, inp) != j + 1:
                problems.append(f"{what}: Tab from before the figure does not reach it as control {j + 1}")
                continue
            page.keyboard.press("ArrowLeft" if int(before["values"][j]) == top else "ArrowRight")
            after = root.evaluate(_SLIDER_STATE)
            if after["values"][j] == before["values"][j]:
                problems.append(f"{what}: the key press did not move it")
            elif len(after["shown"]) != 1 or after["shown"] == before["shown"]:
                problems.append(f"{what}: moved {before['values'][j]} -> {after['values'][j]} but the "
                                f"visible frame stayed {before['shown']} -> {after['shown']}")
            elif after["readout"] == before["readout"]:
                problems.append(f"{what}: the readout did not change ({after['readout']})")
            elif not after["alt"][0].endswith(", ".join(after["readout"])):
                problems.append(f"{what}: shows the frame {after['alt'][0]!r} for readout {after['readout']}")
            elif after["valuetext"][j] != after["readout"][j]:
                problems.append(f"{what}: a screen reader hears {after['valuetext'][j]!r}, the readout shows "
                                f"{after['readout'][j]!r} (aria-valuetext)")
            # And the programmatic way (value set, input event dispatched) returns it.
            inp.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
                         before["values"][j])
            back = root.evaluate(_SLIDER_STATE)
            if back["shown"] != before["shown"]:
                problems.append(f"{what}: setting the value back to {before['values'][j]} shows frame "
                                f"{back['shown']}, not {before['shown']}")
    new_errors = _unexpected(book_page.new_errors_since(errors_before))
    assert not problems, f"{where}:{_listing(problems)}"
    assert not new_errors, f"{where}: JavaScript errors while moving sliders:{_listing(new_errors)}"


# ------------------------------------------------------------------ launch buttons


@functools.lru_cache(maxsize=None)
def _tracked_files() -> frozenset | None:
    """Files committed to the repository (git ls-files), or None outside a git checkout."""
    if not (REPO / ".git").exists():
        return None
    out = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True)
    return frozenset(out.stdout.decode("utf-8").split("\0")) - {""}


def _is_notebook(source: Path | None) -> bool:
    """What sphinx-book-theme gives launch buttons: notebooks (.ipynb, or text with a kernelspec)."""
    if source is None:
        return False
    if source.suffix == ".ipynb":
        return True
    head = source.read_text(encoding="utf-8").split("\n---", 1)[0]
    return source.read_text(encoding="utf-8").startswith("---") and "kernelspec:" in head


def expected_launch_links(info) -> dict[str, str]:
    """The launch links _config.yml asks for on this page: {button text: URL}.

    Follows what _config.yml says (repository url and branch, path_to_book, launch_buttons),
    in the URL forms Binder, JupyterHub and Colab document.
    """
    cfg = book_config()
    repo = cfg.get("repository") or {}
    launch = cfg.get("launch_buttons") or {}
    url = str(repo.get("url") or "").rstrip("/")
    branch = repo.get("branch") or "master"
    m = re.match(r"^https://github\.com/([^/]+)/([^/]+?)(?:\.git)?$", url)
    assert m, f"_config.yml repository.url {url!r} is not a GitHub repository URL"
    org, name = m.groups()
    book = str(repo.get("path_to_book") or "").strip("/")
    ext = ".ipynb" if info.source.with_suffix(".ipynb").is_file() else info.source.suffix
    docname = info.docname
    if info.edition != "en" and ext == ".ipynb":
        # another edition's pages open its own notebooks, book/<edition>/<page>.ipynb
        folder, _, stem = docname.rpartition("/")
        docname = f"{folder + '/' if folder else ''}{info.edition}/{stem}"
    rel = f"{book + '/' if book else ''}{docname}{ext}"
    ui = {"classic": "tree", "jupyterlab": "lab/tree"}[launch.get("notebook_interface") or "classic"]
    links = {}
    if launch.get("binderhub_url"):
        links["Binder"] = f"{launch['binderhub_url'].strip('/')}/v2/gh/{org}/{name}/{branch}?urlpath={ui}/{rel}"
    if launch.get("jupyterhub_url"):
        from urllib.parse import urlencode
        q = urlencode({"repo": url, "urlpath": f"{ui}/{name}/{rel}", "branch": branch}, safe="/")
        links["JupyterHub"] = f"{launch['jupyterhub_url'].strip('/')}/hub/user-redirect/git-pull?{q}"
    if launch.get("colab_url"):
        links["Colab"] = f"{launch['colab_url'].strip('/')}/github/{org}/{name}/blob/{branch}/{rel}"
    if launch.get("deepnote_url"):
        gh = f"%2F{org}%2F{name}%2Fblob%2F{branch}%2F{rel}"
        links["Deepnote"] = f"{launch['deepnote_url'].strip('/')}/launch?url=https%3A%2F%2Fgithub.com{gh}"
    return links


@pytest.mark.book_pages()
def test_launch_buttons_open_this_page_from_the_repository(book_page):
    page, info, where = book_page.page, book_page.info, book_page.where()
    cfg = book_config()
    repo_url = str((cfg.get("repository") or {}).get("url") or "").rstrip("/")
    if (cfg.get("html") or {}).get("use_repository_button"):
        hrefs = page.locator("a.btn-source-repository-button").evaluate_all("els => els.map(e => e.href)")
        assert [h.rstrip("/") for h in hrefs] == [repo_url], (
            f"{where}: repository button links {hrefs}, _config.yml repository.url is {repo_url}")
    expected = expected_launch_links(info) if _is_notebook(info.source) else {}
    launch_cfg = cfg.get("launch_buttons") or {}
    menu = page.locator(".dropdown-launch-buttons")
    if not expected and not (launch_cfg.get("thebe") and _is_notebook(info.source)):
        assert menu.count() == 0, f"{where}: launch buttons shown although _config.yml configures none for it"
        return
    assert menu.count() == 1, f"{where}: no launch button (rocket) although _config.yml configures {sorted(expected)}"
    toggle = menu.locator("button.dropdown-toggle")
    assert toggle.is_visible(), f"{where}: the launch button is not visible"
    toggle.click()
    links = menu.locator("a.dropdown-item")
    links.first.wait_for(state="visible", timeout=3_000)
    found, live_code = menu.evaluate("""m => [
        Object.fromEntries([...m.querySelectorAll('a.dropdown-item')].map(a => [a.innerText.trim(), a.getAttribute('href')])),
        m.querySelectorAll('button.btn-launch-thebe').length]""")
    toggle.click()                                   # close the menu again (it also opens
    page.mouse.move(0, 0)                            # while the pointer hovers over it)
    links.first.wait_for(state="hidden", timeout=3_000)
    assert found == expected, (
        f"{where}: launch links differ from what _config.yml asks for:\n  found:    {found}\n"
        f"  expected: {expected}")
    want_thebe = bool((cfg.get("launch_buttons") or {}).get("thebe"))
    assert live_code == int(want_thebe), (
        f"{where}: {live_code} Live Code (thebe) buttons, _config.yml launch_buttons.thebe is {want_thebe}")
    for text, href in found.items():
        rel = re.search(r"(?:urlpath=(?:lab/)?tree/|/blob/[^/]+/)([^&?#]+)", href)
        assert rel, f"{where}: {text} link {href} names no file"
        path = rel.group(1)
        assert (REPO / path).is_file(), f"{where}: {text} link {href} opens {path}, which is not a file of the repository"
        tracked = _tracked_files()
        assert tracked is None or path in tracked, (
            f"{where}: {text} link {href} opens {path}, which exists here but is not committed to git "
            "(the published repository will not have it)")
        assert path.endswith(str(info.source.relative_to(REPO))) or Path(path).stem == Path(info.docname).name, (
            f"{where}: {text} link opens {path}, not this page's source {info.source.relative_to(REPO)}")


# ------------------------------------------------------------------ screenshots


def _screenshot_pages() -> list:
    """The front page, the first chapter with an explorer, the MNIST lab, another page with a quiz."""
    pages = list(catalogue())
    chosen = [pages[0]]
    explorer = next((p for p in pages[1:] if p.sliders), None)
    lab = next((p for p in pages if "mnist" in p.docname), None)
    for p in (explorer, lab):
        if p is not None and p not in chosen:
            chosen.append(p)
    quiz = next((p for p in reversed(pages) if p.quizzes and p not in chosen), None)
    if quiz is not None:
        chosen.append(quiz)
    return chosen


# While a screenshot of a part of the page is taken, the sticky header would cover it.
_SCREENSHOT_STYLE = ".bd-header-article, .bd-header, .skip-link { visibility: hidden !important; }"


@pytest.mark.book_pages(only=_screenshot_pages)
def test_screenshot_is_saved(book_page, screenshot_dir):
    """Saves _build/screenshots/<page>.png (the top of the page) and views of its parts.

    <page>-explorer.png: the first explorer after its slider moved; <page>-quiz.png: the
    first quiz questions after they were answered; <page>-figure.png (the lab): its first
    figure. These tests run after the page's other checks, so answers and moves show.
    """
    page, info = book_page.page, book_page.info
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    saved = [screenshot_dir / f"{info.id}.png"]
    page.screenshot(path=str(saved[0]))
    if info.sliders:
        saved.append(screenshot_dir / f"{info.id}-explorer.png")
        page.locator("div.nnb-slider").first.screenshot(path=str(saved[-1]), style=_SCREENSHOT_STYLE)
    if info.quizzes:
        saved.append(screenshot_dir / f"{info.id}-quiz.png")
        questions = page.locator(".Quiz")
        first, last = questions.first.bounding_box(), questions.nth(min(2, questions.count() - 1)).bounding_box()
        page.evaluate("y => window.scrollTo(0, y)", first["y"] + page.evaluate("window.scrollY") - 20)
        box = questions.first.bounding_box()
        height = min(last["y"] + last["height"] - first["y"], 880)
        page.screenshot(path=str(saved[-1]), style=_SCREENSHOT_STYLE,
                        clip={"x": box["x"] - 10, "y": box["y"] - 10, "width": box["width"] + 20, "height": height + 20})
    if "mnist" in info.docname:
        figure = page.locator("article .cell_output img").first
        if figure.count():
            saved.append(screenshot_dir / f"{info.id}-figure.png")
            figure.screenshot(path=str(saved[-1]), style=_SCREENSHOT_STYLE)
    for path in saved:
        assert path.is_file() and path.stat().st_size > 5_000, f"{book_page.where()}: screenshot {path} is empty"


# ------------------------------------------------------------------ the site as a whole


def test_source_features_reach_the_html():
    """What a page's source declares (quiz calls, solution blocks) is in its built HTML."""
    problems = []
    for info in catalogue():
        if info.source is None:
            continue
        src = info.source.read_text(encoding="utf-8")
        quiz_calls = len(re.findall(r"^\s*quiz\(\s*[\"'][\w-]+[\"']", src, re.M))
        solutions = len(re.findall(r"^(?:`{3,}|:{3,})\{solution(?:-start)?\}", src, re.M))  # any fence length
        if quiz_calls != info.quizzes:
            problems.append(f"{info.docname}: {quiz_calls} quiz() calls in the source, {info.quizzes} quizzes in the HTML")
        if solutions != info.solutions:
            problems.append(f"{info.docname}: {solutions} solution blocks in the source, {info.solutions} in the HTML")
    assert not problems, "pages whose HTML lost what the source declares:" + _listing(problems)


def test_site_index_opens_the_first_page(browser, site_url):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site_url, wait_until="load")
        page.wait_for_url(re.compile(re.escape(catalogue()[0].url_path) + "$"), timeout=10_000)
        assert urlsplit(page.url).path == "/" + catalogue()[0].url_path
    finally:
        context.close()


# ------------------------------------------------------------------ the checks themselves


_BROKEN_PAGE = r"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>broken</title>
<script>window.MathJax = {"options": {"processHtmlClass": "math"}};</script>
<script defer src="npm/mathjax@3.2.2/es5/tex-mml-chtml.js"></script>
<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>
</head><body><article class="bd-article tex2jax_ignore mathjax_ignore">
<p>Typeset: <span class="math notranslate nohighlight">\(a + b\)</span></p>
<p>Left raw: \(c + d\) and $$e$$ and \delta</p>
<img src="missing.png" alt="a figure that is not there">
<img src="npm/missing-too.png">
<script>console.error("a console error"); throw new Error("an uncaught error");</script>
</article></body></html>
"""


def test_checks_report_a_broken_page(browser, local_cdn, tmp_path):
    """The harness is not blind: on a page made broken on purpose, every kind of fault is caught.

    A thrown error, a console error, a missing image (404), a script from a CDN (blocked
    offline, although npm has it), raw TeX next to typeset math, and an image without
    alternative text (axe-core) all show up where the page checks look for them.
    """
    from browser_support import PageInfo, SitePages, open_page, serve_directory
    from vendor_assets import VENDOR

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "broken.html").write_text(_BROKEN_PAGE, encoding="utf-8")
    (tmp_path / "site" / "npm").symlink_to(VENDOR)
    info = PageInfo(docname="broken", html_path=tmp_path / "site" / "broken.html", source=None,
                    mathjax=True, math_nodes=1, images=1)
    with serve_directory(tmp_path / "site") as url:
        loaded = open_page(browser, url, local_cdn, info, SitePages(tmp_path / "site", local_cdn, tmp_path / "out"))
        try:
            errors = [str(e) for e in loaded.errors]
            math = loaded.page.evaluate(_MATH_REPORT)
            images = loaded.page.evaluate(_IMAGES)
            axe = _axe_failures(run_axe(loaded.page))
        finally:
            loaded.page.context.close()
    assert any("an uncaught error" in e and e.startswith("uncaught exception") for e in errors), errors
    assert any("a console error" in e and e.startswith("console.error") for e in errors), errors
    assert any("missing.png" in f and "404" in f for f in loaded.local_failures), loaded.local_failures
    assert [u for u, _, _ in loaded.unrouted] == ["https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"], loaded.unrouted
    assert math["containers"] == 1 and not math["untypeset"], math          # MathJax came from the site
    assert len(math["leftovers"]) == 1 and "\\(c + d\\)" in math["leftovers"][0], math
    assert [i["ok"] for i in images] == [False, False], images
    assert any(f.startswith("image-alt (critical") and "missing-too.png" in f for f in axe), axe
