#!/usr/bin/env bash
# Build the one-folder app into dist/KasirBackup (what `make package` runs), then check it:
# the GUI's --smoke run on the offscreen platform, and the folder's size.
#   packaging/build.sh [--distpath DIR] [--workpath DIR]     (default dist/ and build/)
# Sets up .venv on first use like scripts/run.sh, with PyInstaller (the "package" extra).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/dist"; WORK="$ROOT/build"
while [ $# -gt 0 ]; do
    case "$1" in
        --distpath) DIST="$2"; shift 2 ;;
        --workpath) WORK="$2"; shift 2 ;;
        *) echo "usage: $0 [--distpath DIR] [--workpath DIR]" >&2; exit 2 ;;
    esac
done
if [ -x "$ROOT/.venv/bin/python" ] && "$ROOT/.venv/bin/python" -c "import PyInstaller" 2>/dev/null; then
    KB_EXTRAS=""            # already there (the test extra has it too)
else
    KB_EXTRAS=package
fi
source "$ROOT/scripts/_setup.sh"
# binutils: PyInstaller reads and strips shared libraries with objdump/strip;
# the Qt libraries: the icons are rendered and the smoke run made on the offscreen platform
ensure_debs binutils "${QT_OFFSCREEN_DEBS[@]}"

export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m PyInstaller --noconfirm --clean --distpath "$DIST" --workpath "$WORK" packaging/kasirbackup.spec

APP="$DIST/KasirBackup"
if [ "$(uname -s)" = Linux ]; then
    # menu entry, icon and AppStream metadata, and the per-user installer, next to the executables
    install -D -m 644 packaging/linux/kasirbackup.desktop "$APP/share/applications/kasirbackup.desktop"
    install -D -m 644 packaging/linux/id.kasirbackup.KasirBackup.metainfo.xml \
        "$APP/share/metainfo/id.kasirbackup.KasirBackup.metainfo.xml"
    install -D -m 644 "$WORK/kasirbackup/icons/kasirbackup.png" "$APP/share/icons/hicolor/256x256/apps/kasirbackup.png"
    install -m 755 packaging/linux/install.sh "$APP/install.sh"
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
KASIRBACKUP_CONFIG_DIR="$scratch/config" KASIRBACKUP_DATA_DIR="$scratch/data" KASIRBACKUP_LOG_DIR="$scratch/log" \
    "$APP/KasirBackup" --smoke
size=$(du -sb "$APP" | cut -f1)
echo "Built $APP: $((size / 1000000)) MB ($(du -sh "$APP" | cut -f1)iB on disk). Start it with $APP/KasirBackup;"
echo "the command line is $APP/kasirbackup. See docs/PACKAGING.md."
