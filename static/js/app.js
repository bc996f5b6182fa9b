// The app's only script: small glue around htmx. No inline scripts anywhere (CSP script-src 'self').
(function () {
  "use strict";

  function notice(message, kind) {
    var area = document.getElementById("notice");
    if (!area) { return; }
    var p = document.createElement("p");
    p.className = "flash flash-" + (kind || "error");
    p.setAttribute("role", "alert");
    p.textContent = message;
    area.replaceChildren(p);
    window.setTimeout(function () { if (p.parentNode) { p.remove(); } }, 8000);
  }

  var STATUS_MESSAGES = {
    400: "Yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy dữ liệu (có thể đã bị xóa).",
    413: "Tệp quá lớn (tối đa 10 MB).",
    429: "Bạn thao tác quá nhanh. Vui lòng đợi một lát rồi thử lại.",
    500: "Máy chủ gặp lỗi. Thao tác chưa được thực hiện; vui lòng thử lại."
  };

  // htmx does not swap error responses (see responseHandling in base.html): say what happened.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    notice(STATUS_MESSAGES[status] || STATUS_MESSAGES[500]);
  });

  document.addEventListener("htmx:sendError", function () {
    notice("Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại; dữ liệu chưa được gửi.");
  });

  // Plain forms that ask for confirmation: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // The account menu (<details class="menu">) closes on a click elsewhere or on Escape.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeMenus(null); }
  });

  // Print buttons on document pages: <button data-print>.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
})();

/* contests: scoring — the judge's sheet autosaves with htmx (hx-post on input); this says
   "saving", and when a save fails (no connection, server error) says so and keeps the form.
   A submit button may ask for confirmation: <button data-confirm="...">. */
(function () {
  "use strict";

  function sheetStatus(event) {
    var elt = event.detail && event.detail.elt;
    var form = elt && elt.closest ? elt.closest("form[data-autosave]") : null;
    return form ? form.querySelector("#sheet-status") : null;
  }

  function show(status, text, state) {
    status.textContent = text;
    status.className = "sheet-status sheet-status-" + state;
    status.setAttribute("role", state === "failed" ? "alert" : "status");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var status = sheetStatus(event);
    if (status) { show(status, status.dataset.saving, "saving"); }
  });

  function failed(event) {
    var status = sheetStatus(event);
    if (status) { show(status, status.dataset.failed, "failed"); }
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:timeout", failed);

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();

/* contests: scoring — Enter (the tablet keyboard's "next") in a mark goes to the next field
   instead of sending the form. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !(input instanceof HTMLInputElement) || !input.classList.contains("mark-input")) {
      return;
    }
    var fields = Array.prototype.slice.call(input.form.querySelectorAll(".mark-input, textarea"));
    var following = fields[fields.indexOf(input) + 1];
    if (following) {
      event.preventDefault();
      following.focus();
    }
  });
})();
