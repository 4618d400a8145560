// The library's search box: suggestions (article headings, titles) as you type, in a listbox under the box.
// ARIA combobox pattern: arrow keys move through the suggestions, Enter picks one and searches, Escape
// closes. The form is a plain GET form and works the same without this file.
(function () {
  "use strict";
  var DELAY_MS = 150;
  var MIN_CHARS = 2;

  function setup(input) {
    var url = input.getAttribute("data-suggest-url");
    var form = input.form;
    var holder = input.parentNode;
    if (!url || !form || !holder || !window.fetch) { return; }
    var listId = input.id + "-goi-y";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "lib-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gợi ý tìm kiếm");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    holder.appendChild(list);
    holder.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0; // the latest request: older answers that arrive late are dropped
    var lastValue = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (!items.length) { return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (text, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = text;
        list.appendChild(option);
      });
      active = -1;
      if (items.length) {
        status.textContent = items.length + " gợi ý; dùng phím mũi tên lên, xuống để chọn.";
        open();
      } else {
        status.textContent = "";
        close();
      }
    }

    function choose(index) {
      if (index < 0 || index >= items.length) { return; }
      input.value = items[index];
      lastValue = input.value;
      close();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }

    function ask() {
      var value = input.value.trim();
      if (value === lastValue) { open(); return; }
      lastValue = value;
      if (value.length < MIN_CHARS) { render([]); return; }
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(value), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (mine !== asked) { return; }
          var found = Array.isArray(data.suggestions) ? data.suggestions : [];
          render(found.filter(function (s) { return typeof s === "string"; }));
        })
        .catch(function () { if (mine === asked) { render([]); } });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var shown = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!shown) { open(); if (!items.length) { return; } }
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!shown) { return; }
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (shown && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (shown) {
          event.preventDefault(); // a search box would also clear itself
          close();
        }
      }
    });

    // mousedown would blur the input (and close the list) before the click lands
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target instanceof Element ? event.target.closest("[role=option]") : null;
      if (option) { choose(Array.prototype.indexOf.call(list.children, option)); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
    input.addEventListener("focus", function () { if (input.value.trim() === lastValue) { open(); } });
  }

  var inputs = document.querySelectorAll("input[data-suggest-url]");
  for (var i = 0; i < inputs.length; i++) { setup(inputs[i]); }
})();
