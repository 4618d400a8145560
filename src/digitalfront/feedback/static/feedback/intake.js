// The citizen's form: communes follow the chosen province, the phone's location fills the map point,
// and "anonymous" hides the identity fields. The form works without this file.
(function () {
  "use strict";
  var form = document.querySelector(".intake-form");
  if (!form) { return; }
  var province = form.querySelector("[name=province]");
  var commune = form.querySelector("[name=commune]");
  if (province && commune) {
    province.addEventListener("change", function () {
      var url = (form.dataset.communesUrl || "xa/") + "?province=" + encodeURIComponent(province.value);
      fetch(url, { headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { commune.innerHTML = html; })
        .catch(function () { commune.innerHTML = '<option value="">— Không tải được danh sách, hãy thử lại —</option>'; });
    });
  }
  var geoButton = form.querySelector("[data-geo-button]");
  var geoStatus = form.querySelector("[data-geo-status]");
  if (geoButton && navigator.geolocation) {
    geoButton.hidden = false;
    geoButton.addEventListener("click", function () {
      geoStatus.textContent = "Đang lấy vị trí…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
        geoStatus.textContent = "Đã ghi vị trí " + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
      }, function () {
        geoStatus.textContent = "Không lấy được vị trí. Bạn có thể bỏ qua bước này.";
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  } else if (geoButton) {
    geoButton.hidden = true;
  }
  var anonymous = form.querySelector("[name=anonymous]");
  var identity = form.querySelector(".identity-fields");
  function syncAnonymous() { if (identity && anonymous) { identity.hidden = anonymous.checked; } }
  if (anonymous) { anonymous.addEventListener("change", syncAnonymous); syncAnonymous(); }
})();
