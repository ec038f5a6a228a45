/* The report form on a weak connection.
 *
 * Everything typed is copied to localStorage (keyed by team and period) and removed only when the server has
 * confirmed the save. Saving goes through fetch: a dropped connection, an expired login (the POST is answered
 * with the login page) or a server error leave the copy in place with a clear message, and the next load
 * restores it. The copy keeps the version the input was based on, so a save after someone else's is refused
 * by the server and the user is told, never silently overwriting.
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var key = form.getAttribute("data-storage-key");
  var status = document.getElementById("save-status");
  var text = JSON.parse(document.getElementById("report-messages").textContent);
  var versionInput = form.querySelector("input[name='version']");
  var buttons = form.querySelectorAll("button[type='submit']");

  function inputs() {
    return Array.prototype.slice.call(form.querySelectorAll("input[name^='value_'], textarea"));
  }

  function snapshot() {
    var data = {};
    inputs().forEach(function (input) { data[input.name] = input.value; });
    return data;
  }

  function keep() {
    try {
      localStorage.setItem(key, JSON.stringify({ data: snapshot(), version: versionInput.value, at: Date.now() }));
    } catch (error) { /* storage full or disabled: the server copy is all there is */ }
  }

  function forget() {
    try { localStorage.removeItem(key); } catch (error) { /* nothing kept */ }
  }

  function show(kind, message) {
    status.className = "alert alert-" + kind;
    status.textContent = message;
    status.hidden = false;
    status.scrollIntoView({ block: "nearest" });
  }

  function csrfCookie() {
    // Logging in again (in another tab) rotates the CSRF token: the cookie has the current one, the form may not.
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function busy(on) {
    Array.prototype.forEach.call(buttons, function (button) { button.disabled = on; });
  }

  function clearErrors() {
    form.querySelectorAll("[data-server-error]").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".is-invalid").forEach(function (node) { node.classList.remove("is-invalid"); });
    form.querySelectorAll("[data-error-for]").forEach(function (node) { node.textContent = ""; });
    form.querySelectorAll("[data-warning-for]").forEach(function (node) { node.textContent = ""; node.hidden = true; });
  }

  function showWarnings(warnings) {
    // Data-quality warnings under their values; the explanation box opens (the leader may send with one).
    var names = Object.keys(warnings || {});
    names.forEach(function (name) {
      var slot = form.querySelector("[data-warning-for='" + name + "']");
      if (slot) {
        slot.textContent = warnings[name].join(" ");
        slot.hidden = false;
      }
    });
    if (names.length) document.getElementById("quality-note-card").hidden = false;
    return names.length > 0;
  }

  function showErrors(errors) {
    var general = [];
    Object.keys(errors || {}).forEach(function (name) {
      var slot = form.querySelector("[data-error-for='" + name + "']");
      var input = form.elements[name];
      if (slot && input) {
        slot.textContent = errors[name].join(" ");
        input.classList.add("is-invalid");
      } else {
        general = general.concat(errors[name]);
      }
    });
    return general;
  }

  function restore() {
    var kept;
    try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { kept = null; }
    if (!kept || !kept.data) return;
    var differs = false;
    Object.keys(kept.data).forEach(function (name) {
      var input = form.elements[name];
      if (input && input.value !== kept.data[name]) {
        input.value = kept.data[name];
        differs = true;
      }
    });
    if (differs) {
      versionInput.value = kept.version;  // the server compares it with the saved version
      show("warning", text.restored);
    } else {
      forget();
    }
  }

  restore();
  if (form.elements.quality_note && form.elements.quality_note.value) document.getElementById("quality-note-card").hidden = false;
  form.addEventListener("input", keep);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var action = event.submitter && event.submitter.value === "submit" ? "submit" : "save";
    keep();
    var body = new FormData(form);
    body.set("action", action);
    var token = csrfCookie();
    if (token) body.set("csrfmiddlewaretoken", token);
    busy(true);
    show("info", text.saving);
    fetch(form.getAttribute("action"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") === -1) {
        // The login page (expired session) or an error page: nothing was saved.
        throw new Error(response.redirected || response.status < 400 ? "login" : "failed");
      }
      return response.json().then(function (result) { return { status: response.status, result: result }; });
    }).then(function (answer) {
      busy(false);
      clearErrors();
      var result = answer.result;
      if (result.ok) {
        forget();
        versionInput.value = result.version;
        if (form.getAttribute("action") !== result.edit_url) {
          form.setAttribute("action", result.edit_url);
          window.history.replaceState(null, "", result.edit_url);
        }
        if (result.submitted) {
          window.location.assign(result.detail_url);
          return;
        }
        if (document.activeElement) document.activeElement.blur();  // closes the phone's keyboard over the message
        show("success", result.message);
        return;
      }
      if (result.version !== undefined && result.version !== null) versionInput.value = result.version;
      keep();
      var warned = showWarnings(result.warnings);
      var general = showErrors(result.errors);
      if (warned) show("warning", text.quality);
      else show("danger", general.length ? general.join(" ") : text.invalid);
    }).catch(function (error) {
      busy(false);
      keep();
      if (error && error.message === "login") show("danger", text.login);
      else if (error && error.message === "failed") show("danger", text.failed);
      else show("danger", text.offline);  // fetch itself failed: no connection
    });
  });
})();
