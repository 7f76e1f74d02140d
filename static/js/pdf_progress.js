// The PDF waiting page: ask for the status every second; open the PDF when it is ready.
// Without JavaScript the page's refresh link does the same by hand.
(function () {
  "use strict";
  var status = document.getElementById("pdf-status");
  if (!status) {
    return;
  }
  var url = status.dataset.pollUrl;
  var tries = 0;

  function poll() {
    tries += 1;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (answer.status === "ready") {
          status.textContent = status.dataset.readyText;
          window.location.assign(url);
        } else if (answer.message) {
          status.textContent = answer.message;
        } else if (tries < 300) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        if (tries < 300) {
          window.setTimeout(poll, 3000);
        }
      });
  }

  window.setTimeout(poll, 1000);
})();
