"use strict";

(() => {
  const { el } = Thaw;
  const study = Thaw.query("study");
  const number = Thaw.query("trial");
  const api = "/api/studies/" + encodeURIComponent(study);
  const $ = sel => document.querySelector(sel);
  const pair = (k, v) => el("tr", {}, el("th", {}, k), el("td", {}, v));
  const ENDED = { PRUNED: "Pruned: ", STOPPED: "Stopped: ", PAUSED: "Paused: " };

  async function refresh() {
    const [s, d] = await Promise.all([Thaw.get(api), Thaw.get(api + "/trials/" + encodeURIComponent(number))]);
    const t = d.trial;
    document.title = "Thaw · " + s.study.name + " #" + t.number;
    $("#study-link").textContent = s.study.name;
    $("#study-link").href = "/study.html?study=" + encodeURIComponent(s.study.id);
    $("#trial-crumb").textContent = "trial #" + t.number;
    $("#trial-title").textContent = "Trial #" + t.number + (d.best ? " (best)" : "");
    $("#summary").replaceChildren(
      fact("State", el("b", { class: "state state-" + t.state }, t.state)),
      fact(s.metric, el("b", {}, Thaw.score(t.score) + (t.scoreSpread != null ? " ± " + Thaw.score(t.scoreSpread) : ""))),
      fact("Epochs", el("b", {}, t.epochs)),
      fact("Started", el("b", {}, Thaw.time(t.started))),
      fact("Duration", el("b", {}, Thaw.duration(t.started && t.finished ? Date.parse(t.finished) - Date.parse(t.started) : null))),
      fact("Attempts", el("b", {}, t.attempts)));
    $("#failure").textContent = t.error ? "Failed: " + t.error : t.reason ? (ENDED[t.state] || "Reason: ") + t.reason : "";
    $("#failure").className = t.error ? "error" : "reason-note";
    $("#pauses-section").hidden = d.pauses.length === 0;
    $("#pauses tbody").replaceChildren(...d.pauses.map(p => el("tr", {},
      el("td", { class: "num" }, p.epoch), el("td", {}, p.reason), el("td", {}, Thaw.time(p.pausedAt)),
      el("td", { class: p.thawedAt ? null : "muted" }, p.thawedAt ? Thaw.time(p.thawedAt) : "not thawed"))));
    // every parameter of the study; one inactive in this trial (its condition did not hold) has no value
    const values = t.assignment.values;
    const names = s.parameters.map(p => p.name).concat(Object.keys(values).filter(k => !s.parameters.some(p => p.name === k)));
    $("#params tbody").replaceChildren(...names.map(k => k in values ? pair(k, Thaw.value(values[k]))
      : el("tr", { class: "muted", title: "inactive in this trial: its condition did not hold" }, el("th", {}, k), el("td", {}, ""))));
    ThawCharts.epochs(d.epochs, d.pauses);
    if (d.validation) {
      $("#per-class tbody").replaceChildren(...d.validation.perClass.map(c => el("tr", {},
        el("td", {}, c.name), el("td", { class: "num" }, Thaw.score(c.precision)),
        el("td", { class: "num" }, Thaw.score(c.recall)), el("td", { class: "num" }, Thaw.score(c.f1)),
        el("td", { class: "num" }, c.support))));
      ThawCharts.confusion("chart-confusion", d.validation);
    } else {
      $("#per-class tbody").replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "no final report (the trial did not complete)")));
    }
    if (d.test) {
      $("#test-section").replaceChildren(el("h2", {}, "Test split"), el("div", { class: "panel facts" },
        fact("Accuracy", el("b", {}, Thaw.score(d.test.accuracy))), fact("Precision", el("b", {}, Thaw.score(d.test.precision))),
        fact("Recall", el("b", {}, Thaw.score(d.test.recall))), fact("F1", el("b", {}, Thaw.score(d.test.f1)))));
    }
    const name = label => (d.validation && d.validation.classes.indexOf(label) >= 0)
      ? d.validation.names[d.validation.classes.indexOf(label)] : String(label);
    $("#mistakes tbody").replaceChildren(...(d.misclassified.length ? d.misclassified.map(m => el("tr", {},
      el("td", {}, m.example), el("td", {}, name(m.actual)), el("td", {}, name(m.predicted)),
      el("td", { class: "num" }, Thaw.score(m.confidence))))
      : [el("tr", {}, el("td", { colspan: 4, class: "muted" }, "none recorded"))]));
    $("#provenance tbody").replaceChildren(
      pair("Seed", t.seed), pair("Dataset fingerprint", t.datasetFingerprint), pair("Thaw", t.thawVersion),
      pair("DL4J", t.dl4jVersion), pair("Java", t.javaVersion), pair("Worker", t.worker || ""),
      pair("Created", Thaw.time(t.created)), pair("Finished", Thaw.time(t.finished)),
      pair("Model kept", d.model ? el("a", { href: api + "/model", download: true }, "download zip") : "no"));
  }

  function fact(label, value) {
    return el("div", {}, el("span", {}, label), value);
  }

  refresh().catch(e => Thaw.fail(document.querySelector("main"), e));
  Thaw.live(api + "/events", () => refresh().catch(() => {}), $("#live"));
})();
