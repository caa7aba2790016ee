#!/usr/bin/env python3
"""Continuous protection benchmark (issue 15): whole commands as users run them, against
baselines measured in the same run.

    .venv/bin/python tests/benchmarks/bench_continuous.py --size-mb 1000 [--selling-s 600]

Builds a POS database (``tests/support/dbgen.py``, rollback journal) and a profile with
``--schedule continuous``, then measures, each step a whole ``kasirbackup`` command in its
own process (``/usr/bin/time``: wall, user + system CPU, peak RSS):

1. the first backup (``run --trigger continuous``: capture, store, whole drill) against
   ``sqlite3 .backup`` and restic's first backup of the same file;
2. the watch's look at an unchanged database (median of 2,000 looks, in process) and that
   nothing is written;
3. one sale, then ``run --trigger continuous`` (``--repeat`` times): wall and CPU;
4. a shop day of sales (``--sales``), then ``run --trigger continuous``, against restic's
   second backup of the same file (time and what each adds);
5. ``restore --snapshot latest --to NEW`` against ``cp`` + ``sync``;
6. ``kasirbackup daemon`` while a writer sells one sale a second for ``--selling-s``
   seconds: the daemon's average CPU, failed sales, and for every sale acknowledged, the
   first checked snapshot holding it and how long after the acknowledgement it was taken.

Prints a table of ratios and targets (exit 1 when one is missed); results go to
docs/PERFORMANCE.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from bench_backup import (CLI, MB, Report, Writer, _proc_cpu, common_args, du_bytes, finish, fmt_b,  # noqa: E402
                          fmt_s, make_db, ratio, rm, settle, sqlite_cli_backup, start, wait_quiet)

from kasirbackup.core.snapshot.watch import look  # noqa: E402
from tests.support.dbgen import simulate_day_of_sales  # noqa: E402

ONE_SALE_S = 0.5
ONE_SALE_CPU = 0.5
LOOK_MS = 5.0
RSS_1G = 200 * MB
DAEMON_CPU = 0.05
LAG_S = 60.0


def timed(cmd: list[str], env: dict, log: Path) -> dict:
    """Run ``cmd``; wall, CPU (user + system) and peak RSS of that process (GNU time)."""
    timing = log.with_suffix(".time")
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", str(timing), *cmd], env=env,
                           stdout=out, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - t0
    user, sys_, kib = timing.read_text().split()[-3:]
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {log.read_text()[-500:]}")
    return {"wall": wall, "cpu": float(user) + float(sys_), "rss": int(kib) * 1024}


def kb(*args: str) -> list[str]:
    return [str(CLI), *args]


def restic_env(work: Path) -> dict | None:
    if not shutil.which("restic"):
        return None
    return dict(os.environ, RESTIC_PASSWORD="kasirbench", RESTIC_REPOSITORY=str(work / "restic-repo"),
                RESTIC_CACHE_DIR=str(work / "restic-cache"))


def newest(env: dict, repo: Path) -> list[dict]:
    out = subprocess.run(kb("list", "--repo", str(repo), "--json"), env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def max_sale_in(env: dict, repo: Path, snap_id: str, work: Path) -> int:
    out = work / f"check-{snap_id[:8]}.db"
    if not out.exists():
        subprocess.run(kb("restore", "--repo", str(repo), "--snapshot", snap_id, "--to", str(out)), env=env,
                       check=True, capture_output=True)
    conn = sqlite3.connect(out)
    try:
        return conn.execute("SELECT max(id) FROM transaksi").fetchone()[0] or 0
    finally:
        conn.close()


def run(rep: Report, work: Path, args) -> None:
    src = work / "kasir.db"
    repo = work / "repo"
    make_db(rep, src, args, "delete")
    env = dict(os.environ, KASIRBACKUP_CONFIG_DIR=str(work / "config"), KASIRBACKUP_DATA_DIR=str(work / "data"),
               KASIRBACKUP_LOG_DIR=str(work / "logs"))
    subprocess.run(kb("profile", "add", "--name", "toko", "--db", str(src), "--repo", str(repo),
                      "--schedule", "continuous"), env=env, check=True, capture_output=True)
    renv = restic_env(work)
    cont = kb("run", "--profile", "toko", "--trigger", "continuous")

    # 1. first backup ------------------------------------------------------------------------------
    sec = "1 full backup"
    settle(src)
    wait_quiet()
    base = work / "sqlite-backup.db"
    t0 = time.perf_counter()
    sqlite_cli_backup(src, base)
    t_sqlite = time.perf_counter() - t0
    rm(base)
    settle(src)
    wait_quiet()
    first = timed(cont, env, work / "first.log")
    rep.add(sec, "sqlite3 .backup", fmt_s(t_sqlite))
    t_restic_first = None
    if renv:
        subprocess.run(["restic", "init"], env=renv, check=True, capture_output=True)
        settle(src)
        wait_quiet()
        t_restic_first = timed(["restic", "backup", "--quiet", str(src)], renv, work / "restic1.log")["wall"]
        rep.add(sec, "restic first backup", fmt_s(t_restic_first))
    rep.add(sec, "kasirbackup run (continuous, first: whole drill)",
            f"{fmt_s(first['wall'])}, CPU {first['cpu']:.2f} s, RSS {fmt_b(first['rss'])}",
            ratio(first["wall"], t_restic_first) + " restic" if t_restic_first else ratio(first["wall"], t_sqlite),
            "≤ restic's first backup", ok=first["wall"] <= t_restic_first if t_restic_first else None)
    rep.add(sec, "peak RSS, first backup", fmt_b(first["rss"]), target="≤ 200 MB at 1 GiB",
            ok=first["rss"] <= RSS_1G if args.size_mb >= 900 else None)

    # 2. the look ----------------------------------------------------------------------------------
    sec = "2 watch"
    before = du_bytes(repo)
    times = []
    for _ in range(2000):
        t0 = time.perf_counter()
        look(src)
        times.append(time.perf_counter() - t0)
    ms = statistics.median(times) * 1000
    rep.add(sec, "look at an unchanged database (median of 2,000)",
            f"{ms:.3f} ms (p99 {sorted(times)[1979] * 1000:.3f} ms)", target="≤ 5 ms, nothing written",
            ok=ms <= LOOK_MS and du_bytes(repo) == before)

    # 3. one sale ----------------------------------------------------------------------------------
    sec = "3 one sale"
    samples = []
    for i in range(args.repeat):
        simulate_day_of_sales(str(src), 1, seed=100 + i)
        settle(src)
        wait_quiet()
        samples.append(timed(cont, env, work / f"one-{i}.log"))
    wall = statistics.median(s["wall"] for s in samples)
    cpu = statistics.median(s["cpu"] for s in samples)
    added = newest(env, repo)[0]["added_bytes"]
    floor = timed(kb("--version"), env, work / "version.log")
    rep.add(sec, "kasirbackup run --trigger continuous after one sale (whole command)",
            f"{fmt_s(wall)}, CPU {cpu:.2f} s, RSS {fmt_b(max(s['rss'] for s in samples))}, adds {fmt_b(added)}",
            f"{ratio(wall, floor['wall'])} of 'kasirbackup --version' ({fmt_s(floor['wall'])})",
            "≤ 0.5 s wall, ≤ 0.5 CPU-s", ok=wall <= ONE_SALE_S and cpu <= ONE_SALE_CPU)

    # 4. a shop day --------------------------------------------------------------------------------
    sec = "4 shop day"
    pre = work / "pre-day.db"
    shutil.copyfile(src, pre)
    if renv:
        staged = work / "restic-src" / "kasir.db"
        staged.parent.mkdir(exist_ok=True)
        shutil.copyfile(pre, staged)
        subprocess.run(["restic", "backup", "--quiet", str(staged)], env=renv, check=True, capture_output=True)
    simulate_day_of_sales(str(src), args.sales, seed=7)
    settle(src)
    wait_quiet()
    day = timed(cont, env, work / "day.log")
    day_added = newest(env, repo)[0]["added_bytes"]
    if renv:
        shutil.copyfile(src, staged)
        grown = du_bytes(work / "restic-repo")
        settle(staged)
        wait_quiet()
        r2 = timed(["restic", "backup", "--quiet", "--force", str(staged)], renv, work / "restic2.log")
        r_added = du_bytes(work / "restic-repo") - grown
        rep.add(sec, "restic second backup", f"{fmt_s(r2['wall'])}, adds {fmt_b(r_added)}")
        rep.add(sec, f"kasirbackup run after {args.sales} sales (whole command)",
                f"{fmt_s(day['wall'])}, CPU {day['cpu']:.2f} s, RSS {fmt_b(day['rss'])}, adds {fmt_b(day_added)}",
                f"{ratio(day['wall'], r2['wall'])} restic's time, {r_added / max(1, day_added):.1f}x less data",
                "≤ restic's time, ≥ 5x less data", ok=day["wall"] <= r2["wall"] and day_added * 5 <= r_added)
    else:
        rep.add(sec, "restic", "blocked: restic is not installed (apt-get install -y restic)", status="blocked")
    rm(pre)

    # 5. restore to a new file ----------------------------------------------------------------------
    sec = "5 restore"
    out, cp_out = work / "restored.db", work / "cp.db"
    settle(repo)
    wait_quiet()
    drilled = next(x for x in newest(env, repo) if x["check"] == "drill")
    res = timed(kb("restore", "--repo", str(repo), "--snapshot", drilled["id"], "--to", str(out)), env,
                work / "restore.log")
    rm(out)
    settle(repo)
    wait_quiet()
    res_rb = timed(kb("restore", "--repo", str(repo), "--snapshot", "latest", "--to", str(out)), env,
                   work / "restore-rb.log")
    rm(out)
    settle(src)
    wait_quiet()
    t0 = time.perf_counter()
    subprocess.run(["cp", str(src), str(cp_out)], check=True)
    subprocess.run(["sync", str(cp_out)], check=True)
    t_cp = time.perf_counter() - t0
    rm(cp_out)
    rep.add(sec, "cp + sync", fmt_s(t_cp))
    rep.add(sec, "kasirbackup restore of a drilled backup to a new file (whole command)",
            f"{fmt_s(res['wall'])}, RSS {fmt_b(res['rss'])}", ratio(res["wall"], t_cp), "≤ 2x cp + sync",
            ok=res["wall"] <= 2 * t_cp)
    rep.add(sec, "kasirbackup restore of a read-back backup (every page checked + quick_check first)",
            f"{fmt_s(res_rb['wall'])}, RSS {fmt_b(res_rb['rss'])}", ratio(res_rb["wall"], t_cp))

    # 6. selling while the daemon watches ----------------------------------------------------------
    sec = "6 selling"
    daemon = subprocess.Popen(kb("daemon"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    writer = Writer(src, work, "sell", interval_ms=1000)
    try:
        writer.wait_ready()
        marks = []                      # (time, newest acknowledged id)
        c0, t0 = _proc_cpu(daemon.pid), time.monotonic()
        while time.monotonic() - t0 < args.selling_s:
            time.sleep(1.0)
            ids = writer.acked_ids()
            if ids:
                marks.append((time.time(), ids[-1]))
        cpu_used = _proc_cpu(daemon.pid) - c0
        elapsed = time.monotonic() - t0
        stats = writer.stop()
        time.sleep(75)                  # the last sales' snapshot
        snaps = [s for s in newest(env, repo) if s["kind"] == "continuous" and s["verified"]]
        held = sorted((_ts(s["created_at"]), max_sale_in(env, repo, s["id"], work)) for s in snaps)
        lags = []
        for t_ack, sid in marks:
            t_snap = next((ts for ts, top in held if top >= sid and ts >= t_ack - 5), None)
            lags.append(float("inf") if t_snap is None else t_snap - t_ack)
    finally:
        writer.kill()
        daemon.terminate()
        daemon.wait(60)
    share = cpu_used / elapsed
    rep.add(sec, f"daemon CPU while selling one sale/s for {elapsed:.0f} s", f"{share * 100:.1f} % of one core",
            target="≤ 5 %", ok=share <= DAEMON_CPU)
    rep.add(sec, "failed sales", f"{stats['failures']} of {stats['attempts']}", target="0",
            ok=stats["failures"] == 0)
    worst = max(lags) if lags else float("inf")
    rep.add(sec, "acknowledged → in a checked snapshot (worst of the sampled sales)",
            f"{worst:.1f} s (median {statistics.median(lags):.1f} s, {len(held)} snapshots)" if lags else "none",
            target="≤ 60 s + the snapshot's own time", ok=worst <= LAG_S + 5)


def s3_increment(rep: Report, work: Path, args) -> None:
    """7. The same one-sale increment into a folder and into S3-compatible storage (moto on
    loopback): whole commands, interleaved."""
    from tests.support.s3server import MotoServer

    sec = "7 online storage"
    src = work / "kasir.db"
    if not src.exists():
        make_db(rep, src, args, "delete")
    srv = MotoServer(work)
    try:
        env = dict(os.environ, KASIRBACKUP_CONFIG_DIR=str(work / "config-s3"), KASIRBACKUP_DATA_DIR=str(work / "data-s3"),
                   KASIRBACKUP_LOG_DIR=str(work / "logs"), AWS_ENDPOINT_URL=srv.url, AWS_ACCESS_KEY_ID="test",
                   AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
        srv.client().create_bucket(Bucket="toko-bench")
        for name, repo in (("local", str(work / "repo-local")), ("online", "s3://toko-bench/toko")):
            subprocess.run(kb("profile", "add", "--name", name, "--db", str(src), "--repo", repo,
                              "--schedule", "continuous"), env=env, check=True, capture_output=True)
            timed(kb("run", "--profile", name, "--trigger", "continuous"), env, work / f"s3-first-{name}.log")
        local, online = [], []
        for i in range(args.repeat):
            simulate_day_of_sales(str(src), 1, seed=300 + i)
            settle(src)
            wait_quiet()
            local.append(timed(kb("run", "--profile", "local", "--trigger", "continuous"), env, work / "s3-l.log"))
            wait_quiet()
            online.append(timed(kb("run", "--profile", "online", "--trigger", "continuous"), env, work / "s3-o.log"))
        tl = statistics.median(x["wall"] for x in local)
        to = statistics.median(x["wall"] for x in online)
        rep.add(sec, "one-sale increment to a folder (whole command)", fmt_s(tl))
        rep.add(sec, "the same increment to S3 (moto on loopback, whole command)", fmt_s(to), ratio(to, tl),
                "≤ 2x the folder", ok=to <= 2 * tl)
    finally:
        srv.stop()


def _ts(iso: str) -> float:
    from datetime import datetime
    return datetime.fromisoformat(iso).timestamp()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_args(ap)
    ap.add_argument("--sales", type=int, default=2000, help="sales in the simulated shop day (default 2000)")
    ap.add_argument("--selling-s", type=float, default=600.0, help="seconds of selling under the daemon")
    ap.add_argument("--s3", action="store_true", help="also (or with --only-s3: only) the increment to S3 (moto)")
    ap.add_argument("--only-s3", action="store_true")
    args = ap.parse_args(argv)
    rep, work = start(args, "kasircont-", f"KasirBackup continuous protection, {args.size_mb:g} MB POS database")
    try:
        if not args.only_s3:
            run(rep, work, args)
        if args.s3 or args.only_s3:
            s3_increment(rep, work, args)
    finally:
        if args.keep:
            print(f"scratch files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return finish(rep, args.json_out)


if __name__ == "__main__":
    sys.exit(main())
