// Narrow screens: every data table of the page (not the calendar) shows its rows as cards, each cell headed by its
// column's name (read from the table's own header, so no template repeats it). Without JavaScript the
// table keeps its scroll box. Copy buttons: hidden without JavaScript, they copy their target's text.
(function () {
  "use strict";

  function headers(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) return null;
    var names = [];
    Array.prototype.forEach.call(row.cells, function (cell) {
      var span = cell.colSpan || 1;
      for (var i = 0; i < span; i++) names.push(cell.textContent.replace(/\s+/g, " ").trim());
    });
    return names;
  }

  document.querySelectorAll("main table").forEach(function (table) {
    if (table.hasAttribute("data-no-cards") || table.classList.contains("calendar")) return;
    var names = headers(table);
    if (!names) return;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var name = names[column];
          if (name && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", name);
          column += cell.colSpan || 1;
        });
      });
    });
    table.setAttribute("data-cards", "");
  });

  function copied(button) {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-copied") || label;
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = "value" in target ? target.value : target.textContent;
      function fallback() {
        // Older browsers and plain-HTTP pages have no clipboard API: select the text, copy the selection.
        if (target.select) {
          target.select();
        } else {
          var range = document.createRange();
          range.selectNodeContents(target);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }
        try {
          if (document.execCommand("copy")) copied(button);
        } catch (e) { /* the text stays selected: Ctrl+C copies it */ }
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { copied(button); }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
