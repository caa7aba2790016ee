"""A writer whose every transaction keeps cross-table invariants, so that a torn copy of
the database (pages from before and after one commit) is detectable in a restored image.

Each transaction ``k`` (one ``BEGIN IMMEDIATE ... COMMIT``):

* inserts a row into ``sale`` and a row into ``sale_line`` with the same ``txn = k`` and
  the same amount,
* updates the single row of ``totals``: ``n += 1``, ``total += amount``, ``last_txn = k``,
* moves a few units of stock between two random rows of ``stock`` (total stock is fixed;
  the rows are spread over the whole file, so commits touch pages far apart),
* every 40th transaction deletes old sales (and adjusts ``totals``), so pages are freed
  and reused.

:func:`check` lists every violated invariant of a database (empty list: consistent).

Command line (a separate writer process, like ``tests/support/writer_proc.py``)::

    python invariant_writer.py DB --interval-ms 2 --busy-timeout-ms 5000 \\
        --stop-file PATH --ack-log PATH --stats PATH [--seed N]

prints READY after its first commit, appends every committed ``k`` to the ack log (fsync),
counts ``sqlite3.Error`` as failures and writes stats JSON (commits, failures,
max_stall_ms) when the stop file appears.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import time

STOCK_QTY = 100

SCHEMA = """
CREATE TABLE stock (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, pad BLOB);
CREATE TABLE sale (id INTEGER PRIMARY KEY, txn INTEGER NOT NULL, amount INTEGER NOT NULL, pad TEXT);
CREATE TABLE sale_line (id INTEGER PRIMARY KEY, txn INTEGER NOT NULL, amount INTEGER NOT NULL, pad TEXT);
CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL, total INTEGER NOT NULL,
                     last_txn INTEGER NOT NULL);
CREATE INDEX sale_txn ON sale(txn);
CREATE INDEX sale_line_txn ON sale_line(txn);
"""


def create(path: str, journal_mode: str = "delete", stock_rows: int = 30000, sales: int = 3000,
           seed: int = 0, page_size: int = 4096) -> None:
    """A fresh consistent database (about 10 MB with the defaults)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(path + suffix)
        except FileNotFoundError:
            pass
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA page_size = {page_size}")
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO stock (id, qty, pad) VALUES (?, ?, ?)",
                         [(i, STOCK_QTY, rng.randbytes(rng.randint(100, 250))) for i in range(1, stock_rows + 1)])
        conn.execute("INSERT INTO totals VALUES (1, 0, 0, 0)")
        conn.execute("COMMIT")
        w = InvariantWriter(conn, seed=seed + 1)
        conn.execute("BEGIN")
        for _ in range(sales):
            w.body()
        conn.execute("COMMIT")
        mode = conn.execute(f"PRAGMA journal_mode = {journal_mode}").fetchone()[0]
        if mode != journal_mode:
            raise RuntimeError(f"journal_mode {journal_mode} refused ({mode})")
    finally:
        conn.close()


class InvariantWriter:
    """Commits invariant-keeping transactions on an open connection (autocommit mode)."""

    def __init__(self, conn: sqlite3.Connection, seed: int = 1) -> None:
        self.conn = conn
        self.rng = random.Random(seed)
        row = conn.execute("SELECT last_txn FROM totals").fetchone()
        self.k = row[0] if row else 0
        self.stock_rows = conn.execute("SELECT max(id) FROM stock").fetchone()[0] or 0

    def body(self) -> int:
        """The statements of one transaction (the caller begins and commits)."""
        rng, c = self.rng, self.conn
        k = self.k + 1
        amount = rng.randint(1, 1_000_000)
        pad = "x" * rng.randint(50, 400)
        c.execute("INSERT INTO sale (txn, amount, pad) VALUES (?, ?, ?)", (k, amount, pad))
        c.execute("INSERT INTO sale_line (txn, amount, pad) VALUES (?, ?, ?)", (k, amount, pad[::-1]))
        c.execute("UPDATE totals SET n = n + 1, total = total + ?, last_txn = ? WHERE id = 1", (amount, k))
        if self.stock_rows:
            q = rng.randint(1, 5)
            c.execute("UPDATE stock SET qty = qty - ? WHERE id = ?", (q, rng.randint(1, self.stock_rows)))
            c.execute("UPDATE stock SET qty = qty + ? WHERE id = ?", (q, rng.randint(1, self.stock_rows)))
        if k % 40 == 0:
            self._delete("txn <= ? AND txn % 3 = 0", (k - 200,))
        self.k = k
        return k

    def _delete(self, where: str, params: tuple) -> None:
        c = self.conn
        cnt, tot = c.execute(f"SELECT count(*), coalesce(sum(amount), 0) FROM sale WHERE {where}", params).fetchone()
        c.execute(f"DELETE FROM sale WHERE {where}", params)
        c.execute(f"DELETE FROM sale_line WHERE {where}", params)
        c.execute("UPDATE totals SET n = n - ?, total = total - ? WHERE id = 1", (cnt, tot))

    def step(self) -> int:
        """One committed transaction; returns its ``k``."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            k = self.body()
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.k = self.conn.execute("SELECT last_txn FROM totals").fetchone()[0]
            raise
        return k

    def shrink(self) -> None:
        """Delete half of the sales and VACUUM: the file gets shorter."""
        self.conn.execute("BEGIN IMMEDIATE")
        self._delete("txn % 2 = 1 AND txn < ?", (self.k,))
        self.conn.execute("COMMIT")
        self.conn.execute("VACUUM")


def check(conn: sqlite3.Connection) -> list[str]:
    """Every violated invariant (empty: the database is one consistent state)."""
    bad = []
    row = conn.execute("SELECT n, total, last_txn FROM totals").fetchall()
    if len(row) != 1:
        return [f"totals has {len(row)} rows"]
    n, total, last = row[0]
    for table in ("sale", "sale_line"):
        cnt, tot, mx = conn.execute(f"SELECT count(*), coalesce(sum(amount), 0), max(txn) FROM {table}").fetchone()
        if cnt != n:
            bad.append(f"count({table}) = {cnt}, totals.n = {n}")
        if tot != total:
            bad.append(f"sum({table}.amount) = {tot}, totals.total = {total}")
        if (mx or 0) != last:
            bad.append(f"max({table}.txn) = {mx}, totals.last_txn = {last}")
    orphans = conn.execute("SELECT count(*) FROM sale s WHERE NOT EXISTS "
                           "(SELECT 1 FROM sale_line l WHERE l.txn = s.txn AND l.amount = s.amount)").fetchone()[0]
    if orphans:
        bad.append(f"{orphans} sale rows without their sale_line")
    orphans = conn.execute("SELECT count(*) FROM sale_line l WHERE NOT EXISTS "
                           "(SELECT 1 FROM sale s WHERE s.txn = l.txn)").fetchone()[0]
    if orphans:
        bad.append(f"{orphans} sale_line rows without their sale")
    rows, qty = conn.execute("SELECT count(*), coalesce(sum(qty), 0) FROM stock").fetchone()
    if qty != rows * STOCK_QTY:
        bad.append(f"sum(stock.qty) = {qty}, expected {rows * STOCK_QTY}")
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db")
    ap.add_argument("--interval-ms", type=float, default=2)
    ap.add_argument("--busy-timeout-ms", type=float, default=5000)
    ap.add_argument("--stop-file", required=True)
    ap.add_argument("--ack-log", required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    conn = sqlite3.connect(args.db, timeout=args.busy_timeout_ms / 1000, isolation_level=None)
    w = InvariantWriter(conn, seed=args.seed)
    ack = open(args.ack_log, "a", encoding="ascii")
    commits = failures = 0
    messages: list[str] = []
    max_stall = 0.0
    t_start = time.monotonic()
    while not os.path.exists(args.stop_file):
        t0 = time.perf_counter()
        try:
            k = w.step()
        except sqlite3.Error as exc:
            failures += 1
            if len(messages) < 10:
                messages.append(str(exc))
        else:
            commits += 1
            ack.write(f"{k}\n")
            ack.flush()
            os.fsync(ack.fileno())
            if commits == 1:
                print("READY", flush=True)
        max_stall = max(max_stall, (time.perf_counter() - t0) * 1000)
        if args.interval_ms:
            time.sleep(args.interval_ms / 1000)
    ack.close()
    conn.close()
    tmp = args.stats + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"commits": commits, "failures": failures, "failure_messages": messages,
                   "max_stall_ms": round(max_stall, 3), "last_txn": w.k,
                   "elapsed_s": round(time.monotonic() - t_start, 3)}, fh)
    os.replace(tmp, args.stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
