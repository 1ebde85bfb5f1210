"use strict";

(() => {
  const { el } = Thaw;
  const body = document.querySelector("#studies tbody");

  async function refresh() {
    try {
      const studies = await Thaw.get("/api/studies");
      if (studies.length === 0) {
        body.replaceChildren(el("tr", {}, el("td", { colspan: 7, class: "muted" },
          "No studies yet. Run one with: scripts/thaw run search-spaces/fashion-transfer.yaml")));
        return;
      }
      body.replaceChildren(...studies.map(s => el("tr", { "data-study": s.id },
        el("td", {}, el("a", { href: "/study.html?study=" + encodeURIComponent(s.id) }, s.name)),
        el("td", { class: "status-" + s.status }, s.status),
        el("td", { class: "num" }, s.finished + " / " + s.budget),
        el("td", { class: "num" }, s.running),
        el("td", { class: "num" }, Thaw.score(s.best)),
        el("td", {}, s.metric.toLowerCase() + " (" + s.direction.toLowerCase() + ")"),
        el("td", {}, Thaw.time(s.created)))));
    } catch (e) {
      Thaw.fail(document.getElementById("content"), e);
    }
  }

  refresh();
  Thaw.live("/api/events", refresh, document.getElementById("live"));
})();
