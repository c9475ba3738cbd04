// The preview page: draws the state the server sends after every save, in place, so the
// scroll position, the zoom and the selected finding survive a redraw. User text only
// arrives inside HTML fragments and an SVG that the server escaped, or as strings set with
// textContent; nothing here builds markup from data.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const chart = $("chart");
  const pane = $("chart-pane");
  const store = window.sessionStorage;
  let state = null; // the last state drawn
  let chartKey = null; // which save and severity the chart in the page shows
  let selected = store.getItem("preview.selected") || ""; // data-key of the clicked finding
  // "auto" (fitted, but never below READABLE), "fit" (the whole chart) or a scale factor
  let zoom = store.getItem("preview.zoom") || "auto";
  const READABLE = 0.6; // below this, 11 pt step labels are too small to read
  // null: the server's choice (preview --severity); "": all severities
  let severity = store.getItem("preview.severity");
  let drawAll = store.getItem("preview.drawAll") === "1"; // draw saves with errors too
  let busy = false;
  let again = false;

  // -- fetching the state ------------------------------------------------------------------

  async function refresh() {
    if (busy) {
      again = true; // one more fetch when this one is done: never two at once
      return;
    }
    busy = true;
    try {
      const query = new URLSearchParams();
      if (severity !== null) query.set("severity", severity);
      if (drawAll) query.set("draw", "all");
      const answer = await fetch("/state.json?" + query, { cache: "no-store" });
      if (answer.ok) draw(await answer.json());
      else offline("the preview server answered " + answer.status);
    } catch (e) {
      offline("the preview server is not running");
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  function offline(text) {
    const badge = $("status");
    badge.className = "badge neutral";
    badge.textContent = text;
  }

  function listen() {
    const events = new EventSource("/events");
    events.addEventListener("save", refresh);
    events.onerror = () => offline("reconnecting…");
  }

  // -- drawing -----------------------------------------------------------------------------

  function fragment(html) {
    // DOMParser documents never run scripts; the CSP forbids them besides.
    return new DOMParser().parseFromString(html, "text/html").body.childNodes;
  }

  function draw(next) {
    state = next;
    document.title = next.title + " · preview";
    $("title").textContent = next.title;
    const badge = $("status");
    badge.className = "badge " + next.status.kind;
    badge.textContent = next.status.text;
    $("updated").textContent = "read " + next.updated;
    drawSeverities(next);
    if (next.chart_key !== chartKey) drawChart(next);
    pane.classList.toggle("stale", next.stale);
    pane.classList.toggle("forced", next.forced);
    const banner = $("banner");
    banner.textContent = next.banner;
    banner.hidden = !next.banner;
    $("findings").replaceChildren(...fragment(next.findings));
    $("matrix").replaceChildren(...fragment(next.matrix));
    $("facts").replaceChildren(...fragment(next.facts));
    flagSteps();
    select(selected, false);
    document.body.dataset.version = String(next.version);
  }

  function drawSeverities(next) {
    const box = $("severity");
    const wanted = next.severities.map((s) => s.id + "\u0000" + s.name).join("\u0001");
    if (box.dataset.list !== wanted) {
      const all = new Option("all severities", "");
      box.replaceChildren(all, ...next.severities.map((s) => new Option(s.id + " " + s.name, s.id)));
      box.dataset.list = wanted;
    }
    box.value = next.severity || "";
  }

  function drawChart(next) {
    const left = chart.scrollLeft;
    const top = chart.scrollTop;
    chart.replaceChildren(...fragment(next.chart));
    const svg = chart.querySelector("svg");
    if (svg) {
      // The step's own tooltip is ours (richer); its words stay for screen readers.
      for (const title of svg.querySelectorAll("g.node > title")) {
        title.parentNode.setAttribute("aria-label", title.textContent);
        title.remove();
      }
      applyZoom();
    }
    chart.scrollLeft = left;
    chart.scrollTop = top;
    chartKey = next.chart_key;
    chart.dataset.key = chartKey;
  }

  // -- zoom --------------------------------------------------------------------------------

  function naturalSize(svg) {
    const pt = (name) => parseFloat(svg.getAttribute(name)) * (4 / 3); // 1 pt = 4/3 px
    return [pt("width"), pt("height")];
  }

  function scale(svg) {
    if (zoom !== "fit" && zoom !== "auto") return parseFloat(zoom);
    const [w, h] = naturalSize(svg);
    const fit = Math.min(1, (chart.clientWidth - 8) / w, (chart.clientHeight - 8) / h);
    return zoom === "fit" ? fit : Math.max(Math.min(READABLE, 1), fit);
  }

  function applyZoom() {
    const svg = chart.querySelector("svg");
    if (!svg) return;
    const [w, h] = naturalSize(svg);
    const s = scale(svg);
    svg.style.width = w * s + "px";
    svg.style.height = h * s + "px";
    $("zoom-level").textContent = Math.round(s * 100) + "%";
  }

  function setZoom(value, focus) {
    const svg = chart.querySelector("svg");
    if (!svg) return;
    const before = scale(svg);
    zoom = value === "fit" ? "fit" : String(Math.max(0.1, Math.min(4, value)));
    store.setItem("preview.zoom", zoom);
    // keep the point under the pointer (or the pane's centre) where it is
    const [x, y] = focus || [chart.clientWidth / 2, chart.clientHeight / 2];
    const cx = (chart.scrollLeft + x) / before;
    const cy = (chart.scrollTop + y) / before;
    applyZoom();
    const now = scale(svg);
    chart.scrollLeft = cx * now - x;
    chart.scrollTop = cy * now - y;
  }

  function zoomBy(factor, focus) {
    const svg = chart.querySelector("svg");
    if (svg) setZoom(scale(svg) * factor, focus);
  }

  // -- findings and steps, linked both ways ------------------------------------------------

  function flagSteps() {
    for (const g of chart.querySelectorAll(".flag-error, .flag-warning")) {
      g.classList.remove("flag-error", "flag-warning");
    }
    for (const item of $("findings").querySelectorAll("li.finding")) {
      const level = item.classList.contains("error") ? "error" : "warning";
      for (const id of ids(item.dataset.steps)) {
        const g = document.getElementById(id);
        if (g && chart.contains(g)) g.classList.add("flag-" + level);
      }
    }
  }

  function ids(text) {
    return (text || "").split(" ").filter(Boolean);
  }

  function clearMarks() {
    for (const el of document.querySelectorAll(".hl, .linked, .selected")) {
      el.classList.remove("hl", "linked", "selected");
    }
    chart.classList.remove("highlighting");
  }

  // Highlight the finding with data-key `key`, its steps and its example path.
  function select(key, scroll) {
    clearMarks();
    selected = key;
    store.setItem("preview.selected", key);
    if (!key) return;
    const item = [...$("findings").querySelectorAll("li.finding")].find(
      (li) => li.dataset.key === key,
    );
    if (!item) return;
    item.classList.add("selected");
    const marked = [...ids(item.dataset.steps), ...ids(item.dataset.edges)]
      .map((id) => document.getElementById(id))
      .filter((el) => el && chart.contains(el));
    for (const el of marked) el.classList.add("hl");
    if (marked.length) chart.classList.add("highlighting");
    if (scroll && marked.length) {
      marked[0].scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
    }
  }

  function stepOf(target) {
    const g = target.closest && target.closest("g.node");
    return g && g.id.startsWith("step-") && chart.contains(g) ? g : null;
  }

  // Clicking a step marks its findings in the list (and the step itself).
  function selectStep(g) {
    clearMarks();
    selected = "";
    store.setItem("preview.selected", "");
    g.classList.add("hl");
    chart.classList.add("highlighting");
    const items = [...$("findings").querySelectorAll("li.finding")].filter((li) =>
      ids(li.dataset.steps).includes(g.id),
    );
    for (const li of items) li.classList.add("linked");
    if (items.length) items[0].scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function showTip(g, event) {
    const facts = state && state.steps[g.id.slice("step-".length)];
    const tip = $("tip");
    if (!facts) return;
    const line = (label, text) => {
      const row = document.createElement("div");
      const key = document.createElement("b");
      key.textContent = label + " ";
      row.append(key, text);
      return row;
    };
    const rows = [
      line(facts.type, facts.label),
      line("id", facts.id),
      line("lane", facts.lane),
      line("at", facts.at),
    ];
    if (facts.in.length) rows.push(line("from", facts.in.join(", ")));
    for (const edge of facts.out) rows.push(line("→", edge));
    if (facts.notify.length) rows.push(line("notifies", facts.notify.join(", ")));
    tip.replaceChildren(...rows);
    tip.hidden = false;
    const x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    const y = Math.min(event.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = Math.max(4, y) + "px";
  }

  // -- wiring ------------------------------------------------------------------------------

  $("findings").addEventListener("click", (event) => {
    const item = event.target.closest("li.finding");
    if (item) select(item.dataset.key === selected ? "" : item.dataset.key, true);
  });
  $("findings").addEventListener("keydown", (event) => {
    const item = event.target.closest("li.finding");
    if (item && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(item.dataset.key === selected ? "" : item.dataset.key, true);
    }
  });
  chart.addEventListener("click", (event) => {
    const g = stepOf(event.target);
    if (g) selectStep(g);
    else select("", false);
  });
  chart.addEventListener("mousemove", (event) => {
    const g = stepOf(event.target);
    if (g) showTip(g, event);
    else $("tip").hidden = true;
  });
  chart.addEventListener("mouseleave", () => {
    $("tip").hidden = true;
  });
  chart.addEventListener(
    "wheel",
    (event) => {
      if (!event.ctrlKey) return; // a plain wheel scrolls
      event.preventDefault();
      const box = chart.getBoundingClientRect();
      zoomBy(event.deltaY < 0 ? 1.15 : 1 / 1.15, [event.clientX - box.left, event.clientY - box.top]);
    },
    { passive: false },
  );
  $("zoom-in").addEventListener("click", () => zoomBy(1.25));
  $("zoom-out").addEventListener("click", () => zoomBy(1 / 1.25));
  $("zoom-fit").addEventListener("click", () => setZoom("fit"));
  $("zoom-100").addEventListener("click", () => setZoom(1));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest("select, input, textarea")) return;
    const keys = { "+": () => zoomBy(1.25), "=": () => zoomBy(1.25), "-": () => zoomBy(0.8) };
    keys["0"] = () => setZoom("fit");
    keys["1"] = () => setZoom(1);
    if (keys[event.key]) keys[event.key]();
  });
  $("severity").addEventListener("change", (event) => {
    severity = event.target.value;
    store.setItem("preview.severity", severity);
    refresh();
  });
  $("draw-all").checked = drawAll;
  $("draw-all").addEventListener("change", (event) => {
    drawAll = event.target.checked;
    store.setItem("preview.drawAll", drawAll ? "1" : "");
    refresh();
  });
  window.addEventListener("resize", () => {
    if (zoom === "fit" || zoom === "auto") applyZoom();
  });

  listen();
  refresh();
})();
