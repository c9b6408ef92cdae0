// A large export's page (templates/admin/export_job.html): ask for the job's state every two
// seconds until it is ready or has failed, then offer the download. No inline script (CSP).
(function () {
  "use strict";
  function start() {
    var page = document.querySelector(".export-job[data-status-url]");
    if (!page) return;
    var state = page.getAttribute("data-state");
    if (state === "done" || state === "failed") return;
    var show = function (selector, visible) {
      var node = page.querySelector(selector);
      if (node) node.hidden = !visible;
    };
    var poll = function () {
      fetch(page.getAttribute("data-status-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (status) {
          page.querySelector("[data-export-label]").textContent = status.label;
          page.setAttribute("data-state", status.state);
          if (status.state === "done") {
            page.querySelector("[data-export-download]").setAttribute("href", status.download_url);
            show("[data-export-ready]", true);
            show("[data-export-waiting]", false);
          } else if (status.state === "failed") {
            show("[data-export-failed]", true);
            show("[data-export-waiting]", false);
          } else {
            window.setTimeout(poll, 2000);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
