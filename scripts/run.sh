#!/usr/bin/env bash
# Set up (first time only) and start KasirBackup. Arguments go to the kasirbackup command;
# without arguments the desktop application opens.
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
if [ $# -eq 0 ]; then set -- gui; fi
exec .venv/bin/kasirbackup "$@"
