/* marsad workbench: draw the plotly figures whose data the page embeds as JSON.
   The data is read with JSON.parse from <script type="application/json"> (never eval'd). */
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll("div.chart[data-chart]").forEach(function (div) {
      var src = document.getElementById(div.getAttribute("data-chart"));
      if (!src) { return; }
      var fig;
      try { fig = JSON.parse(src.textContent); } catch (e) { return; }
      Plotly.newPlot(div, fig.data, fig.layout, {displayModeBar: false, responsive: true}).then(function () {
        div.setAttribute("data-rendered", "1");
      });
      div.on("plotly_click", function (ev) {  // nodes and points carry their page in customdata
        var p = ev.points && ev.points[0];
        if (p && typeof p.customdata === "string" && p.customdata.charAt(0) === "/") {
          window.location.href = p.customdata;
        }
      });
    });
  }
  function flash() {  // make the evidence sentence obvious after following a #s{n} link
    var id = decodeURIComponent(window.location.hash.slice(1));
    document.querySelectorAll(".sent.target").forEach(function (el) { el.classList.remove("target"); });
    if (!/^s\d+$/.test(id)) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    el.classList.add("target");
    el.scrollIntoView({block: "center"});
  }
  window.addEventListener("hashchange", flash);
  document.addEventListener("DOMContentLoaded", function () { draw(); flash(); });
})();
