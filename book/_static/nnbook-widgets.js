/* The embedded Jupyter widgets with the book's MathJax 3, and their icon fonts.
 *
 * 1. @jupyter-widgets/html-manager 1.0.x typesets widget labels with MathJax 2's
 *    MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]). MathJax 3 has no Hub, so every
 *    widget with a description threw "Cannot read properties of undefined (reading 'Queue')".
 *    MathJax 3 gets a Hub.Queue that typesets the element with MathJax 3.
 * 2. embed-amd.js defines the widget modules inline; require.js then takes their address to
 *    be next to the page, and their Font Awesome fonts were requested from
 *    <page folder>/@jupyter-widgets/... (404). require.js is told where the package is.
 *    HTML_MANAGER is the folder of the html-manager that myst-nb loads (nb_ipywidgets_js in
 *    _config.yml): the copy in _static/npm/, found from this script's own address so that
 *    it is right for every page folder, on a web server and from file:// alike
 *    (tests/project/test_vendored_assets.py checks that the two name the same release).
 * 3. What the rendered widgets lack for a screen reader (axe-core, tests/browser):
 *    - a slider's handle (noUiSlider, role="slider") has no name: it gets the widget's
 *      description label (aria-labelledby), or its tooltip;
 *    - a figure inside an Output widget (an `interact` plot) is an <img> without alt:
 *      it gets the alternative text that the kernel stored with the figure's output
 *      (nnbook.page.plotting: metadata {"image/png": {"alt": ...}}), read from the page's
 *      embedded widget state. JupyterLab's image renderer ignores that metadata.
 */
var HTML_MANAGER = (function () {
  var me = document.currentScript && document.currentScript.src;
  var here = me ? me.replace(/[^\/]*([?#].*)?$/, "") : "_static/";
  return here + "npm/@jupyter-widgets/html-manager@1.0.6/dist/";
})();
// A `require` object defined before require.js loads is its configuration.
var require = {
  paths: {
    "@jupyter-widgets/base": HTML_MANAGER + "base",
    "@jupyter-widgets/controls": HTML_MANAGER + "controls",
    "@jupyter-widgets/html-manager": HTML_MANAGER + "html-manager",
    "@jupyter-widgets/html-manager/dist": HTML_MANAGER.replace(/\/$/, ""),
  },
};
document.addEventListener("DOMContentLoaded", function () {
  // MathJax 3 (a deferred script) has replaced its configuration object by now.
  var MJ = window.MathJax;
  if (!MJ || MJ.Hub || !MJ.version || MJ.version.charAt(0) !== "3") return;
  MJ.Hub = {
    Queue: function (command) {
      var element = command && command[2];
      var ready = (MJ.startup && MJ.startup.promise) || Promise.resolve();
      ready.then(function () {
        return MJ.typesetPromise(element ? [element] : undefined);
      }).catch(function (err) { console.warn("MathJax typeset of a widget failed:", err); });
    },
  };
});

(function () {
  var altBySource = null;
  function altOf(img) {
    if (altBySource === null) {
      altBySource = {};
      document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]').forEach(function (s) {
        var state;
        try { state = JSON.parse(s.textContent).state || {}; } catch (e) { return; }
        Object.keys(state).forEach(function (id) {
          var outputs = (state[id].state || {}).outputs || [];
          outputs.forEach(function (out) {
            var data = out.data || {}, meta = out.metadata || {};
            Object.keys(data).forEach(function (mime) {
              if (mime.indexOf("image/") === 0 && meta[mime] && meta[mime].alt)
                altBySource[String(data[mime]).replace(/\s/g, "")] = meta[mime].alt;
            });
          });
        });
      });
    }
    var src = img.getAttribute("src") || "";
    return altBySource[src.slice(src.indexOf(",") + 1)];
  }
  var counter = 0;
  function fix(root) {
    root.querySelectorAll(".jp-RenderedImage img:not([alt])").forEach(function (img) {
      var alt = altOf(img);
      if (alt) img.setAttribute("alt", alt);
    });
    root.querySelectorAll(".widget-slider [role=slider]:not([aria-label]):not([aria-labelledby])").forEach(function (handle) {
      var widget = handle.closest(".widget-slider");
      var label = widget && widget.querySelector(".widget-label");
      if (label && label.textContent.trim()) {
        if (!label.id) label.id = "nnb-widget-label-" + (++counter);
        handle.setAttribute("aria-labelledby", label.id);
      } else {
        handle.setAttribute("aria-label", (widget && widget.getAttribute("title")) || "slider");
      }
    });
  }
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    setTimeout(function () { pending = false; fix(document); }, 50);
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector('script[type="application/vnd.jupyter.widget-view+json"]')) return;
    new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
    schedule();
  });
})();
