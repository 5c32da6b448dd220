// Updates a running match's progress bar without reloading; the page works without it.
(function () {
  var box = document.getElementById("run-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var phase = box.querySelector("[data-phase]");
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (run) {
        bar.value = run.progress;
        bar.textContent = run.progress + "%";
        phase.textContent = run.phase + " (" + run.progress + "%)";
        if (run.status === "done" || run.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
