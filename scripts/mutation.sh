#!/usr/bin/env bash
# Mutation run of the modules that guard our promises (verification, restore, lock, crypto,
# retention, prune: [tool.mutmut] in pyproject.toml). A tool, not a CI gate: it takes about
# an hour on two cores. Arguments are mutant-name globs, e.g. 'kasirbackup.core.repo.lock*'.
# The score and the remaining survivors are written up in docs/TESTING.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
KB_EXTRAS=mutation
source scripts/_setup.sh
ensure_debs sqlite3 "${QT_OFFSCREEN_DEBS[@]}"
export QT_QPA_PLATFORM=offscreen
# as in scripts/test.sh: file permissions bind and tmpfs mounts work in the same run
no_override=(setpriv --bounding-set=-dac_override,-dac_read_search --)
if [ "$(id -u)" = 0 ]; then wrap=("${no_override[@]}")
else wrap=(unshare --user --map-root-user --mount "${no_override[@]}"); fi
"${wrap[@]}" true 2>/dev/null || wrap=()
"${wrap[@]}" .venv/bin/mutmut run "$@" || true
.venv/bin/mutmut export-cicd-stats >/dev/null 2>&1 || true
.venv/bin/mutmut results --all true > mutants/results.txt 2>&1 || .venv/bin/mutmut results > mutants/results.txt
.venv/bin/python scripts/mutation_score.py mutants
echo "survivors, with why each survives: 'python scripts/mutation_survivors.py --out docs/MUTATION_SURVIVORS.md'"
echo "(mutmut show NAME shows one)"
echo "'python scripts/mutation_score.py --write docs/TESTING.md' puts the table above into docs/TESTING.md"
