# Shared by scripts/run and scripts/test: where cargo builds, and how missing
# prerequisites are installed. Sourced, not run.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# One target dir per machine, outside the clone, shared by the main job and the
# tests: RocksDB's C++ (oxigraph's on-disk store) is compiled once, not per clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coopgraph/target}"
mkdir -p "$CARGO_TARGET_DIR"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null 2>&1 || die "cargo not found: install the Rust toolchain from https://rustup.rs"

APT_UPDATED=0
# apt_install PACKAGE... : installs the Debian packages that are missing, as
# root or through passwordless sudo; otherwise says exactly what to run.
apt_install() {
    local missing=()
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            die "missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
        fi
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get here: install them with your package manager"
    say "installing ${missing[*]}"
    if [ "$APT_UPDATED" -eq 0 ]; then
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
        APT_UPDATED=1
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
        || die "could not install ${missing[*]}; install them by hand: sudo apt-get install -y ${missing[*]}"
}

# What building needs: a C++ toolchain and libclang for RocksDB's bindings.
ensure_build_prerequisites() {
    apt_install clang libclang-dev g++ make
}

# What the main job needs besides building: Graphviz renders the SVG views,
# with CJK fonts for the Chinese labels.
ensure_run_prerequisites() {
    apt_install graphviz fonts-noto-cjk
}

# What the end-to-end tests drive: tmux runs the interactive review in a
# terminal for tests/e2e/review.rs (send-keys, capture-pane).
ensure_test_tools() {
    apt_install tmux
    export COOPGRAPH_REQUIRE_TMUX=1
}

# The triplestore `coopgraph publish` is tested against: Virtuoso open
# source (virtuoso-t), started privately by tests/independent/publish_virtuoso.sh.
ensure_virtuoso() {
    apt_install virtuoso-opensource
    command -v virtuoso-t >/dev/null 2>&1 || die "virtuoso-opensource is installed but virtuoso-t is not on PATH"
}

# The independent tools the tests check against (rdflib, pyshacl), in a
# virtualenv outside the clone; reinstalled when the requirements change.
VENV="${COOPGRAPH_VENV:-$HOME/.cache/coopgraph/venv}"
ensure_python_tools() {
    command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; rm -rf "$VENV"; python3 -m venv "$VENV"; } \
            || die "cannot create a Python virtualenv at $VENV"
    fi
    local stamp="$VENV/.coopgraph-requirements"
    if ! cmp -s tests/independent/requirements.txt "$stamp"; then
        say "installing rdflib and pyshacl into $VENV"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r tests/independent/requirements.txt \
            || die "cannot install the Python test tools (tests/independent/requirements.txt)"
        cp tests/independent/requirements.txt "$stamp"
    fi
}

# cargo_release SUBCOMMAND ARGS... : cargo in the release profile with the
# committed lock file (options go before any `--`).
cargo_release() {
    local sub="$1"
    shift
    cargo "$sub" --release --locked "$@"
}

# Builds everything the main job and the tests need with ONE cargo
# invocation. scripts/run and scripts/test must call exactly this: another
# selection of packages or targets can unify dependency features differently,
# which changes the hash of oxrocksdb-sys and recompiles RocksDB (20+ minutes).
build_all() {
    cargo_release build --workspace --all-targets
}

# Headless Chromium for the browser checks of `coopgraph serve`, with CJK
# fonts so that Chinese labels render (tests/independent/serve_check.sh).
ensure_browser() {
    apt_install chromium fonts-noto-cjk
    command -v chromium >/dev/null 2>&1 || die "chromium is not on PATH after installing it"
}
