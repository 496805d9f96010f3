/* ReelMarket — the header box's suggestions: arrow keys, Escape, closing on the way out.
   Without this file (or without JS) the box is a plain form that opens the search page. */
(function () {
  "use strict";

  function panel() { return document.getElementById("header-suggest"); }
  function input() { return document.getElementById("header-q"); }
  function items() {
    var p = panel();
    return p ? Array.prototype.slice.call(p.querySelectorAll("a")) : [];
  }

  function close() {
    var p = panel(), box = input();
    if (p) p.innerHTML = "";
    if (box) box.setAttribute("aria-expanded", "false");
  }

  function move(step) {
    var links = items();
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : links.length - 1) : at + step;
    if (next < 0 || next >= links.length) {
      if (input()) input().focus();
      return;
    }
    links[next].focus();
  }

  document.addEventListener("keydown", function (event) {
    var box = input(), p = panel();
    if (!box || !p) return;
    var inBox = event.target === box;
    var inPanel = p.contains(event.target);
    if (!inBox && !inPanel) return;
    if (event.key === "ArrowDown") {
      if (items().length) { event.preventDefault(); move(1); }
    } else if (event.key === "ArrowUp" && inPanel) {
      event.preventDefault();
      move(-1);
    } else if (event.key === "Escape") {
      if (p.innerHTML.trim()) {
        event.preventDefault();
        close();
        box.focus();
      }
    }
  });

  // Close when focus or a click leaves the search form.
  document.addEventListener("click", function (event) {
    var box = input();
    if (box && box.form && !box.form.contains(event.target)) close();
  });
  document.addEventListener("focusin", function (event) {
    var box = input();
    if (box && box.form && !box.form.contains(event.target)) close();
  });

  // Tell assistive technology whether the list is open.
  document.addEventListener("htmx:afterSwap", function (event) {
    var p = panel(), box = input();
    if (!p || !box || event.detail.target !== p) return;
    box.setAttribute("aria-expanded", p.innerHTML.trim() ? "true" : "false");
  });
})();
