(function () {
  // presswerk live reload: injected into served HTML only, never into built files.
  var overlayId = "presswerk-error-overlay";
  function clearOverlay() {
    var old = document.getElementById(overlayId);
    if (old) old.remove();
  }
  var lastGood = "presswerk: the last save does not build. The page shows the last good build.";
  var leftOut = "presswerk: this page's file does not build, so it is left out; every other page is served. It comes back when the file is fixed.";
  function showOverlay(text, heading) {
    clearOverlay();
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#f5f5f5;padding:2rem;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    var title = document.createElement("p");
    title.textContent = heading || lastGood;
    title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8a80";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    box.appendChild(title);
    box.appendChild(pre);
    document.body.appendChild(box);
  }
  // The page's own errors (its file was left out of the build) stay until a new build.
  var own = document.getElementById("presswerk-page-error");
  function showOwn() {
    if (own) showOverlay(own.textContent, leftOut); else clearOverlay();
  }
  var initial = document.getElementById("presswerk-initial-error");
  if (initial) showOverlay(initial.textContent); else showOwn();
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var source = new EventSource("/__presswerk/events");
  // On every (re)connect the server says where things stand: a newer build than this page
  // means a save was missed while the page loaded.
  source.addEventListener("hello", function (e) {
    var now = JSON.parse(e.data);
    if (generation !== null && String(now.generation) !== generation) { location.reload(); return; }
    if (now.error) showOverlay(now.error); else showOwn();
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function () {
    showOwn();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("presswerk", Date.now());
      link.href = url.toString();
    });
  });
  source.addEventListener("build-error", function (e) { showOverlay(JSON.parse(e.data).text); });
})();
