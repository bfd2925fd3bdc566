// Badgeuse admin: the only script. Pages work without it; it adds what
// needs a script, each hidden or inactive until this file runs:
//   - a "Print" button where a page has one;
//   - on a phone, the menu folds behind a "Menu" button;
//   - on a phone, each table row becomes a card: every cell gets its
//     column's name (data-label, shown by style.css);
//   - a live list kept up to date (the member portal's who-is-here).
// Confirmations need no script: a <details class="confirm"> holds what
// will happen, in words, and the button that does it.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.js-print").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("input.mono[readonly], textarea.mono[readonly]").forEach(function (el) {
    el.addEventListener("focus", function () { el.select(); });
  });

  // An error page's way back: the history keeps what was typed.
  document.querySelectorAll("a.js-back").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      if (window.history.length > 1) { ev.preventDefault(); window.history.back(); }
    });
  });

  var toggle = document.querySelector("button.menu-toggle");
  var menu = document.getElementById("menu");
  if (toggle && menu) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    });
  }

  document.querySelectorAll("main table").forEach(function (table) {
    var names = [];
    table.querySelectorAll("thead th").forEach(function (th) { names.push(th.textContent.trim()); });
    if (!names.length) { return; }
    table.classList.add("cards");
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var i = 0;
      Array.prototype.forEach.call(tr.children, function (cell) {
        var span = parseInt(cell.getAttribute("colspan") || "1", 10);
        // A cell over several columns (a table's "nothing yet" line) is
        // no one column's value: it gets no name.
        if (names[i] && span === 1 && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[i]); }
        i += span;
      });
    });
  });

  // data-live="URL": server-sent events; on "here", the page is read again
  // and the element replaced by its new version (same id); "version" (the
  // first event) does the same if the list changed since the page was read.
  document.querySelectorAll("[data-live]").forEach(function (el) {
    if (!window.EventSource || !el.id) { return; }
    var src = new EventSource(el.getAttribute("data-live"));
    var update = function (ev) {
      if (ev.data === el.getAttribute("data-version")) { return; }
      fetch(window.location.href, { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(el.id);
        if (fresh) {
          el.replaceChildren.apply(el, Array.from(fresh.childNodes));
          el.setAttribute("data-version", fresh.getAttribute("data-version"));
        }
      });
    };
    src.addEventListener("version", update);
    src.addEventListener("here", update);
  });
});
