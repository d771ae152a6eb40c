// Comunica (@comunica/query-sparql, from the npm registry) runs queries
// against a SPARQL endpoint given as a `sparql` source, and prints what it
// got as JSON on stdout, for tests/independent/serve_clients.py to compare
// with `coopgraph`'s own answers.
//
// Usage: node run.js ENDPOINT QUERIES.json
//   QUERIES.json: [{"name": ..., "query": ...}, ...]
// Output: [{"name", "type": "bindings"|"boolean"|"quads", "result"}], where
// result is the SPARQL JSON results text (SELECT), a boolean (ASK) or the
// N-Triples text (CONSTRUCT), each serialized by Comunica itself.
// Comunica is installed by serve_check.sh; NODE_PATH points at it.

'use strict';

const fs = require('fs');
const { QueryEngine } = require('@comunica/query-sparql');

async function main() {
  const [endpoint, file] = process.argv.slice(2);
  if (!endpoint || !file) {
    throw new Error('usage: node run.js ENDPOINT QUERIES.json');
  }
  const queries = JSON.parse(fs.readFileSync(file, 'utf8'));
  const engine = new QueryEngine();
  const out = [];
  for (const { name, query } of queries) {
    const context = { sources: [{ type: 'sparql', value: endpoint }], noCache: true };
    const result = await engine.query(query, context);
    let mediaType;
    if (result.resultType === 'bindings') {
      mediaType = 'application/sparql-results+json';
    } else if (result.resultType === 'boolean') {
      mediaType = 'simple';
    } else if (result.resultType === 'quads') {
      mediaType = 'application/n-triples';
    } else {
      throw new Error(`${name}: unexpected result type ${result.resultType}`);
    }
    const { data } = await engine.resultToString(result, mediaType);
    let text = '';
    for await (const chunk of data) {
      text += chunk;
    }
    out.push({
      name,
      type: result.resultType,
      result: result.resultType === 'boolean' ? text.trim() === 'true' : text,
    });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(`comunica: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
