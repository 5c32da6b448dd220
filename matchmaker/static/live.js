// Keeps the organiser's live figures up to date without reloading; the page refreshes itself
// without JavaScript (a <noscript> refresh), so this only makes it smoother.
(function () {
  var table = document.getElementById("live");
  if (!table) return;
  var url = table.getAttribute("data-url");
  var every = parseInt(table.getAttribute("data-every"), 10) * 1000;
  var stamp = document.getElementById("live-now");
  function show(slot, field, value) {
    var cell = table.querySelector('tr[data-slot="' + slot.slot_id + '"] [data-field="' + field + '"]');
    if (cell) cell.textContent = value;
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (live) {
        live.slots.forEach(function (s) {
          show(s, "state", s.shown.state);
          show(s, "meetings", s.meetings);
          show(s, "confirmed", s.confirmed);
          show(s, "checked_in", s.shown.checked_in);
          show(s, "no_shows", s.no_shows);
          show(s, "standby", s.standby);
          show(s, "answer_rate", s.shown.answer_rate);
          show(s, "rating", s.shown.rating);
        });
        if (stamp) stamp.textContent = live.now_shown;
        window.setTimeout(poll, every);
      })
      .catch(function () { window.setTimeout(poll, every * 2); });
  }
  window.setTimeout(poll, every);
})();
