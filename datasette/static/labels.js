// Loaded by every page (datasette/templates/base.html), so Datasette's own table, query and row
// templates are used as they are, not copied: accessible names for the filter and sort controls,
// which print none (axe: label, select-name), and a table that scrolls in its own box reachable by
// keyboard (axe: scrollable-region-focusable).
(function () {
  var names = [
    [/^_filter_column(_\d+)?$/, "Filter column"],
    [/^_filter_op(_\d+)?$/, "Filter operation"],
    [/^_filter_value(_\d+)?$/, "Filter value"],
    [/^_sort$/, "Sort by"],
    [/^_sort_desc$/, "Sort descending"],
  ];
  function label() {
    document.querySelectorAll("select[name], input[name]").forEach(function (el) {
      if (el.getAttribute("aria-label") || (el.labels && el.labels.length)) return;
      for (var i = 0; i < names.length; i++) {
        if (names[i][0].test(el.name)) { el.setAttribute("aria-label", names[i][1]); return; }
      }
    });
    document.querySelectorAll(".table-wrapper, .scroll").forEach(function (el) {
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", label);
  else label();
})();
