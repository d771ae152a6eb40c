# Helpers of the serving benchmarks (bench/serve.sh, bench/soak.sh): free
# ports, /proc figures of a process, JSON records, the server under test
# (started, awaited, stopped) and wrk runs with the server's peak RSS.
# Sourced, not run. The sourcing script sets:
#   work         scratch space (figures go to $work/N/...)
#   here         the bench folder (serve_urls.lua)
#   timeout      wrk's per-request timeout in seconds
#   wrk_threads  wrk threads
#   bin[WHICH]   the coopgraph binaries (an associative array), for start_coopgraph

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.3f}')" "$(now)" "$1"; }
# kb FIELD PID: a field of /proc/PID/status in KiB (VmRSS, VmHWM), 0 when gone.
kb() {
    local v=""
    [ -n "$2" ] && [ -r "/proc/$2/status" ] && v=$(awk -v f="$1:" '$1 == f {print $2}' "/proc/$2/status" 2>/dev/null)
    echo "${v:-0}"
}
# cpu_ticks PID: user + system time of a process so far.
cpu_ticks() {
    local v=""
    [ -n "$1" ] && [ -r "/proc/$1/stat" ] && v=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null)
    echo "${v:-0}"
}
# wait_idle PID: until the process uses under 10% of a core for a second
# (a request wrk gave up on may still be running), at most 60 s.
wait_idle() {
    local a b
    for _ in $(seq 60); do
        a=$(cpu_ticks "$1"); sleep 1; b=$(cpu_ticks "$1")
        [ $((b - a)) -lt 10 ] && return 0
    done
    say "  $1 still busy after 60 s"
}
# json_record FILE KEY=VALUE...: appends one JSON object (values are numbers
# when they look like numbers, strings otherwise).
json_record() {
    local file=$1
    shift
    python3 - "$@" >> "$file" <<'EOF'
import json, re, sys
rec = {}
for arg in sys.argv[1:]:
    k, _, v = arg.partition("=")
    rec[k] = json.loads(v) if re.fullmatch(r"-?\d+(\.\d+)?|\{.*\}", v) else v
print(json.dumps(rec, ensure_ascii=False))
EOF
}

pid=""       # the server under test
url=""       # its base URL, with a final /
started_at=""
stop_server() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    pid=""
}

# wait_answer URL SECONDS: until URL gives any HTTP answer; sets `up` to the
# seconds since started_at (-1 when it did not answer in time).
up=-1
wait_answer() {
    local deadline=$(($(date +%s) + $2)) code
    up=-1
    while [ "$(date +%s)" -lt "$deadline" ]; do
        kill -0 "$pid" 2>/dev/null || return 0
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time "$2" "$1" 2>/dev/null || true)
        if [ -n "$code" ] && [ "$code" != 000 ]; then
            up=$(since "$started_at")
            return 0
        fi
        sleep 0.05
    done
}

# run_wrk N TARGET KIND FILE CONNECTIONS SECONDS [PREFIX] [ACCEPT]
run_wrk() {
    local n=$1 target=$2 kind=$3 file=$4 c=$5 secs=$6 prefix=${7:-} accept=${8:-text/html}
    local t=$((c < wrk_threads ? c : wrk_threads)) d=$work/$n
    local log=$d/wrk/$target-$kind-$c.txt rss=$d/wrk/$target-$kind-$c.rss
    mkdir -p "$d/wrk"
    rm -f "$rss.stop"
    (
        max=0
        while [ ! -e "$rss.stop" ]; do
            r=$(kb VmRSS "$pid")
            [ "$r" -gt "$max" ] && max=$r && echo "$max" > "$rss"
            sleep 0.2
        done
    ) &
    local sampler=$!
    wrk -t"$t" -c"$c" -d"${secs}s" --timeout "${timeout}s" -s "$here/serve_urls.lua" "${url%/}" -- \
        "$file" "$prefix" "$accept" > "$log" 2>&1 || true
    touch "$rss.stop"
    wait "$sampler" 2>/dev/null || true
    local figures
    figures=$(sed -n 's/^WRK-JSON //p' "$log" | tail -n 1)
    [ -n "$figures" ] || figures='{"failed":1}'
    json_record "$d/results.jsonl" target="$target" kind="$kind" conns="$c" seconds="$secs" \
        rss_kb="$(cat "$rss" 2>/dev/null || echo 0)" hwm_kb="$(kb VmHWM "$pid")" wrk="$figures"
    python3 -c '
import json, sys
w = json.loads(sys.argv[4])
if "failed" in w:
    print(f"  {sys.argv[1]:9} {sys.argv[2]:32} c={sys.argv[3]:>3}  wrk failed")
else:
    rate = w["requests"] / (w["duration_us"] / 1e6)
    errs = w["connect"] + w["read"] + w["write"] + w["timeout"]
    p50, p99, bad = w["p50_us"] / 1000, w["p99_us"] / 1000, w["non2xx"]
    print(f"  {sys.argv[1]:9} {sys.argv[2]:32} c={sys.argv[3]:>3} {rate:9.1f} req/s  p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  non-2xx {bad}  errors {errs}")
' "$target" "$kind" "$c" "$figures" >&2
    wait_idle "$pid"
}

# start_serve STORE LOG [ARGS...]: `coopgraph serve` (the binary
# ${bin[new]}) on STORE, read-only, on a free port; sets pid and url.
start_serve() {
    local store=$1 log=$2
    shift 2
    start_serve_with "${bin[new]}" "$store" "$log" "$@"
}

# start_serve_with BINARY STORE LOG [ARGS...]: the same with another binary.
start_serve_with() {
    local binary=$1 store=$2 log=$3
    shift 3
    : > "$log"
    started_at=$(now)
    "$binary" serve --store "$store" --bind 127.0.0.1:0 "$@" 2> "$log" &
    pid=$!
    url=""
    while [ -z "$url" ]; do
        kill -0 "$pid" 2>/dev/null || { tail -n 5 "$log" >&2; die "coopgraph serve exited before listening (see $log)"; }
        url=$(sed -n 's|^serving .* on \(http://127\.0\.0\.1:[0-9]*/\) .*|\1|p' "$log" | head -n 1 || true)
        [ -n "$url" ] || sleep 0.05
    done
    wait_answer "${url}sparql?query=ASK%7B%7D" 600
}

# start_coopgraph N WHICH: `coopgraph serve` on the store of that binary.
start_coopgraph() {
    start_serve_with "${bin[$2]}" "$work/$1/store-$2" "$work/$1/serve-$2.log"
}
