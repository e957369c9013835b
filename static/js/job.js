// Polls a job's progress and updates the page; the status text is announced politely.
(function () {
  var box = document.querySelector("[data-job]");
  if (!box) return;
  var statusNames = { queued: "Waiting to start", running: "In progress", done: "Finished", failed: "Failed" };
  function poll() {
    fetch(box.dataset.jobUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        box.querySelector("[data-job-status]").textContent = statusNames[job.status] || job.status;
        box.querySelector("[data-job-progress]").value = job.progress;
        box.querySelector("[data-job-message]").textContent = job.message;
        if (job.status !== "done" && job.status !== "failed") setTimeout(poll, 1000);
        else if (box.hasAttribute("data-job-reload")) window.location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
