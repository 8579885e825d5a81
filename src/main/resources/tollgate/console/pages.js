// Tollgate's spend console: the pages. Each page is an async function of the route's parameters
// that returns the nodes to show; every number is read from the admin API as it stands.
"use strict";

(() => {
  const { api, el, table, usd, count, pill, day, today, addDays, monthStart, query, go, problem } = Console;
  const COLORS = ["#2456c8", "#e07b00", "#1f9d55", "#b03a9a", "#0096a6", "#c0392b", "#7a6ff0", "#8d6e63", "#546e7a", "#9e9d24"];

  function spend(params) {
    return api("/admin/spend?" + query(params));
  }

  function rowsBy(report, key) {
    return [...report.rows].sort((a, b) => Number(b.cost_usd) - Number(a.cost_usd) || String(a[key]).localeCompare(String(b[key])));
  }

  function card(id, label, value, sub) {
    return el("div", { class: "card", id }, el("div", { class: "label" }, label),
      el("div", { class: "value" }, value), sub ? el("div", { class: "sub" }, sub) : null);
  }

  /**
   * A uPlot chart sized to its box; x: days (YYYY-MM-DD) or hours (YYYY-MM-DDTHH:00Z), UTC;
   * series: [{label, values}], stacked when asked.
   */
  function chart(title, days, series, { stacked = false, lines = [] } = {}) {
    const box = el("div", { class: "chart", "data-chart": title });
    const xs = days.map((d) => Date.parse(d.length > 10 ? d : d + "T00:00:00Z") / 1000);
    let data = series.map((s) => s.values.map((v) => (v === null ? null : Number(v))));
    if (stacked) {
      for (let i = 1; i < data.length; i++) data[i] = data[i].map((v, j) => (v === null ? null : v + data[i - 1][j]));
    }
    const all = series.map((s, i) => ({ label: s.label, values: data[i], color: COLORS[i % COLORS.length] }));
    // A stack is drawn top first, so each lower band paints over the one above it.
    const order = stacked ? [...all].reverse() : all;
    const plotted = order.concat(lines.map((l) => ({ label: l.label, values: l.values, color: l.color, dash: l.dash })));
    const opts = {
      title,
      width: 600,
      height: 260,
      scales: { x: { time: true } },
      axes: [{}, { values: (u, ticks) => ticks.map((t) => "$" + t.toLocaleString("en-US")) , size: 70 }],
      series: [{}].concat(plotted.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        dash: s.dash,
        fill: stacked && !s.dash ? s.color + "55" : undefined,
        spanGaps: false,
        points: { show: false },
        value: (u, v) => (v === null || v === undefined ? "—" : "$" + v.toFixed(2)),
      }))),
    };
    const plotData = [xs].concat(plotted.map((s) => s.values));
    requestAnimationFrame(() => {
      opts.width = Math.max(280, box.clientWidth - 16);
      new uPlot(opts, plotData, box);
    });
    return box;
  }

  // ---- Overview ------------------------------------------------------------------------------
  Console.pages.overview = async () => {
    const t = today();
    const m0 = monthStart(t);
    const tomorrow = addDays(t, 1);
    const first30 = addDays(t, -29);
    const [todays, mtd, last, forecast, byDay, models, keys, byHour] = await Promise.all([
      spend({ from: day(t), to: day(tomorrow) }),
      spend({ from: day(m0), to: day(tomorrow) }),
      spend({ from: day(monthStart(t, -1)), to: day(m0) }),
      api("/admin/forecast"),
      spend({ from: day(first30), to: day(tomorrow), group_by: "day,team" }),
      spend({ from: day(m0), to: day(tomorrow), group_by: "model" }),
      spend({ from: day(m0), to: day(tomorrow), group_by: "key" }),
      spend({ from: day(t), to: day(tomorrow), group_by: "hour,team" }),
    ]);
    const basis = forecast.basis;
    const cards = el("div", { class: "cards" },
      card("card-today", "Today (UTC)", usd(todays.total_cost_usd), day(t)),
      card("card-mtd", "Month to date", usd(mtd.total_cost_usd), day(m0) + " – " + day(t)),
      card("card-forecast", "Forecast to month end", usd(forecast.total.forecast_usd),
        "run-rate " + "$" + Console.cents(forecast.total.daily_rate_usd) + "/day from " + basis.from + " to " + basis.to + " (" + basis.days + " days, to exclusive)"),
      card("card-last", "Last month", usd(last.total_cost_usd), day(monthStart(t, -1)).slice(0, 7)));

    const days = [];
    for (let d = first30; d < tomorrow; d = addDays(d, 1)) days.push(day(d));
    const byTeam = (report, key, xs) => {
      const teams = [...new Set(report.rows.map((r) => r.team))].sort();
      return teams.map((team) => ({
        label: team,
        values: xs.map((x) => {
          const r = report.rows.find((row) => row[key] === x && row.team === team);
          return r ? r.cost_usd : 0;
        }),
      }));
    };
    const series = byTeam(byDay, "day", days);
    // Today's hours so far (UTC), from the hourly rollup.
    const hours = [];
    for (let h = 0; h <= new Date().getUTCHours(); h++) hours.push(day(t) + "T" + String(h).padStart(2, "0") + ":00Z");
    const hourly = byTeam(byHour, "hour", hours);
    // The month's one ungrouped row counts them (from the daily totals, not the raw calls).
    const whole = mtd.rows[0] || { unpriced_requests: 0, estimated_requests: 0 };
    const status = { unpriced: whole.unpriced_requests, estimated: whole.estimated_requests };
    const flags = el("div", { class: "cards" },
      card("card-unpriced", "Unpriced calls this month",
        el("a", { href: "#/calls?" + query({ status: "unpriced", from: day(m0) }) }, count(status.unpriced || 0)),
        "no price at the time: counted, never $0 — see Prices"),
      card("card-estimated", "Estimated calls this month",
        el("a", { href: "#/calls?" + query({ status: "estimated", from: day(m0) }) }, count(status.estimated || 0)),
        "usage or price not confirmed"));
    const top = (report, key, label) => table([
      [label, (r) => r[key]],
      ["Calls", (r) => count(r.requests), { num: true }],
      ["Cost", (r) => usd(r.cost_usd), { num: true }],
    ], rowsBy(report, key).slice(0, 10));
    return [
      el("h1", {}, "Overview"),
      cards,
      el("h2", {}, "Spend by team, last 30 days"),
      series.length ? chart("Spend per day, stacked by team (USD)", days, series, { stacked: true }) : el("p", { class: "muted" }, "No calls in the last 30 days."),
      el("h2", {}, "Today by the hour (UTC)"),
      hourly.length ? chart("Spend per hour today, stacked by team (USD)", hours, hourly, { stacked: true }) : el("p", { class: "muted" }, "No calls today."),
      el("div", { class: "grid2" },
        el("div", {}, el("h2", {}, "Top models this month"), top(models, "model", "Model")),
        el("div", {}, el("h2", {}, "Top keys this month"), top(keys, "key", "Key"))),
      el("h2", {}, "Calls to look at"),
      flags,
    ];
  };

  // ---- Teams → projects → keys/users → models --------------------------------------------------
  const LEVELS = [
    { by: "team", name: "Teams", next: "team" },
    { by: "project", name: "Projects", next: "project" },
    { by: "key", name: "Keys", next: "key", alt: { by: "user", name: "Users" } },
    { by: "model", name: "Models", next: null },
  ];

  Console.pages.teams = async (p) => {
    const t = today();
    const from = p.from || day(monthStart(t));
    const to = p.to || day(addDays(t, 1));
    const level = p.key !== undefined ? 3 : p.project !== undefined ? 2 : p.team !== undefined ? 1 : 0;
    const filters = {};
    for (const k of ["team", "project", "key"]) if (p[k] !== undefined) filters[k] = p[k];
    // A project's spend by key (a rollup), or by end user on asking (?by=user: the daily totals).
    const lv = p.by === "user" && LEVELS[level].alt ? { ...LEVELS[level].alt, next: null } : LEVELS[level];
    const params = { from, to, group_by: lv.by, ...filters };
    const report = await spend(params);
    const crumbs = el("div", { class: "crumbs" },
      el("a", { href: "#/teams?" + query({ from, to }) }, "All teams"),
      ["team", "project", "key"].filter((k) => filters[k] !== undefined).map((k) => {
        const upTo = {};
        for (const j of ["team", "project", "key"]) { upTo[j] = filters[j]; if (j === k) break; }
        return [" › ", el("a", { href: "#/teams?" + query({ from, to, ...upTo }) }, k + " " + filters[k])];
      }));
    const range = el("form", { class: "filters", id: "range" },
      el("label", {}, "From", el("input", { type: "date", name: "from", value: from })),
      el("label", {}, "To (exclusive)", el("input", { type: "date", name: "to", value: to })),
      el("button", { type: "submit" }, "Show"));
    range.addEventListener("submit", (e) => {
      e.preventDefault();
      const f = new FormData(range);
      go("teams", { ...filters, from: f.get("from"), to: f.get("to") });
    });
    const keys = lv.by.split(",");
    const columns = keys.map((k) => [k[0].toUpperCase() + k.slice(1), (r) => r[k]]);
    columns.push(["Calls", (r) => count(r.requests), { num: true }],
      ["Unpriced", (r) => count(r.unpriced_requests), { num: true }],
      ["Cost", (r) => usd(r.cost_usd), { num: true }]);
    const next = lv.next;
    const onRow = next ? (r) => go("teams", { from, to, ...filters, [next]: r[next] }) : null;
    const csv = "/admin/spend?" + query({ ...params, format: "csv" });
    const other = LEVELS[level].alt
      ? el("a", { class: "button", id: "by-other", href: "#/teams?" + query({ from, to, ...filters, by: p.by === "user" ? "" : "user" }) },
        p.by === "user" ? "By key" : "By end user")
      : null;
    return [
      el("h1", {}, lv.name),
      crumbs,
      range,
      el("div", { class: "actions" },
        other,
        el("a", { class: "button", id: "csv", href: csv, download: "tollgate-spend.csv" }, "Download CSV"),
        el("span", { class: "muted" }, "Total ", usd(report.total_cost_usd))),
      table(columns, rowsBy(report, keys[0]), onRow),
    ];
  };

  // ---- Budgets ------------------------------------------------------------------------------
  Console.pages.budgets = async () => {
    const [book, forecast] = await Promise.all([api("/admin/budgets"), api("/admin/forecast")]);
    const ahead = Object.fromEntries(forecast.budgets.map((b) => [b.name, b]));
    const out = [el("h1", {}, "Budgets")];
    if (!book.budgets.length) out.push(el("p", { class: "muted" }, "No budgets: budgets.yaml or tollgate budgets set."));
    out.push(table([
      ["Budget", (b) => b.name],
      ["Scope", (b) => b.scope],
      ["Period", (b) => b.period],
      ["Enforce", (b) => b.enforce],
      ["Limit", (b) => usd(b.limit_usd), { num: true }],
      ["Spent", (b) => usd(b.spent_usd), { num: true }],
      ["Reserved", (b) => usd(b.reserved_usd), { num: true }],
      ["Remaining", (b) => usd(b.remaining_usd), { num: true }],
      ["Forecast at period end", (b) => (ahead[b.name] ? [usd(ahead[b.name].forecast_usd), ahead[b.name].forecast_crosses_limit ? " " : "", ahead[b.name].forecast_crosses_limit ? pill("crosses") : ""] : "—"), { num: true }],
    ], book.budgets));
    for (const b of book.budgets) {
      out.push(el("h2", {}, b.name + " — burn-down"));
      out.push(await burnDown(b, ahead[b.name]));
      out.push(b.alerts_sent.length
        ? table([
          ["Alert", (a) => (a.kind === "forecast" ? "forecast crosses the limit" : a.threshold + "%")],
          ["Fired", (a) => a.fired_at],
          ["Replica", (a) => a.replica],
          ["Attempts", (a) => a.attempts, { num: true }],
          ["Delivery", (a) => (a.delivered_at ? pill("delivered") : a.last_error ? pill("failed") : a.attempts ? pill("pending") : pill("logged"))],
          ["Delivered / last error", (a) => a.delivered_at || a.last_error || ""],
        ], b.alerts_sent)
        : el("p", { class: "muted" }, "No alerts sent this period (thresholds " + b.alerts.map((a) => (a === "forecast" ? "forecast" : a + "%")).join(", ") + ")."));
    }
    return out;
  };

  async function burnDown(b, ahead) {
    const start = new Date(b.period_start);
    const end = new Date(b.period_end);
    const t = today();
    const until = addDays(t, 1) < end ? addDays(t, 1) : end;
    const [kind, ...rest] = b.scope.split(":");
    const value = rest.join(":");
    const filter = kind === "tag" ? { ["tag:" + value.split("=")[0]]: value.split("=").slice(1).join("=") } : { [kind]: value };
    const report = until > start ? await spend({ from: day(start), to: day(until), group_by: "day", ...filter }) : { rows: [] };
    const days = [];
    for (let d = start; d < end; d = addDays(d, 1)) days.push(day(d));
    let sum = 0;
    const spent = days.map((d) => {
      if (new Date(d + "T00:00:00Z") >= until) return null;
      const r = report.rows.find((x) => x.day === d);
      sum += r ? Number(r.cost_usd) : 0;
      return sum;
    });
    const limit = days.map(() => Number(b.limit_usd));
    const lastIdx = spent.findLastIndex((v) => v !== null);
    const projected = days.map((d, i) => {
      if (!ahead || lastIdx < 0 || i < lastIdx) return null;
      const span = days.length - 1 - lastIdx || 1;
      return spent[lastIdx] + ((Number(ahead.forecast_usd) - spent[lastIdx]) * (i - lastIdx)) / span;
    });
    return chart(b.name + " (USD)", days, [{ label: "spent", values: spent }], {
      lines: [
        { label: "forecast", values: projected, color: "#e07b00", dash: [6, 4] },
        { label: "limit", values: limit, color: "#b3261e", dash: [2, 3] },
      ],
    });
  }

  // ---- Calls --------------------------------------------------------------------------------
  const CALL_FILTERS = ["from", "to", "team", "project", "key", "model", "tier", "status", "id"];

  Console.pages.calls = async (p) => {
    const form = el("form", { class: "filters", id: "call-filters" },
      CALL_FILTERS.map((k) => el("label", {}, k === "id" ? "Request id" : k,
        k === "status"
          ? el("select", { name: k }, ["", "priced", "estimated", "unpriced"].map((s) => el("option", { value: s, selected: p[k] === s }, s || "any")))
          : el("input", { name: k, value: p[k] || "", type: k === "from" || k === "to" ? "date" : "text", placeholder: k === "id" ? "x-tollgate-request-id" : "" }))),
      el("button", { type: "submit" }, "Search"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const f = Object.fromEntries(new FormData(form));
      go("calls", f);
    });
    const params = { limit: 50 };
    for (const k of CALL_FILTERS.concat(["before"])) if (p[k]) params[k] = p[k];
    const page = await api("/admin/calls?" + query(params));
    const detail = el("div", { id: "call-detail" });
    const rows = table([
      ["Time (UTC)", (c) => c.time.replace("T", " ").replace(/\.\d+Z$|Z$/, "")],
      ["Team", (c) => c.team],
      ["Project", (c) => c.project || ""],
      ["Key", (c) => c.key || ""],
      ["Model", (c) => c.model || ""],
      ["Tier", (c) => c.service_tier],
      ["Status", (c) => pill(c.status)],
      ["Cost", (c) => usd(c.cost_usd), { num: true }],
    ], page.calls, (c) => detail.replaceChildren(callDetail(c)));
    const more = el("div", { class: "actions" },
      p.before ? el("a", { class: "button", href: "#/calls?" + query({ ...p, before: "" }) }, "Newest") : null,
      page.next ? el("a", { class: "button", id: "older", href: "#/calls?" + query({ ...p, before: page.next }) }, "Older →") : null,
      el("span", { class: "muted" }, page.calls.length + " calls shown"));
    return [el("h1", {}, "Calls"), form, rows, more, detail];
  };

  function callDetail(c) {
    const tokens = Object.entries(c.tokens).filter(([, v]) => v > 0);
    const costs = Object.entries(c.cost_components).filter(([, v]) => Number(v) !== 0);
    return el("div", { class: "detail" },
      el("h2", {}, "Call " + c.id),
      el("dl", {},
        el("dt", {}, "Request id"), el("dd", { id: "detail-id" }, c.id),
        el("dt", {}, "Time"), el("dd", {}, c.time),
        el("dt", {}, "Path"), el("dd", {}, c.method + " " + c.path),
        el("dt", {}, "Model"), el("dd", {}, (c.model || "") + (c.requested_model && c.requested_model !== c.model ? " (asked " + c.requested_model + ")" : "")),
        el("dt", {}, "Provider"), el("dd", {}, c.provider || "—"),
        el("dt", {}, "Tier"), el("dd", {}, c.service_tier),
        el("dt", {}, "Who"), el("dd", {}, ["team " + c.team, c.project ? "project " + c.project : null, c.user ? "user " + c.user : null, c.key ? "key " + c.key : null].filter(Boolean).join(" · ")),
        el("dt", {}, "Pricing"), el("dd", {}, pill(c.status), " ", c.price_version || "no price version"),
        c.reasons.length ? [el("dt", {}, "Why"), el("dd", {}, c.reasons.join("; "))] : null,
        el("dt", {}, "Cost"), el("dd", { id: "detail-cost" }, usd(c.cost_usd), " (exact $" + c.cost_usd + ")"),
        el("dt", {}, "Latency"), el("dd", {}, c.latency_ms + " ms" + (c.ttft_ms ? ", first token " + c.ttft_ms + " ms" : ""))),
      el("div", { class: "grid2" },
        el("div", {}, el("h2", {}, "Tokens by kind"), table([["Kind", ([k]) => k], ["Tokens", ([, v]) => count(v), { num: true }]], tokens)),
        el("div", {}, el("h2", {}, "Cost by component"), table([["Component", ([k]) => k], ["USD", ([, v]) => "$" + v, { num: true }]], costs))));
  }

  // ---- Prices -------------------------------------------------------------------------------
  Console.pages.prices = async (p) => {
    const admin = Console.session().role === "admin";
    const [sources, models] = await Promise.all([api("/admin/prices/sources"), api("/admin/prices/models")]);
    const out = [el("h1", {}, "Prices")];

    const lookup = el("form", { class: "filters", id: "model-lookup" },
      el("label", {}, "Model", el("input", { name: "model", value: p.model || "", placeholder: "gpt-5.4" })),
      el("button", { type: "submit" }, "Show versions"));
    lookup.addEventListener("submit", (e) => { e.preventDefault(); go("prices", { model: new FormData(lookup).get("model") }); });
    out.push(el("h2", {}, "A model's dated versions"), lookup);
    if (p.model) {
      try {
        const m = await api("/admin/prices/models?" + query({ name: p.model }));
        out.push(el("p", {}, m.name + " (" + (m.provider || "?") + ", from " + m.source + "), in force now: " + m.current_version));
        out.push(table([
          ["From", (v) => v.from],
          ["Input /1M", (v) => v.usd_per_1m.input ?? "", { num: true }],
          ["Cached /1M", (v) => v.usd_per_1m.cached_input ?? "", { num: true }],
          ["Output /1M", (v) => v.usd_per_1m.output ?? "", { num: true }],
          ["Per minute", (v) => v.usd_per_1m.per_minute ?? "", { num: true }],
          ["Tiers", (v) => Object.keys(v.tiers || {}).join(", ")],
          ["Long context", (v) => (v.long_context ? "> " + count(v.long_context.above_input_tokens) + " tokens" : "")],
          ["Confirmed", (v) => (v.unconfirmed ? pill("estimated") : "yes")],
        ], m.versions));
      } catch (e) {
        out.push(problem(e));
      }
    }

    out.push(el("h2", {}, "Unpriced models"));
    try {
      const t = today();
      const unpriced = await api("/admin/unpriced");
      out.push(unpriced.models.length
        ? table([
          ["Model", (m) => m.model],
          ["Calls", (m) => count(m.calls), { num: true }],
          ["Input tokens", (m) => count(m.input_tokens), { num: true }],
          ["Output tokens", (m) => count(m.output_tokens), { num: true }],
          ["Last seen", (m) => m.last_seen],
        ], unpriced.models)
        : el("p", { class: "muted" }, "Every call of the last 31 days was priced."));
      if (admin) out.push(repriceForm(day(monthStart(t)), day(addDays(t, 1))));
    } catch (e) {
      out.push(e.status === 403 ? el("p", { class: "muted" }, "Unpriced models span every team: the admin sees them.") : problem(e));
    }

    out.push(el("h2", {}, "Price sources"));
    out.push(sources.sources.length
      ? table([
        ["Source", (s) => s.name],
        ["Format", (s) => s.format],
        ["Status", (s) => pill(s.status)],
        ["Last fetch", (s) => s.last_fetch || "—"],
        ["Models", (s) => (s.models ?? "—"), { num: true }],
        ["Skipped", (s) => Object.keys(s.skipped || {}).length, { num: true }],
        ["Message", (s) => s.message || ""],
      ], sources.sources)
      : el("p", { class: "muted" }, "No synced sources: prices come from the curated catalog only."));

    out.push(el("h2", {}, "Every priced model (" + models.models.length + ")"));
    out.push(table([
      ["Model", (m) => el("a", { href: "#/prices?" + query({ model: m.name }) }, m.name)],
      ["Provider", (m) => m.provider || ""],
      ["From", (m) => m.source],
      ["In force since", (m) => m.current_version],
      ["Input /1M", (m) => m.usd_per_1m.input ?? "", { num: true }],
      ["Output /1M", (m) => m.usd_per_1m.output ?? m.usd_per_1m.per_minute ?? "", { num: true }],
    ], models.models));
    return out;
  };

  function repriceForm(from, to) {
    const result = el("p", { id: "reprice-result", class: "muted" });
    const form = el("form", { class: "filters", id: "reprice" },
      el("label", {}, "From", el("input", { type: "date", name: "from", value: from })),
      el("label", {}, "To (exclusive)", el("input", { type: "date", name: "to", value: to })),
      el("label", {}, "Model (optional)", el("input", { name: "model" })),
      el("label", {}, "Dry run", el("input", { type: "checkbox", name: "dry_run", checked: true })),
      el("button", { type: "submit", class: "primary" }, "Reprice"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const f = new FormData(form);
      result.textContent = "Repricing…";
      try {
        const r = await api("/admin/reprice?" + query({ from: f.get("from"), to: f.get("to"), model: f.get("model"), dry_run: f.get("dry_run") ? "true" : "false" }), { method: "POST" });
        result.textContent = JSON.stringify(r);
      } catch (err) {
        result.replaceChildren(problem(err));
      }
    });
    return el("div", {}, el("p", { class: "muted" }, "Once a price exists, reprice the calls recorded unpriced or estimated, each at its own time's price."), form, result);
  }

  // ---- Reconciliation -----------------------------------------------------------------------
  Console.pages.reconcile = async () => {
    const r = await api("/admin/reconcile");
    const out = [el("h1", {}, "Reconciliation")];
    if (r.status === "not_run") return out.concat(el("p", { class: "muted" }, r.message));
    out.push(el("p", {}, "Last run " + r.ran_at + " over " + r.from + " to " + r.to + " (exclusive): ",
      r.drift_count ? pill("drift") : pill("ok"), " " + (r.drift_count || 0) + " findings with drift"));
    if (r.error) out.push(el("p", { class: "error" }, r.error));
    const findings = r.findings || [];
    if (findings.length) {
      const cols = Object.keys(findings[0]).map((k) => [k, (f) => f[k] ?? ""]);
      out.push(table(cols, findings));
    }
    return out;
  };

  Console.start();
})();
