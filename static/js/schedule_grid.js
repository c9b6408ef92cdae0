// The B2B plan's grid: drag a meeting onto a cell to move it. The drop fills and sends the page's own
// move form, so the server's checks and messages are the same as without a script.
(function () {
  "use strict";
  const grid = document.querySelector("[data-schedule-grid]");
  const form = document.querySelector("[data-schedule-move]");
  if (!grid || !form) return;
  const field = (name) => form.querySelector(`[name="${name}"]`);
  let dragged = null;
  document.querySelectorAll("[data-planned][draggable='true']").forEach((item) => {
    item.addEventListener("dragstart", (event) => {
      dragged = item.dataset.planned;
      event.dataTransfer.setData("text/plain", dragged);
      event.dataTransfer.effectAllowed = "move";
      item.classList.add("dragging");
    });
    item.addEventListener("dragend", () => item.classList.remove("dragging"));
  });
  grid.querySelectorAll(".schedule-cell").forEach((cell) => {
    cell.addEventListener("dragover", (event) => {
      if (dragged) {
        event.preventDefault();
        cell.classList.add("drop-target");
      }
    });
    cell.addEventListener("dragleave", () => cell.classList.remove("drop-target"));
    cell.addEventListener("drop", (event) => {
      event.preventDefault();
      cell.classList.remove("drop-target");
      const planned = dragged || event.dataTransfer.getData("text/plain");
      dragged = null;
      if (!planned) return;
      field("meeting").value = planned;
      field("slot").value = cell.dataset.slot;
      field("table").value = cell.dataset.table;
      form.requestSubmit();
    });
  });
})();
