// Tollgate's spend console: the core. Every number comes from the same JSON admin API the CLI
// uses; nothing is fetched from another origin (the server's Content-Security-Policy enforces it).
"use strict";

const Console = (() => {
  let session = null; // {role, name, team, csrf}
  const pages = {};

  /** An admin API error, carrying the HTTP status and the OpenAI-shaped message. */
  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options = {}) {
    const init = { credentials: "same-origin", headers: {}, method: options.method || "GET" };
    if (init.method !== "GET" && session) init.headers["x-csrf-token"] = session.csrf;
    if (options.body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!response.ok) {
      const message = json && json.error ? json.error.message : text || response.statusText;
      if (response.status === 401 && !path.startsWith("/console/session")) showSignIn();
      throw new ApiError(response.status, message);
    }
    return json;
  }

  /** Builds an element: el("td", {class: "num"}, "text", child, ...). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  /** A table from rows: columns are [header, value(row), {num, title}] entries. */
  function table(columns, rows, onRow) {
    const head = el("tr", {}, columns.map(([h, , o]) => el("th", { class: o && o.num ? "num" : null }, h)));
    const body = rows.map((row) => {
      const tr = el("tr", { class: onRow ? "clickable" : null },
        columns.map(([, f, o]) => {
          const v = f(row);
          return el("td", { class: o && o.num ? "num" : null }, v);
        }));
      if (onRow) tr.addEventListener("click", () => onRow(row));
      return tr;
    });
    return el("div", { class: "scroll" }, el("table", {}, el("thead", {}, head), el("tbody", {}, body)));
  }

  /** An exact decimal string shown to the cent; the exact value stays in data-usd and the title. */
  function usd(exact) {
    if (exact === null || exact === undefined) return el("span", { class: "muted" }, "—");
    return el("span", { class: "usd", "data-usd": exact, title: "$" + exact }, "$" + cents(exact));
  }

  /** Rounds a decimal string half-up to two places, as text (no float for money). */
  function cents(exact) {
    let s = String(exact).trim();
    const negative = s.startsWith("-");
    if (negative) s = s.slice(1);
    let [whole, frac = ""] = s.split(".");
    frac = (frac + "000").slice(0, 3);
    let value = BigInt(whole || "0") * 100n + BigInt(frac.slice(0, 2));
    if (Number(frac[2]) >= 5) value += 1n;
    const w = (value / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    const f = (value % 100n).toString().padStart(2, "0");
    return (negative && value !== 0n ? "-" : "") + w + "." + f;
  }

  function count(n) {
    return Number(n).toLocaleString("en-US");
  }

  function pill(text) {
    return el("span", { class: "pill " + text }, text);
  }

  // Dates are UTC days, as the API's; "to" is exclusive.
  function day(d) {
    return d.toISOString().slice(0, 10);
  }
  function today() {
    const n = new Date();
    return new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate()));
  }
  function addDays(d, n) {
    return new Date(d.getTime() + n * 86400000);
  }
  function monthStart(d, plus = 0) {
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + plus, 1));
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, v);
    return q.toString();
  }

  /** The hash route: "#/teams?team=x" → ["teams", {team: "x"}]. */
  function route() {
    const hash = location.hash.replace(/^#\/?/, "") || "overview";
    const [name, q = ""] = hash.split("?");
    return [name, Object.fromEntries(new URLSearchParams(q))];
  }

  function go(name, params = {}) {
    const q = query(params);
    location.hash = "#/" + name + (q ? "?" + q : "");
  }

  function problem(e) {
    const status = e && e.status ? e.status + ": " : "";
    return el("p", { class: "error", role: "alert", "data-status": e && e.status }, status + (e && e.message));
  }

  async function render() {
    if (!session) return;
    const [name, params] = route();
    const page = pages[name] || pages.overview;
    document.querySelectorAll("nav a").forEach((a) =>
      a.classList.toggle("active", a.dataset.page === name));
    const main = document.getElementById("page");
    main.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    main.dataset.ready = "false";
    try {
      const content = await page(params);
      main.replaceChildren(...[].concat(content));
    } catch (e) {
      main.replaceChildren(problem(e));
    }
    main.dataset.page = name;
    main.dataset.renders = String(Number(main.dataset.renders || 0) + 1); // for the browser tests
    main.dataset.ready = "true";
  }

  function showSignIn() {
    session = null;
    document.getElementById("signin").hidden = false;
    document.getElementById("nav").hidden = true;
    document.getElementById("signout").hidden = true;
    document.getElementById("who").textContent = "";
    document.getElementById("page").replaceChildren();
  }

  function signedIn(who) {
    session = who;
    document.getElementById("signin").hidden = true;
    document.getElementById("nav").hidden = false;
    document.getElementById("signout").hidden = false;
    document.getElementById("who").textContent =
      who.role === "admin" ? "admin" : "viewer " + who.name + (who.team ? " · team " + who.team : " · every team");
    render();
  }

  async function start() {
    document.getElementById("signin-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const input = document.getElementById("token");
      const error = document.getElementById("signin-error");
      error.textContent = "";
      try {
        const who = await api("/console/session", { method: "POST", body: { token: input.value } });
        input.value = "";
        signedIn(who);
      } catch (err) {
        error.textContent = err.message;
      }
    });
    document.getElementById("signout").addEventListener("click", async () => {
      try { await api("/console/session", { method: "DELETE" }); } finally { showSignIn(); }
    });
    window.addEventListener("hashchange", render);
    try {
      const who = await api("/console/session");
      if (who && who.role) signedIn(who);
      else showSignIn();
    } catch (e) {
      showSignIn();
    }
  }

  return {
    api, el, table, usd, cents, count, pill, day, today, addDays, monthStart, query, go, problem,
    pages, start, session: () => session,
  };
})();
