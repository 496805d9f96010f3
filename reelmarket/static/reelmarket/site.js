/* ReelMarket — small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");

  // The viewer's time zone, for server-rendered times (read by ViewerTimezoneMiddleware).
  try {
    // IANA names ("Asia/Ho_Chi_Minh", "Etc/GMT+7") are cookie-safe as they are; the server
    // reads the cookie without percent-decoding.
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && /^[A-Za-z0-9_+\-\/]+$/.test(zone) &&
        (" " + document.cookie).indexOf(" rm_tz=" + zone + ";") === -1 &&
        !(" " + document.cookie).endsWith(" rm_tz=" + zone)) {
      document.cookie = "rm_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) {
    /* Old browsers: times stay in the venue's zone. */
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // Selects marked data-autosubmit (the language switcher) submit on change.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) select.form.submit();
      });
    });

    // Mobile menu.
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("is-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }

    // Filter sidebars start folded on narrow screens, unless filters are in use.
    if (window.matchMedia("(max-width: 900px)").matches) {
      document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
        if (!details.querySelector(".count-pill")) details.open = false;
      });
    }
  });

  // GET forms marked data-drop-empty leave empty fields out of the URL they push.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var params = event.detail && event.detail.parameters;
    if (!elt || !params || !elt.closest || !elt.closest("form[data-drop-empty]")) return;
    if (typeof params.keys !== "function") return;
    Array.from(params.keys()).forEach(function (name) {
      var kept = params.getAll(name).filter(function (value) { return value !== ""; });
      params.delete(name);
      kept.forEach(function (value) { params.append(name, value); });
    });
  });

  // After an htmx swap: announce the new result count and move focus where asked.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var announcer = document.querySelector("[data-results-announcer]");
    var count = document.querySelector("#results [data-result-count]");
    if (announcer && count && target && target.id === "results") {
      announcer.textContent = count.textContent.trim();
    }
    var focus = document.querySelector("[data-autofocus]");
    if (focus && target && target.contains(focus)) focus.focus();
    else if (focus && target && target.isConnected === false) focus.focus();
  });
})();
