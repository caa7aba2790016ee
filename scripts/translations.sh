#!/usr/bin/env bash
# Translations: "update" (collect strings into translations/*.ts) or "compile" (build the .qm
# in kasirbackup/gui/resources/translations, package data).
#   scripts/translations.sh update    # after changing user-visible strings; then translate
#   scripts/translations.sh compile   # after translating; commit the .ts and .qm together
# Uses lupdate/lrelease from the PySide6 wheel in .venv. See docs/TRANSLATING.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || PY="$ROOT/.venv/Scripts/python.exe"
[ -x "$PY" ] || { echo "No .venv yet: run ./scripts/test.sh once (or pip install -e .)" >&2; exit 1; }
case "${1:-}" in
    update) "$PY" "$ROOT/scripts/translations.py" update "${@:2}"
            "$PY" "$ROOT/scripts/translations.py" compile ;;
    compile|errors) "$PY" "$ROOT/scripts/translations.py" "$1" ;;
    *) echo "usage: $0 update|compile|errors" >&2; exit 2 ;;
esac
