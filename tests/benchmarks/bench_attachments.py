#!/usr/bin/env python3
"""Attachments benchmark (issue 17): a folder of generated photos backed up with the shop's
database, whole commands as users run them, against baselines measured in the same run.

    .venv/bin/python tests/benchmarks/bench_attachments.py [--photos 5000] [--size-mb 1000] [--repeat 3]

Generates ``--photos`` JPEG-like files (a JPEG header and random bytes: as incompressible as
real photos) of random sizes totalling about ``--size-mb``, in 50 sub-folders, beside a
small POS database. Each step is one ``kasirbackup`` command in its own process
(``/usr/bin/time``: wall, user + system CPU, peak RSS), warm page cache, medians:

1. the first backup (``backup --attach``: read, chunk, store, and the drill that rebuilds
   and hashes every file) against ``tar -c | zstd -T0 -3`` of the folder (target ≤ 1.5×),
   and restic's first backup of the folder (for reference);
2. the same backup again with nothing changed (target ≤ 0.5 s);
3. one photo replaced by another of the same size: what the backup adds, against the
   photo's own ``zstd -3`` size + 1 KB (target);
4. ``restore --attachments-to`` of the whole folder against ``tar -x`` of the archive.

Prints each figure with its ratio and target; exit 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from bench_backup import CLI, MB, as_installed, du_bytes, fmt_b, fmt_s, ratio, rm, settle, wait_quiet  # noqa: E402
from bench_continuous import timed  # noqa: E402

FIRST_RATIO = 1.5
UNCHANGED_S = 0.5
ONE_PHOTO_SLACK = 1024
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def make_folder(root: Path, photos: int, total: int, seed: int = 17) -> int:
    rnd = random.Random(seed)
    mean = total / photos
    written = 0
    for i in range(photos):
        sub = root / f"kategori-{i % 50:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        size = max(2000, int(rnd.uniform(0.3, 1.7) * mean))
        (sub / f"produk-{i:05d}.jpg").write_bytes(JPEG + os.urandom(size - len(JPEG)))
        written += size
    return written


def make_db(path: Path, photos: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE products(id INTEGER PRIMARY KEY, name TEXT, photo TEXT, price INTEGER)")
    conn.executemany("INSERT INTO products(name, photo, price) VALUES (?, ?, ?)",
                     [(f"Produk {i}", f"kategori-{i % 50:02d}/produk-{i:05d}.jpg", 1000 + i) for i in range(photos)])
    conn.commit()
    conn.close()


def sh(cmd: str, env: dict, log: Path) -> dict:
    return timed(["bash", "-c", cmd], env, log)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--photos", type=int, default=5000)
    ap.add_argument("--size-mb", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kb-bench-attachments"))
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args(argv)
    as_installed()
    work = args.work
    rm(work)
    work.mkdir(parents=True, exist_ok=True)
    shop = work / "shop"
    photos = shop / "static" / "uploads"
    total = make_folder(photos, args.photos, args.size_mb * MB)
    db = shop / "kasir.db"
    make_db(db, args.photos)
    env = dict(os.environ, KASIRBACKUP_DATA_DIR=str(work / "_data"), KASIRBACKUP_CONFIG_DIR=str(work / "_config"),
               KASIRBACKUP_LOG_DIR=str(work / "_logs"), RESTIC_PASSWORD="kasirbench",
               RESTIC_CACHE_DIR=str(work / "restic-cache"))
    print(f"{args.photos} photos, {fmt_b(total)} in {photos}", flush=True)
    rows: list[dict] = []
    missed: list[str] = []

    def add(name: str, value: str, rat: str = "", target: str = "", ok: bool | None = None, raw=None) -> None:
        status = "info" if ok is None else ("met" if ok else "MISSED")
        rows.append({"name": name, "value": value, "ratio": rat, "target": target, "status": status, "raw": raw})
        if ok is False:
            missed.append(name)
        print(f"  [{status:>6}] {name}: {value}" + (f"  ratio {rat}" if rat else "")
              + (f"  (target {target})" if target else ""), flush=True)

    kb_first, tar_first, restic_first = [], [], []
    repo = work / "repo"
    for n in range(args.repeat):
        for what, runs in (("tar", tar_first), ("kb", kb_first), ("restic", restic_first)):
            rm({"tar": work / "shop.tar.zst", "kb": repo, "restic": work / "restic-repo"}[what])
            settle(photos, db)
            wait_quiet()
            if what == "tar":
                runs.append(sh(f"tar -C {photos.parent} -cf - {photos.name} | zstd -T0 -3 -q -o {work}/shop.tar.zst",
                               env, work / f"tar-{n}.log"))
                runs[-1]["bytes"] = (work / "shop.tar.zst").stat().st_size
            elif what == "kb":
                runs.append(timed([str(CLI), "backup", "--db", str(db), "--repo", str(repo), "--attach", str(photos)],
                                  env, work / f"kb-first-{n}.log"))
                runs[-1]["bytes"] = du_bytes(repo)
            elif shutil.which("restic"):
                subprocess.run(["restic", "init", "-r", str(work / "restic-repo")], env=env, check=True,
                               capture_output=True)
                runs.append(timed(["restic", "-r", str(work / "restic-repo"), "backup", "-q", str(photos)],
                                  env, work / f"restic-{n}.log"))
    med = lambda rs, k="wall": statistics.median(r[k] for r in rs)  # noqa: E731
    add("tar -c | zstd -T0 -3 of the folder", f"{fmt_s(med(tar_first))}, {fmt_b(med(tar_first, 'bytes'))}",
        raw=tar_first)
    if restic_first:
        add("restic first backup of the folder", fmt_s(med(restic_first)), raw=restic_first)
    r = med(kb_first) / med(tar_first)
    add("first backup with the photos (whole command, drill included)",
        f"{fmt_s(med(kb_first))}, CPU {med(kb_first, 'cpu'):.2f} s, RSS {fmt_b(med(kb_first, 'rss'))}, "
        f"repository {fmt_b(med(kb_first, 'bytes'))}", ratio(med(kb_first), med(tar_first)),
        f"≤ {FIRST_RATIO}× tar | zstd", r <= FIRST_RATIO, kb_first)

    again = []
    for n in range(args.repeat):
        settle(photos, db)
        wait_quiet()
        again.append(timed([str(CLI), "backup", "--db", str(db), "--repo", str(repo), "--attach", str(photos),
                            "--json"], env, work / f"kb-again-{n}.log"))
        text = (work / f"kb-again-{n}.log").read_text()
        out = json.loads(text[text.index("{"):])
        again[-1]["added"] = out["added_bytes"]
        again[-1]["read"] = out.get("attachments_read")
    add("second backup, nothing changed (whole command)",
        f"{fmt_s(med(again))}, CPU {med(again, 'cpu'):.2f} s, adds {fmt_b(med(again, 'added'))}, "
        f"{again[-1]['read']} files read", "", f"≤ {UNCHANGED_S} s", med(again) <= UNCHANGED_S, again)

    changed = []
    victims = sorted(photos.rglob("*.jpg"))
    for n in range(args.repeat):
        victim = victims[n * 97 % len(victims)]
        size = victim.stat().st_size
        new = JPEG + os.urandom(size - len(JPEG))
        victim.write_bytes(new)
        z = subprocess.run(["zstd", "-3", "-c", str(victim)], capture_output=True, check=True).stdout
        settle(photos, db)
        log = work / f"kb-one-{n}.log"
        changed.append(timed([str(CLI), "backup", "--db", str(db), "--repo", str(repo), "--attach", str(photos),
                              "--json"], env, log))
        text = log.read_text()
        out = json.loads(text[text.index("{"):])
        changed[-1].update(added=out["added_bytes"], photo_zstd=len(z), manifest=_manifest_size(repo, out["id"]))
    worst = max(c["added"] - c["photo_zstd"] for c in changed)
    worst_files = max(c["added"] - c["photo_zstd"] - c["manifest"] for c in changed)
    add("one photo replaced: added beyond the photo's zstd -3 size (everything / without the manifest)",
        f"{fmt_b(worst)} / {fmt_b(worst_files)} (photo {fmt_b(changed[-1]['photo_zstd'])}, "
        f"whole command {fmt_s(med(changed))})", "", f"≤ {ONE_PHOTO_SLACK} B", worst <= ONE_PHOTO_SLACK, changed)

    rest, untar = [], []
    for n in range(args.repeat):
        rm(work / "out", work / "untar")
        (work / "untar").mkdir()
        settle(repo, work / "shop.tar.zst")
        wait_quiet()
        untar.append(sh(f"zstd -d -q -c {work}/shop.tar.zst | tar -C {work}/untar -xf - && sync", env,
                        work / f"untar-{n}.log"))
        settle(repo)
        wait_quiet()
        rest.append(timed([str(CLI), "restore", "--repo", str(repo), "--snapshot", "latest", "--attachments-to",
                           str(work / "out")], env, work / f"kb-restore-{n}.log"))
    add("zstd -d | tar -x + sync of the folder", fmt_s(med(untar)), raw=untar)
    add("restore --attachments-to of the folder (whole command, every file checked)",
        f"{fmt_s(med(rest))}, RSS {fmt_b(med(rest, 'rss'))}", ratio(med(rest), med(untar)), raw=rest)

    if args.json_out:
        args.json_out.write_text(json.dumps({"photos": args.photos, "bytes": total, "rows": rows}, indent=1,
                                            default=str))
    print("missed: " + (", ".join(missed) if missed else "none"))
    return 1 if missed else 0


def _manifest_size(repo: Path, snap_id: str) -> int:
    return (repo / "snapshots" / f"{snap_id}.json").stat().st_size


if __name__ == "__main__":
    sys.exit(main())
