"use strict";

(() => {
  const { el } = Thaw;
  const id = Thaw.query("study");
  const api = "/api/studies/" + encodeURIComponent(id);
  const view = { sort: "rank", order: "asc", offset: 0, limit: 50, state: "", param: "", value: "", min: "", max: "" };
  let study = null;
  let stopTarget = null;

  const $ = sel => document.querySelector(sel);

  async function loadStudy() {
    study = await Thaw.get(api);
    const s = study.study;
    document.title = "Thaw · " + s.name;
    $("#study-name").textContent = s.name;
    $("#summary").replaceChildren(
      fact("Status", el("b", { class: "status-" + s.status }, s.status)),
      fact("Finished / budget", el("b", {}, s.finished + " / " + s.budget)),
      fact("Running", el("b", {}, s.running)),
      fact("Best " + study.metric, el("b", {}, Thaw.score(s.best))),
      fact("Direction", el("b", {}, s.direction.toLowerCase())),
      fact("Started", el("b", {}, Thaw.time(s.created))));
    $("#download-export").href = api + "/export";
    $("#download-model").href = api + "/model";
    $("#stop-study").disabled = s.status !== "RUNNING";
    const select = $("#filter-param");
    if (select.options.length === 1) {
      study.parameters.forEach(p => select.append(el("option", { value: p.name }, p.name)));
    }
  }

  function fact(label, value) {
    return el("div", {}, el("span", {}, label), value);
  }

  function columns() {
    return [["rank", "Rank"], ["number", "Trial"], ["state", "State"], ["score", study.metric]]
      .concat(study.parameters.map(p => [p.name, p.name]))
      .concat([["epochs", "Epochs"], ["duration", "Duration"]]);
  }

  function header() {
    const cells = columns().map(([key, label]) => el("th", {
      "data-sort": key,
      class: key === view.sort ? "sorted" + (view.order === "desc" ? " desc" : "") : null,
      onclick: () => {
        view.order = view.sort === key && view.order === "asc" ? "desc" : "asc";
        view.sort = key;
        view.offset = 0;
        refreshTrials();
      }
    }, label));
    $("#trials thead").replaceChildren(el("tr", {}, cells, el("th", {}, "Reason"), el("th", {}, "")));
  }

  async function refreshTrials() {
    const q = new URLSearchParams({ sort: view.sort, order: view.order, limit: view.limit, offset: view.offset });
    if (view.state) q.set("state", view.state);
    if (view.param) {
      q.set("param", view.param);
      for (const k of ["value", "min", "max"]) if (view[k] !== "") q.set(k, view[k]);
    }
    try {
      const page = await Thaw.get(api + "/trials?" + q);
      $("#filter-error").textContent = "";
      header();
      $("#trials tbody").replaceChildren(...page.rows.map(row));
      const last = Math.min(view.offset + view.limit, page.total);
      $("#page-info").textContent = page.total === 0 ? "no trials" :
        (view.offset + 1) + "–" + last + " of " + page.total;
      $("#page-prev").disabled = view.offset === 0;
      $("#page-next").disabled = last >= page.total;
    } catch (e) {
      $("#filter-error").textContent = e.message;
    }
  }

  function row(t) {
    const cls = [t.number === study.bestTrial ? "best" : "", t.baseline ? "baseline" : ""].join(" ").trim();
    // a paused trial can be stopped too: it then ends STOPPED and its checkpoint is deleted
    const live = t.state === "RUNNING" || t.state === "QUEUED" || t.state === "PAUSED";
    const reason = t.error || t.reason || null;
    return el("tr", { class: cls || null, "data-number": t.number },
      el("td", { class: "num" }, t.rank ?? ""),
      el("td", { class: "num" }, el("a", { href: "/trial.html?study=" + encodeURIComponent(id) + "&trial=" + t.number }, "#" + t.number)),
      el("td", { class: "state state-" + t.state }, t.state),
      el("td", { class: "num score", title: t.scoreSpread != null ? "± " + Thaw.score(t.scoreSpread) + " over the folds" : "" },
        Thaw.score(t.score) + (t.scoreSpread != null ? " ±" + Thaw.score(t.scoreSpread) : "")),
      study.parameters.map(p => el("td", { class: typeof t.params[p.name] === "number" ? "num" : null }, Thaw.value(t.params[p.name]))),
      el("td", { class: "num" }, t.epochs),
      el("td", { class: "num" }, Thaw.duration(t.durationMillis)),
      el("td", { class: "reason", title: reason }, reason || ""),
      el("td", {}, live ? el("button", { class: "danger", onclick: () => openStop(t.number) }, "stop") : ""));
  }

  async function refreshCharts() {
    try {
      ThawCharts.study(await Thaw.get(api + "/charts"), study.metric);
    } catch (e) {
      $("#importance-method").textContent = "charts: " + e.message;
    }
    try {
      const data = await Thaw.get(api + "/intermediate");
      ThawCharts.intermediate(data, study.metric);
      $("#intermediate-note").textContent = data.rungNote;
    } catch (e) {
      $("#intermediate-note").textContent = "objective by epoch: " + e.message;
    }
  }

  async function refreshAll() {
    await loadStudy();
    await refreshTrials();
    await refreshCharts();
  }

  function openStop(number) {
    stopTarget = number;
    $("#stop-target").textContent = number === null ? "Stop the study" : "Stop trial #" + number;
    $("#stop-now-label").style.display = number === null ? "" : "none";
    $("#stop-message").textContent = "";
    $("#stop-form").classList.add("open");
    $("#stop-reason").focus();
  }

  $("#stop-study").addEventListener("click", () => openStop(null));
  $("#stop-cancel").addEventListener("click", () => $("#stop-form").classList.remove("open"));
  $("#stop-form").addEventListener("submit", async event => {
    event.preventDefault();
    const reason = $("#stop-reason").value;
    try {
      const url = stopTarget === null ? api + "/stop" : api + "/trials/" + stopTarget + "/stop";
      const answer = await Thaw.post(url, { reason, now: stopTarget === null && $("#stop-now").checked });
      $("#stop-message").textContent = answer.message;
    } catch (e) {
      $("#stop-message").textContent = e.message;
    }
  });

  $("#filter-apply").addEventListener("click", () => {
    view.state = $("#filter-state").value;
    view.param = $("#filter-param").value;
    view.value = $("#filter-value").value.trim();
    view.min = $("#filter-min").value.trim();
    view.max = $("#filter-max").value.trim();
    view.offset = 0;
    refreshTrials();
  });
  $("#filter-clear").addEventListener("click", () => {
    for (const k of ["state", "param", "value", "min", "max"]) {
      view[k] = "";
      $("#filter-" + k).value = "";
    }
    view.offset = 0;
    refreshTrials();
  });
  $("#page-prev").addEventListener("click", () => { view.offset = Math.max(0, view.offset - view.limit); refreshTrials(); });
  $("#page-next").addEventListener("click", () => { view.offset += view.limit; refreshTrials(); });
  $("#page-size").addEventListener("change", e => { view.limit = Number(e.target.value); view.offset = 0; refreshTrials(); });

  refreshAll().catch(e => Thaw.fail(document.querySelector("main"), e));
  Thaw.live(api + "/events", refreshAll, $("#live"));
})();
