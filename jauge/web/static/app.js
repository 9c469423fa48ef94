// jauge dashboard: draws the Vega-Lite charts embedded in the page, submits the
// workspace chooser when picked with a pointer, and sends a "back" link to the page the
// reader came from. Everything else works without JavaScript.
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
    // picked with a mouse or a finger, the choice opens at once; with the keyboard the
    // arrows only move through the list (WCAG 3.2.2) and the form's button opens it
    let pointer = false;
    select.addEventListener("pointerdown", () => { pointer = true; });
    select.addEventListener("keydown", () => { pointer = false; });
    select.addEventListener("change", () => { if (pointer) select.form.submit(); });
  }
  // a link back to a list (the people of an organisation) returns to it as the reader
  // left it, filters included, when they came from it on this site
  for (const link of document.querySelectorAll("a[data-back]")) {
    let came;
    try { came = new URL(document.referrer); } catch { continue; }
    const target = new URL(link.href);
    if (came.origin === location.origin && came.pathname === target.pathname) {
      link.href = came.href;
    }
  }
});
