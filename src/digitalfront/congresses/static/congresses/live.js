/* Live updates of the congress dashboard: an EventSource on /dai-hoi/su-kien/ (Server-Sent Events); each
   change to a congress moves the counts and bars, the province tile and the drill-down row, without a
   reload. News events are prepended to the news list. */
(function () {
  "use strict";
  var HELD = { held: true, reported: true, confirmed: true };

  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  function bump(key, delta) {
    each('[data-count="' + key + '"]', function (el) {
      el.textContent = String(Math.max((parseInt(el.textContent, 10) || 0) + delta, 0));
    });
  }

  function percent(share) { return (share * 100).toFixed(1).replace(".", ",") + "%"; }

  function redrawBar(level) {
    each('svg[data-bar="' + level + '"]', function (svg) {
      var segs = svg.querySelectorAll("rect[data-seg]");
      var counts = [], sum = 0;
      Array.prototype.forEach.call(segs, function (rect) {
        var cell = document.querySelector('[data-count="' + rect.getAttribute("data-seg") + '"]');
        var n = cell ? parseInt(cell.textContent, 10) || 0 : 0;
        counts.push(n); sum += n;
      });
      var total = Math.max(parseInt(svg.getAttribute("data-total"), 10) || 0, sum, 1), x = 0;
      Array.prototype.forEach.call(segs, function (rect, i) {
        var w = counts[i] / total * 100;
        rect.setAttribute("x", x.toFixed(2) + "%");
        rect.setAttribute("width", w.toFixed(2) + "%");
        var title = rect.querySelector("title");
        if (title) { title.textContent = title.textContent.replace(/\d+$/, String(counts[i])); }
        x += w;
      });
    });
  }

  function redrawHeld(level, delta) {
    each('[data-held="' + level + '"]', function (el) {
      var n = Math.max((parseInt(el.textContent, 10) || 0) + delta, 0);
      var expected = parseInt(el.getAttribute("data-expected"), 10) || 0;
      el.textContent = String(n);
      each('[data-held-share="' + level + '"]', function (share) {
        share.textContent = "(" + percent(expected ? n / expected : 0) + ")";
      });
    });
  }

  function tileClass(share) {
    if (share <= 0) { return "dh-p0"; }
    if (share >= 1) { return "dh-p5"; }
    return "dh-p" + Math.min(Math.floor(share * 4) + 1, 4);
  }

  function flash(el) {
    el.classList.remove("dh-flash");
    void el.offsetWidth; // restart the animation
    el.classList.add("dh-flash");
  }

  function onCongress(data, scope) {
    var prev = data.previous_status || (data.action === "plan" ? "none" : null);
    var changed = prev !== null && prev !== data.status;
    var inScope = !scope || data.province_code === scope;
    var heldDelta = (HELD[data.status] ? 1 : 0) - (prev && HELD[prev] ? 1 : 0);
    var level = data.level;
    if (changed && inScope && (!scope || level === "commune")) {
      [level, "total"].forEach(function (key) {
        bump(key + ":" + prev, -1);
        bump(key + ":" + data.status, 1);
        redrawBar(key);
        if (heldDelta) { redrawHeld(key, heldDelta); }
      });
    }
    if (level === "province") {
      each('[data-province="' + data.province_code + '"] .dh-own-status', function (el) {
        el.textContent = data.status_label; flash(el);
      });
      each('[data-own-row="' + data.unit_code + '"] .dh-status', function (el) {
        el.textContent = data.status_label; flash(el);
      });
    } else if (changed && heldDelta) {
      each('.dh-tile[data-province="' + data.province_code + '"]', function (tile) {
        var held = Math.max((parseInt(tile.getAttribute("data-held-count"), 10) || 0) + heldDelta, 0);
        var communes = parseInt(tile.getAttribute("data-communes"), 10) || 0;
        var share = communes ? held / communes : 0;
        tile.setAttribute("data-held-count", String(held));
        tile.querySelector(".dh-tile-held").textContent = String(held);
        tile.querySelector(".dh-tile-share").textContent = percent(share);
        tile.className = tile.className.replace(/\bdh-p\d\b/, tileClass(share));
        flash(tile);
      });
    }
    var row = document.getElementById("dh-row-" + data.unit_code);
    if (row) {
      row.setAttribute("data-status", data.status);
      row.querySelector(".dh-status").textContent = data.status_label;
      row.querySelector(".dh-planned").textContent = data.planned_on || "";
      row.querySelector(".dh-held").textContent = data.held_on || "";
      flash(row);
    }
  }

  function onNews(data) {
    var list = document.getElementById("dh-news");
    if (!list) { return; }
    var empty = list.querySelector(".dh-news-empty");
    if (empty) { empty.remove(); }
    var li = document.createElement("li");
    li.className = "list-item dh-flash";
    var title = document.createElement("span");
    title.className = "list-title";
    title.textContent = data.title || "";
    var sub = document.createElement("span");
    sub.className = "list-sub muted";
    sub.textContent = (data.unit_name || "") + (data.created_at ? " · " + data.created_at : "");
    li.appendChild(title); li.appendChild(sub);
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 20) { list.removeChild(list.lastChild); }
  }

  function start() {
    var box = document.getElementById("dh-live");
    if (!box || !window.EventSource) { return; }
    var url = box.getAttribute("data-events-url");
    var after = box.getAttribute("data-after");
    if (after) { url += (url.indexOf("?") < 0 ? "?" : "&") + "sau=" + encodeURIComponent(after); }
    var scope = box.getAttribute("data-province") || "";
    var status = document.querySelector("[data-live-status]");
    var source = new EventSource(url);
    source.addEventListener("open", function () {
      document.body.setAttribute("data-live", "open");
      if (status) { status.textContent = "Đang cập nhật trực tiếp."; }
    });
    source.addEventListener("error", function () {
      document.body.setAttribute("data-live", "reconnecting");
      if (status) { status.textContent = "Mất kết nối cập nhật trực tiếp, đang thử kết nối lại…"; }
    });
    source.addEventListener("congress", function (e) {
      try { onCongress(JSON.parse(e.data), scope); } catch (err) { /* a malformed event is skipped */ }
    });
    source.addEventListener("news", function (e) {
      try { onNews(JSON.parse(e.data)); } catch (err) { /* skipped */ }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
