#!/usr/bin/env python3
"""Packaged app benchmark: size of the one-folder build and cold start of the frozen GUI.

    .venv/bin/python tests/benchmarks/bench_frozen.py [--app dist/KasirBackup] [--build] [--repeat 7]

1. **Size** of the folder (``du -sb``, bytes; MB = 10^6), with the largest parts.
   Target on Linux: ≤ 150 MB.
2. **Start to a shown window** of the frozen GUI: ``KasirBackup --smoke`` on the offscreen
   platform with private settings folders, timed from the process start until it prints
   ``smoke: main window built`` (after ``window.show()`` and one pass of the event loop;
   stdout is a pseudo-terminal so the line is not buffered until exit). The first run after
   the build is reported as "first" (the page cache cannot be dropped here, so a true cold
   start after a reboot is slower); then ``--repeat`` runs interleaved with the baselines:
   the frozen CLI's ``--version`` (the bootloader + Python start), ``python -c pass`` and
   the unfrozen ``python -m kasirbackup gui --smoke``. Target: ≤ 1.5 s.

``--build`` runs ``packaging/build.sh`` first (into dist/). Prints a table; exits 1 if a
target is missed. Never part of the test run (tests/integration/test_frozen.py checks that
the build works, not how fast it is).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for _p in (ROOT, ROOT / "tests" / "benchmarks"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from bench_backup import Report, du_bytes, machine_facts  # noqa: E402
from bench_gui import SMOKE, START_TARGET_S, private_env, time_to_line  # noqa: E402

MB = 1_000_000
SIZE_TARGET = 150 * MB


def biggest_parts(folder: Path, n: int = 6) -> list[tuple[str, int]]:
    internal = folder / "_internal"
    parts = []
    for p in internal.iterdir():
        if p.is_symlink():
            continue
        size = du_bytes(p) if p.is_dir() else p.stat().st_size
        parts.append((p.name, size))
    qt = internal / "PySide6" / "Qt" / "lib"
    if qt.is_dir():
        parts += [(f"PySide6/Qt/lib/{p.name}", p.stat().st_size) for p in qt.iterdir() if p.is_file()]
    return sorted(parts, key=lambda x: -x[1])[:n]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--app", type=Path, default=ROOT / "dist" / "KasirBackup", help="the one-folder build")
    ap.add_argument("--build", action="store_true", help="run packaging/build.sh first")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    if args.build:
        t0 = time.perf_counter()
        subprocess.run([str(ROOT / "packaging" / "build.sh")], check=True, cwd=str(ROOT))
        print(f"build took {time.perf_counter() - t0:.0f} s")
    app = args.app
    exe_suffix = ".exe" if sys.platform == "win32" else ""
    gui = app / f"KasirBackup{exe_suffix}"
    cli = app / (("kasirbackup-cli" if sys.platform in ("win32", "darwin") else "kasirbackup") + exe_suffix)
    if not gui.exists():
        print(f"{gui} is missing: run `make package` (or pass --build)", file=sys.stderr)
        return 2

    rep = Report("KasirBackup packaged app benchmark")
    rep.facts.update(machine_facts())
    print(rep.title, flush=True)

    size = du_bytes(app)
    rep.add("size", f"one-folder build {app.name}/", f"{size / MB:.1f} MB ({size / 2**20:.1f} MiB)",
            ratio=f"{size / SIZE_TARGET:.2f}x target", target="≤ 150 MB", ok=size <= SIZE_TARGET)
    for name, part in biggest_parts(app):
        rep.add("size", f"  of which {name}", f"{part / MB:.1f} MB")

    with tempfile.TemporaryDirectory(prefix="kasirbench-frozen-") as tmp:
        base = Path(tmp)
        env_for = lambda name: private_env(base / name.replace(" ", "_").replace("/", "_"))  # noqa: E731
        first = time_to_line([str(gui), "--smoke"], env_for("first"))
        cmds = {
            "frozen KasirBackup --smoke": ([str(gui), "--smoke"], SMOKE),
            "frozen kasirbackup --version": ([str(cli), "--version"], None),
            "python -c pass": ([sys.executable, "-c", "pass"], None),
            "unfrozen kasirbackup gui --smoke": ([sys.executable, "-m", "kasirbackup", "gui", "--smoke"], SMOKE),
        }
        for cmd, marker in cmds.values():        # one untimed run each
            time_to_line(cmd, env_for("warm"), marker=marker)
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
        for _ in range(args.repeat):
            for name, (cmd, marker) in cmds.items():
                runs[name].append(time_to_line(cmd, env_for(name), marker=marker))

    med = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    shown = med["frozen KasirBackup --smoke"]
    rep.add("start", "python -c pass (baseline)", f"{med['python -c pass'] * 1000:.0f} ms")
    rep.add("start", "frozen kasirbackup --version (bootloader + Python + CLI)",
            f"{med['frozen kasirbackup --version'] * 1000:.0f} ms")
    rep.add("start", "unfrozen: start → main window shown (median)", f"{med['unfrozen kasirbackup gui --smoke']:.3f} s")
    rep.add("start", "frozen: first run after the build (shown)", f"{first[0]:.3f} s", target=f"≤ {START_TARGET_S} s",
            ok=first[0] <= START_TARGET_S)
    rep.add("start", "frozen: start → main window shown (median)", f"{shown:.3f} s",
            ratio=f"{shown / med['unfrozen kasirbackup gui --smoke']:.2f}x unfrozen, "
                  f"{shown / med['python -c pass']:.1f}x python -c pass",
            target=f"≤ {START_TARGET_S} s", ok=shown <= START_TARGET_S)
    rep.add("start", "frozen: whole --smoke process (incl. shutdown, median)",
            f"{statistics.median(r[1] for r in runs['frozen KasirBackup --smoke']):.3f} s")
    print()
    print(rep.table())
    if rep.missed:
        print("\nTARGETS MISSED:")
        for r in rep.missed:
            print(f"  - {r.section}: {r.name}: {r.value} (target {r.target})")
        return 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
