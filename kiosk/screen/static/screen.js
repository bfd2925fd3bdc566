// The door screen's script (no inline script: the page's CSP allows only
// this file). It shows each decision full screen, in the LED's colour, for
// as long as the LEDs (ms), then empties the message: nothing personal
// stays on screen. Events come from the kiosk by server-sent events.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var message = $("message"), idle = $("idle");
  var shown = 0, timer = null;

  function clear() {
    ["title", "text", "title-en", "text-en"].forEach(function (id) { $(id).textContent = ""; });
    message.hidden = true;
    message.className = "";
    idle.hidden = false;
  }

  // A member who speaks English (lang "en") reads English first, then
  // French; everyone else French first.
  function show(d) {
    clearTimeout(timer);
    var en = d.lang === "en";
    $("title").textContent = en ? d.title_en : d.title;
    $("text").textContent = en ? d.text_en : d.text;
    $("title-en").textContent = en ? d.title : d.title_en;
    $("text-en").textContent = en ? d.text : d.text_en;
    message.lang = en ? "en" : "fr";
    $("second").lang = en ? "fr" : "en";
    message.className = d.accept ? "green" : "red";
    message.hidden = false;
    idle.hidden = true;
    message.dataset.seq = String(++shown);
    timer = setTimeout(clear, Math.max(500, d.ms || 0));
  }

  function info(d) {
    $("space").textContent = d.space || "Badgeuse";
    $("hours").textContent = d.hours || "Ouvert à toute heure";
    var n = d.here || 0;
    $("here").textContent = n + (n > 1 ? " personnes" : " personne") + " ici aujourd’hui";
    $("here").dataset.here = String(n);
  }

  var source = new EventSource("/events");
  source.addEventListener("open", function () { document.body.dataset.live = "1"; });
  source.addEventListener("error", function () { document.body.dataset.live = "0"; });
  source.addEventListener("decision", function (e) { show(JSON.parse(e.data)); });
  source.addEventListener("info", function (e) { info(JSON.parse(e.data)); });

  // The preview is a stream that never ends: it starts once the page has
  // loaded (the page's load event would wait for it), and is asked again
  // when it breaks (kioskd restarting).
  var preview = $("preview");
  preview.addEventListener("error", function () {
    setTimeout(function () { preview.src = "/preview.mjpg?" + Date.now(); }, 2000);
  });
  if (document.readyState === "complete") {
    preview.src = "/preview.mjpg";
  } else {
    window.addEventListener("load", function () { preview.src = "/preview.mjpg"; });
  }
}());
