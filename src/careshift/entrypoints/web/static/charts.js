// Draw each chart from the Vega-Lite spec the API serves; the table beside it stays as the
// accessible fallback. No eval: expressions run through vega-interpreter (strict CSP).
(function () {
  function draw(element) {
    fetch(element.getAttribute("data-spec"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (spec) {
        if (!spec || !window.vegaEmbed) { return; }
        spec.width = "container";
        return window.vegaEmbed(element, spec, {
          actions: false, renderer: "canvas", ast: true, defaultStyle: false, tooltip: false,
          expr: window.vega.expressionInterpreter
        });
      })
      .catch(function () { /* the table remains */ });
  }
  document.querySelectorAll("[data-spec]").forEach(draw);
})();
