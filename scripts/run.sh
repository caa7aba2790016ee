#!/usr/bin/env bash
# Set up (first time only) and start KasirBackup. Arguments go to the kasirbackup command;
# without arguments the desktop application opens (on a machine without a display it says
# so and shows the command-line help instead).
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
if [ $# -eq 0 ]; then set -- gui; fi
if [ "$1" = gui ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${QT_QPA_PLATFORM:-}" ]; }; then
    ensure_debs "${QT_OFFSCREEN_DEBS[@]}" "${QT_X11_DEBS[@]}" || echo "Some Qt libraries are missing; the window may not open." >&2
fi
exec .venv/bin/kasirbackup "$@"
