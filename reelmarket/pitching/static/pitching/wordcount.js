// Live word / character counter for the submission texts. The server's count
// (pitching/wordcount.py) is what counts; this mirrors its two rules: English counts
// runs of non-space characters, Chinese counts CJK characters plus runs of other
// non-space characters (a Latin word or number inside Chinese text counts one).
(function () {
  "use strict";
  var CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u9fff" +
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef";
  var cjkChar = new RegExp("[" + CJK + "]|[\ud840-\ud87f][\udc00-\udfff]", "g");
  var otherRun = new RegExp("[^\\s" + CJK + "\ud840-\ud87f\udc00-\udfff]+", "g");
  function count(text, language) {
    if (language === "zh") {
      return (text.match(cjkChar) || []).length + (text.match(otherRun) || []).length;
    }
    return (text.match(/\S+/g) || []).length;
  }
  function attach(area) {
    var language = area.getAttribute("data-count-language");
    var limit = parseInt(area.getAttribute("data-limit"), 10);
    var out = document.createElement("span");
    out.className = "word-count";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    var unit = area.getAttribute("data-unit") || "";
    function update() {
      var n = count(area.value, language);
      out.textContent = n + " / " + limit + (unit ? " " + unit : "");
      out.classList.toggle("over", n > limit);
    }
    area.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-count-language]").forEach(attach);
  });
})();
