// The PDF waiting page: ask how far the PDF is, a little less often each time (1.25 s, 1.5 s,
// ... at most every 3 s, plus up to a fifth at random), and open it when it is ready. The status address (data-poll-url) is
// the render's own and costs the server one query; the PDF's address (data-pdf-url) checks
// access again and serves the file. Without JavaScript the page's refresh link does the same.
(function () {
  "use strict";
  var status = document.getElementById("pdf-status");
  if (!status) {
    return;
  }
  var pollUrl = status.dataset.pollUrl;
  var pdfUrl = status.dataset.pdfUrl;
  var tries = 0;

  // Tabs opened together do not all ask at the same moment: each wait is stretched by up to
  // a fifth at random.
  function delay() {
    return Math.min(1000 + 250 * tries, 3000) * (1 + 0.2 * Math.random());
  }

  function poll() {
    tries += 1;
    fetch(pollUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (answer.status === "ready") {
          status.textContent = status.dataset.readyText;
          window.location.assign(answer.document_url || pdfUrl);
        } else if (answer.status === "stale") {
          // The render lost its task: asking again at the document's address enqueues it anew.
          window.location.assign(answer.document_url || pdfUrl);
        } else if (answer.message) {
          status.textContent = answer.message;
        } else if (tries < 200) {
          if (answer.status === "rendering" && status.textContent !== status.dataset.renderingText) {
            status.textContent = status.dataset.renderingText;
          }
          window.setTimeout(poll, delay());
        }
      })
      .catch(function () {
        if (tries < 200) {
          window.setTimeout(poll, 3000);
        }
      });
  }

  window.setTimeout(poll, delay());
})();
