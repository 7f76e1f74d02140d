// Autosave of the questionnaire: each answer is posted the moment it is chosen, a comment when
// its field is left. Says what happened near the answer and in the page's live regions, keeps the
// progress bar current, and never loses an answer: until the server has it, an answer is kept in
// sessionStorage (per assessment and perspective) and sent again when the network is back, after
// signing in again (the step page sends what is kept when it opens) or with "Try again"; a
// colleague's newer answer still wins (the revision goes with it). Clicking the carried-over
// answer shown confirms it; "Next" asks about the step's answers still to confirm. Without this
// script the step form still saves everything with its buttons (and "Next" asks on a page).
(function () {
  "use strict";

  var form = document.getElementById("step-form");
  if (!form || !window.fetch) { return; }
  var live = document.getElementById("autosave-status");
  var problem = document.getElementById("autosave-problem");
  var formToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var urlTemplate = form.dataset.autosaveUrl;
  var storageKey = form.dataset.storageKey;
  var progress = document.querySelector(".questionnaire-progress progress");
  var progressLabel = document.querySelector(".questionnaire-progress label");
  var carriedInput = form.querySelector("input[name=carried]");
  var prompt = document.getElementById("carried-prompt");
  var confirmStep = form.querySelector("button[name=action][value=confirm_step]");
  var criteria = {};       // key -> {fieldset, state, reason, again, confirm, lastValue, answered}
  var inFlight = 0;
  var queuedSubmit = null;      // {submitter}: a step save waiting for autosaves to land
  var submitting = false;
  var leaving = false;          // following the sign-in link: what is unsaved is kept
  var retryDelay = 0;
  var retryTimer = null;
  var RETRYABLE = { offline: true, server: true, "signed-out": true };

  // What the server does not have yet, kept across reloads and signing in again.
  function kept() {
    try { return JSON.parse(window.sessionStorage.getItem(storageKey) || "{}"); } catch (e) { return {}; }
  }
  function keep(key, entry) {
    var all = kept();
    if (entry) { all[key] = entry; } else { delete all[key]; }
    try {
      if (Object.keys(all).length) {
        window.sessionStorage.setItem(storageKey, JSON.stringify(all));
      } else {
        window.sessionStorage.removeItem(storageKey);
      }
    } catch (e) { /* storage full or refused: the page itself still holds the answer */ }
  }

  function csrfToken() {
    // Signing in again gives a new token: the cookie has it, the page's copy is then stale.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : formToken;
  }

  function keyOf(fieldset) { return fieldset.id.slice("criterion-".length); }
  function field(key, part) { return form.elements[key + "-" + part]; }
  function checkedValue(key) {
    var checked = form.querySelector("input[name='" + key + "-value']:checked");
    return checked ? checked.value : "";
  }
  function confidenceOf(key) {
    var select = field(key, "confidence");
    return select ? select.value : undefined;
  }
  function carriedOf(item) { return item.fieldset.querySelector(".carried-answer"); }

  function statusNear(item) {
    if (!item.status) {
      item.status = document.createElement("p");
      item.status.className = "autosave-note small mt-2 mb-0";
      item.fieldset.querySelector(".card-body").appendChild(item.status);
    }
    return item.status;
  }

  function retryButton(className) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm ms-2 " + (className || "btn-outline-danger");
    button.textContent = form.dataset.msgRetry;
    button.addEventListener("click", function () { retryAll(true); });
    return button;
  }

  function say(item, text, kind, retry) {
    var note = statusNear(item);
    note.textContent = text;
    note.dataset.kind = kind;
    if (retry) { note.appendChild(retryButton()); }
    live.textContent = kind === "failed" ? form.dataset.msgNotSaved : text;
    live.dataset.kind = kind;
  }

  function failures() {
    return Object.keys(criteria).filter(function (key) {
      return criteria[key].state === "failed" && RETRYABLE[criteria[key].reason];
    });
  }

  // The message at the top (an assertive live region): what is not saved, why, what to do.
  function showProblem(extra) {
    var failed = failures();
    var others = Object.keys(kept()).filter(function (key) { return !criteria[key]; });
    problem.textContent = "";
    if (!failed.length && !others.length && !extra) { return; }
    var box = document.createElement("div");
    box.className = "alert alert-danger mb-3";
    var text = document.createElement("p");
    text.className = "mb-2";
    var count = failed.length + others.length;
    var reasons = failed.map(function (key) { return criteria[key].reason; });
    var signedOut = reasons.indexOf("signed-out") !== -1;
    var parts = [];
    if (extra) { parts.push(extra); }
    if (count) {
      parts.push((count === 1 ? form.dataset.msgKeptOne : form.dataset.msgKeptMany).replace("{count}", count));
      parts.push(signedOut ? form.dataset.msgSignedOut
        : reasons.indexOf("offline") !== -1 ? form.dataset.msgOffline : form.dataset.msgServer);
    }
    text.textContent = parts.join(" ");
    box.appendChild(text);
    if (signedOut) {
      var link = document.createElement("a");
      link.className = "btn btn-sm btn-danger";
      link.href = form.dataset.loginUrl;
      link.textContent = form.dataset.msgSignIn;
      link.addEventListener("click", function () { leaving = true; });
      box.appendChild(link);
    }
    if (count) { box.appendChild(retryButton("btn-outline-dark")); }
    problem.appendChild(box);
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

  function carriedCount() { return form.querySelectorAll(".carried-answer").length; }

  function updateCarried() {
    var count = carriedCount();
    if (confirmStep) {
      confirmStep.hidden = count === 0;
      confirmStep.textContent = (count === 1 ? confirmStep.dataset.one : confirmStep.dataset.many)
        .replace("{count}", count);
    }
    if (prompt) {
      var title = prompt.querySelector("h2");
      title.textContent = (count === 1 ? prompt.dataset.one : prompt.dataset.many).replace("{count}", count);
    }
  }

  function showTheirs(item, data) {
    var key = item.key;
    form.querySelectorAll("input[name='" + key + "-value']").forEach(function (radio) {
      radio.checked = radio.value === data.value;
    });
    item.lastValue = data.value;
    field(key, "comment").value = data.comment;
    if (field(key, "confidence") && data.confidence !== undefined) {
      field(key, "confidence").value = data.confidence;
    }
    item.fieldset.classList.add("border-warning", "autosave-conflict");
    item.answered = data.value !== "" && !carriedOf(item);
    say(item, data.message, "conflict", false);
  }

  function scheduleRetry() {
    if (retryTimer) { return; }
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 60000);
    retryTimer = window.setTimeout(function () { retryTimer = null; retryAll(false); }, retryDelay);
  }

  function finish() {
    inFlight -= 1;
    if (inFlight > 0) { return; }
    showProblem();
    if (failures().length || Object.keys(kept()).some(function (key) { return !criteria[key]; })) {
      scheduleRetry();
    }
    if (queuedSubmit) {
      var submitter = queuedSubmit.submitter;
      queuedSubmit = null;
      if (failures().length) {
        // Moving on now would lose what is not saved: stay, and say so at the top.
        showProblem(form.dataset.msgStayed);
        problem.scrollIntoView({ block: "center" });
        return;
      }
      form.requestSubmit(submitter);
    }
  }

  // One answer to the server; resolves to {status, data} or {status: 0} without a network.
  function send(key, entry) {
    var body = new URLSearchParams();
    body.set("value", entry.value);
    body.set("comment", entry.comment);
    body.set("revision", entry.revision);
    if (entry.confidence !== undefined) { body.set("confidence", entry.confidence); }
    if (entry.confirm) { body.set("confirm", "1"); }
    return fetch(urlTemplate.replace("criterion-key", encodeURIComponent(key)), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        var status = response.status;
        // A login page reached through a redirect is not a save, whatever its status.
        if (response.redirected || (status === 200 && !data.status)) {
          status = 401;
          data = { status: "signed_out" };
        }
        return { status: status, data: data };
      });
    }, function () { return { status: 0, data: {} }; });
  }

  function reasonOf(result) {
    if (result.status === 0) { return "offline"; }
    if (result.status === 401 || result.data.status === "csrf") { return "signed-out"; }
    if (result.status >= 500 || result.status === 429) { return "server"; }
    return "refused";
  }

  function save(key, options) {
    var item = criteria[key];
    var confirm = (options && options.confirm) || false;
    if (item.state === "saving") {
      item.again = true;
      item.confirm = item.confirm || confirm;
      return;
    }
    item.state = "saving";
    item.again = false;
    var entry = {
      value: checkedValue(key),
      comment: field(key, "comment").value,
      revision: field(key, "revision").value,
      confidence: confidenceOf(key),
      confirm: confirm || item.confirm || false
    };
    item.confirm = false;
    keep(key, entry);
    say(item, form.dataset.msgSaving, "saving", false);
    inFlight += 1;
    send(key, entry).then(function (result) {
      var data = result.data;
      if (result.status === 200 && data.status === "saved") {
        // A changed answer counts as given now: a carried-over one no longer waits to be confirmed.
        var carried = carriedOf(item);
        if (carried && String(data.revision) !== field(key, "revision").value) { carried.remove(); }
        field(key, "revision").value = data.revision;
        if (data.validation_reset) {
          var validation = item.fieldset.querySelector(".validation-state");
          if (validation) { validation.remove(); }
        }
        item.state = "saved";
        item.answered = checkedValue(key) !== "" && !carriedOf(item);
        item.fieldset.classList.remove("autosave-conflict");
        say(item, data.message, "saved", false);
        keep(key, null);
      } else if (result.status === 200 && data.status === "confirmed") {
        if (carriedOf(item)) { carriedOf(item).remove(); }
        item.state = "saved";
        item.answered = checkedValue(key) !== "";
        say(item, data.message, "saved", false);
        keep(key, null);
      } else if (result.status === 409 && data.status === "conflict") {
        field(key, "revision").value = data.revision;
        item.state = "saved";
        keep(key, null);
        showTheirs(item, data);
      } else {
        item.state = "failed";
        item.reason = reasonOf(result);
        if (!RETRYABLE[item.reason]) { keep(key, null); }
        var message = item.reason === "offline" ? form.dataset.msgFailedOffline
          : item.reason === "signed-out" ? form.dataset.msgFailedSignedOut
            : data.message || form.dataset.msgFailed;
        say(item, message, "failed", RETRYABLE[item.reason]);
      }
    }).then(function () {
      if (item.state !== "failed") { retryDelay = 0; }
      updateProgress();
      updateCarried();
      if (item.again && item.state !== "failed") { save(key); }
      finish();
    });
  }

  // An answer kept from a step not on this page: sent as it was, a colleague's still wins.
  function sendOther(key, entry) {
    inFlight += 1;
    send(key, entry).then(function (result) {
      if (result.status === 409 && result.data.status === "conflict") {
        keep(key, null);
        live.textContent = form.dataset.msgOtherConflict;
      } else if (result.status === 200 || !RETRYABLE[reasonOf(result)]) {
        keep(key, null);
      }
      finish();
    });
  }

  function retryAll(now) {
    if (retryTimer) { window.clearTimeout(retryTimer); retryTimer = null; }
    if (now) { retryDelay = 0; }
    failures().forEach(function (key) { save(key); });
    var all = kept();
    Object.keys(all).forEach(function (key) { if (!criteria[key]) { sendOther(key, all[key]); } });
  }

  form.querySelectorAll("fieldset.criterion").forEach(function (fieldset) {
    var key = keyOf(fieldset);
    // A carried-over answer waiting to be confirmed does not count as answered yet.
    var waiting = fieldset.querySelector(".carried-answer") !== null;
    criteria[key] = {
      key: key, fieldset: fieldset, state: "saved", lastValue: checkedValue(key),
      answered: checkedValue(key) !== "" && !waiting
    };
  });
  if (progress) {
    var onPage = Object.keys(criteria).filter(function (key) { return criteria[key].answered; });
    progress.dataset.base = progress.value - onPage.length;
  }

  form.addEventListener("click", function (event) {
    // The carried-over answer shown, chosen again: that confirms it (no change event follows).
    var radio = event.target;
    if (radio.type !== "radio" || !radio.checked) { return; }
    var fieldset = radio.closest("fieldset.criterion");
    var item = fieldset && criteria[keyOf(fieldset)];
    if (item && carriedOf(item) && radio.value === item.lastValue) { save(item.key, { confirm: true }); }
  });
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.criterion");
    if (!fieldset) { return; }
    var item = criteria[keyOf(fieldset)];
    item.lastValue = checkedValue(item.key);
    save(item.key);
  });
  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset.criterion");
    if (fieldset && event.target.tagName === "TEXTAREA") {
      var item = criteria[keyOf(fieldset)];
      keep(item.key, {
        value: checkedValue(item.key), comment: event.target.value,
        revision: field(item.key, "revision").value, confidence: confidenceOf(item.key),
        confirm: false
      });
      if (item.state !== "saving") {
        item.state = "dirty";
        say(item, form.dataset.msgUnsaved, "dirty", false);
      } else {
        item.again = true;
      }
    }
  });

  function openPrompt(submitter) {
    updateCarried();
    prompt.showModal();
    prompt.querySelectorAll("button[data-choice]").forEach(function (button) {
      button.onclick = function () {
        prompt.close();
        if (button.dataset.choice) {
          carriedInput.value = button.dataset.choice;
          form.requestSubmit(submitter);
        }
      };
    });
  }

  // The whole step is saved by its buttons; wait for autosaves on the way, so the step's
  // revisions are the ones they left (else it would conflict with itself), and stay while an
  // answer could not be saved.
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter || null;
    var next = submitter && submitter.name === "action" && submitter.value === "next";
    if (next && prompt && carriedInput && !carriedInput.value && carriedCount() > 0) {
      event.preventDefault();
      openPrompt(submitter);
      return;
    }
    if (inFlight > 0 || failures().length) {
      event.preventDefault();
      queuedSubmit = { submitter: submitter };
      live.textContent = form.dataset.msgWaiting;
      if (inFlight === 0) { retryAll(true); }
      return;
    }
    submitting = true;
  });

  window.addEventListener("online", function () { retryAll(true); });
  window.addEventListener("focus", function () { if (failures().length) { retryAll(true); } });
  window.addEventListener("pageshow", function () { submitting = false; leaving = false; });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || leaving) { return; }
    var unsaved = Object.keys(criteria).some(function (key) {
      return criteria[key].state !== "saved";
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Back on the step (after signing in again, a reload, the network's return): what was kept is
  // shown and sent, each at the revision it was given on, so a colleague's newer answer wins.
  var waiting = kept();
  Object.keys(waiting).forEach(function (key) {
    var entry = waiting[key];
    var item = criteria[key];
    if (!item) { sendOther(key, entry); return; }
    if (entry.value === checkedValue(key) && entry.comment === field(key, "comment").value
        && (entry.confidence === undefined || entry.confidence === confidenceOf(key))
        && !(entry.confirm && carriedOf(item))) {
      keep(key, null);   // the server has it already (its answer was lost on the way back)
      return;
    }
    form.querySelectorAll("input[name='" + key + "-value']").forEach(function (radio) {
      radio.checked = radio.value === entry.value;
    });
    item.lastValue = entry.value;
    field(key, "comment").value = entry.comment;
    if (entry.confidence !== undefined && field(key, "confidence")) {
      field(key, "confidence").value = entry.confidence;
    }
    field(key, "revision").value = entry.revision;
    save(key, { confirm: entry.confirm });
  });
}());
