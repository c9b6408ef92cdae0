// Print buttons: hidden without JavaScript (Ctrl+P still works), shown and wired when it runs.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
