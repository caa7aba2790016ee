#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite. Extra arguments go to pytest.
KB_EXTRAS=test
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
ensure_debs sqlite3 systemd libreoffice-calc-nogui binutils "${QT_OFFSCREEN_DEBS[@]}"
export QT_QPA_PLATFORM=offscreen
# One run covers both kinds of reliability test (tests/support/privileges.py): file
# permissions must bind (root normally ignores them) and a tmpfs must be mountable (root
# only). So root runs without the capabilities that override permissions, and anyone else
# runs as root of a user + mount namespace with the same capabilities dropped.
no_override=(setpriv --bounding-set=-dac_override,-dac_read_search --)
if [ "$(id -u)" = 0 ]; then wrap=("${no_override[@]}")
else wrap=(unshare --user --map-root-user --mount "${no_override[@]}"); fi
if "${wrap[@]}" true 2>/dev/null; then
    export KASIRBACKUP_TESTS_EVERYTHING=1
else
    echo "note: cannot run '${wrap[*]}' here; the permission or tmpfs tests will be skipped" >&2
    wrap=()
fi
set +e
"${wrap[@]}" .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
[ $rc -eq 5 ] && echo "no tests were collected" >&2
exit $rc
