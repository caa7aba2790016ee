"""Let mutmut see the engine code that command-line tests run in a subprocess.

mutmut maps each mutated function to the tests that call it by recording "trampoline hits"
in the test process (``MUTANT_UNDER_TEST=stats``). A test that runs ``python -m
kasirbackup`` calls the engine in a child process, whose hits were lost, so mutmut never
ran that test against the mutants it would kill. While mutmut collects its map, the
command line starts through ``mutation_child.py`` instead: the child appends its hits to a
file when it exits and :func:`collect` adds them to the test's own. Outside a mutmut
stats run this module changes nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

CHILD = Path(__file__).with_name("mutation_child.py")
HITS_VAR = "KASIRBACKUP_MUTMUT_HITS"


def collecting(env: dict) -> bool:
    return env.get("MUTANT_UNDER_TEST") == "stats"


def command(env: dict, *args: str) -> tuple[list[str], dict]:
    """The argv and environment that run ``python -m kasirbackup ARGS``."""
    if not collecting(env):
        return [sys.executable, "-m", "kasirbackup", *args], env
    fd, hits = tempfile.mkstemp(prefix="mutmut-hits-", suffix=".txt")
    os.close(fd)
    return [sys.executable, str(CHILD), *args], dict(env, **{HITS_VAR: hits})


#: test files whose command-line runs guard only some modules: the prune tests restore every
#: kept backup and back up twenty times, passing through the restore and the drill
#: hundreds of times without checking them (their own tests do). Counted for those
#: modules, every surviving restore or drill mutant would run them for a minute.
CHILD_HITS_ONLY_FOR = {
    "tests/integration/test_prune.py": ("kasirbackup.core.retention.",),
}


def collect(env: dict) -> None:
    """Add the child's recorded hits to this test's, and remove the file."""
    hits = env.get(HITS_VAR)
    if not hits:
        return
    try:
        names = Path(hits).read_text(encoding="utf-8").split()
    except OSError:
        return
    finally:
        Path(hits).unlink(missing_ok=True)
    test_file = os.environ.get("PYTEST_CURRENT_TEST", "").split("::", 1)[0]
    only = CHILD_HITS_ONLY_FOR.get(test_file)
    if only is not None:
        names = [n for n in names if n.startswith(only)]
    from mutmut.state import state  # only present while mutmut runs the tests
    state()._stats.update(names)


def setup_cache(name: str, root: Path) -> Path | None:
    """Under mutmut only: a folder kept from one mutant's test run to the next, for set-up
    that takes long and that the stats run (no mutant active) builds once, e.g. the prune
    tests' twenty command-line backups. Keyed by every source file under ``root`` (the
    mutated copies are fixed for a whole mutmut run), so changed code builds afresh. The
    caller fills it and writes ``done`` last; None outside mutmut (build in a temp folder)."""
    if "MUTANT_UNDER_TEST" not in os.environ:
        return None
    import hashlib
    h = hashlib.sha256()
    for path in sorted((root / "kasirbackup").rglob("*.py")) + sorted((root / "tests").rglob("*kit.py")):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return root / ".mutmut-setup" / f"{name}-{h.hexdigest()[:16]}"
