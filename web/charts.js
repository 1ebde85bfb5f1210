// Draws the study and trial charts with ECharts from plain data the API computed (see ChartData.java).
"use strict";

const ThawCharts = (() => {
  const charts = new Map();

  function draw(id, option) {
    const node = typeof id === "string" ? document.getElementById(id) : id;
    let chart = charts.get(node);
    if (!chart) {
      chart = echarts.init(node);
      charts.set(node, chart);
    }
    chart.setOption(Object.assign({ animation: false }, option), true);
    return chart;
  }
  window.addEventListener("resize", () => charts.forEach(c => c.resize()));

  const title = text => ({ text, left: 8, top: 4, textStyle: { fontSize: 13 } });
  // a score axis that stays readable when every score is the same
  const step = v => Math.pow(10, Math.floor(Math.log10((v.max - v.min) || Math.abs(v.max) || 1)) - 1);
  const snap = (x, v, round) => {
    const s = step(v);
    return +(round(x / s) * s).toFixed(Math.max(0, Math.ceil(-Math.log10(s))));
  };
  const scoreAxis = extra => Object.assign({ type: "value",
    min: v => snap(v.min - ((v.max - v.min) * 0.05 || 0.05), v, Math.floor),
    max: v => snap(v.max + ((v.max - v.min) * 0.05 || 0.05), v, Math.ceil) }, extra || {});
  const grid = { left: 60, right: 24, top: 40, bottom: 40 };

  // a parameter inactive in a trial has no value there: no point, a gap in its line
  const axisValue = (category, v) => v == null ? null : category ? String(v) : v;

  function axisFor(p, values) {
    if (p.axis === "category") {
      const cats = p.values.length ? p.values.map(String) : [...new Set(values.filter(v => v != null).map(String))];
      return { type: "category", data: cats };
    }
    return { type: p.axis === "log" ? "log" : "value", scale: true };
  }

  function study(data, metric) {
    const best = data.bestSoFar;
    draw("chart-best-number", {
      title: title("Best " + metric + " so far, by trial number"), grid, tooltip: { trigger: "axis" },
      xAxis: { type: "value", name: "trial", minInterval: 1 }, yAxis: scoreAxis(),
      series: [
        { name: "trial", type: "scatter", symbolSize: 6, data: best.map(b => [b.number, b.score]) },
        { name: "best so far", type: "line", step: "end", symbol: "none", data: [...best].sort((a, b) => a.number - b.number)
            .reduce((acc, b) => { acc.push([b.number, b.best]); return acc; }, []) }]
    });
    draw("chart-best-time", {
      title: title("Best " + metric + " so far, by time"), grid, tooltip: { trigger: "axis" },
      xAxis: { type: "time" }, yAxis: scoreAxis(),
      series: [{ name: "best so far", type: "line", step: "end", data: best.map(b => [Date.parse(b.finished), b.best]) }]
    });
    const params = data.parameters;
    draw("chart-parallel", {
      title: title("Parameters → " + metric),
      parallel: { left: 40, right: 60, top: 50, bottom: 30 },
      parallelAxis: params.map((p, i) => Object.assign({ dim: i, name: p.name },
          axisFor(p, data.points.map(pt => pt.params[p.name]))))
        .concat([scoreAxis({ dim: params.length, name: metric })]),
      visualMap: { show: false, dimension: params.length, min: Math.min(...data.points.map(p => p.score)),
        max: Math.max(...data.points.map(p => p.score)), inRange: { color: ["#c7d2fe", "#1d4ed8"] } },
      series: [{ type: "parallel", lineStyle: { width: 1.5, opacity: 0.6 },
        data: data.points.map(pt => params.map(p => axisValue(p.axis === "category", pt.params[p.name]))
          .concat([pt.score])) }]
    });
    draw("chart-importance", {
      title: title("Parameter importance"), grid: { left: 120, right: 24, top: 40, bottom: 30 },
      xAxis: { type: "value", min: 0, max: 1 }, yAxis: { type: "category", inverse: true,
        data: data.importance.map(i => i.parameter) },
      tooltip: {}, series: [{ type: "bar", data: data.importance.map(i => Number(i.value.toFixed(3))) }]
    });
    document.getElementById("importance-method").textContent = "Importance method: " + data.importanceMethod;
    const slices = document.getElementById("slices");
    params.forEach(p => {
      let node = slices.querySelector("[data-param='" + CSS.escape(p.name) + "']");
      if (!node) {
        node = Thaw.el("div", { class: "chart small", "data-param": p.name });
        slices.append(node);
      }
      const x = axisFor(p, data.points.map(pt => pt.params[p.name]));
      draw(node, {
        title: title(p.name), grid: { left: 60, right: 16, top: 36, bottom: 30 }, tooltip: {},
        xAxis: x, yAxis: scoreAxis(),
        series: [{ type: "scatter", symbolSize: 7,
          data: data.points.filter(pt => pt.params[p.name] != null)
            .map(pt => [axisValue(x.type === "category", pt.params[p.name]), pt.score, pt.number]) }]
      });
    });
  }

  // how each state's line is drawn; a trial set aside by the pruner (or a user) ends in a marker of its own
  const STATES = {
    COMPLETE: { color: "#15803d" }, RUNNING: { color: "#2563eb" }, QUEUED: { color: "#9ca3af" },
    PAUSED: { color: "#7c3aed", end: "diamond" }, PRUNED: { color: "#b45309", end: "triangle" },
    STOPPED: { color: "#475569", end: "rect" }, FAILED: { color: "#b91c1c", end: "pin" }
  };
  const enc = text => echarts.format.encodeHTML(String(text));

  // every search trial's objective by epoch, one line each, coloured by state; the pruner's rungs as dashed lines
  function intermediate(data, metric) {
    const reasons = new Map(data.trials.map(t => ["trial-" + t.number, t.reason]));
    const series = data.trials.map(t => {
      const look = STATES[t.state] || STATES.QUEUED;
      const last = t.points.length - 1;
      // a small point per epoch (to hover over), smaller still on long curves
      return { id: "trial-" + t.number, name: t.state, type: "line", color: look.color, symbol: "circle",
        symbolSize: t.points.length > 30 ? 1 : 3, lineStyle: { width: 1.2, opacity: 0.7 }, emphasis: { focus: "series" },
        data: t.points.map((p, i) => Object.assign({ name: "#" + t.number, value: [p.epoch, p.value] },
          i === last && look.end ? { symbol: look.end, symbolSize: 11 } : {})) };
    });
    if (data.rungs.length) {
      series.push({ id: "rungs", name: "rungs", type: "line", data: [], color: "#6b7385",
        markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#6b7385" },
          // rungs counted from 1, as the pruner's reasons count them ("rung 2 (epoch 3): ..."); the axis gives the epoch
          label: { formatter: "{b}" }, data: data.rungs.map((r, i) => ({ name: "rung " + (i + 1), xAxis: r })) } });
    }
    const shown = Object.keys(STATES).filter(s => data.trials.some(t => t.state === s));
    draw("chart-intermediate", {
      title: title(metric + " by epoch, every trial"), grid: { left: 60, right: 56, top: 40, bottom: 50 },
      legend: { bottom: 4, data: shown.map(s => ({ name: s, icon: STATES[s].end || "roundRect" }))
        .concat(data.rungs.length ? ["rungs"] : []) },
      // ECharts writes a tooltip as markup: every text in it is encoded
      tooltip: { trigger: "item", formatter: p => enc(p.name + " " + p.seriesName + ", epoch " + p.value[0] + ": "
        + Thaw.score(p.value[1])) + (reasons.get(p.seriesId) ? "<br>" + enc(reasons.get(p.seriesId)) : "") },
      // from 0, so that a rung after epoch 1 is not drawn on the axis itself
      xAxis: { type: "value", name: "epoch", minInterval: 1, min: 0, max: data.epochs || null,
        axisLabel: { formatter: v => v === 0 ? "" : String(v) } },
      yAxis: scoreAxis(), series
    });
  }

  // a trial's curves; a dotted line after each epoch it paused at (it thawed there, or waits there)
  function epochs(points, pauses) {
    const paused = (pauses || []).map(p => ({ xAxis: p.epoch }));
    draw("chart-epochs", {
      title: title("Per epoch"), grid: { left: 60, right: 60, top: 50, bottom: 60 }, tooltip: { trigger: "axis" },
      legend: { bottom: 4 },
      xAxis: { type: "value", name: "epoch", minInterval: 1 },
      yAxis: [{ type: "value", name: "loss", scale: true }, { type: "value", name: "accuracy", min: 0, max: 1 }],
      series: [
        { name: "training loss", type: "line", showSymbol: points.length <= 20, data: points.map(p => [p.epoch, p.trainLoss]),
          markLine: paused.length ? { silent: true, symbol: "none", lineStyle: { type: "dotted", color: "#7c3aed" },
            label: { formatter: "paused" }, data: paused } : undefined },
        { name: "validation loss", type: "line", showSymbol: points.length <= 20, data: points.map(p => [p.epoch, p.validationLoss]) },
        { name: "validation accuracy", type: "line", yAxisIndex: 1, showSymbol: points.length <= 20, data: points.map(p => [p.epoch, p.validationAccuracy]) }]
    });
  }

  function confusion(id, report) {
    const labels = report.names;
    const cells = [];
    let max = 0;
    report.confusion.forEach((row, a) => row.forEach((n, p) => { cells.push([p, a, n]); max = Math.max(max, n); }));
    draw(id, {
      title: title("Confusion matrix (rows: actual, columns: predicted)"), tooltip: {},
      grid: { left: 60, right: 24, top: 40, bottom: 60 },
      xAxis: { type: "category", data: labels, name: "predicted" },
      yAxis: { type: "category", data: labels, name: "actual", inverse: true },
      visualMap: { min: 0, max: Math.max(1, max), calculable: false, orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: ["#f8fafc", "#1d4ed8"] } },
      series: [{ type: "heatmap", data: cells, label: { show: true } }]
    });
  }

  return { study, intermediate, epochs, confusion };
})();
