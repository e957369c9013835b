// Polls a job's progress and updates the page; the status text is announced politely. A job
// whose worker stopped shows as stalled, with its "Start again" notice, without a reload.
(function () {
  var box = document.querySelector("[data-job]");
  if (!box) return;
  // The status's words in the page's language, from the page (data-queued, data-stalled …).
  var status = box.querySelector("[data-job-status]");
  var stalledNotice = box.querySelector("[data-job-stalled]");
  function poll() {
    fetch(box.dataset.jobUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        var said = job.stalled ? status.dataset.stalled : status.dataset[job.status];
        // Written only when it changes, so that the live region announces a change once.
        if (status.textContent !== (said || job.status)) status.textContent = said || job.status;
        box.querySelector("[data-job-progress]").value = job.progress;
        box.querySelector("[data-job-message]").textContent = job.message;
        if (stalledNotice) stalledNotice.hidden = !job.stalled;
        var ended = job.status === "done" || job.status === "failed";
        // A running job may be picked up again by recovery: keep looking, more slowly.
        if (!ended) setTimeout(poll, job.stalled ? 5000 : 1000);
        else if (box.hasAttribute("data-job-reload")) window.location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
