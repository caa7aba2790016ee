#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite. Extra arguments go to pytest.
KB_EXTRAS=test
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
ensure_debs sqlite3 systemd libreoffice-calc-nogui binutils "${QT_OFFSCREEN_DEBS[@]}"
export QT_QPA_PLATFORM=offscreen
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
[ $rc -eq 5 ] && echo "no tests were collected" >&2
exit $rc
