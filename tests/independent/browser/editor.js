// The query editor of `coopgraph serve` (/sparql) in a real browser:
// Playwright (playwright-core, from npm) drives Debian's Chromium.
//
//   node editor.js URL SHOTS_DIR EXPECTED_JSON
//
// EXPECTED_JSON names the row counts the checks expect, which the caller
// computed with `coopgraph query run` / `coopgraph sparql`:
//   {"picked": N, "typed": M, "typed_query": "SELECT ..."}
// Prints one line per check ("ok ..." or "FAIL ..."); exits 1 on a failure.
"use strict";
const { chromium } = require("playwright-core");
const path = require("path");

const [url, shots, expectedJson] = process.argv.slice(2);
const expected = JSON.parse(expectedJson);
let failed = 0;
const ok = (m) => console.log(`ok ${m}`);
const fail = (m) => { failed += 1; console.log(`FAIL ${m}`); };

// The rows YASR's table shows (its page holds them all at these sizes).
async function tableRows(page) {
  await page.waitForSelector(".yasr .yasr_results table tbody tr", { timeout: 30000 });
  return page.$$eval(".yasr .yasr_results table tbody tr", (rows) => rows.filter((r) => !r.querySelector(".dt-empty, .dataTables_empty")).length);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
  // Same origin only: any request elsewhere is a failure (and is refused).
  const foreign = [];
  const origin = new URL(url).origin;
  await context.route("**/*", (route) => {
    const target = route.request().url();
    if (new URL(target).origin !== origin && !target.startsWith("data:")) {
      foreign.push(target);
      return route.abort();
    }
    return route.continue();
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(new URL("sparql", url).href);
    await page.waitForSelector(".yasgui .yasqe .CodeMirror", { timeout: 30000 });
    const plainHidden = await page.$eval("#plain-form", (f) => f.hidden);
    plainHidden ? ok("the editor replaced the plain form") : fail("the plain form is still shown beside the editor");

    // A bundled query from the picker, with its parameter, run.
    await page.selectOption("#picker-query", "members-of-organization");
    await page.fill("#query-picker input[name=org]", "sco");
    await page.click("#picker-run");
    await page.waitForFunction(() => document.querySelector(".yasgui .CodeMirror").CodeMirror.getValue().includes("(cg:sco)"));
    const picked = await tableRows(page);
    picked === expected.picked
      ? ok(`picked members-of-organization org=sco: ${picked} rows in the table`)
      : fail(`picked members-of-organization org=sco: ${picked} rows in the table, expected ${expected.picked}`);
    await page.screenshot({ path: path.join(shots, "sparql-editor-picked.png"), fullPage: true });

    // A query typed in (the prefix completer declares coop: and cg:), run with Ctrl-Enter.
    const editor = page.locator(".yasgui .CodeMirror").first();
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type(expected.typed_query, { delay: 5 });
    await page.keyboard.press("Escape");
    const typed = await page.evaluate(() => document.querySelector(".yasgui .CodeMirror").CodeMirror.getValue());
    typed.includes("PREFIX coop:") ? ok("typing coop: declared its prefix") : fail(`typing coop: did not declare it: ${typed}`);
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() => !document.querySelector(".yasgui .CodeMirror").CodeMirror.getValue().includes("(cg:sco)"));
    await page.waitForTimeout(300);
    const typedRows = await tableRows(page);
    typedRows === expected.typed
      ? ok(`typed query: ${typedRows} rows in the table`)
      : fail(`typed query: ${typedRows} rows in the table, expected ${expected.typed}`);
    const downloads = await page.$$eval(".yasr .yasr_downloadIcon", (l) => l.length);
    downloads > 0 ? ok("results can be downloaded") : fail("no download button on the results");

    // A shareable link holds the query; opened, it brings the query back.
    const link = await page.evaluate(() => window.location.origin + window.location.pathname + "#query=" + encodeURIComponent("SELECT ?shared WHERE { ?shared a coop:Country } LIMIT 3"));
    const shared = await context.newPage();
    await shared.goto(link);
    await shared.waitForSelector(".yasgui .yasqe .CodeMirror", { timeout: 30000 });
    const sharedText = await shared.evaluate(() => document.querySelector(".yasgui .CodeMirror").CodeMirror.getValue());
    sharedText.includes("?shared") ? ok("a shared link opens its query") : fail(`a shared link opened: ${sharedText.slice(0, 200)}`);
    await shared.close();

    // Class completion from the vocabulary, offline (after `a`).
    await page.evaluate(() => document.querySelector(".yasgui .CodeMirror").CodeMirror.setValue("PREFIX coop: <https://w3id.org/coopgraph/ontology#>\nSELECT ?c WHERE { ?c a coop:Coun"));
    await page.evaluate(() => { const cm = document.querySelector(".yasgui .CodeMirror").CodeMirror; cm.focus(); cm.setCursor(cm.lineCount(), 0); });
    await page.keyboard.press("Control+Space");
    const hints = await page.waitForSelector(".CodeMirror-hints", { timeout: 10000 }).then(() => page.$$eval(".CodeMirror-hints li", (l) => l.map((x) => x.textContent)), () => []);
    hints.some((h) => h.includes("coop:Country"))
      ? ok(`class completion offers ${hints.join(", ")}`)
      : fail(`class completion offers ${JSON.stringify(hints)}`);
    await page.keyboard.press("Escape");

    // A bad query: its position marked in the editor and under the error.
    await page.evaluate(() => document.querySelector(".yasgui .CodeMirror").CodeMirror.setValue("SELECT ?m\nWHERE { ?m coop:memberOf cg:sco\n  FILTR(?m) }"));
    await page.click(".yasgui .yasqe_queryButton");
    await page.waitForSelector(".yasgui .CodeMirror .cg-error-at", { timeout: 30000 });
    const at = await page.$eval("pre.cg-error-context .at-line", (l) => l.textContent);
    /FILTR/.test(at) ? ok(`a bad query's position is marked: line "${at.trim()}"`) : fail(`the marked line is ${at}`);
    const message = await page.$eval(".yasr", (y) => y.textContent);
    /query:3:\d+/.test(message) ? ok("the error names line 3") : fail(`the error view says: ${message.slice(0, 300)}`);
    await page.screenshot({ path: path.join(shots, "sparql-editor-error.png"), fullPage: true });

    // Without JavaScript the plain form runs the query.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const noJs = await plain.newPage();
    await noJs.goto(new URL("sparql", url).href);
    await noJs.fill("#plain-form textarea", expected.typed_query);
    await noJs.click("#plain-form button[type=submit]");
    await noJs.waitForSelector("table");
    const plainRows = (await noJs.$$("table tr")).length - 1;
    plainRows === expected.typed
      ? ok(`without JavaScript the form answers ${plainRows} rows`)
      : fail(`without JavaScript the form answers ${plainRows} rows, expected ${expected.typed}`);
    await plain.close();
  } catch (e) {
    fail(`${e}`);
    await page.screenshot({ path: path.join(shots, "sparql-editor-failure.png"), fullPage: true }).catch(() => {});
  }
  foreign.length ? fail(`requests to other origins: ${foreign.join(" ")}`) : ok("every request went to the server itself");
  errors.length ? fail(`script errors: ${errors.join(" | ")}`) : ok("no script errors");
  await browser.close();
  process.exit(failed ? 1 : 0);
})();
