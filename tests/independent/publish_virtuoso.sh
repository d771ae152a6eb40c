#!/usr/bin/env bash
# `coopgraph publish` into a real Virtuoso open-source server, then checked
# back through Virtuoso's SPARQL endpoint by check_publish.py.
#
# Starts a private Virtuoso (its own database and ini in a scratch folder, on
# free loopback ports), builds coopgraph's store, publishes the named graphs
# twice (SPARQL Update, then the Graph Store Protocol, which replaces them),
# and compares graphs, triples and sample query answers. Virtuoso is stopped
# on exit, also on failure.
#
# Usage: publish_virtuoso.sh COOPGRAPH PYTHON
#   COOPGRAPH  the coopgraph binary
#   PYTHON     a Python with rdflib (scripts/lib.sh: ensure_python_tools)
# Needs virtuoso-t (Debian package virtuoso-opensource).
set -euo pipefail

[ $# -eq 2 ] || { sed -n '2,15p' "$0" >&2; exit 2; }
coopgraph="$1"
python="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command -v virtuoso-t >/dev/null 2>&1 || { echo "error: virtuoso-t not found: sudo apt-get install virtuoso-opensource" >&2; exit 1; }

scratch="$(mktemp -d)"
db="$scratch/virtuoso"
mkdir -p "$db"

stop_virtuoso() {
    local pid=""
    [ -f "$db/virtuoso.lck" ] && pid="$(sed -n 's/^VIRT_PID=//p' "$db/virtuoso.lck")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    fi
}
cleanup() {
    local code=$?
    stop_virtuoso
    if [ "$code" -ne 0 ] && [ -f "$db/virtuoso.log" ]; then
        echo "--- last lines of the Virtuoso log:" >&2
        tail -n 20 "$db/virtuoso.log" >&2
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

# Two free loopback ports (SQL, HTTP), chosen by the kernel.
read -r sql_port http_port < <("$python" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')

# The packaged ini with every file in the scratch folder and our ports. The
# [Database] and [TempDatabase] sections need files of their own.
awk -v dir="$db" -v sqlport="$sql_port" -v httpport="$http_port" '
/^\[/ { section = $0 }
function key() { k = $0; sub(/[ \t]*=.*/, "", k); return k }
section == "[Database]" && /^(DatabaseFile|ErrorLogFile|LockFile|TransactionFile|xa_persistent_file)[ \t]*=/ {
    ext["DatabaseFile"] = "db"; ext["ErrorLogFile"] = "log"; ext["LockFile"] = "lck"
    ext["TransactionFile"] = "trx"; ext["xa_persistent_file"] = "pxa"
    k = key(); print k " = " dir "/virtuoso." ext[k]; next
}
section == "[TempDatabase]" && /^(DatabaseFile|TransactionFile)[ \t]*=/ {
    k = key(); print k " = " dir "/virtuoso-temp." (k == "DatabaseFile" ? "db" : "trx"); next
}
section == "[Parameters]" && /^ServerPort[ \t]*=/ { print "ServerPort = 127.0.0.1:" sqlport; next }
section == "[HTTPServer]" && /^ServerPort[ \t]*=/ { print "ServerPort = 127.0.0.1:" httpport; next }
{ print }
' /etc/virtuoso-opensource-7/virtuoso.ini > "$db/virtuoso.ini"

base="http://127.0.0.1:$http_port"
started=$SECONDS
(cd "$db" && virtuoso-t -c virtuoso.ini +wait) >"$scratch/start.log" 2>&1 \
    || { cat "$scratch/start.log" >&2; echo "error: virtuoso-t did not start" >&2; exit 1; }
ready=0
for _ in $(seq 120); do
    if "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base/sparql?query=ASK%7B%7D" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.5
done
[ "$ready" -eq 1 ] || { echo "error: Virtuoso did not answer on $base/sparql within 60 s" >&2; exit 1; }
echo "Virtuoso up on $base in $((SECONDS - started)) s"

"$coopgraph" build --quiet --out "$scratch/out" --store "$scratch/store"
printf 'dba\n' > "$scratch/dba.pass"
auth=(--user dba --password-file "$scratch/dba.pass")

# SPARQL Update first (publish counts every graph back itself), then the
# Graph Store Protocol, which must replace every graph: the checks below
# then see only what the second run wrote.
"$coopgraph" publish --quiet --endpoint "$base/sparql" --method update \
    --update-endpoint "$base/sparql-auth" "${auth[@]}"
echo "published with SPARQL Update: counts match"
started=$(date +%s%N)
"$coopgraph" publish --endpoint "$base/sparql" \
    --graph-store "$base/sparql-graph-crud-auth" "${auth[@]}" --batch-size 500
echo "published with the Graph Store Protocol in $((($(date +%s%N) - started) / 1000000)) ms"

"$python" "$here/check_publish.py" "$base/sparql" "$scratch/out" "$scratch/store" "$coopgraph"
