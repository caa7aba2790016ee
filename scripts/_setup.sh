# Shared by run.sh and test.sh: find Python 3.11+, install missing Debian packages,
# create the project virtualenv in .venv and install the project into it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "Please install as root: $*" >&2; return 1; fi
}

# ensure_debs PKG...: apt-get install the packages dpkg does not know yet (Debian/Ubuntu)
ensure_debs() {
    command -v dpkg >/dev/null || return 0
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing system packages: ${missing[*]}" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# what Qt needs on a bare Debian/Ubuntu: offscreen (tests) and a real X window (the app)
QT_OFFSCREEN_DEBS=(libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0)
QT_X11_DEBS=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
             libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0)

find_python() {
    for py in python3 python3.13 python3.12 python3.11; do
        if command -v "$py" >/dev/null && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            echo "$py"; return 0
        fi
    done
    echo "KasirBackup needs Python 3.11 or newer (apt-get install python3)." >&2
    return 1
}

PY="$(find_python)"
if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    ver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    ensure_debs "python${ver}-venv" || ensure_debs python3-venv
fi

EXTRAS="${KB_EXTRAS:-}"
BASE=".venv/.installed-$(sha256sum < pyproject.toml | cut -c1-16)"
STAMP="$BASE${EXTRAS:+-$EXTRAS}"
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
# an environment set up with the test tools serves the app as well
if [ ! -f "$STAMP" ] && { [ -n "$EXTRAS" ] || [ ! -f "$BASE-test" ]; }; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${EXTRAS:+[$EXTRAS]}" >&2
    rm -f .venv/.installed-*
    touch "$STAMP"
fi
