// The graph explorer of `coopgraph serve` (/explore) in a real browser:
// Playwright (playwright-core, from npm) drives Debian's Chromium.
//
//   node explorer.js URL SHOTS_DIR EXPECTED_JSON
//
// EXPECTED_JSON names what the caller read from the server's own JSON
// (/explore/neighbours/ID.json), which the drawing must agree with:
//   {"start": "china", "start_label": "China", "start_label_zh": "中国", "neighbours": N}
// Starts from the entity picked in the search box, expands a neighbour by
// clicking it on the canvas, applies filters (relation type, kind, period,
// hubs), switches the labels to Chinese and the page to the Chinese
// interface, and downloads PNG, SVG (in English and in Chinese) and GraphML
// into SHOTS_DIR/downloads, with svg-views.json naming what each SVG must
// draw (the caller parses them). Prints one line per check ("ok ..." or
// "FAIL ..."); exits 1 on a failure.
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const path = require("path");

const [url, shots, expectedJson] = process.argv.slice(2);
const expected = JSON.parse(expectedJson);
let failed = 0;
const ok = (m) => console.log(`ok ${m}`);
const fail = (m) => { failed += 1; console.log(`FAIL ${m}`); };
const check = (cond, m) => (cond ? ok(m) : fail(m));

// Waits until the explorer has no request under way.
async function idle(page) {
  await page.waitForFunction(() => document.getElementById("explorer-status").dataset.state === "idle", null, { timeout: 30000 });
}

// What the drawing holds: shown nodes and edges, by id.
async function shown(page) {
  return page.evaluate(() => {
    const cy = window.coopgraphExplorer.cy;
    const visible = cy.elements().not(".filtered");
    return {
      nodes: visible.nodes().not(".collapse-group").map((n) => ({ id: n.id(), kind: n.data("kind"), degree: n.data("degree"), label: n.data("label") })),
      edges: visible.edges().not(".collapse-edge").map((e) => ({ id: e.id(), relation: e.data("relation"), earliest: e.data("earliest"), latest: e.data("latest") })),
      groups: cy.nodes(".collapse-group").length,
      loaded: cy.nodes().not(".collapse-group").length,
    };
  });
}

// What an SVG of the view must draw (the caller compares): each visible
// node with its kind, IRI and label shown, and the number of visible edges.
async function visibleForSvg(page) {
  return page.evaluate(() => {
    const shown = window.coopgraphExplorer.cy.elements(":visible");
    return {
      nodes: shown.nodes().map((n) => ({ id: n.id(), kind: n.data("kind") || null, iri: n.data("iri") || null, label: n.style("label") })),
      edges: shown.edges().length,
    };
  });
}

async function save(page, button, name) {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30000 }), page.click(button)]);
  const target = path.join(shots, "downloads", name);
  await download.saveAs(target);
  return fs.statSync(target).size;
}

(async () => {
  fs.mkdirSync(path.join(shots, "downloads"), { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update"],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true, locale: "en-GB" });
  const foreign = [];
  const origin = new URL(url).origin;
  await context.route("**/*", (route) => {
    const target = route.request().url();
    if (new URL(target).origin !== origin && !target.startsWith("data:") && !target.startsWith("blob:")) {
      foreign.push(target);
      return route.abort();
    }
    return route.continue();
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    // Start: type a name, pick it from the search index's answers.
    await page.goto(new URL("explore", url).href);
    await page.waitForFunction(() => window.coopgraphExplorer !== undefined, null, { timeout: 30000 });
    await page.fill("#explorer-q", expected.start_label);
    const hit = `#explorer-hits li[data-id="${expected.start}"]`;
    await page.waitForSelector(hit, { timeout: 30000 });
    ok(`the search box offers ${expected.start} for "${expected.start_label}"`);
    await page.click(hit);
    await page.waitForFunction((id) => window.coopgraphExplorer.cy.getElementById(id).hasClass("expanded"), expected.start, { timeout: 30000 });
    await idle(page);
    let drawn = await shown(page);
    check(drawn.loaded === expected.neighbours + 1,
      `starting from ${expected.start} loads it and its ${drawn.loaded - 1} neighbours (the JSON has ${expected.neighbours})`);
    check(new URL(page.url()).searchParams.get("focus") === expected.start, `the address keeps the focus: ${page.url()}`);

    // Expand a neighbour by clicking it on the canvas.
    const target = await page.evaluate((start) => {
      const cy = window.coopgraphExplorer.cy;
      const n = cy.nodes().not(".filtered").filter((x) => x.id() !== start && x.data("degree") > 1 && x.data("degree") < 40)
        .sort((a, b) => b.data("degree") - a.data("degree"))[0];
      cy.center(n);
      const p = n.renderedPosition();
      const box = cy.container().getBoundingClientRect();
      return { id: n.id(), x: box.left + p.x, y: box.top + p.y };
    }, expected.start);
    const before = drawn.loaded;
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction((id) => window.coopgraphExplorer.cy.getElementById(id).hasClass("expanded"), target.id, { timeout: 30000 });
    await idle(page);
    drawn = await shown(page);
    check(drawn.loaded > before, `clicking ${target.id} expands it: ${before} → ${drawn.loaded} nodes`);
    const info = await page.$eval("#explorer-info", (e) => e.textContent);
    check(info.length > 0, `the panel describes ${target.id}: ${info.slice(0, 80)}`);
    await page.screenshot({ path: path.join(shots, "explorer-expanded.png") });

    // Filter: a relation type off.
    const relation = drawn.edges[0].relation;
    const ofRelation = drawn.edges.filter((e) => e.relation === relation).length;
    await page.uncheck(`#filter-relations input[value="${relation}"]`);
    let after = await shown(page);
    check(after.edges.every((e) => e.relation !== relation) && after.edges.length === drawn.edges.length - ofRelation,
      `unticking ${relation} hides its ${ofRelation} edges: ${drawn.edges.length} → ${after.edges.length}`);
    await page.check(`#filter-relations input[value="${relation}"]`);
    after = await shown(page);
    check(after.edges.length === drawn.edges.length, "ticking it again shows them again");

    // Expanding with a relation type unticked brings only the others.
    const leaf = await page.evaluate(([start, relation]) => {
      const cy = window.coopgraphExplorer.cy;
      const n = cy.nodes().filter((x) => x.id() !== start && !x.hasClass("expanded") && x.data("degree") > 2)[0];
      return n ? n.id() : null;
    }, [expected.start, relation]);
    if (leaf) {
      await page.uncheck(`#filter-relations input[value="${relation}"]`);
      const [request] = await Promise.all([
        page.waitForRequest((r) => r.url().includes(`/explore/neighbours/${leaf}.json`), { timeout: 30000 }),
        page.evaluate((id) => window.coopgraphExplorer.expand(id), leaf),
      ]);
      const asked = new URL(request.url()).searchParams.get("relation") || "";
      check(asked.length > 0 && !asked.split(",").includes(relation),
        `expanding ${leaf} with ${relation} unticked asks for relation=${asked.split(",").length} other types`);
      await idle(page);
      await page.check(`#filter-relations input[value="${relation}"]`);
      drawn = await shown(page);
    }

    // Filter: a kind off.
    const kind = drawn.nodes.find((n) => n.id !== expected.start && n.kind).kind;
    await page.uncheck(`#filter-kinds input[value="${kind}"]`);
    after = await shown(page);
    check(after.nodes.every((n) => n.kind !== kind), `unticking ${kind} hides every ${kind} (${drawn.nodes.length} → ${after.nodes.length} nodes)`);
    await page.check(`#filter-kinds input[value="${kind}"]`);

    // Filter: the period, with the time slider.
    const range = await page.evaluate(() => [Number(document.getElementById("period-from").min), Number(document.getElementById("period-from").max)]);
    check(range[0] > 1900 && range[1] >= range[0], `the time slider spans the loaded dates: ${range[0]}–${range[1]}`);
    const middle = Math.round((range[0] + range[1]) / 2);
    await page.$eval("#period-from", (e, v) => { e.value = String(v); e.dispatchEvent(new Event("input", { bubbles: true })); }, middle);
    await page.uncheck("#period-undated");
    after = await shown(page);
    const outside = after.edges.filter((e) => !e.latest || Number(e.latest.slice(0, 4)) < middle);
    check(after.edges.length > 0 && after.edges.length < drawn.edges.length && outside.length === 0,
      `from ${middle}, undated off: ${after.edges.length} of ${drawn.edges.length} edges shown, each lasting until ${middle} or later`);
    await page.screenshot({ path: path.join(shots, "explorer-period.png") });
    await page.$eval("#period-from", (e) => { e.value = e.min; e.dispatchEvent(new Event("input", { bubbles: true })); });
    await page.check("#period-undated");

    // Hubs: hidden above a degree, or their leaves collapsed.
    // (The entity started from stays.) The threshold: just under the largest other degree.
    const largest = Math.max(...drawn.nodes.filter((n) => n.id !== expected.start).map((n) => n.degree));
    const threshold = Math.max(1, largest - 1);
    await page.fill("#hub-max", String(threshold));
    after = await shown(page);
    check(after.nodes.every((n) => n.degree <= threshold || n.id === expected.start) && after.nodes.length < drawn.nodes.length,
      `hiding nodes with more than ${threshold} relations: ${drawn.nodes.length} → ${after.nodes.length} nodes`);
    await page.fill("#hub-max", "");
    await page.check("#hub-collapse");
    after = await shown(page);
    check(after.groups > 0 && after.nodes.length < drawn.nodes.length,
      `collapsing the leaves of hubs: ${after.groups} groups, ${drawn.nodes.length} → ${after.nodes.length} nodes`);
    await page.uncheck("#hub-collapse");
    after = await shown(page);
    check(after.nodes.length === drawn.nodes.length && after.groups === 0, "unticking shows the leaves again");

    // Exports: PNG and SVG of the view, GraphML of the selection.
    const png = await save(page, "#export-png", "explorer.png");
    check(png > 1000, `PNG downloaded: ${png} bytes`);
    const svg = await save(page, "#export-svg", "explorer.svg");
    check(svg > 1000, `SVG downloaded: ${svg} bytes`);
    const views = { en: await visibleForSvg(page) };
    check(await page.evaluate(() => window.coopgraphExplorer.svgOfView() === window.coopgraphExplorer.svgOfView()),
      "the same view gives the same SVG bytes");
    const selected = await page.evaluate((start) => {
      const cy = window.coopgraphExplorer.cy;
      cy.elements().unselect();
      const centre = cy.getElementById(start);
      const picked = centre.union(centre.neighborhood("node").not(".filtered").slice(0, 5));
      picked.select();
      return { nodes: picked.map((n) => n.id()), edges: picked.edgesWith(picked).not(".filtered").length };
    }, expected.start);
    const graphml = await save(page, "#export-graphml", "selection.graphml");
    check(graphml > 500, `GraphML of ${selected.nodes.length} selected nodes downloaded: ${graphml} bytes`);
    fs.writeFileSync(path.join(shots, "downloads", "selection.json"), JSON.stringify(selected));
    await page.evaluate(() => window.coopgraphExplorer.cy.elements().unselect());

    // Labels in Chinese.
    await page.selectOption("#label-lang", "zh");
    const zhLabel = await page.evaluate((id) => window.coopgraphExplorer.cy.getElementById(id).data("label"), expected.start);
    check(zhLabel === expected.start_label_zh, `the labels switch to Chinese: ${expected.start} is ${zhLabel}`);
    const svgZh = await save(page, "#export-svg", "explorer-zh.svg");
    check(svgZh > 1000, `SVG with Chinese labels downloaded: ${svgZh} bytes`);
    views.zh = await visibleForSvg(page);
    fs.writeFileSync(path.join(shots, "downloads", "svg-views.json"), JSON.stringify(views));
    await page.screenshot({ path: path.join(shots, "explorer-labels-zh.png") });

    // The Chinese interface, opened on the entity from its page.
    await page.goto(new URL(`page/${expected.start}?lang=zh`, url).href);
    await page.click(`a[href="/explore?focus=${expected.start}"]`);
    await page.waitForFunction((id) => window.coopgraphExplorer && window.coopgraphExplorer.cy.getElementById(id).hasClass("expanded"), expected.start, { timeout: 30000 });
    await idle(page);
    const heading = await page.$eval("h1", (h) => h.textContent);
    const legend = await page.$eval("#filter-relations legend", (h) => h.textContent);
    const zhShown = await page.evaluate((id) => window.coopgraphExplorer.cy.getElementById(id).data("label"), expected.start);
    check(heading === "关系图浏览" && legend === "关系类型" && zhShown === expected.start_label_zh,
      `the entity page's link opens the explorer in Chinese: "${heading}", "${legend}", ${zhShown}`);
    await page.screenshot({ path: path.join(shots, "explorer-zh.png") });
  } catch (e) {
    fail(`${e}`);
    await page.screenshot({ path: path.join(shots, "explorer-failure.png"), fullPage: true }).catch(() => {});
  }
  foreign.length ? fail(`requests to other origins: ${foreign.join(" ")}`) : ok("every request went to the server itself");
  errors.length ? fail(`script errors: ${errors.join(" | ")}`) : ok("no script errors");
  await browser.close();
  process.exit(failed ? 1 : 0);
})();
