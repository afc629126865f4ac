/* The skill page's community block, made nicer when JavaScript runs; everything works without.
   - Watch / Unwatch updates in place (the form still posts to the same URL).
   - "Older/Newer comments" load the other page of comments in place. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function initWatch(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var watching = form.dataset.watching === "true";
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) },
        credentials: "same-origin"
      }).then(function (response) {
        if (response.status === 403) { form.submit(); return null; }  // e.g. logged out: let the server redirect
        if (!response.ok) { throw new Error("watch: HTTP " + response.status); }
        return response.json();
      }).then(function (data) {
        if (!data) { return; }
        watching = data.watching;
        form.dataset.watching = watching ? "true" : "false";
        form.action = watching ? form.dataset.unwatchUrl : form.dataset.watchUrl;
        button.textContent = watching ? form.dataset.labelUnwatch : form.dataset.labelWatch;
        button.setAttribute("aria-pressed", watching ? "true" : "false");
        var count = form.querySelector(".watch-count");
        if (count) { count.textContent = data.watchers_text; }
      }).catch(function () {
        form.submit();  // fall back to the plain form
      }).finally(function () {
        button.disabled = false;
      });
    });
  }

  function initComments(block) {
    block.addEventListener("click", function (event) {
      var link = event.target.closest(".comment-pagination a[data-page]");
      if (!link) { return; }
      var thread = block.querySelector(".comment-thread");
      if (!thread) { return; }
      event.preventDefault();
      var url = thread.dataset.fragmentUrl + "?fragment=1&page=" + encodeURIComponent(link.dataset.page);
      thread.setAttribute("aria-busy", "true");
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("comments: HTTP " + response.status); }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;  // our own server-rendered, sanitized fragment
          var fresh = holder.querySelector(".comment-thread");
          if (!fresh) { throw new Error("comments: no thread in the answer"); }
          thread.replaceWith(fresh);
          history.replaceState(null, "", link.href);
          var heading = document.getElementById("comments");
          if (heading) { heading.scrollIntoView({ block: "start" }); }
        })
        .catch(function () { window.location.href = link.href; });
    });
  }

  document.querySelectorAll("form.watch-form").forEach(initWatch);
  document.querySelectorAll("section.community").forEach(initComments);
})();
