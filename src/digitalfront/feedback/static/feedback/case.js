// The case page: an answer template fills the answer box (the page works without this file).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-template]") : null;
    if (!button) { return; }
    var target = document.getElementById(button.getAttribute("data-target"));
    if (target) { target.value = button.getAttribute("data-template"); target.focus(); }
  });
})();
