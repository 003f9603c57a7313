// Accessible names for Datasette's filter and sort controls, which print none (axe: label, select-name).
// Loaded by datasette/templates/table.html, which extends Datasette's own table page through its blocks.
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
      if (el.getAttribute("aria-label") || el.labels && el.labels.length) return;
      for (var i = 0; i < names.length; i++) {
        if (names[i][0].test(el.name)) { el.setAttribute("aria-label", names[i][1]); return; }
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", label);
  else label();
})();
