// lgstandards validator: drag and drop onto the upload form (the form works without this).
(function () {
  "use strict";
  var zone = document.getElementById("drop-zone");
  var input = document.getElementById("files");
  var chosen = document.getElementById("chosen");
  if (!zone || !input || !window.DataTransfer) { return; }
  var hint = zone.querySelector(".app-drop-hint");
  if (hint) { hint.hidden = false; }
  var word = (document.currentScript && document.currentScript.getAttribute("data-chosen")) || "files chosen";
  function show() {
    if (chosen) { chosen.textContent = input.files.length ? input.files.length + " " + word : ""; }
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("app-drop--over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("app-drop--over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
    var all = new DataTransfer();
    Array.prototype.forEach.call(event.dataTransfer.files, function (file) { all.items.add(file); });
    input.files = all.files;
    show();
  });
  var summary = document.getElementById("error-summary") || document.getElementById("results");
  if (summary) { summary.focus(); }
})();
