#!/usr/bin/env bash
# Install the unpacked KasirBackup folder for the current user (no root needed):
#   ./install.sh            copies this folder to ~/.local/opt/KasirBackup, adds the menu
#                           entry, the icon, the AppStream metadata and ~/.local/bin/kasirbackup
#   ./install.sh --remove   removes all of that again (backups and settings stay)
# Run it from the unpacked dist/KasirBackup folder (it is copied there by `make package`).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
DEST="$HOME/.local/opt/KasirBackup"
BIN="$HOME/.local/bin"
DESKTOP="$DATA/applications/kasirbackup.desktop"
ICON="$DATA/icons/hicolor/256x256/apps/kasirbackup.png"
META="$DATA/metainfo/id.kasirbackup.KasirBackup.metainfo.xml"

if [ "${1:-}" = "--remove" ]; then
    rm -rf "$DEST"
    rm -f "$DESKTOP" "$ICON" "$META"
    [ -L "$BIN/kasirbackup" ] && rm -f "$BIN/kasirbackup"
    echo "KasirBackup was removed. Your backups and settings were not touched."
    exit 0
fi

[ -x "$HERE/KasirBackup" ] || { echo "Run this from the unpacked KasirBackup folder." >&2; exit 1; }
if [ "$HERE" != "$DEST" ]; then
    rm -rf "$DEST.new"
    mkdir -p "$(dirname "$DEST")"
    cp -a "$HERE" "$DEST.new"
    rm -rf "$DEST"
    mv "$DEST.new" "$DEST"
fi
mkdir -p "$(dirname "$DESKTOP")" "$(dirname "$ICON")" "$(dirname "$META")" "$BIN"
# the menu entry with the absolute path of the executable (the autostart entry points there too)
sed -e "s|^Exec=KasirBackup|Exec=$DEST/KasirBackup|" -e "s|^TryExec=KasirBackup|TryExec=$DEST/KasirBackup|" \
    "$DEST/share/applications/kasirbackup.desktop" > "$DESKTOP"
cp "$DEST/share/icons/hicolor/256x256/apps/kasirbackup.png" "$ICON"
cp "$DEST/share/metainfo/id.kasirbackup.KasirBackup.metainfo.xml" "$META"
ln -sfn "$DEST/kasirbackup" "$BIN/kasirbackup"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$(dirname "$DESKTOP")" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "KasirBackup is installed: find it in the applications menu, or run $DEST/KasirBackup."
echo "The command line is 'kasirbackup' (in $BIN)."
