#!/usr/bin/env bash
# Install everything apr's test suite needs. Idempotent: a second run takes seconds.
#
#   1. Debian packages: Chromium (axe-core runs in it; apr prints its PDF with it), LibreOffice
#      Writer (docx -> PDF), fonts, Java (Nu HTML checker), poppler-utils (pdftoppm, pdftotext).
#      Skipped entirely when everything is already installed.
#   2. The project itself with its test extra: python -m pip install -e ".[test]"
#   3. npm packages axe-core and vnu-jar into tests/node/ (pinned by package-lock.json).
#   4. matplotlib's font cache, built once here instead of inside a timed test.
#
# Works as root or through sudo. Never downloads a browser of its own: Playwright drives
# Debian's /usr/bin/chromium.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

log()  { printf '[install-test-deps] %s\n' "$*"; }
warn() { printf '[install-test-deps] WARNING: %s\n' "$*" >&2; }
die()  { printf '[install-test-deps] ERROR: %s\n' "$*" >&2; exit 1; }

START=$(date +%s)

# Python interpreter: the active one (a venv in CI), else python3.
if [[ -n "${PYTHON:-}" ]]; then
    :
elif command -v python >/dev/null 2>&1; then
    PYTHON=python
else
    PYTHON=python3
fi

# --------------------------------------------------------------------------- 1. apt
REQUIRED_PKGS=(
    chromium
    libreoffice-writer-nogui
    libreoffice-calc-nogui
    fonts-dejavu-core
    fonts-liberation
    poppler-utils
)
OPTIONAL_PKGS=(chromium-driver)

# Java: only when no java is on PATH (the machine image usually has one).
if ! command -v java >/dev/null 2>&1; then
    REQUIRED_PKGS+=(default-jre-headless)
fi
# Node.js and npm: only when missing.
if ! command -v npm >/dev/null 2>&1; then
    REQUIRED_PKGS+=(nodejs npm)
fi

pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

MISSING=()
for p in "${REQUIRED_PKGS[@]}"; do
    pkg_installed "$p" || MISSING+=("$p")
done

if [[ ${#MISSING[@]} -eq 0 ]]; then
    log "apt: all required Debian packages present (fast path, no apt-get)"
else
    log "apt: missing: ${MISSING[*]}"
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: ${MISSING[*]}"
    if [[ $(id -u) -eq 0 ]]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1; then
        if sudo -n true 2>/dev/null; then
            SUDO=(sudo -n)
        elif [[ -t 0 ]]; then
            log "apt: needs root; sudo will ask for your password"
            SUDO=(sudo)
        else
            die "not root, sudo needs a password and there is no terminal to ask on. Run as root or: sudo apt-get install ${MISSING[*]}"
        fi
    else
        die "not root and sudo is not installed. As root run: apt-get install ${MISSING[*]}"
    fi
    export DEBIAN_FRONTEND=noninteractive
    APT_OPTS=(-y -qq -o=Dpkg::Use-Pty=0 --no-install-recommends)
    log "apt: apt-get update"
    "${SUDO[@]}" apt-get update -qq
    # chromium-driver is useful but optional: add it when the archive has it.
    TO_INSTALL=("${MISSING[@]}")
    for p in "${OPTIONAL_PKGS[@]}"; do
        if ! pkg_installed "$p" && apt-cache show "$p" >/dev/null 2>&1; then
            TO_INSTALL+=("$p")
        fi
    done
    log "apt: installing ${TO_INSTALL[*]} (LibreOffice and Chromium take a few minutes)"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install "${APT_OPTS[@]}" "${TO_INSTALL[@]}" \
        >/tmp/apr-install-test-deps-apt.log 2>&1 \
        || { tail -n 40 /tmp/apr-install-test-deps-apt.log >&2; die "apt-get install failed (full log /tmp/apr-install-test-deps-apt.log)"; }
    log "apt: done"
fi

for tool in chromium soffice java pdftoppm; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is still not on PATH after the apt step"
done

# --------------------------------------------------------------------------- 2. pip
if [[ -f pyproject.toml ]]; then
    log "pip: $PYTHON -m pip install -e \".[test]\""
    PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[test]"
    log "pip: done"
else
    warn "pip: no pyproject.toml yet, skipping 'pip install -e .[test]'"
fi

# --------------------------------------------------------------------------- 3. npm
NODE_DIR="$ROOT/tests/node"
[[ -f "$NODE_DIR/package.json" ]] || die "missing $NODE_DIR/package.json"
command -v npm >/dev/null 2>&1 || die "npm not found"

npm_pkgs_ok() {
    # Installed versions match package.json exactly (the versions there are pinned).
    (cd "$NODE_DIR" && node -e '
        const want = require("./package.json").devDependencies;
        for (const [name, ver] of Object.entries(want)) {
            let got;
            try { got = require("./node_modules/" + name + "/package.json").version; }
            catch (e) { process.exit(1); }
            if (got !== ver) process.exit(1);
        }' 2>/dev/null)
}

if npm_pkgs_ok; then
    log "npm: axe-core and vnu-jar already installed in tests/node (fast path)"
else
    log "npm: installing axe-core and vnu-jar into tests/node"
    # --ignore-scripts: vnu-jar's postinstall would download a Java runtime from GitHub when it
    # finds no system Java; we run the jar with Debian's java ourselves, so it is not needed.
    NPM_OPTS=(--no-audit --no-fund --loglevel=error --ignore-scripts)
    if [[ -f "$NODE_DIR/package-lock.json" ]]; then
        (cd "$NODE_DIR" && npm ci "${NPM_OPTS[@]}")
    else
        (cd "$NODE_DIR" && npm install "${NPM_OPTS[@]}")
    fi
    npm_pkgs_ok || die "npm install finished but tests/node/node_modules does not match package.json"
    log "npm: done"
fi
[[ -f "$NODE_DIR/node_modules/axe-core/axe.min.js" ]] || die "axe.min.js missing"
[[ -f "$NODE_DIR/node_modules/vnu-jar/build/dist/vnu.jar" ]] || die "vnu.jar missing"

# --------------------------------------------------------------------------- 4. warm caches
if "$PYTHON" -c "import matplotlib" 2>/dev/null; then
    log "matplotlib: warming the font cache"
    MPLBACKEND=Agg "$PYTHON" -c "import matplotlib.pyplot"
else
    warn "matplotlib not importable by $PYTHON; font cache not warmed"
fi

# --------------------------------------------------------------------------- summary
log "chromium: $(chromium --version 2>/dev/null | head -n 1)"
log "soffice:  $(soffice --version 2>/dev/null | head -n 1)"
log "java:     $(java -version 2>&1 | head -n 1)"
log "node:     $(node --version)"
log "finished in $(( $(date +%s) - START ))s"
