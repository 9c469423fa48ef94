// jauge dashboard: draws the Vega-Lite charts embedded in the page and submits the
// workspace chooser on change. Everything else works without JavaScript.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("[data-spec]")) {
    const source = document.getElementById(el.dataset.spec);
    if (!source || typeof vegaEmbed === "undefined") continue;
    const spec = JSON.parse(source.textContent);
    vegaEmbed(el, spec, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: "svg" })
      .then(() => el.setAttribute("data-rendered", "true"))
      .catch((err) => { el.textContent = String(err); el.setAttribute("data-rendered", "error"); });
  }
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
});
