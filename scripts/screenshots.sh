#!/usr/bin/env bash
# Screenshots of the desktop app in English and Indonesian into docs/screenshots/ (a real X
# server under Xvfb when there is no display; see scripts/screenshots.py).
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    if ensure_debs xvfb xauth "${QT_OFFSCREEN_DEBS[@]}" "${QT_X11_DEBS[@]}"; then
        exec xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py "$@"
    fi
    echo "Xvfb is not available: drawing off-screen instead." >&2
    export QT_QPA_PLATFORM=offscreen
fi
exec .venv/bin/python scripts/screenshots.py "$@"
