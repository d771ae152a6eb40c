// The query editor of `coopgraph serve` at /sparql: YASGUI (vendored, served
// from this server) set up for this endpoint. Without JavaScript, or if
// YASGUI fails to load, the plain form of the page stays and works.
//
// - the endpoint is this server's /sparql, and no other is offered;
// - prefix completion offers the server's predeclared prefixes, and class
//   and property completion the vocabulary's terms, from the page's
//   settings: YASGUI's own completers ask prefix.cc and Linked Open
//   Vocabularies over the network, and the editor works offline;
// - the bundled queries are in a picker with their parameters; the text is
//   the server's bound text (/queries/NAME.rq?PARAM=VALUE);
// - a query error marks its line and column (the server's message starts
//   with query:LINE:COL) in the editor and under the error.
(function () {
  "use strict";
  var settingsNode = document.getElementById("editor-settings");
  var root = document.getElementById("yasgui");
  if (!settingsNode || !root || typeof Yasgui === "undefined") return;
  var settings = JSON.parse(settingsNode.textContent);
  var endpoint = new URL(settings.endpoint, window.location.href).href;

  var prefixLines = Object.keys(settings.prefixes).sort().map(function (name) {
    return name + ": <" + settings.prefixes[name] + ">";
  });
  var Yasqe = Yasgui.Yasqe;
  Yasqe.forkAutocompleter("prefixes", {
    name: "coopgraph-prefixes",
    persistenceId: null,
    get: function () { return Promise.resolve(prefixLines); }
  }, false);
  // Classes (after `a`) and properties of this server's vocabulary, from
  // the page's settings, where YASGUI would ask Linked Open Vocabularies.
  function fromList(list) {
    return function (yasqe, token) {
      var start = (token && (token.autocompletionString || token.string)) || "";
      return Promise.resolve(list.filter(function (iri) { return iri.indexOf(start) === 0; }));
    };
  }
  Yasqe.forkAutocompleter("class", { name: "coopgraph-classes", persistenceId: null, get: fromList(settings.classes || []) }, false);
  Yasqe.forkAutocompleter("property", { name: "coopgraph-properties", persistenceId: null, get: fromList(settings.properties || []) }, false);
  // In place: Yasgui's defaults hold the same array, and its configuration
  // is merged index by index, so a list given in the config would not
  // replace it.
  var completers = Yasqe.defaults.autocompleters;
  completers.splice(0, completers.length, "coopgraph-prefixes", "variables", "coopgraph-classes", "coopgraph-properties");
  Yasqe.defaults.prefixCcApi = null;

  var yasgui;
  try {
    yasgui = new Yasgui(root, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      persistenceId: "coopgraph-sparql",
      yasr: { prefixes: settings.prefixes },
      yasqe: { value: settings.text || document.querySelector("#plain-form textarea").value, editorHeight: "26em" }
    });
  } catch (e) {
    if (window.console) console.error("the query editor could not start; the plain form stays", e);
    return;
  }
  document.documentElement.classList.add("has-editor");
  var plain = document.getElementById("plain-form");
  if (plain) plain.hidden = true;
  var kept = document.getElementById("query-error");

  // A text given by the server (a bundled query, a query that failed)
  // opens in the current tab, always pointed at this endpoint.
  var tab = yasgui.getTab();
  if (tab) {
    tab.setEndpoint(endpoint);
    if (settings.text) tab.setQuery(settings.text);
  }

  // The position of an error, marked in the editor and under the error.
  var marks = [];
  function clearMarks() {
    marks.forEach(function (m) { m(); });
    marks = [];
  }
  function markError(tab) {
    clearMarks();
    var yasr = tab.getYasr();
    var results = yasr && yasr.results;
    var error = results && results.getError && results.getError();
    if (!error) return;
    var found = /^query:(\d+):(\d+):/.exec(error.text || "");
    if (!found) return;
    var yasqe = tab.getYasqe();
    var line = Number(found[1]) - 1, ch = Number(found[2]) - 1;
    var text = yasqe.getLine(line);
    if (text === undefined) return;
    var handle = yasqe.addLineClass(line, "background", "cg-error-line");
    marks.push(function () { yasqe.removeLineClass(handle, "background", "cg-error-line"); });
    if (ch < text.length) {
      var mark = yasqe.markText({ line: line, ch: ch }, { line: line, ch: ch + 1 }, { className: "cg-error-at" });
      marks.push(function () { mark.clear(); });
    } else {
      var widget = document.createElement("span");
      widget.className = "cg-error-at cg-error-end";
      widget.textContent = " ";
      var bookmark = yasqe.setBookmark({ line: line, ch: text.length }, { widget: widget });
      marks.push(function () { bookmark.clear(); });
    }
    yasqe.setCursor({ line: line, ch: Math.min(ch, text.length) });
    yasqe.scrollIntoView({ line: line, ch: 0 }, 60);
    if (yasqe.state && yasqe.state.completionActive) yasqe.state.completionActive.close();
    // Under the error: the query's lines around the position, the column pointed at.
    var view = document.createElement("pre");
    view.className = "query-at cg-error-context";
    var first = Math.max(0, line - 2), last = Math.min(yasqe.lineCount() - 1, line + 2);
    for (var n = first; n <= last; n++) {
      var row = document.createElement("span");
      var number = document.createElement("span");
      number.className = "n";
      number.textContent = String(n + 1);
      row.appendChild(number);
      var content = yasqe.getLine(n);
      if (n === line) {
        row.className = "at-line";
        row.appendChild(document.createTextNode(content.slice(0, ch)));
        var at = document.createElement("mark");
        at.className = "at";
        at.textContent = content.slice(ch, ch + 1) || " ";
        row.appendChild(at);
        row.appendChild(document.createTextNode(content.slice(ch + 1)));
      } else {
        row.appendChild(document.createTextNode(content));
      }
      view.appendChild(row);
      view.appendChild(document.createTextNode("\n"));
    }
    var place = yasr.resultsEl || yasr.rootEl;
    place.appendChild(view);
    marks.push(function () { view.remove(); });
  }
  yasgui.on("queryResponse", function (instance, tab) {
    if (kept) { kept.remove(); kept = null; }
    // After YASR has drawn the response.
    window.setTimeout(function () { markError(tab); }, 0);
  });
  yasgui.on("query", clearMarks);

  // The bundled queries, with their parameters.
  var picker = document.getElementById("query-picker");
  if (!picker || !settings.queries.length) return;
  var label = document.createElement("label");
  label.textContent = "Bundled query ";
  var select = document.createElement("select");
  select.id = "picker-query";
  select.appendChild(new Option("choose one…", ""));
  settings.queries.forEach(function (q) { select.appendChild(new Option(q.title, q.name)); });
  label.appendChild(select);
  var params = document.createElement("span");
  params.className = "picker-params";
  var open = document.createElement("button");
  open.type = "button";
  open.id = "picker-open";
  open.textContent = "Open";
  var run = document.createElement("button");
  run.type = "button";
  run.id = "picker-run";
  run.textContent = "Open and run";
  var about = document.createElement("p");
  about.className = "picker-about muted";
  picker.append(label, params, open, run, about);
  picker.hidden = false;

  function chosen() {
    return settings.queries.filter(function (q) { return q.name === select.value; })[0];
  }
  select.addEventListener("change", function () {
    params.textContent = "";
    var q = chosen();
    about.textContent = q ? q.description : "";
    if (!q) return;
    q.params.forEach(function (p) {
      var field = document.createElement("label");
      field.title = p.description;
      field.append(" " + p.name + " ");
      var input = document.createElement("input");
      input.name = p.name;
      input.value = p.default;
      input.size = Math.max(8, p.default.length + 2);
      field.appendChild(input);
      params.appendChild(field);
    });
  });
  function openQuery(andRun) {
    var q = chosen();
    if (!q) return;
    var query = new URLSearchParams();
    params.querySelectorAll("input").forEach(function (input) { query.append(input.name, input.value); });
    var url = "/queries/" + encodeURIComponent(q.name) + ".rq" + (q.params.length ? "?" + query.toString() : "");
    fetch(url).then(function (response) {
      return response.text().then(function (text) {
        if (!response.ok) throw new Error(text.trim());
        return text;
      });
    }).then(function (text) {
      var tab = yasgui.getTab();
      tab.setQuery(text);
      tab.setName(q.title);
      about.textContent = q.description;
      if (andRun) tab.query();
    }, function (e) {
      about.textContent = e.message;
    });
  }
  open.addEventListener("click", function () { openQuery(false); });
  run.addEventListener("click", function () { openQuery(true); });
})();
