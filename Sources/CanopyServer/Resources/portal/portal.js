// Canopy portal: small progressive enhancements; every page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // "Select all" checkboxes in app lists.
  for (const all of document.querySelectorAll("input.select-all")) {
    all.addEventListener("change", () => {
      for (const box of all.closest("form").querySelectorAll('input[type=checkbox][name=app]')) box.checked = all.checked;
    });
  }
  // Range selectors apply on change.
  for (const select of document.querySelectorAll("select.autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
  }
  // Log upload with a progress bar (the form posts normally without the script).
  const upload = document.querySelector("form#upload");
  if (upload) {
    upload.addEventListener("submit", (event) => {
      event.preventDefault();
      const bar = document.querySelector("#upload-progress");
      const status = document.querySelector("#upload-status");
      const request = new XMLHttpRequest();
      request.open("POST", upload.action);
      request.setRequestHeader("X-CSRF-Token", document.querySelector('meta[name="csrf-token"]').content);
      request.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; }
        status.textContent = e.lengthComputable && e.loaded >= e.total ? "Parsing…" : "Uploading…";
      });
      request.addEventListener("load", () => {
        if (request.status < 400 && request.responseURL) { window.location.assign(request.responseURL); }
        else { status.textContent = "The upload failed (" + request.status + ")."; }
      });
      request.addEventListener("error", () => { status.textContent = "The upload failed."; });
      bar.hidden = false;
      request.send(new FormData(upload));
    });
  }
});
