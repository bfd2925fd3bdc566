// Badgeuse admin: the only script. Pages work without it; it adds a
// "Print" button where a page has one (hidden until this file runs).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.js-print").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("input.mono[readonly], textarea.mono[readonly]").forEach(function (el) {
    el.addEventListener("focus", function () { el.select(); });
  });
});
