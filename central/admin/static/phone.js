// Badgeuse: the badge on a phone (central/admin/self_phone.go). The codes
// of the next days come from codes.json, drawn in advance as QR modules;
// the service worker (sw.js, under the page's path) keeps the page, this
// script and the codes, so the page works in airplane mode. Every 30
// seconds the code of the current window is drawn; nothing else is sent
// or computed here.
"use strict";
(function () {
  var root = document.getElementById("phone-badge");
  if (!root) { return; }
  var base = root.getAttribute("data-base");
  var canvas = document.getElementById("phone-code");
  var status = document.getElementById("phone-status");
  var next = document.getElementById("phone-next");
  var seconds = document.getElementById("phone-seconds");
  var until = document.getElementById("phone-until");
  var untilDay = document.getElementById("phone-until-day");
  // stamp writes a time as the server's pages do, in the page's language
  // ("08/12/2026 23:40", "2026-12-08 23:40"), not in the phone's.
  function stamp(d) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var time = two(d.getHours()) + ":" + two(d.getMinutes());
    if (document.documentElement.lang === "en") {
      return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + time;
    }
    return two(d.getDate()) + "/" + two(d.getMonth() + 1) + "/" + d.getFullYear() + " " + time;
  }
  var texts = {};
  var tpl = document.getElementById("phone-texts");
  if (tpl) {
    tpl.content.querySelectorAll("[data-k]").forEach(function (el) { texts[el.getAttribute("data-k")] = el.textContent; });
  }
  var data = null;
  var offline = false;
  var shown = -1;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(base + "sw.js", { scope: base }).catch(function () {});
  }

  function bits(b64) {
    var s = atob(b64);
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
    return out;
  }

  function draw(modules, n) {
    var quiet = 4, side = n + 2 * quiet;
    var px = Math.floor(Math.min(canvas.width, canvas.height) / side);
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#000";
    var off = Math.floor((canvas.width - side * px) / 2);
    for (var y = 0; y < n; y++) {
      for (var x = 0; x < n; x++) {
        var i = y * n + x;
        if (modules[i >> 3] & (0x80 >> (i & 7))) {
          ctx.fillRect(off + (x + quiet) * px, off + (y + quiet) * px, px, px);
        }
      }
    }
  }

  function tick() {
    var now = Date.now();
    if (data) {
      var w = Math.floor(now / 1000 / data.window);
      var i = w - data.first;
      if (i >= 0 && i < data.codes.length) {
        if (w !== shown) {
          draw(bits(data.codes[i]), data.size);
          canvas.setAttribute("data-window", String(w));
          shown = w;
        }
        canvas.hidden = false;
        next.hidden = false;
        seconds.textContent = String(data.window - Math.floor(now / 1000) % data.window);
        status.textContent = offline ? (texts.offline || "") : "";
        var end = new Date((data.first + data.codes.length) * data.window * 1000);
        untilDay.textContent = stamp(end);
        until.hidden = false;
      } else {
        canvas.hidden = true;
        next.hidden = true;
        canvas.removeAttribute("data-window");
        shown = -1;
        status.textContent = texts.expired || "";
      }
    }
    setTimeout(tick, 1000 - now % 1000 + 5);
  }

  fetch(base + "codes.json", { cache: "no-store" }).then(function (r) {
    offline = r.headers.get("X-Badgeuse-Offline") === "1";
    if (r.status === 404 || r.status === 410) { // her link replaced, or the badge disabled
      status.textContent = texts.gone || "";
      return null;
    }
    if (!r.ok) { throw new Error("HTTP " + r.status); }
    return r.json();
  }).then(function (d) {
    if (!d) { return; }
    data = d;
    tick();
  }).catch(function () {
    status.textContent = texts.expired || "";
  });
})();
