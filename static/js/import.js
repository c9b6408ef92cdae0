// The progress bar of a large import (templates/admin/imports/job.html): polls the job's status
// and reloads the page when the check or the import has finished. No inline script: the CSP.
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  if (!bar) return;
  var text = document.getElementById("import-processed");
  var url = bar.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        bar.max = status.total;
        bar.value = status.processed;
        if (text) text.textContent = String(status.processed);
        if (status.running) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
