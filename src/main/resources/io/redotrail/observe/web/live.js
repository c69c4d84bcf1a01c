// The live page: polls /api/status, /api/history and /api/report/<G> every sampleMillis and redraws the
// INFO ALL table, one SVG chart per group (throughput and checkpoint lag over the samples the server keeps, at
// most the last hour), the abends and the last report lines. Plain DOM and SVG, no library, no other host.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const W = 420, H = 140, PAD = 4;
  let refreshMillis = 2000;

  function el(tag, attrs, text) {
    const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  async function json(url) {
    const r = await fetch(url, { cache: "no-store" });
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    return r.json();
  }

  function statusTable(status) {
    const body = document.querySelector("#status tbody");
    body.replaceChildren();
    for (const g of status.groups) {
      const tr = el("tr", { id: "row-" + g.group, "data-group": g.group, "data-status": g.status });
      tr.append(el("td", {}, g.program), el("td", { class: "status status-" + g.status }, g.status), el("td", { class: "group" }, g.group),
        el("td", { class: "lag" }, g.lag), el("td", { class: "age" }, g.checkpointAge), el("td", { class: "pid" }, g.pid > 0 ? String(g.pid) : ""));
      if (g.problem) tr.append(el("td", { class: "problem" }, g.problem));
      body.append(tr);
    }
    document.getElementById("home").textContent = status.home;
  }

  // one series scaled to the chart's height; x from the first sample shown to now
  function points(samples, value, t0, t1, max) {
    return samples.map(s => {
      const x = PAD + (W - 2 * PAD) * (t1 === t0 ? 1 : (s.t - t0) / (t1 - t0));
      const y = H - PAD - (H - 2 * PAD) * (max > 0 ? value(s) / max : 0);
      return x.toFixed(1) + "," + y.toFixed(1);
    }).join(" ");
  }

  function chart(group, samples, now) {
    let box = document.getElementById("chart-" + group);
    if (!box) {
      box = el("div", { class: "chart", id: "chart-" + group, "data-group": group });
      const svg = el("svg:svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H });
      svg.append(el("svg:polyline", { class: "ops" }), el("svg:polyline", { class: "lag" }));
      box.append(el("h3", {}, group), svg, el("div", { class: "values" }));
      document.getElementById("charts").append(box);
    }
    const t0 = samples.length ? samples[0].t : now;
    const ops = s => s.opsPerSecond, lag = s => Math.max(0, s.lagMillis) / 1000;
    const maxOps = Math.max(0, ...samples.map(ops)), maxLag = Math.max(0, ...samples.map(lag));
    const o = box.querySelector("polyline.ops"), l = box.querySelector("polyline.lag");
    o.setAttribute("points", points(samples, ops, t0, now, maxOps));
    o.setAttribute("data-values", samples.map(s => ops(s).toFixed(1)).join(","));
    l.setAttribute("points", points(samples, lag, t0, now, maxLag));
    l.setAttribute("data-values", samples.map(s => lag(s).toFixed(3)).join(","));
    const last = samples[samples.length - 1];
    box.querySelector(".values").textContent = last
      ? `now ${ops(last).toFixed(1)} ops/s, lag ${lag(last).toFixed(1)} s; peak ${maxOps.toFixed(1)} ops/s, ${maxLag.toFixed(1)} s; ${samples.length} samples`
      : "no samples yet";
  }

  function reports(all) {
    const list = document.getElementById("abends");
    const abends = all.flatMap(r => r.abends.map(a => ({ group: r.group, line: a })));
    list.replaceChildren(...(abends.length
      ? abends.map(a => el("li", { class: "abend", "data-group": a.group }, a.group + ": " + a.line))
      : [el("li", { class: "none" }, "none")]));
    const box = document.getElementById("reports");
    for (const r of all) {
      let d = document.getElementById("report-" + r.group);
      if (!d) {
        d = el("details", { id: "report-" + r.group });
        d.append(el("summary", {}, r.group + " (dirrpt/" + r.group + ".rpt)"), el("pre"));
        box.append(d);
      }
      d.querySelector("pre").textContent = r.lines.join("\n");
    }
  }

  async function refresh() {
    try {
      const [status, history] = await Promise.all([json("api/status"), json("api/history")]);
      refreshMillis = history.sampleMillis || refreshMillis;
      statusTable(status);
      const shown = new Set(status.groups.map(g => g.group));
      for (const c of document.querySelectorAll(".chart")) if (!shown.has(c.dataset.group)) c.remove();
      for (const g of status.groups) chart(g.group, history.groups[g.group] || [], history.now);
      reports(await Promise.all(status.groups.map(g => json("api/report/" + encodeURIComponent(g.group)))));
      document.getElementById("updated").textContent = "updated " + new Date(status.now).toLocaleTimeString();
    } catch (e) {
      document.getElementById("updated").textContent = "not updated: " + e.message;
    }
    setTimeout(refresh, refreshMillis);
  }

  refresh();
})();
