/* One-click self-assessment marks, set in place when JavaScript runs.
   Without it, each mark button submits the page's #growth-marks form (a plain POST) and the
   server redirects back to the same row; with it, the same POST goes through fetch() and the
   buttons' pressed state is updated without a reload. */
(function () {
  "use strict";

  var form = document.getElementById("growth-marks");
  if (!form) { return; }
  var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var token = tokenInput ? tokenInput.value : "";

  function show(expectation, mark) {
    var groups = document.querySelectorAll('.mark-controls[data-expectation="' + expectation + '"]');
    Array.prototype.forEach.call(groups, function (group) {
      group.dataset.mark = mark;
      Array.prototype.forEach.call(group.querySelectorAll("button[name=set]"), function (button) {
        var value = button.value.slice(button.value.indexOf(":") + 1);
        button.setAttribute("aria-pressed", value === mark ? "true" : "false");
      });
      var changed = group.querySelector(".mark-changed");
      if (changed) { changed.remove(); }  // marking again acknowledges the new text
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest('button[form="growth-marks"][name="set"]');
    if (!button || button.dataset.plainSubmit) { return; }
    event.preventDefault();
    var group = button.closest(".mark-controls");
    var body = new FormData();
    body.append("set", button.value);
    if (group) { group.setAttribute("aria-busy", "true"); }
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "Accept": "application/json", "X-CSRFToken": token },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("mark: HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      show(String(data.expectation), data.mark);
    }).catch(function () {
      button.dataset.plainSubmit = "1";  // fall back to the plain form post
      button.click();
    }).finally(function () {
      if (group) { group.removeAttribute("aria-busy"); }
    });
  });
})();
