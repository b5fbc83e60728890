// attest workbench: keyboard shortcuts and span <-> card navigation. No framework, no network.
(function () {
  "use strict";
  const cards = () => Array.from(document.querySelectorAll(".card[data-p]"));
  let current = null;

  function select(card, scroll) {
    if (!card) return;
    document.querySelectorAll(".current").forEach((el) => el.classList.remove("current"));
    current = card;
    card.classList.add("current");
    const mark = document.querySelector('mark[data-p="' + card.dataset.p + '"]');
    if (mark) mark.classList.add("current");
    if (scroll !== false) {
      card.scrollIntoView({ block: "nearest" });
      if (mark) mark.scrollIntoView({ block: "center" });
    }
  }

  function move(step) {
    const list = cards();
    if (!list.length) return;
    const pending = list.filter((c) => c.classList.contains("st-proposed"));
    const pool = pending.length ? pending : list;
    let i = pool.indexOf(current);
    i = i < 0 ? (step > 0 ? 0 : pool.length - 1) : (i + step + pool.length) % pool.length;
    select(pool[i]);
  }

  function submit(selector) {
    if (!current) return;
    const el = current.querySelector(selector);
    if (el) el.closest("form").requestSubmit(el);
  }

  document.addEventListener("click", (ev) => {
    const mark = ev.target.closest("mark[data-p]");
    if (mark) select(document.getElementById("p" + mark.dataset.p));
  });

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") {
      if (ev.key === "Escape") ev.target.blur();
      return;
    }
    if (ev.key === "/") {
      const box = document.getElementById("global-search");
      if (box) { ev.preventDefault(); box.focus(); }
      return;
    }
    if (!cards().length) return;
    if (ev.key === "j") { move(1); ev.preventDefault(); }
    else if (ev.key === "k") { move(-1); ev.preventDefault(); }
    else if (ev.key === "a") { submit("button.accept-btn"); }
    else if (ev.key === "r") { submit("button.reject-btn"); }
    else if (ev.key === "s") { submit("button.same-btn"); }
    else if (ev.key === "d") { submit("button.different-btn"); }
    else if (ev.key === "u") { submit("button.unsure-btn"); }
    else if (ev.key === "e" && current) {
      const d = current.querySelector("details.edit");
      if (d) { d.open = true; const f = d.querySelector("input:not([type=hidden]), select"); if (f) f.focus(); ev.preventDefault(); }
    } else if (/^[1-5]$/.test(ev.key)) { submit('button.candidate[data-n="' + ev.key + '"]'); }
  });

  document.addEventListener("DOMContentLoaded", () => {
    const hash = window.location.hash.slice(1);
    const from = hash ? document.getElementById(hash) : null;
    const list = cards();
    if (!list.length) return;
    // after a decision, continue at the next proposal still waiting
    let next = null;
    if (from) {
      const i = list.indexOf(from);
      next = list.slice(i + 1).find((c) => c.classList.contains("st-proposed"));
    }
    next = next || list.find((c) => c.classList.contains("st-proposed")) || from;
    select(next, Boolean(from));
  });
})();
