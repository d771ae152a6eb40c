#!/usr/bin/env bash
# `coopgraph serve` checked by clients no one here wrote: SPARQLWrapper,
# rdflib, Comunica (npm), curl and headless Chromium, bare and driven by
# Playwright (npm) through the query editor and the graph explorer (serve_clients.py says
# what each one checks). Installs what is missing (a tool that cannot be
# installed is a failure), builds a store, starts the server on a free
# loopback port, runs the checks and always stops the server.
#
# Usage: serve_check.sh COOPGRAPH_BINARY VENV_PYTHON SCRATCH_DIR
#   (called by scripts/test; screenshots go to SCRATCH_DIR/screenshots, or to
#   COOPGRAPH_SCREENSHOTS when set)
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 COOPGRAPH_BINARY VENV_PYTHON SCRATCH_DIR" >&2; exit 2; }
coopgraph="$1"
python="$2"
scratch="$3"
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"   # cd to the root, say, die, apt_install
started=$SECONDS

# Tools. Chromium from Debian; Comunica from the npm registry, with the
# committed lock file, into a cache outside the clone (reinstalled only when
# the lock file changes).
ensure_browser
command -v curl >/dev/null 2>&1 || apt_install curl
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
# npm_install NAME FROM DIR MODULE: installs the package.json and lock of
# the folder FROM into DIR with `npm ci`, unless DIR already holds that
# lock's install (MODULE is a module it must have).
npm_install() {
    local name=$1 from=$2 dir=$3 module=$4
    if ! cmp -s "$from/package-lock.json" "$dir/.coopgraph-lock" || [ ! -d "$dir/node_modules/$module" ]; then
        say "installing $name into $dir"
        rm -rf "$dir"
        mkdir -p "$dir"
        cp "$from/package.json" "$from/package-lock.json" "$dir/"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) \
            || die "cannot install $name from the npm registry ($from/package-lock.json)"
        cp "$from/package-lock.json" "$dir/.coopgraph-lock"
    fi
}
npm_dir="${COOPGRAPH_NPM:-$HOME/.cache/coopgraph/npm}"
npm_install Comunica tests/independent/comunica "$npm_dir" @comunica/query-sparql
# Playwright (playwright-core: no browsers of its own; it drives Debian's
# Chromium) for the query editor and the explorer, the same way into a cache of its own.
browser_dir="${COOPGRAPH_NPM_BROWSER:-$HOME/.cache/coopgraph/npm-browser}"
npm_install playwright-core tests/independent/browser "$browser_dir" playwright-core
"$python" -c 'import SPARQLWrapper, rdflib' \
    || die "SPARQLWrapper or rdflib is missing from the venv: scripts/test installs tests/independent/requirements.txt"

# A store, and the server on a free port (port 0; read back from its log line).
"$coopgraph" build --quiet --out "$scratch/serve-out" --store "$scratch/serve-store"
log="$scratch/serve.log"
server=""
stop_server() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
}
trap stop_server EXIT
# A draft of the fixture report, shown at /drafts/801.
mkdir -p "$scratch/drafts"
"$coopgraph" --data tests/fixtures/extract/data extract tests/fixtures/extract/harbour-report.txt --source 801 \
    --date 2016-11-11 -o "$scratch/drafts/801.toml" >/dev/null
"$coopgraph" serve --store "$scratch/serve-store" --bind 127.0.0.1:0 --timeout 30 --drafts "$scratch/drafts" 2>"$log" &
server=$!
url=""
for _ in $(seq 1 300); do
    url="$(sed -n 's|^serving .* on \(http://127\.0\.0\.1:[0-9]*/\) .*|\1|p' "$log" | head -n 1)"
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; die "coopgraph serve exited before listening"; }
    sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; die "coopgraph serve did not say where it listens within 30 s"; }
say "coopgraph serve listens on $url"

status=0
"$python" tests/independent/serve_clients.py --coopgraph "$coopgraph" --store "$scratch/serve-store" --url "$url" \
    --work "$scratch" --comunica "$npm_dir/node_modules" --playwright "$browser_dir/node_modules" --screenshots "${COOPGRAPH_SCREENSHOTS:-$scratch/screenshots}" || status=$?

# The server stops on SIGTERM with status 0, after the requests under way.
kill -TERM "$server"
code=0
wait "$server" || code=$?
server=""
if [ "$code" -ne 0 ]; then
    tail -n 20 "$log" >&2
    die "coopgraph serve exited with status $code on SIGTERM"
fi
if [ "$status" -ne 0 ]; then
    say "the end of the server's log:"
    tail -n 30 "$log" >&2
    die "the checks of coopgraph serve failed (above)"
fi
say "serve checks: $((SECONDS - started)) s"
