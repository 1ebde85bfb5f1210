// Shared helpers of Thaw's pages. Every value from the server reaches the page as text (textContent), never as
// markup, so study names, parameter values and error texts cannot inject anything.
"use strict";

const Thaw = (() => {
  const hash = location.hash.match(/token=([A-Za-z0-9_-]+)/);
  if (hash) {
    sessionStorage.setItem("thaw-token", hash[1]);
    history.replaceState(null, "", location.pathname + location.search);
  }

  async function get(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || response.statusText);
    return body;
  }

  function token() {
    return sessionStorage.getItem("thaw-token");
  }

  async function post(url, body) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (token()) headers["X-Thaw-Token"] = token();
    const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.message || response.statusText);
    return answer;
  }

  /** el("td", {class: "num"}, "text", child): an element whose string children become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "onclick") node.addEventListener("click", value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function score(x) {
    return x === null || x === undefined ? "" : Number(x).toFixed(4);
  }

  function value(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "number" && !Number.isInteger(v)) {
      return Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4 ? v.toExponential(3) : v.toPrecision(4).replace(/\.?0+$/, "");
    }
    return String(v);
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return "";
    const s = ms / 1000;
    return s < 60 ? s.toFixed(1) + " s" : s < 3600 ? (s / 60).toFixed(1) + " min" : (s / 3600).toFixed(2) + " h";
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleString() : "";
  }

  function query(name) {
    return new URLSearchParams(location.search).get(name);
  }

  /** Calls refresh() on every change event of the stream at url, at most every 400 ms; shows liveness in dot. */
  function live(url, refresh, dot) {
    let pending = null;
    const source = new EventSource(url);
    source.addEventListener("hello", () => dot && dot.classList.add("on"));
    source.addEventListener("change", () => {
      if (pending) return;
      pending = setTimeout(() => { pending = null; refresh(); }, 400);
    });
    source.onerror = () => dot && dot.classList.remove("on");
    return source;
  }

  // Downloads need the token when the server has one, and a plain link cannot send it: with a token, a click on a
  // download link fetches the file with the token and saves it from memory.
  document.addEventListener("click", event => {
    const link = event.target instanceof Element ? event.target.closest("a[download]") : null;
    if (!link || !token() || link.protocol === "blob:") return;
    event.preventDefault();
    download(link.href).catch(error => {
      let note = link.nextElementSibling;
      if (!note || !note.classList.contains("download-error")) {
        note = el("span", { class: "error download-error" });
        link.after(note);
      }
      note.textContent = " " + error.message;
    });
  });

  async function download(url) {
    const response = await fetch(url, { headers: { "X-Thaw-Token": token() } });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.message || response.statusText);
    }
    const named = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
    const saved = el("a", { href: URL.createObjectURL(await response.blob()), download: named ? named[1] : "download" });
    document.body.append(saved);
    saved.click();
    saved.remove();
    setTimeout(() => URL.revokeObjectURL(saved.href), 60000);
  }

  function fail(where, error) {
    where.replaceChildren(el("p", { class: "error" }, error.message));
  }

  return { get, post, el, score, value, duration, time, query, live, fail };
})();
