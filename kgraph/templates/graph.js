/* kgraph: the interactive responsibility graph (data from kgraph/render.py, drawn with vis-network).
 *
 * The data element holds JSON; its rows are arrays, in this order:
 *   actors:      [label, kind, altLabels[], workload, x, y, size]
 *   measures:    [label, documentIndex, categoryIndexes[], x, y]
 *   assignments: [actorIndex, measureIndex, role, documentIndex, sentenceIndex, deadline, negated, actorAsWritten]
 *   co:          [actorIndex, actorIndex, measureIndexes[]]   (actors sharing measures)
 *   documents:   [identifier, title]
 * Text from documents is only ever put into the page with textContent (never innerHTML) and
 * drawn on the canvas by vis-network; tooltips are our own DOM nodes, not vis `title` strings.
 */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("kgraph-data").textContent);
  const ROLES = ["lead", "responsible", "support", "supervise"];
  const ROLE = {
    lead: {zh: "牵头", en: "lead", color: "#d62728", width: 3, dashes: false},
    responsible: {zh: "负责", en: "responsible", color: "#1f77b4", width: 2, dashes: false},
    support: {zh: "配合", en: "support", color: "#2ca02c", width: 1.5, dashes: [6, 4]},
    supervise: {zh: "督导", en: "supervise", color: "#9467bd", width: 1.5, dashes: [2, 4]},
  };
  const KIND = {
    organisation: {zh: "机构", en: "organisation", shape: "dot", color: "#4e79a7", border: "#2f4f73"},
    post: {zh: "岗位", en: "post", shape: "diamond", color: "#f28e2b", border: "#a85c12"},
    collective: {zh: "集体", en: "collective", shape: "triangle", color: "#b07aa1", border: "#74506a"},
    measure: {zh: "措施", en: "measure", shape: "square", color: "#c9c9c3", border: "#8a8a84"},
  };
  const CO_COLOR = "#7f7f7f";
  const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  const DIM = 0.12;
  const large = D.large;
  const api = {readyAt: null};  // window.kgraph: for tests and for the curious
  const nA = D.actors.length, nM = D.measures.length, nE = D.assignments.length, nC = D.co.length;

  const $ = (id) => document.getElementById(id);
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  const short = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);
  const docTitle = (i) => (i >= 0 ? D.documents[i][1] : "");
  const roleName = (r) => ROLE[r].zh + " " + ROLE[r].en;
  const kindOf = (i) => KIND[D.actors[i][1]] || KIND.organisation;

  // ------------------------------------------------------------ indexes
  const actorDuties = D.actors.map(() => []);
  const measureDuties = D.measures.map(() => []);
  D.assignments.forEach((row, i) => { actorDuties[row[0]].push(i); measureDuties[row[1]].push(i); });
  const actorCo = D.actors.map(() => []);
  D.co.forEach((row, i) => { actorCo[row[0]].push(i); actorCo[row[1]].push(i); });

  // ------------------------------------------------------------ vis data
  function nodeFont(kind, opacity) {
    const dim = opacity !== 1;
    return kind === "actor"
      ? {size: 14, face: FONT, color: dim ? "#c8c8c8" : "#222", strokeWidth: 3, strokeColor: "#fff"}
      : {size: 10, face: FONT, color: dim ? "#d8d8d8" : "#444", strokeWidth: 0};
  }
  const nodeItems = [];
  D.actors.forEach((a, i) => {
    const k = kindOf(i);
    nodeItems.push({
      id: "a" + i, kind: "actor", index: i, label: a[0], shape: k.shape, size: a[6], x: a[4], y: a[5],
      color: {background: k.color, border: k.border, highlight: {background: k.color, border: "#000"}},
      font: nodeFont("actor", 1), opacity: 1,
    });
  });
  D.measures.forEach((m, i) => {
    nodeItems.push({
      id: "m" + i, kind: "measure", index: i, label: short(m[0], 14), shape: "square", size: 5, x: m[3], y: m[4],
      color: {background: KIND.measure.color, border: KIND.measure.border, highlight: {background: "#ffd966", border: "#000"}},
      font: nodeFont("measure", 1), opacity: 1,
    });
  });
  const edgeStyle = (role, opacity) => ({color: ROLE[role].color, highlight: ROLE[role].color, hover: ROLE[role].color, opacity: opacity});
  const edgeItems = D.assignments.map((row, i) => ({
    id: "e" + i, index: i, from: "a" + row[0], to: "m" + row[1], width: ROLE[row[2]].width,
    dashes: ROLE[row[2]].dashes, color: edgeStyle(row[2], 1),
  }));
  const coStyle = (opacity) => ({color: CO_COLOR, highlight: "#333", hover: "#333", opacity: opacity});
  const coItems = D.co.map((row, i) => ({
    id: "c" + i, index: i, from: "a" + row[0], to: "a" + row[1], color: coStyle(1), arrows: {to: {enabled: false}},
  }));
  const nodes = new vis.DataSet(nodeItems);
  const edges = new vis.DataSet(edgeItems);
  const coEdges = new vis.DataSet(coItems);

  // ------------------------------------------------------------ filters
  const state = {view: D.view === "co-responsibility" ? "co-responsibility" : "responsibility",
                 roles: {lead: true, responsible: true, support: true, supervise: true},
                 doc: null, cat: null, query: "", focus: null};
  const edgeOn = new Uint8Array(nE), actorOn = new Uint8Array(nA), measureOn = new Uint8Array(nM);
  const coActorOn = new Uint8Array(nA), coWeight = new Uint32Array(nC), coWidth = new Float32Array(nC);

  function actorMatches(i, q) {
    const a = D.actors[i];
    if (a[0].indexOf(q) >= 0) return true;
    return a[2].some((alt) => alt.indexOf(q) >= 0);
  }

  function recompute() {
    const q = state.query.trim();
    const match = q ? D.actors.map((_, i) => actorMatches(i, q)) : null;
    const pairOn = new Set();
    actorOn.fill(0); measureOn.fill(0); coActorOn.fill(0);
    for (let i = 0; i < nE; i++) {
      const r = D.assignments[i];
      const base = state.roles[r[2]] && (state.doc === null || r[3] === state.doc)
        && (state.cat === null || D.measures[r[1]][2].indexOf(state.cat) >= 0);
      if (base) pairOn.add(r[0] * nM + r[1]);
      const on = base && (!match || match[r[0]]);
      edgeOn[i] = on ? 1 : 0;
      if (on) { actorOn[r[0]] = 1; measureOn[r[1]] = 1; coActorOn[r[0]] = 1; }
    }
    for (let i = 0; i < nC; i++) {
      const c = D.co[i];
      let w = 0;
      if (!match || match[c[0]] || match[c[1]]) {
        for (const m of c[2]) if (pairOn.has(c[0] * nM + m) && pairOn.has(c[1] * nM + m)) w++;
      }
      coWeight[i] = w;
      if (w) { coActorOn[c[0]] = 1; coActorOn[c[1]] = 1; }
    }
    // edge width in the co-responsibility view follows the weight under the current filters
    const changed = [];
    for (let i = 0; i < nC; i++) {
      const width = coWeight[i] ? 1 + 1.5 * Math.log2(coWeight[i]) : 1;
      if (width !== coWidth[i]) {
        coWidth[i] = width;
        changed.push({id: "c" + i, width: width, label: large || coWeight[i] < 2 ? undefined : String(coWeight[i])});
      }
    }
    if (changed.length) coEdges.update(changed);
  }

  recompute();  // before the views are made: a DataView applies its filter when created
  const views = {
    "responsibility": {
      nodes: new vis.DataView(nodes, {filter: (n) => (n.kind === "actor" ? actorOn[n.index] : measureOn[n.index]) === 1}),
      edges: new vis.DataView(edges, {filter: (e) => edgeOn[e.index] === 1}),
    },
    "co-responsibility": {
      nodes: new vis.DataView(nodes, {filter: (n) => n.kind === "actor" && coActorOn[n.index] === 1}),
      edges: new vis.DataView(coEdges, {filter: (e) => coWeight[e.index] > 0}),
    },
  };

  // ------------------------------------------------------------ the network
  const container = $("kgraph-network");
  const network = new vis.Network(container, {nodes: [], edges: []}, {
    autoResize: true,
    physics: false,
    layout: {improvedLayout: false, randomSeed: 1},
    interaction: {hover: true, hideEdgesOnDrag: large, hideEdgesOnZoom: large, keyboard: false, multiselect: false},
    nodes: {borderWidth: 1, font: {face: FONT}},
    edges: {smooth: large ? false : {enabled: true, type: "continuous", roundness: 0.2},
            arrows: {to: {enabled: true, scaleFactor: 0.4}}, selectionWidth: 1.5, hoverWidth: 1},
  });
  // the first drawing with the data marks the page ready (tests and bench/render_bench.py wait for it)
  network.once("afterDrawing", () => {
    api.readyAt = performance.now();
    document.documentElement.setAttribute("data-kgraph-ready", "1");
  });
  network.setData(views[state.view]);

  function refresh(fit) {
    views[state.view].nodes.refresh();
    views[state.view].edges.refresh();
    setFocus(null);
    updateCount();
    if (fit) network.fit({animation: false});
  }

  function setView(view) {
    if (!views[view]) return;
    state.view = view;
    for (const name in views) $("kgraph-view-" + name).setAttribute("aria-pressed", String(name === view));
    views[view].nodes.refresh();
    views[view].edges.refresh();
    network.setData(views[view]);
    setFocus(null);
    showDetails(null);
    updateCount();
    network.fit({animation: false});
  }

  const sum = (array) => array.reduce((a, b) => a + (b ? 1 : 0), 0);
  function updateCount() {
    const resp = state.view === "responsibility";
    const actors = sum(resp ? actorOn : coActorOn), measures = resp ? sum(measureOn) : 0;
    const shownEdges = sum(resp ? edgeOn : coWeight);
    $("kgraph-count").textContent = "显示 shown: " + (actors + measures) + " / " + (resp ? nA + nM : nA)
      + " 个节点 nodes (" + actors + " 主体 actors" + (resp ? ", " + measures + " 措施 measures" : "") + "), "
      + shownEdges + " / " + (resp ? nE : nC) + (resp ? " 条责任 assignments" : " 条协同 co-responsibility links");
  }

  // ------------------------------------------------------------ highlight
  const nodeOpacity = new Map(), edgeOpacity = new Map();

  function setFocus(id) {
    state.focus = id;
    let keepNodes = null, keepEdges = null;
    if (id) {
      keepNodes = new Set([id]); keepEdges = new Set();
      const i = +id.slice(1);
      if (state.view === "responsibility") {
        const duties = id[0] === "a" ? actorDuties[i] : measureDuties[i];
        for (const d of duties) {
          if (!edgeOn[d]) continue;
          const r = D.assignments[d];
          keepEdges.add("e" + d); keepNodes.add("a" + r[0]); keepNodes.add("m" + r[1]);
        }
      } else {
        for (const c of actorCo[i]) {
          if (!coWeight[c]) continue;
          keepEdges.add("c" + c); keepNodes.add("a" + D.co[c][0]); keepNodes.add("a" + D.co[c][1]);
        }
      }
    }
    const nodeUpdates = [], edgeUpdates = [], coUpdates = [];
    for (const item of nodeItems) {
      const want = !keepNodes || keepNodes.has(item.id) ? 1 : DIM;
      if ((nodeOpacity.get(item.id) || 1) !== want) {
        nodeOpacity.set(item.id, want);
        nodeUpdates.push({id: item.id, opacity: want, font: nodeFont(item.kind, want)});
      }
    }
    for (const item of edgeItems) {
      const want = !keepEdges || keepEdges.has(item.id) ? 1 : DIM;
      if ((edgeOpacity.get(item.id) || 1) !== want) {
        edgeOpacity.set(item.id, want);
        edgeUpdates.push({id: item.id, color: edgeStyle(D.assignments[item.index][2], want)});
      }
    }
    for (const item of coItems) {
      const want = !keepEdges || keepEdges.has(item.id) ? 1 : DIM;
      if ((edgeOpacity.get(item.id) || 1) !== want) {
        edgeOpacity.set(item.id, want);
        coUpdates.push({id: item.id, color: coStyle(want)});
      }
    }
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    if (coUpdates.length) coEdges.update(coUpdates);
  }

  // ------------------------------------------------------------ tooltip and details (textContent only)
  function row(parent, key, value, className) {
    if (value === undefined || value === null || value === "") return;
    const line = el("div", "tt-row");
    line.appendChild(el("span", "tt-key", key + ": "));
    line.appendChild(el("span", className || "", value));
    parent.appendChild(line);
  }
  function roleBadge(role) {
    const badge = el("span", "role", ROLE[role].zh);
    badge.style.background = ROLE[role].color;
    badge.title = ROLE[role].en;
    return badge;
  }
  function roleCounts(duties) {
    const counts = {};
    for (const d of duties) { const r = D.assignments[d][2]; counts[r] = (counts[r] || 0) + 1; }
    return ROLES.filter((r) => counts[r]).map((r) => ROLE[r].zh + " " + counts[r]).join(", ");
  }

  function describe(id, box) {
    const i = +id.slice(1);
    if (id[0] === "a") {
      const a = D.actors[i];
      box.appendChild(el("div", "tt-title", a[0]));
      row(box, "类型 kind", kindOf(i).zh + " " + kindOf(i).en);
      row(box, "原文写作 also written as", a[2].join("、"));
      row(box, "任务数 assignments", a[3] + (actorDuties[i].length ? " (" + roleCounts(actorDuties[i]) + ")" : ""));
    } else if (id[0] === "m") {
      const m = D.measures[i];
      box.appendChild(el("div", "tt-title", m[0]));
      row(box, "文件 document", docTitle(m[1]));
      row(box, "类别 category", m[2].map((c) => D.categories[c]).join("、"));
      row(box, "责任主体 actors", measureDuties[i].map((d) => D.actors[D.assignments[d][0]][0] + " (" + ROLE[D.assignments[d][2]].zh + ")").join("、"));
      if (measureDuties[i].length) row(box, "依据原文 evidence", D.sentences[D.assignments[measureDuties[i][0]][4]], "evidence");
    } else if (id[0] === "e") {
      const r = D.assignments[i];
      box.appendChild(el("div", "tt-title", D.actors[r[0]][0] + " → " + D.measures[r[1]][0]));
      const roleLine = el("div", "tt-row");
      roleLine.appendChild(roleBadge(r[2]));
      roleLine.appendChild(el("span", "", ROLE[r[2]].en + (r[6] ? " · 禁止性 prohibition" : "")));
      box.appendChild(roleLine);
      row(box, "原文主体 actor as written", r[7] !== D.actors[r[0]][0] ? r[7] : "");
      row(box, "文件 document", docTitle(r[3]));
      row(box, "时限 deadline", r[5]);
      row(box, "依据原文 evidence", D.sentences[r[4]], "evidence");
    } else if (id[0] === "c") {
      const c = D.co[i];
      box.appendChild(el("div", "tt-title", D.actors[c[0]][0] + " — " + D.actors[c[1]][0]));
      row(box, "共同承担 shared measures", String(coWeight[i]));
      const shared = c[2].filter((m) => filteredPair(c[0], m) && filteredPair(c[1], m));
      row(box, "措施 measures", shared.slice(0, 8).map((m) => D.measures[m][0]).join("；") + (shared.length > 8 ? " …" : ""));
    }
  }
  function filteredPair(actor, measure) {
    return actorDuties[actor].some((d) => D.assignments[d][1] === measure && state.roles[D.assignments[d][2]]
      && (state.doc === null || D.assignments[d][3] === state.doc)
      && (state.cat === null || D.measures[measure][2].indexOf(state.cat) >= 0));
  }

  const tooltip = $("kgraph-tooltip");
  function showTooltip(id, pointer) {
    tooltip.replaceChildren();
    describe(id, tooltip);
    tooltip.hidden = false;
    const box = $("kgraph-canvas").getBoundingClientRect();
    const x = Math.min(pointer.x + 14, Math.max(box.width - tooltip.offsetWidth - 4, 0));
    const y = Math.min(pointer.y + 14, Math.max(box.height - tooltip.offsetHeight - 4, 0));
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }
  const hideTooltip = () => { tooltip.hidden = true; };
  network.on("hoverNode", (p) => showTooltip(p.node, p.pointer.DOM));
  network.on("hoverEdge", (p) => showTooltip(p.edge, p.pointer.DOM));
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  const details = $("kgraph-details");
  function showDetails(id) {
    details.replaceChildren();
    if (!id) { details.appendChild(el("p", "hint", "点击节点 Click a node.")); return; }
    const head = el("div");
    describe(id, head);
    details.appendChild(head);
    const i = +id.slice(1);
    const duties = id[0] === "a" ? actorDuties[i] : id[0] === "m" ? measureDuties[i] : id[0] === "e" ? [] : null;
    if (!duties || !duties.length) return;
    details.appendChild(el("h3", "", id[0] === "a" ? "任务 duties" : "责任主体 actors"));
    const list = el("ol");
    const ordered = duties.slice().sort((x, y) => ROLES.indexOf(D.assignments[x][2]) - ROLES.indexOf(D.assignments[y][2]));
    for (const d of ordered) {
      const r = D.assignments[d];
      const item = el("li");
      if (!edgeOn[d]) item.style.opacity = "0.5";
      item.appendChild(roleBadge(r[2]));
      item.appendChild(el("span", "", id[0] === "a" ? D.measures[r[1]][0] : D.actors[r[0]][0]));
      if (r[5]) item.appendChild(el("div", "hint", "时限 deadline: " + r[5]));
      item.appendChild(el("div", "hint", docTitle(r[3])));
      item.appendChild(el("div", "evidence", D.sentences[r[4]]));
      list.appendChild(item);
    }
    details.appendChild(list);
  }

  network.on("click", (p) => {
    const id = p.nodes.length ? p.nodes[0] : p.edges.length ? p.edges[0] : null;
    select(id);
  });
  network.on("doubleClick", (p) => { if (!p.nodes.length && !p.edges.length) network.fit({animation: false}); });
  function select(id) {
    setFocus(id && id[0] !== "e" && id[0] !== "c" ? id : null);
    showDetails(id);
  }

  // ------------------------------------------------------------ controls
  const notes = $("kgraph-notes");
  for (const note of D.notes) notes.appendChild(el("p", "", "注 note: " + note));

  const roleBox = $("kgraph-roles");
  for (const role of ROLES) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = role; box.id = "kgraph-role-" + role;
    box.addEventListener("change", () => { state.roles[role] = box.checked; recompute(); refresh(false); });
    label.appendChild(box);
    const text = el("span", "", " " + roleName(role));
    text.style.color = ROLE[role].color;
    label.appendChild(text);
    roleBox.appendChild(label);
  }

  function fillSelect(select, entries, onChange) {
    entries.forEach((text, i) => {
      const option = el("option", "", text);
      option.value = String(i);
      select.appendChild(option);
    });
    select.addEventListener("change", () => { onChange(select.value === "" ? null : +select.value); recompute(); refresh(true); });
  }
  fillSelect($("kgraph-document"), D.documents.map((d) => d[1] + (d[1] !== d[0] ? " (" + d[0] + ")" : "")), (v) => { state.doc = v; });
  if (D.categories.length) {
    $("kgraph-category-box").hidden = false;
    fillSelect($("kgraph-category"), D.categories, (v) => { state.cat = v; });
  }

  const names = $("kgraph-actor-names");
  const seen = new Set();
  for (const a of D.actors) {
    for (const name of [a[0]].concat(a[2])) {
      if (seen.has(name) || seen.size >= 5000) continue;
      seen.add(name);
      const option = el("option");
      option.value = name;
      names.appendChild(option);
    }
  }
  let searchTimer = null;
  $("kgraph-search").addEventListener("input", (ev) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.query = ev.target.value; recompute(); refresh(true); }, 150);
  });

  for (const name in views) $("kgraph-view-" + name).addEventListener("click", () => setView(name));

  function legendSwatch(draw) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "28"); svg.setAttribute("height", "14"); svg.setAttribute("aria-hidden", "true");
    draw(svg, (tag, attrs) => {
      const e = document.createElementNS(ns, tag);
      for (const k in attrs) e.setAttribute(k, attrs[k]);
      svg.appendChild(e);
    });
    return svg;
  }
  const legend = $("kgraph-legend");
  const SHAPES = {
    dot: (add, k) => add("circle", {cx: 14, cy: 7, r: 6, fill: k.color, stroke: k.border}),
    diamond: (add, k) => add("polygon", {points: "14,0 21,7 14,14 7,7", fill: k.color, stroke: k.border}),
    triangle: (add, k) => add("polygon", {points: "14,1 21,13 7,13", fill: k.color, stroke: k.border}),
    square: (add, k) => add("rect", {x: 10, y: 3, width: 8, height: 8, fill: k.color, stroke: k.border}),
  };
  for (const kind of ["organisation", "post", "collective", "measure"]) {
    const k = KIND[kind], item = el("li");
    item.appendChild(legendSwatch((svg, add) => SHAPES[k.shape](add, k)));
    item.appendChild(el("span", "", k.zh + " " + k.en));
    legend.appendChild(item);
  }
  for (const role of ROLES) {
    const s = ROLE[role], item = el("li");
    item.appendChild(legendSwatch((svg, add) => add("line", {
      x1: 1, y1: 7, x2: 27, y2: 7, stroke: s.color, "stroke-width": s.width, "stroke-dasharray": s.dashes ? s.dashes.join(" ") : "none",
    })));
    item.appendChild(el("span", "", roleName(role)));
    legend.appendChild(item);
  }
  const coItem = el("li");
  coItem.appendChild(legendSwatch((svg, add) => add("line", {x1: 1, y1: 7, x2: 27, y2: 7, stroke: CO_COLOR, "stroke-width": 3})));
  coItem.appendChild(el("span", "", "协同 shared measures (co-responsibility view; width = how many)"));
  legend.appendChild(coItem);

  $("kgraph-view-responsibility").setAttribute("aria-pressed", String(state.view === "responsibility"));
  $("kgraph-view-co-responsibility").setAttribute("aria-pressed", String(state.view === "co-responsibility"));
  updateCount();

  Object.assign(api, {
    network: network, nodes: nodes, edges: edges, coEdges: coEdges, views: views, data: D,
    setView: setView, select: select,
    view: () => state.view,
    shown: () => ({nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length}),
  });
  window.kgraph = api;
})();
