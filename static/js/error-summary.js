// Move the focus to a form's error summary when a page shows one. The summary also has
// `autofocus`, but browsers skip autofocus when the address has a #fragment (after the skip
// link, say), which would leave a screen reader user unaware that the form was refused.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
