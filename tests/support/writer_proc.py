"""Stand-in for the POS application, writing sales while a backup runs.

Run as a separate process (stdlib only)::

    python writer_proc.py DB --interval-ms 50 --busy-timeout-ms 5000 \\
        --stop-file PATH --ack-log PATH --stats PATH [--max-seconds N]

Each iteration records one sale inside ``BEGIN IMMEDIATE ... COMMIT``: a row
in ``transaksi`` when the POS schema of ``dbgen.make_pos_db`` is present,
otherwise a row in ``writer_log`` (created if missing).  The journal mode is
never changed.

* The duration of every attempt, from ``BEGIN IMMEDIATE`` until ``COMMIT``
  returned or failed, is a "stall" sample (busy waits included, so a failed
  attempt usually shows up as ~busy-timeout).
* After a successful COMMIT the new row id is appended to the ack log, which
  is flushed and fsynced: every id in that file is an acknowledged sale.
* ``sqlite3.Error`` (typically "database is locked") counts as a failure:
  the transaction is rolled back, the message kept, and the loop continues.
* ``READY`` is printed (flushed) after the first successful commit.
* Stops when the stop file exists, after ``--max-seconds``, or on
  SIGTERM/SIGINT, then writes the stats JSON atomically (tmp + rename)::

    {attempts, commits, failures, failure_messages (first 10),
     max_stall_ms, p50_stall_ms, p99_stall_ms, first_id, last_id,
     mode ("transaksi" | "writer_log"), elapsed_s, stop_reason}

  Percentiles use the nearest-rank method over all attempts; they are null
  when there were no attempts, as are first_id/last_id without commits.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import signal
import sqlite3
import sys
import time

_MAX_MESSAGES = 10
_SLEEP_SLICE_S = 0.02     # sleep granularity, so stop requests are noticed quickly

_stop_signal: str | None = None


def _on_signal(signum, _frame) -> None:
    # Only set a flag: the loop finishes the current attempt (a commit is
    # never left un-acked) and then writes the stats.
    global _stop_signal
    _stop_signal = signal.Signals(signum).name


def _percentile(sorted_values: list[float], pct: float) -> float | None:
    if not sorted_values:
        return None
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return round(sorted_values[rank - 1], 3)


def _write_json_atomic(path: str, data: dict) -> None:
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _has_pos_schema(con: sqlite3.Connection) -> bool:
    cols = {r[1] for r in con.execute("PRAGMA table_info(transaksi)")}
    return {"kode", "tanggal", "subtotal", "diskon", "total", "bayar", "kembalian", "metode"} <= cols


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write one sale every interval until told to stop.")
    ap.add_argument("db")
    ap.add_argument("--interval-ms", type=float, default=50)
    ap.add_argument("--busy-timeout-ms", type=float, default=5000)
    ap.add_argument("--stop-file", required=True)
    ap.add_argument("--ack-log", required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--max-seconds", type=float, default=None)
    args = ap.parse_args(argv)

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    t_start = time.monotonic()
    deadline = None if args.max_seconds is None else t_start + args.max_seconds
    # isolation_level=None: the module issues no implicit BEGIN/COMMIT, we do.
    con = sqlite3.connect(args.db, timeout=args.busy_timeout_ms / 1000, isolation_level=None)
    # Schema checks need a read lock; a writer holding an exclusive lock at
    # startup (rollback-journal mode) is waited out by the busy timeout.
    if _has_pos_schema(con):
        mode = "transaksi"
        insert_sql = ("INSERT INTO transaksi (kode, tanggal, subtotal, diskon, total, bayar, kembalian,"
                      " metode, kasir, pelanggan_id) VALUES (?, ?, ?, 0, ?, ?, ?, 'TUNAI', 'WRITER', NULL)")
    else:
        mode = "writer_log"
        con.execute("CREATE TABLE IF NOT EXISTS writer_log (id INTEGER PRIMARY KEY, payload TEXT, at TEXT)")
        insert_sql = "INSERT INTO writer_log (payload, at) VALUES (?, ?)"

    ack = open(args.ack_log, "a", encoding="ascii")
    attempts = commits = failures = 0
    messages: list[str] = []
    stalls: list[float] = []
    first_id = last_id = None
    stop_reason = None
    pid = os.getpid()

    while True:
        if _stop_signal:
            stop_reason = _stop_signal
        elif os.path.exists(args.stop_file):
            stop_reason = "stop-file"
        elif deadline is not None and time.monotonic() >= deadline:
            stop_reason = "max-seconds"
        if stop_reason:
            break

        attempts += 1
        now = _dt.datetime.now()
        if mode == "transaksi":
            amount = 1000 * (1 + attempts % 97)
            params = (f"TRX{now:%Y%m%d}W{pid}-{attempts:06d}", now.strftime("%Y-%m-%d %H:%M:%S"),
                      amount, amount, amount, 0)
        else:
            params = (f"sale {attempts} from pid {pid}", now.isoformat(timespec="milliseconds"))
        t0 = time.perf_counter()
        try:
            con.execute("BEGIN IMMEDIATE")
            row_id = con.execute(insert_sql, params).lastrowid
            con.execute("COMMIT")
        except sqlite3.Error as e:
            stalls.append((time.perf_counter() - t0) * 1000)
            failures += 1
            if len(messages) < _MAX_MESSAGES:
                messages.append(str(e) if isinstance(e, sqlite3.OperationalError) else f"{type(e).__name__}: {e}")
            if con.in_transaction:
                try:
                    con.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
        else:
            stalls.append((time.perf_counter() - t0) * 1000)
            commits += 1
            ack.write(f"{row_id}\n")
            ack.flush()
            os.fsync(ack.fileno())
            first_id = row_id if first_id is None else first_id
            last_id = row_id
            if commits == 1:
                print("READY", flush=True)

        # Sleep in slices so a stop request is noticed within ~20 ms.
        wake = time.monotonic() + args.interval_ms / 1000
        while not _stop_signal:
            left = wake - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(left, _SLEEP_SLICE_S))

    ack.close()
    con.close()
    stalls.sort()
    _write_json_atomic(args.stats, {
        "attempts": attempts,
        "commits": commits,
        "failures": failures,
        "failure_messages": messages,
        "max_stall_ms": round(stalls[-1], 3) if stalls else None,
        "p50_stall_ms": _percentile(stalls, 50),
        "p99_stall_ms": _percentile(stalls, 99),
        "first_id": first_id,
        "last_id": last_id,
        "mode": mode,
        "elapsed_s": round(time.monotonic() - t_start, 3),
        "stop_reason": stop_reason,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
