// Autosave of the questionnaire: each answer is posted the moment it is chosen, a comment when
// its field is left. Says what happened near the answer and in the page's live region, keeps the
// progress bar current, and asks before leaving while something is not saved yet. Without this
// script the step form still saves everything with its buttons.
(function () {
  "use strict";

  var form = document.getElementById("step-form");
  if (!form || !window.fetch) { return; }
  var live = document.getElementById("autosave-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var urlTemplate = form.dataset.autosaveUrl;
  var progress = document.querySelector(".questionnaire-progress progress");
  var progressLabel = document.querySelector(".questionnaire-progress label");
  var criteria = {};       // key -> {fieldset, state: "saved"|"dirty"|"saving"|"failed", again}
  var inFlight = 0;
  var queuedSubmit = null;      // {submitter}: a step save waiting for autosaves to land
  var submitting = false;

  function keyOf(fieldset) { return fieldset.id.slice("criterion-".length); }
  function field(key, part) { return form.elements[key + "-" + part]; }
  function checkedValue(key) {
    var checked = form.querySelector("input[name='" + key + "-value']:checked");
    return checked ? checked.value : "";
  }

  function statusNear(item) {
    if (!item.status) {
      item.status = document.createElement("p");
      item.status.className = "autosave-note small mt-2 mb-0";
      item.fieldset.querySelector(".card-body").appendChild(item.status);
    }
    return item.status;
  }

  function say(item, text, kind, retry) {
    var note = statusNear(item);
    note.textContent = text;
    note.dataset.kind = kind;
    if (retry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-danger ms-2";
      button.textContent = form.dataset.msgRetry;
      button.addEventListener("click", function () { save(item.key); });
      note.appendChild(button);
    }
    live.textContent = text;
    live.dataset.kind = kind;
  }

  function updateProgress() {
    if (!progress) { return; }
    var answered = progress.dataset.base * 1;
    Object.keys(criteria).forEach(function (key) { if (criteria[key].answered) { answered += 1; } });
    var total = progress.max;
    progress.value = answered;
    progress.textContent = Math.round(100 * answered / total) + "%";
    progressLabel.textContent = progressLabel.dataset.template
      .replace("{answered}", answered).replace("{total}", total)
      .replace("{percent}", Math.round(100 * answered / total));
  }

  function showTheirs(item, data) {
    var key = item.key;
    form.querySelectorAll("input[name='" + key + "-value']").forEach(function (radio) {
      radio.checked = radio.value === data.value;
    });
    field(key, "comment").value = data.comment;
    item.fieldset.classList.add("border-warning", "autosave-conflict");
    item.answered = data.value !== "";
    say(item, data.message, "conflict", false);
  }

  function finish() {
    inFlight -= 1;
    if (inFlight === 0 && queuedSubmit) {
      var submitter = queuedSubmit.submitter;
      queuedSubmit = null;
      form.requestSubmit(submitter);
    }
  }

  function save(key) {
    var item = criteria[key];
    if (item.state === "saving") { item.again = true; return; }
    item.state = "saving";
    item.again = false;
    say(item, form.dataset.msgSaving, "saving", false);
    var body = new URLSearchParams();
    body.set("value", checkedValue(key));
    body.set("comment", field(key, "comment").value);
    body.set("revision", field(key, "revision").value);
    inFlight += 1;
    fetch(urlTemplate.replace("criterion-key", encodeURIComponent(key)), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (result) {
      var data = result.data;
      if (result.status === 200) {
        // A changed answer counts as given now: a carried-over one no longer waits to be confirmed.
        var carried = item.fieldset.querySelector(".carried-answer");
        if (carried && String(data.revision) !== field(key, "revision").value) { carried.remove(); }
        field(key, "revision").value = data.revision;
        item.state = "saved";
        item.answered = checkedValue(key) !== "" && !item.fieldset.querySelector(".carried-answer");
        item.fieldset.classList.remove("autosave-conflict");
        say(item, data.message, "saved", false);
      } else if (result.status === 409 && data.status === "conflict") {
        field(key, "revision").value = data.revision;
        item.state = "saved";
        showTheirs(item, data);
      } else {
        item.state = "failed";
        say(item, data.message || form.dataset.msgFailed, "failed", result.status !== 409);
      }
    }, function () {
      item.state = "failed";
      say(item, form.dataset.msgFailed, "failed", true);
    }).then(function () {
      updateProgress();
      if (item.again && item.state !== "failed") { save(key); }
      finish();
    });
  }

  form.querySelectorAll("fieldset.criterion").forEach(function (fieldset) {
    var key = keyOf(fieldset);
    // A carried-over answer waiting to be confirmed does not count as answered yet.
    var waiting = fieldset.querySelector(".carried-answer") !== null;
    criteria[key] = { key: key, fieldset: fieldset, state: "saved", answered: checkedValue(key) !== "" && !waiting };
  });
  if (progress) {
    var onPage = Object.keys(criteria).filter(function (key) { return criteria[key].answered; });
    progress.dataset.base = progress.value - onPage.length;
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.criterion");
    if (fieldset) { save(keyOf(fieldset)); }
  });
  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset.criterion");
    if (fieldset && event.target.tagName === "TEXTAREA") {
      var item = criteria[keyOf(fieldset)];
      if (item.state !== "saving") {
        item.state = "dirty";
        say(item, form.dataset.msgUnsaved, "dirty", false);
      } else {
        item.again = true;
      }
    }
  });
  // The whole step is saved by its buttons; wait for autosaves on the way, so the step's
  // revisions are the ones they left (else it would conflict with itself).
  form.addEventListener("submit", function (event) {
    if (inFlight > 0) {
      event.preventDefault();
      queuedSubmit = { submitter: event.submitter || null };
      return;
    }
    submitting = true;
  });

  window.addEventListener("pageshow", function () { submitting = false; });
  window.addEventListener("beforeunload", function (event) {
    if (submitting) { return; }
    var unsaved = Object.keys(criteria).some(function (key) {
      return criteria[key].state !== "saved";
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());
