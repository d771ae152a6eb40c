// The graph explorer of coopgraph serve (/explore), on Cytoscape.js.
//
// Everything it draws by comes from the page's settings (#explorer-settings),
// which the server writes from its tables: the kinds with their shapes and
// colours and the relation types with theirs (the views' palette, as in the
// DOT, GraphML and Cytoscape exports), and the words of the interface in the
// page's language. Nodes are expanded a page at a time from
// /explore/neighbours/ID.json; filters, hub hiding and collapsing work on
// what is loaded.
"use strict";
(function () {
  const settings = JSON.parse(document.getElementById("explorer-settings").textContent);
  const W = settings.words;
  const kinds = new Map(settings.kinds.map((k) => [k.name, k])); // by the name /search.json gives too
  const relations = new Map(settings.relations.map((r) => [r.name, r]));
  const $ = (id) => document.getElementById(id);
  // Leaves a hub needs before they are collapsed into one node.
  const COLLAPSE_MIN = 5;

  const state = {
    start: null,
    next: new Map(), // node id -> the URL of its next page, or null when all are loaded
    leftOut: new Map(), // node id -> links not loaded yet
    expanded: new Set(),
    uncollapsed: new Set(),
    pending: 0,
    labelLang: $("label-lang").value,
    years: null, // [first, last] year of the loaded dates
  };

  const cy = cytoscape({
    container: $("cy"),
    elements: [],
    minZoom: 0.1,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        label: "data(label)", "background-color": "data(fill)", "border-color": "data(border)", "border-width": 1.5,
        shape: "data(shape)", width: "data(size)", height: "data(size)", "font-size": 9, "text-valign": "bottom",
        "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": 100, "min-zoomed-font-size": 6, "text-background-color": "#fafafa",
        "text-background-opacity": 0.7 } },
      { selector: "node.expanded", style: { "border-width": 3 } },
      { selector: "node.has-more", style: { "border-style": "dashed", "border-width": 3 } },
      { selector: "node.collapse-group", style: {
        "background-color": "#eeeeee", "border-color": "#7f7f7f", shape: "round-rectangle", width: 34, height: 22,
        "font-size": 10, "text-valign": "center", "text-margin-y": 0 } },
      { selector: "edge", style: {
        "line-color": "data(colour)", "target-arrow-color": "data(colour)", "target-arrow-shape": "triangle",
        "curve-style": "bezier", width: "data(width)", "line-style": "data(line_style)", "arrow-scale": 0.8 } },
      { selector: "edge.collapse-edge", style: { "line-color": "#bbbbbb", "target-arrow-shape": "none", "line-style": "dotted" } },
      { selector: "edge:selected", style: { label: "data(label)", "font-size": 9, width: 3 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#17324d" } },
      { selector: ".filtered", style: { display: "none" } },
    ],
    layout: { name: "preset" },
  });

  function status(text) {
    $("explorer-status").textContent = text;
  }
  function busy(delta) {
    state.pending += delta;
    $("explorer-status").dataset.state = state.pending > 0 ? "busy" : "idle";
  }

  function labelOf(labels, id) {
    const other = state.labelLang === "zh" ? "en" : "zh";
    return (labels && (labels[state.labelLang] || labels[other] || labels[""])) || id;
  }

  function nodeData(n) {
    const k = kinds.get(n.kind) || { fill: "#eeeeee", border: "#7f7f7f", shape: "ellipse", size: 26, name: "", yed_shape: "ellipse" };
    return {
      id: n.id, iri: n.iri, kind: n.kind, kind_name: k.name, labels: n.labels, label: labelOf(n.labels, n.id),
      degree: n.degree, degree_capped: n.degree_capped, page: n.page,
      fill: k.fill, border: k.border, shape: k.shape, yed_shape: k.yed_shape, size: k.size,
    };
  }

  function edgeData(e) {
    const r = relations.get(e.relation);
    return {
      id: e.id, source: e.source, target: e.target, relation: e.relation, statement: e.statement, role: e.role,
      dates: e.dates, earliest: e.earliest, latest: e.latest, documents: e.documents, citations: e.citations,
      label: state.labelLang === "zh" ? r.label_zh : r.label_en, label_en: r.label_en, label_zh: r.label_zh,
      colour: r.colour, line_style: r.line_style, width: r.width,
    };
  }

  function addNode(n, around) {
    const existing = cy.getElementById(n.id);
    if (existing.length) return existing;
    const at = around ? around.position() : { x: 0, y: 0 };
    const angle = Math.random() * 2 * Math.PI;
    return cy.add({ group: "nodes", data: nodeData(n), position: { x: at.x + 120 * Math.cos(angle), y: at.y + 120 * Math.sin(angle) } });
  }

  async function expand(id) {
    if (state.next.get(id) === null) return; // everything is loaded
    // A node's first page follows only the relation types ticked, so that a
    // hub's expansion brings what is asked for (its next pages keep them).
    let url = state.next.get(id);
    if (!url) {
      url = `${settings.neighbours}${encodeURIComponent(id)}.json?limit=${settings.limit}`;
      const ticked = checked("filter-relations");
      if (ticked.size > 0 && ticked.size < settings.relations.length) url += `&relation=${[...ticked].join(",")}`;
    }
    busy(1);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        status(`${W.error}: ${(await response.text()).trim()}`);
        return;
      }
      const answer = await response.json();
      cy.batch(() => {
        const centre = addNode(answer.focus, null);
        centre.data(nodeData(answer.focus));
        for (const n of answer.nodes) addNode(n, centre);
        for (const e of answer.edges) {
          if (!cy.getElementById(e.id).length) cy.add({ group: "edges", data: edgeData(e) });
        }
        state.expanded.add(id);
        state.next.set(id, answer.next);
        state.leftOut.set(id, answer.left_out);
        centre.addClass("expanded");
        centre.toggleClass("has-more", answer.left_out > 0);
      });
      refreshChoices();
      applyFilters();
      layout();
      describeNode(cy.getElementById(id));
    } catch (e) {
      status(`${W.error}: ${e}`);
    } finally {
      busy(-1);
      if (state.pending === 0 && !$("explorer-status").textContent.startsWith(W.error)) summary();
    }
  }

  function layout() {
    const shown = cy.elements().not(".filtered");
    if (shown.nodes().length === 0) return;
    shown.layout({
      name: "cose", animate: false, randomize: false, fit: true, padding: 30, numIter: 1500,
      nodeRepulsion: () => 400000, idealEdgeLength: () => 110, nodeOverlap: 20, gravity: 0.4, componentSpacing: 80,
    }).run();
  }

  function summary() {
    const nodes = cy.nodes().not(".collapse-group");
    const edges = cy.edges().not(".collapse-edge");
    const hidden = nodes.filter(".filtered").length;
    let text = `${W.loaded}: ${nodes.length} ${W.nodes}, ${edges.length} ${W.edges}`;
    if (hidden) text += `; ${hidden} ${W.hidden}`;
    let more = 0;
    for (const n of state.leftOut.values()) more += n;
    if (more) text += `; ${more} ${W.left_out}`;
    status(nodes.length ? text : W.empty);
  }

  // ---- filters ------------------------------------------------------------

  function checkbox(parent, value, text, colour) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = value;
    box.checked = true;
    box.addEventListener("change", applyFilters);
    label.append(box, " ");
    if (colour) {
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour;
      label.append(swatch);
    }
    label.append(text);
    parent.append(label);
  }

  const zh = settings.lang === "zh";
  for (const k of settings.kinds) checkbox($("filter-kinds"), k.name, zh ? k.label_zh : k.label_en, k.border);
  for (const r of settings.relations) checkbox($("filter-relations"), r.name, zh ? r.label_zh : r.label_en, r.colour);
  ["filter-source", "period-from", "period-to", "period-undated", "hub-max", "hub-collapse"].forEach((id) => {
    $(id).addEventListener("input", applyFilters);
    $(id).addEventListener("change", applyFilters);
  });

  const year = (date) => (date ? parseInt(String(date).slice(0, 4), 10) : null);

  // The source documents and years of what is loaded, offered by the filters.
  function refreshChoices() {
    const select = $("filter-source");
    const chosen = select.value;
    const documents = new Set();
    let first = null;
    let last = null;
    cy.edges().not(".collapse-edge").forEach((e) => {
      for (const d of e.data("documents") || []) documents.add(d);
      for (const y of [year(e.data("earliest")), year(e.data("latest"))]) {
        if (y === null || Number.isNaN(y)) continue;
        first = first === null ? y : Math.min(first, y);
        last = last === null ? y : Math.max(last, y);
      }
    });
    select.replaceChildren(new Option(W.all_documents, ""));
    for (const d of [...documents].sort()) select.append(new Option(d, d));
    select.value = documents.has(chosen) ? chosen : "";
    if (first !== null) {
      const [from, to] = [$("period-from"), $("period-to")];
      const widened = !state.years || first < state.years[0] || last > state.years[1];
      const wasFull = !state.years || (Number(from.value) <= state.years[0] && Number(to.value) >= state.years[1]);
      for (const input of [from, to]) {
        input.min = first;
        input.max = last;
      }
      if (widened && wasFull) {
        from.value = first;
        to.value = last;
      }
      state.years = [first, last];
    }
    $("period-from-out").textContent = state.years ? $("period-from").value : "";
    $("period-to-out").textContent = state.years ? $("period-to").value : "";
  }

  function checked(fieldset) {
    return new Set([...$(fieldset).querySelectorAll("input:checked")].map((b) => b.value));
  }

  function applyFilters() {
    const shownKinds = checked("filter-kinds");
    const shownRelations = checked("filter-relations");
    const source = $("filter-source").value;
    const from = state.years ? Number($("period-from").value) : null;
    const to = state.years ? Number($("period-to").value) : null;
    const undated = $("period-undated").checked;
    const hubMax = parseInt($("hub-max").value, 10);
    $("period-from-out").textContent = state.years ? String(from) : "";
    $("period-to-out").textContent = state.years ? String(to) : "";
    cy.batch(() => {
      cy.remove(".collapse-group");
      cy.elements().removeClass("filtered");
      cy.edges().forEach((e) => {
        let keep = shownRelations.has(e.data("relation"));
        if (keep && source) keep = (e.data("documents") || []).includes(source);
        if (keep && from !== null) {
          const [a, b] = [year(e.data("earliest")), year(e.data("latest"))];
          if (a === null && b === null) keep = undated;
          else keep = (b === null || b >= from) && (a === null || a <= to);
        }
        if (!keep) e.addClass("filtered");
      });
      cy.nodes().forEach((n) => {
        const hub = Number.isFinite(hubMax) && n.data("degree") > hubMax && n.id() !== state.start;
        if (!shownKinds.has(n.data("kind")) || hub) n.addClass("filtered");
      });
      cy.nodes(".filtered").connectedEdges().addClass("filtered");
      // A node none of whose relations is shown goes too (except those expanded).
      cy.nodes().not(".filtered").forEach((n) => {
        if (!state.expanded.has(n.id()) && n.connectedEdges().not(".filtered").length === 0) n.addClass("filtered");
      });
      if ($("hub-collapse").checked) collapseLeaves();
    });
    summary();
  }

  // Each shown node with many shown leaves (nodes whose only shown relation
  // is with it, and not expanded) gets them folded into one node.
  function collapseLeaves() {
    cy.nodes().not(".filtered").forEach((hub) => {
      if (state.uncollapsed.has(hub.id()) || hub.hasClass("filtered")) return;
      const leaves = hub.neighborhood("node").not(".filtered").filter((leaf) =>
        !state.expanded.has(leaf.id()) && leaf.connectedEdges().not(".filtered").length === 1);
      if (leaves.length < COLLAPSE_MIN) return;
      leaves.addClass("filtered");
      leaves.connectedEdges().addClass("filtered");
      const group = `collapsed:${hub.id()}`;
      cy.add({ group: "nodes", data: { id: group, hub: hub.id(), label: `+${leaves.length}`, count: leaves.length }, classes: "collapse-group", position: hub.position() });
      cy.add({ group: "edges", data: { id: `${group}:edge`, source: hub.id(), target: group }, classes: "collapse-edge" });
    });
  }

  // ---- what is selected ---------------------------------------------------

  function element(tag, text, attributes) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    for (const [k, v] of Object.entries(attributes || {})) e.setAttribute(k, v);
    return e;
  }

  function describeNode(n) {
    const info = $("explorer-info");
    if (!n || !n.length) return;
    info.replaceChildren();
    if (n.hasClass("collapse-group")) {
      info.append(element("p", `${n.data("count")} ${W.collapsed}`));
      return;
    }
    const labels = n.data("labels") || {};
    const k = kinds.get(n.data("kind"));
    info.append(element("h2", labelOf(labels, n.id())));
    const other = labels[state.labelLang === "zh" ? "en" : "zh"];
    if (other) info.append(element("p", other, { lang: state.labelLang === "zh" ? "en" : "zh" }));
    const p = element("p");
    if (k) p.append(element("span", zh ? k.label_zh : k.label_en, { class: "kind", style: `background:${k.border}` }), " ");
    p.append(`${W.degree}: ${n.data("degree")}${n.data("degree_capped") ? "+" : ""}`);
    info.append(p);
    const left = state.leftOut.get(n.id());
    if (left) info.append(element("p", `${left} ${W.left_out}`));
    info.append(element("p").appendChild(element("a", W.open_page, { href: n.data("page") })).parentNode);
  }

  function describeEdge(e) {
    const info = $("explorer-info");
    info.replaceChildren();
    if (e.hasClass("collapse-edge")) return;
    const ends = [e.source(), e.target()].map((n) => labelOf(n.data("labels"), n.id()));
    info.append(element("h2", `${ends[0]} → ${e.data(state.labelLang === "zh" ? "label_zh" : "label_en")} → ${ends[1]}`));
    const dl = element("dl");
    const row = (name, value) => {
      if (!value) return;
      dl.append(element("dt", name));
      const dd = element("dd");
      dd.append(value);
      dl.append(dd);
    };
    row(W.role, e.data("role"));
    row(W.dates, Object.entries(e.data("dates") || {}).map(([k, v]) => `${k} ${v}`).join(", "));
    if (e.data("statement")) row(W.statement, element("span", e.data("statement"), { class: "iri" }));
    const cites = element("span");
    for (const c of e.data("citations") || []) {
      const text = `${c.source}${c.paragraph !== null && c.paragraph !== undefined ? ` ¶${c.paragraph}` : ""}${c.lang ? ` (${c.lang})` : ""}`;
      cites.append(element("a", text, { href: c.href }), " ");
    }
    if (cites.childNodes.length) row(W.sources, cites);
    info.append(dl);
  }

  cy.on("tap", "node", (event) => {
    const n = event.target;
    if (n.hasClass("collapse-group")) {
      state.uncollapsed.add(n.data("hub"));
      applyFilters();
      layout();
      return;
    }
    describeNode(n);
    expand(n.id());
  });
  cy.on("tap", "edge", (event) => describeEdge(event.target));

  // ---- labels -------------------------------------------------------------

  $("label-lang").addEventListener("change", () => {
    state.labelLang = $("label-lang").value;
    cy.batch(() => {
      cy.nodes().not(".collapse-group").forEach((n) => n.data("label", labelOf(n.data("labels"), n.id())));
      cy.edges().not(".collapse-edge").forEach((e) => e.data("label", e.data(state.labelLang === "zh" ? "label_zh" : "label_en")));
    });
    document.documentElement.dataset.labels = state.labelLang;
  });

  // ---- export -------------------------------------------------------------

  function download(blob, name) {
    const a = element("a", null, { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
  }

  const fileName = (extension) => `coopgraph-${state.start || "explorer"}.${extension}`;

  $("export-png").addEventListener("click", () => {
    download(cy.png({ output: "blob", full: true, bg: "#ffffff", scale: 2 }), fileName("png"));
  });
  $("export-svg").addEventListener("click", () => {
    download(new Blob([svgOfView()], { type: "image/svg+xml;charset=utf-8" }), fileName("svg"));
  });

  const xml = (text) => String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c])
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

  // ---- SVG of the view --------------------------------------------------------
  //
  // Our own writer (not a library): the shown nodes and edges, in model
  // coordinates within the bounding box of what is shown, drawn from each
  // element's computed style (what Cytoscape draws on screen), in id order
  // so that the same view gives the same bytes.

  // A number as SVG writes it: at most two decimals, no "-0".
  const num = (x) => {
    const r = Math.round(x * 100) / 100;
    return String(r === 0 ? 0 : r);
  };
  // Cytoscape's computed colours ("rgb(r,g,b)") as #rrggbb.
  const hex = (colour) => {
    const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(String(colour));
    return m ? `#${[m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, "0")).join("")}` : String(colour);
  };
  const px = (value) => parseFloat(value) || 0;
  const dashes = (style, width) => (style === "dashed" ? ` stroke-dasharray="${num(3 * width)} ${num(2 * width)}"`
    : style === "dotted" ? ` stroke-dasharray="${num(width)} ${num(width)}"` : "");
  // Cytoscape's polygon shapes, as points in [-1, 1]².
  const POLYGONS = {
    diamond: [0, -1, 1, 0, 0, 1, -1, 0],
    hexagon: [-1, 0, -0.5, -1, 0.5, -1, 1, 0, 0.5, 1, -0.5, 1],
    octagon: [-1, -0.414, -0.414, -1, 0.414, -1, 1, -0.414, 1, 0.414, 0.414, 1, -0.414, 1, -1, 0.414],
    tag: [-1, -1, 0.25, -1, 1, 0, 0.25, 1, -1, 1],
    triangle: [0, -1, 1, 1, -1, 1],
    pentagon: [0, -1, 0.951, -0.309, 0.588, 0.809, -0.588, 0.809, -0.951, -0.309],
  };

  // The one shape of a node, filled and outlined as on screen.
  function nodeShape(n) {
    const { x, y } = n.position();
    const w = px(n.style("width"));
    const h = px(n.style("height"));
    const bw = px(n.style("border-width"));
    const paint = `fill="${hex(n.style("background-color"))}" stroke="${hex(n.style("border-color"))}" stroke-width="${num(bw)}"${dashes(n.style("border-style"), bw)}`;
    const shape = n.style("shape");
    if (shape === "ellipse") return `<ellipse cx="${num(x)}" cy="${num(y)}" rx="${num(w / 2)}" ry="${num(h / 2)}" ${paint}/>`;
    if (POLYGONS[shape]) {
      const p = POLYGONS[shape];
      const points = [];
      for (let i = 0; i < p.length; i += 2) points.push(`${num(x + (p[i] * w) / 2)},${num(y + (p[i + 1] * h) / 2)}`);
      return `<polygon points="${points.join(" ")}" ${paint}/>`;
    }
    const round = shape.startsWith("round") ? ` rx="${num(Math.min(w, h) / 4)}"` : "";
    return `<rect x="${num(x - w / 2)}" y="${num(y - h / 2)}" width="${num(w)}" height="${num(h)}"${round} ${paint}/>`;
  }

  // The lines of a label that wraps (text-wrap: wrap), broken at spaces
  // where it would pass text-max-width, measured in its font as Cytoscape
  // measures it; one line otherwise.
  const measure = document.createElement("canvas").getContext("2d");
  function lines(e, text, size) {
    if (e.style("text-wrap") !== "wrap") return [text];
    const max = px(e.style("text-max-width"));
    measure.font = `${e.style("font-style")} ${e.style("font-weight")} ${size}px ${e.style("font-family")}`;
    const out = [];
    let line = "";
    for (const word of text.split(" ")) {
      const longer = line ? `${line} ${word}` : word;
      if (line && measure.measureText(longer).width > max) {
        out.push(line);
        line = word;
      } else line = longer;
    }
    out.push(line);
    return out;
  }

  // A label as <text> (a <tspan> a line when it wraps), or nothing when none is shown.
  function labelText(e, x, y) {
    const text = e.style("label");
    if (!text) return "";
    const size = px(e.style("font-size"));
    const split = e.isNode() ? lines(e, String(text), size) : [String(text)];
    const step = size * (parseFloat(e.style("line-height")) || 1);
    const body = split.length === 1 ? xml(split[0])
      : split.map((l, i) => `<tspan x="${num(x)}" dy="${i === 0 ? 0 : num(step)}">${xml(l)}</tspan>`).join("");
    return `<text x="${num(x)}" y="${num(y)}" font-size="${num(size)}" fill="${hex(e.style("color"))}" text-anchor="middle">${body}</text>`;
  }

  function nodeLabel(n) {
    const { x, y } = n.position();
    const h = px(n.style("height"));
    const size = px(n.style("font-size"));
    const margin = px(n.style("text-margin-y"));
    const valign = n.style("text-valign");
    const baseline = valign === "bottom" ? y + h / 2 + margin + size : valign === "top" ? y - h / 2 + margin - size / 3 : y + margin + size / 3;
    return labelText(n, x, baseline);
  }

  // An edge's line (straight, or the quadratic curve of its control point)
  // and, when its style has one, the arrow at its target, the line ending
  // at the arrow's base as on screen.
  function edgeDrawing(e) {
    const s = e.sourceEndpoint();
    const t = e.targetEndpoint();
    const controls = e.isLoop() ? [] : (e.controlPoints() || []);
    const w = px(e.style("width"));
    const from = controls.length ? controls[controls.length - 1] : s;
    const angle = Math.atan2(t.y - from.y, t.x - from.x);
    const arrow = e.style("target-arrow-shape") !== "none";
    // Cytoscape's arrow size for the line's width and arrow-scale.
    const size = arrow ? 0.3 * Math.max(Math.pow(w * 13.37, 0.9), 29) * px(e.style("arrow-scale")) : 0;
    const end = { x: t.x - 0.8 * size * Math.cos(angle), y: t.y - 0.8 * size * Math.sin(angle) };
    let d = `M ${num(s.x)} ${num(s.y)}`;
    if (controls.length === 1) d += ` Q ${num(controls[0].x)} ${num(controls[0].y)} ${num(end.x)} ${num(end.y)}`;
    else d += `${controls.map((c) => ` L ${num(c.x)} ${num(c.y)}`).join("")} L ${num(end.x)} ${num(end.y)}`;
    const colour = hex(e.style("line-color"));
    const out = [`<path d="${d}" fill="none" stroke="${colour}" stroke-width="${num(w)}"${dashes(e.style("line-style"), w)}/>`];
    if (arrow) {
      const point = (along, across) => `${num(t.x + along * Math.cos(angle) - across * Math.sin(angle))},${num(t.y + along * Math.sin(angle) + across * Math.cos(angle))}`;
      out.push(`<polygon points="${point(0, 0)} ${point(-size, size / 2)} ${point(-size, -size / 2)}" fill="${hex(e.style("target-arrow-color"))}"/>`);
    }
    const mid = e.midpoint();
    const label = labelText(e, mid.x, mid.y);
    if (label) out.push(label);
    return out.join("");
  }

  const byId = (a, b) => (a.id() < b.id() ? -1 : a.id() > b.id() ? 1 : 0);
  const classOf = (text) => String(text).replace(/[^A-Za-z0-9_-]/g, "_");

  // The view as a standalone SVG 1.1 document (UTF-8): edges under nodes,
  // each a <g> with a <title> (the statement's or entity's IRI).
  function svgOfView() {
    const shown = cy.elements(":visible");
    const box = shown.boundingBox();
    const pad = 10;
    const [x0, y0] = [box.x1 - pad, box.y1 - pad];
    const [w, h] = [Math.max(box.w, 1) + 2 * pad, Math.max(box.h, 1) + 2 * pad];
    const out = ['<?xml version="1.0" encoding="UTF-8"?>',
      `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${num(w)}" height="${num(h)}" viewBox="${num(x0)} ${num(y0)} ${num(w)} ${num(h)}" font-family="sans-serif">`,
      `<rect x="${num(x0)}" y="${num(y0)}" width="${num(w)}" height="${num(h)}" fill="#ffffff"/>`, '<g class="edges">'];
    shown.edges().sort(byId).forEach((e) => {
      const kind = e.hasClass("collapse-edge") ? "collapsed" : classOf(e.data("relation"));
      const title = e.data("statement") || `${e.source().data("iri") || e.source().id()} → ${e.target().data("iri") || e.target().id()}`;
      out.push(`<g class="edge relation-${kind}"><title>${xml(title)}</title>${edgeDrawing(e)}</g>`);
    });
    out.push("</g>", '<g class="nodes">');
    shown.nodes().sort(byId).forEach((n) => {
      const kind = n.hasClass("collapse-group") ? "collapsed" : classOf(n.data("kind"));
      out.push(`<g class="node kind-${kind}"><title>${xml(n.data("iri") || n.data("label"))}</title>${nodeShape(n)}${nodeLabel(n)}</g>`);
    });
    out.push("</g>", "</svg>", "");
    return out.join("\n");
  }
  const rgb = (colour) => [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));

  // The selection (selected nodes, with the shown edges among them and the
  // selected edges with their ends), or everything shown when nothing is
  // selected, as GraphML with the keys of `coopgraph export --format graphml`:
  // yEd's graphics, Gephi's r/g/b/size/x/y, and the data with IRIs and citations.
  function graphml() {
    const shown = cy.elements().not(".filtered").not(".collapse-group").not(".collapse-edge");
    const selected = shown.filter(":selected");
    let nodes;
    let edges;
    if (selected.length === 0) {
      nodes = shown.nodes();
      edges = shown.edges();
    } else {
      nodes = selected.nodes().union(selected.edges().connectedNodes());
      edges = selected.edges().union(nodes.edgesWith(nodes).intersection(shown));
    }
    const nodeKeys = ["kind", "label", "label_en", "label_zh", "iri", "colour", "border", "shape"];
    const edgeKeys = ["relation", "label", "label_zh", "role", "date", "start", "end", "as_of", "iri", "citations", "citation_iris", "colour", "line_style"];
    const out = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:y="http://www.yworks.com/xml/graphml" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">'];
    for (const k of nodeKeys) out.push(`  <key id="n_${k}" for="node" attr.name="${k}" attr.type="string"/>`);
    for (const [k, t] of [["r", "int"], ["g", "int"], ["b", "int"], ["size", "double"], ["x", "double"], ["y", "double"]]) {
      out.push(`  <key id="n_${k}" for="node" attr.name="${k}" attr.type="${t}"/>`);
    }
    out.push('  <key id="n_graphics" for="node" yfiles.type="nodegraphics"/>');
    for (const k of edgeKeys) out.push(`  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="string"/>`);
    for (const k of ["r", "g", "b"]) out.push(`  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="int"/>`);
    out.push('  <key id="e_graphics" for="edge" yfiles.type="edgegraphics"/>');
    out.push('  <graph id="coopgraph" edgedefault="directed">');
    const data = (prefix, key, value) => (value === undefined || value === null || value === "" ? null : `      <data key="${prefix}_${key}">${xml(value)}</data>`);
    nodes.forEach((n) => {
      const d = n.data();
      const labels = d.labels || {};
      const { x, y } = n.position();
      const [r, g, b] = rgb(d.fill);
      out.push(`    <node id="${xml(d.id)}">`);
      const values = { kind: d.kind_name, label: labels.en || labelOf(labels, d.id), label_en: labels.en, label_zh: labels.zh, iri: d.iri, colour: d.fill, border: d.border, shape: d.shape };
      for (const k of nodeKeys) { const line = data("n", k, values[k]); if (line) out.push(line); }
      out.push(`      <data key="n_r">${r}</data><data key="n_g">${g}</data><data key="n_b">${b}</data><data key="n_size">${d.size}</data><data key="n_x">${x.toFixed(1)}</data><data key="n_y">${y.toFixed(1)}</data>`);
      out.push(`      <data key="n_graphics"><y:ShapeNode><y:Geometry x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${d.size}" height="${d.size}"/><y:Fill color="${d.fill}" transparent="false"/><y:BorderStyle color="${d.border}" type="line" width="1.0"/><y:NodeLabel modelName="sides" modelPosition="s">${xml(values.label)}</y:NodeLabel><y:Shape type="${d.yed_shape}"/></y:ShapeNode></data>`);
      out.push("    </node>");
    });
    let i = 0;
    edges.forEach((e) => {
      const d = e.data();
      const dates = d.dates || {};
      const cites = d.citations || [];
      const values = {
        relation: d.relation, label: d.label_en, label_zh: d.label_zh, role: d.role, date: dates.date, start: dates.start,
        end: dates.end, as_of: dates.asOf, iri: d.statement,
        citations: cites.map((c) => `${c.source}${c.paragraph !== null && c.paragraph !== undefined ? `#${c.paragraph}` : ""}${c.lang ? `@${c.lang}` : ""}`).join(" "),
        citation_iris: cites.map((c) => c.iri).join(" "), colour: d.colour, line_style: d.line_style,
      };
      const [r, g, b] = rgb(d.colour);
      out.push(`    <edge id="e${i}" source="${xml(d.source)}" target="${xml(d.target)}">`);
      for (const k of edgeKeys) { const line = data("e", k, values[k]); if (line) out.push(line); }
      out.push(`      <data key="e_r">${r}</data><data key="e_g">${g}</data><data key="e_b">${b}</data>`);
      const yedLine = d.line_style === "dashed" ? "dashed" : "line";
      out.push(`      <data key="e_graphics"><y:PolyLineEdge><y:LineStyle color="${d.colour}" type="${yedLine}" width="${d.width}"/><y:Arrows source="none" target="standard"/></y:PolyLineEdge></data>`);
      out.push("    </edge>");
      i += 1;
    });
    out.push("  </graph>", "</graphml>", "");
    return out.join("\n");
  }

  $("export-graphml").addEventListener("click", () => {
    download(new Blob([graphml()], { type: "application/graphml+xml" }), fileName("graphml"));
  });

  // ---- search and start -----------------------------------------------------

  function start(id) {
    cy.elements().remove();
    state.next.clear();
    state.leftOut.clear();
    state.expanded.clear();
    state.uncollapsed.clear();
    state.years = null;
    state.start = id;
    const url = new URL(window.location.href);
    url.searchParams.set("focus", id);
    window.history.replaceState(null, "", url);
    expand(id);
  }

  let searchTimer = null;
  let searchSerial = 0;
  $("explorer-q").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 200);
  });
  $("explorer-search").addEventListener("submit", (event) => {
    event.preventDefault();
    const first = $("explorer-hits").querySelector("li[data-id]");
    if (first) first.click();
  });

  async function search() {
    const text = $("explorer-q").value.trim();
    const list = $("explorer-hits");
    const serial = ++searchSerial;
    if (!text) {
      list.replaceChildren();
      return;
    }
    busy(1);
    try {
      const response = await fetch(`${settings.search}?q=${encodeURIComponent(text)}&limit=8&lang=${settings.lang}`);
      const answer = response.ok ? await response.json() : { results: [] };
      if (serial !== searchSerial) return;
      list.replaceChildren();
      for (const hit of answer.results) {
        const item = element("li", null, { "data-id": hit.id, role: "option", tabindex: "0" });
        const k = kinds.get(hit.kind);
        if (k) item.append(element("span", "", { class: "swatch", style: `background:${k.border}` }));
        item.append(hit.label);
        if (hit.other_label) item.append(" ", element("span", hit.other_label, { class: "muted" }));
        const pick = () => {
          list.replaceChildren();
          $("explorer-q").value = hit.label;
          start(hit.id);
        };
        item.addEventListener("click", pick);
        item.addEventListener("keydown", (event) => { if (event.key === "Enter") pick(); });
        list.append(item);
      }
      if (!answer.results.length) list.append(element("li", W.no_match, { class: "muted" }));
    } finally {
      busy(-1);
    }
  }

  window.coopgraphExplorer = { cy, expand, start, graphml, svgOfView };
  busy(0);
  if (settings.focus) start(settings.focus);
  else status(W.empty);
})();
