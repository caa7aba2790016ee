"""``python -m kasirbackup`` for mutmut's stats run: writes the functions it called (its
trampoline hits) to ``$KASIRBACKUP_MUTMUT_HITS`` when it exits. See mutation_map.py."""

import atexit
import os
import runpy
import sys


def _write_hits() -> None:
    from mutmut.state import state
    with open(os.environ["KASIRBACKUP_MUTMUT_HITS"], "a", encoding="utf-8") as f:
        f.write("".join(name + "\n" for name in sorted(state()._stats)))


atexit.register(_write_hits)
sys.argv[0] = "kasirbackup"
runpy.run_module("kasirbackup", run_name="__main__", alter_sys=True)
