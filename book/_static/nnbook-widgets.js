/* The embedded Jupyter widgets with the book's MathJax 3, and their icon fonts.
 *
 * 1. @jupyter-widgets/html-manager 1.0.x typesets widget labels with MathJax 2's
 *    MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]). MathJax 3 has no Hub, so every
 *    widget with a description threw "Cannot read properties of undefined (reading 'Queue')".
 *    MathJax 3 gets a Hub.Queue that typesets the element with MathJax 3.
 * 2. embed-amd.js defines the widget modules inline; require.js then takes their address to
 *    be next to the page, and their Font Awesome fonts were requested from
 *    <page folder>/@jupyter-widgets/... (404). require.js is told where the package is.
 *    HTML_MANAGER must be the URL of the html-manager that myst-nb loads (nb_ipywidgets_js).
 */
var HTML_MANAGER = "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.6/dist/";
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
