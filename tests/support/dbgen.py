"""Test-database generators for KasirBackup (stdlib only).

Three generators:

* :func:`make_hard_cases_db` -- a small database that packs in every SQLite
  feature a backup tool can get wrong (WITHOUT ROWID, STRICT,
  AUTOINCREMENT, generated columns, awkward BLOBs, big TEXT, 64-bit
  integers, names that need quoting, views, triggers, FTS5, header pragmas,
  expression indexes, ...).
* :func:`make_pos_db` -- a realistic Indonesian point-of-sale ("kasir")
  database of roughly a requested size, built fast enough to make 1 GB
  fixtures practical.
* :func:`simulate_day_of_sales` -- appends one business day of sales to an
  existing POS database, the way the POS application would.

Command line::

    python tests/support/dbgen.py pos OUT.db --mb 100 [--seed 0]
        [--journal-mode delete|wal] [--page-size 4096]
    python tests/support/dbgen.py hard OUT.db [--journal-mode delete|wal]
    python tests/support/dbgen.py sales DB --n 300 [--seed 1]

``--mb`` uses decimal megabytes (1 MB = 1_000_000 bytes).  Every generator
that creates a file overwrites an existing file at that path (including its
``-wal``, ``-shm`` and ``-journal`` companions).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import random
import sqlite3
import struct
import sys
import time

__all__ = [
    "FTS5_AVAILABLE",
    "HARD_APPLICATION_ID",
    "HARD_USER_VERSION",
    "HARD_FTS_TABLE",
    "HARD_FTS_ROWS",
    "HARD_AUTOINCREMENT_TABLE",
    "HARD_AUTOINCREMENT_SEQ",
    "POS_TABLES",
    "make_hard_cases_db",
    "make_pos_db",
    "simulate_day_of_sales",
]


def _probe_fts5() -> bool:
    try:
        con = sqlite3.connect(":memory:")
        try:
            con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        finally:
            con.close()
        return True
    except sqlite3.OperationalError:
        return False


#: Whether the linked SQLite library has FTS5.  When False,
#: :func:`make_hard_cases_db` silently skips the FTS5 table.
FTS5_AVAILABLE: bool = _probe_fts5()

#: Header values written by :func:`make_hard_cases_db`.
HARD_USER_VERSION = 7
HARD_APPLICATION_ID = 0x4B415352  # b"KASR"

#: FTS5 table created by :func:`make_hard_cases_db` (only if FTS5_AVAILABLE)
#: and its row count.  It is *not* in the returned dict (see docstring).
HARD_FTS_TABLE = "catatan_fts"
HARD_FTS_ROWS = 40

#: AUTOINCREMENT table of the hard-cases db and the value its
#: sqlite_sequence entry must hold.  Rows 8..10 were deleted after insertion,
#: so max(id) is 7 but the sequence is 10: a restore that loses
#: sqlite_sequence would hand out id 8 again.
HARD_AUTOINCREMENT_TABLE = "log_kas"
HARD_AUTOINCREMENT_SEQ = 10

#: Tables of the POS schema, parents first.
POS_TABLES = ("produk", "pelanggan", "transaksi", "transaksi_detail")

_JOURNAL_MODES = ("delete", "wal")


def _check_journal_mode(journal_mode: str) -> str:
    mode = journal_mode.lower()
    if mode not in _JOURNAL_MODES:
        raise ValueError(f"journal_mode must be one of {_JOURNAL_MODES}, got {journal_mode!r}")
    return mode


def _remove_db_files(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def _q(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------
# Hard cases
# --------------------------------------------------------------------------

# Identifiers that need quoting.  Kept as constants so tests can refer to them.
T_PELANGGAN = "data pelanggan"            # space
T_KUTIP = 'catatan "khusus"'              # embedded double quote
C_KUTIP = 'kolom "kutip"'                 # column of T_KUTIP with double quotes
C_APOSTROF = "kolom'apostrof"             # column of T_KUTIP with an apostrophe
T_UNICODE = "transaksi_ü"                 # non-ASCII
T_KEYWORD = "order"                       # SQL keyword
T_KOSONG = "tabel kosong"                 # table with zero rows
V_RINGKASAN = "ringkasan pelanggan"       # view with a space

_UNICODE_SAMPLES = [
    "Terima kasih sudah berbelanja di Toko Makmur Jaya!",
    "Kembalian Rp 2.500 — harap dihitung kembali 🙏",
    "Pembayaran via QRIS berhasil ✅💳",
    "مرحبا بكم في متجرنا",                 # Arabic (RTL)
    "谢谢惠顾，欢迎再来",                     # Chinese
    "ありがとうございました",                  # Japanese
    "감사합니다",                              # Korean
    "Ñandú · naïve café · Ærø · ß",
    "emoji gabungan: 👨‍👩‍👧‍👦 🇮🇩 🏳️‍🌈 (ZWJ + flags)",
    "tab\tdan baris\nbaru serta \r\n CRLF, 'kutip tunggal' dan \"kutip ganda\"",
    "\u200bzero-width space, \u00a0nbsp, combining e\u0301",
    "astral plane: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈 🀄",
]


def _big_text(rng: random.Random, target_bytes: int) -> str:
    """Deterministic multi-script text of at least ``target_bytes`` UTF-8 bytes."""
    words = ["beras", "gula", "minyak", "telur", "kopi", "sabun", "rokok", "mie",
             "pelanggan", "kasir", "struk", "bayar", "tunai", "diskon", "stok"]
    parts: list[str] = []
    size = 0
    i = 0
    while size < target_bytes:
        i += 1
        s = (f"[{i:06d}] {rng.choice(words)} x{rng.randint(1, 12)} @ Rp {rng.randint(1, 500) * 500:,}"
             f" — {rng.choice(_UNICODE_SAMPLES)}\n")
        parts.append(s)
        size += len(s.encode("utf-8"))
    return "".join(parts)


def make_hard_cases_db(path: str, journal_mode: str = "delete", seed: int = 0) -> dict:
    """Create a database exercising SQLite features backup tools often mishandle.

    Returns ``{table_name: row_count}`` for every *ordinary* table created.
    Deliberately **not** in the dict: ``sqlite_sequence`` (check it via
    :data:`HARD_AUTOINCREMENT_TABLE` / :data:`HARD_AUTOINCREMENT_SEQ`), the
    FTS5 virtual table (:data:`HARD_FTS_TABLE`, :data:`HARD_FTS_ROWS`, only
    present when :data:`FTS5_AVAILABLE`) and its shadow tables
    (``catatan_fts_data``, ``_idx``, ``_content``, ``_docsize``, ``_config``).

    Contents (all deterministic for a given ``seed``):

    * ``kurs_harian`` -- WITHOUT ROWID, composite TEXT primary key.
    * ``stok_ketat`` -- STRICT table, includes an ``ANY`` column holding
      every storage class.
    * ``log_kas`` -- AUTOINCREMENT; ids 8..10 deleted so sqlite_sequence (10)
      is ahead of max(id) (7).  Has a partial index.
    * ``harga_item`` -- VIRTUAL and STORED generated columns.
    * ``lampiran`` -- BLOBs: 3 MiB pseudo-random, zero-heavy (leading,
      trailing and interior NUL bytes), empty ``x''`` and NULL.
    * ``catatan`` -- a ~1 MiB TEXT value, short unicode texts and a TEXT value
      containing an embedded U+0000 (``quote()``/``.dump`` truncate it).
    * ``angka_besar`` -- rowids -1, 0 and 2**63-1; INTEGER values 2**63-1,
      -2**63, 2**53+1, ...; REAL edge values; an untyped column holding
      mixed storage classes.
    * ``"data pelanggan"`` -- NULL vs '' in column ``"no hp"``, unicode
      names, an index on ``lower(nama)`` and AFTER INSERT/UPDATE triggers
      writing into ``audit_log`` (so the audit rows must NOT be recreated
      by re-running the triggers on restore).
    * ``'catatan "khusus"'``, ``transaksi_ü``, ``"order"`` -- names with a
      double quote, non-ASCII and a keyword; columns with apostrophes,
      spaces, quotes and CJK.
    * ``"tabel kosong"`` -- exists but has zero rows.
    * view ``"ringkasan pelanggan"``; FTS5 table ``catatan_fts``.
    * ``PRAGMA user_version = 7``, ``PRAGMA application_id = 0x4B415352``.
    """
    mode = _check_journal_mode(journal_mode)
    _remove_db_files(path)
    rng = random.Random(seed)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute(f"PRAGMA journal_mode={mode}")
        con.execute("BEGIN")
        expected: dict[str, int] = {}

        # WITHOUT ROWID -----------------------------------------------------
        con.execute("""
            CREATE TABLE kurs_harian (
                mata_uang TEXT NOT NULL,
                tanggal   TEXT NOT NULL,
                nilai     REAL NOT NULL,
                PRIMARY KEY (mata_uang, tanggal)
            ) WITHOUT ROWID""")
        kurs = []
        for cur, base in (("USD", 15800.0), ("SGD", 11750.0), ("MYR", 3390.0), ("JPY", 104.5)):
            for day in range(1, 11):
                kurs.append((cur, f"2025-01-{day:02d}", round(base * (1 + rng.uniform(-0.01, 0.01)), 4)))
        con.executemany("INSERT INTO kurs_harian VALUES (?, ?, ?)", kurs)
        expected["kurs_harian"] = len(kurs)

        # STRICT --------------------------------------------------------------
        con.execute("""
            CREATE TABLE stok_ketat (
                id    INTEGER PRIMARY KEY,
                nama  TEXT NOT NULL,
                qty   INTEGER NOT NULL,
                harga REAL,
                foto  BLOB,
                lain  ANY
            ) STRICT""")
        strict_rows = [
            (1, "Beras 5kg", 12, 75000.0, None, 1),
            (2, "Gula 1kg", 0, 17500.5, b"\x89PNG\r\n\x1a\n", "teks"),
            (3, "Minyak 2L", -3, None, b"", 2.5),
            (4, "Telur 1kg", 2**62, 28000.0, bytes(range(256)), b"\x00\x01"),
            (5, "Kopi 🫘", 7, 1e-300, None, None),
        ]
        con.executemany("INSERT INTO stok_ketat VALUES (?, ?, ?, ?, ?, ?)", strict_rows)
        expected["stok_ketat"] = len(strict_rows)

        # AUTOINCREMENT (creates sqlite_sequence) + partial index -----------
        con.execute("""
            CREATE TABLE log_kas (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                waktu      TEXT NOT NULL,
                keterangan TEXT,
                jumlah     INTEGER NOT NULL
            )""")
        con.execute("CREATE INDEX idx_log_kas_masuk ON log_kas(jumlah) WHERE jumlah > 0")
        for i in range(1, HARD_AUTOINCREMENT_SEQ + 1):
            con.execute("INSERT INTO log_kas (waktu, keterangan, jumlah) VALUES (?, ?, ?)",
                        (f"2025-02-08 {8 + i:02d}:00:00", f"kas #{i}", rng.randint(-50, 50) * 1000))
        con.execute("DELETE FROM log_kas WHERE id > 7")
        expected["log_kas"] = 7

        # Generated columns ---------------------------------------------------
        con.execute("""
            CREATE TABLE harga_item (
                id       INTEGER PRIMARY KEY,
                harga    INTEGER NOT NULL,
                qty      INTEGER NOT NULL,
                subtotal INTEGER GENERATED ALWAYS AS (harga * qty) STORED,
                label    TEXT GENERATED ALWAYS AS ('Rp ' || harga || ' x ' || qty) VIRTUAL
            )""")
        gen_rows = [(i, rng.randint(1, 200) * 500, rng.randint(1, 10)) for i in range(1, 26)]
        con.executemany("INSERT INTO harga_item (id, harga, qty) VALUES (?, ?, ?)", gen_rows)
        expected["harga_item"] = len(gen_rows)

        # BLOBs ---------------------------------------------------------------
        con.execute("CREATE TABLE lampiran (id INTEGER PRIMARY KEY, nama TEXT, isi BLOB)")
        zero_heavy = (b"\x00" * 100 + b"KASR" + b"\x00" * 5000 + bytes(range(1, 256))
                      + b"\x00\x00\xff\x00" * 1000 + b"\x00" * 100)
        blobs = [
            (1, "foto_nota_3MiB.bin", rng.randbytes(3 * 1024 * 1024)),
            (2, "banyak_nol.bin", zero_heavy),
            (3, "kosong.bin", b""),
            (4, "null.bin", None),
            (5, "struct.bin", struct.pack("<qqd", 2**63 - 1, -(2**63), 0.1)),
        ]
        con.executemany("INSERT INTO lampiran VALUES (?, ?, ?)", blobs)
        expected["lampiran"] = len(blobs)

        # Big TEXT, unicode, embedded NUL ------------------------------------
        con.execute("CREATE TABLE catatan (id INTEGER PRIMARY KEY, judul TEXT, isi TEXT)")
        notes = [(1, "teks besar 1 MiB", _big_text(rng, 1024 * 1024))]
        notes += [(i + 2, f"unicode {i}", s) for i, s in enumerate(_UNICODE_SAMPLES)]
        notes.append((100, "teks dengan NUL", "sebelum\x00sesudah"))
        con.executemany("INSERT INTO catatan VALUES (?, ?, ?)", notes)
        expected["catatan"] = len(notes)

        # Large integers, REAL edge values, mixed storage classes ------------
        con.execute("""
            CREATE TABLE angka_besar (
                id     INTEGER PRIMARY KEY,
                nilai  INTEGER,
                pecah  REAL,
                campur,
                ket    TEXT
            )""")
        big = [
            (-1, 2**63 - 1, 0.1, 2**63 - 1, "max int64"),
            (0, -(2**63), -1.5e-10, -(2**63), "min int64"),
            (1, 2**53 + 1, 1e308, "2**53+1 as text", "2**53+1 (not exact as double)"),
            (2, 2**53, 2.2250738585072014e-308, 3.141592653589793, "2**53"),
            (3, -(2**53 + 1), 5e-324, b"\x00blob\x00", "-(2**53+1)"),
            (4, 0, 123456789.123456789, None, "zero"),
            (5, 1234567890123456789, 1 / 3, "0123", "leading zero text must stay text"),
            (2**63 - 1, 42, 2.5, 7, "max rowid"),
        ]
        con.executemany("INSERT INTO angka_besar VALUES (?, ?, ?, ?, ?)", big)
        expected["angka_besar"] = len(big)

        # Quoted names, NULL vs '', expression index, triggers, audit table --
        con.execute("""
            CREATE TABLE audit_log (
                id       INTEGER PRIMARY KEY,
                aksi     TEXT NOT NULL,
                tabel    TEXT NOT NULL,
                baris_id INTEGER,
                data     TEXT
            )""")
        con.execute(f"""
            CREATE TABLE {_q(T_PELANGGAN)} (
                id        INTEGER PRIMARY KEY,
                nama      TEXT NOT NULL,
                "no hp"   TEXT,
                kota      TEXT,
                "poin ✨" INTEGER DEFAULT 0
            )""")
        con.execute(f"CREATE INDEX idx_pelanggan_nama_lower ON {_q(T_PELANGGAN)} (lower(nama))")
        con.execute(f"""
            CREATE TRIGGER "trg pelanggan insert" AFTER INSERT ON {_q(T_PELANGGAN)}
            BEGIN
                INSERT INTO audit_log (aksi, tabel, baris_id, data)
                VALUES ('INSERT', 'data pelanggan', NEW.id, NEW.nama);
            END""")
        con.execute(f"""
            CREATE TRIGGER trg_pelanggan_update AFTER UPDATE ON {_q(T_PELANGGAN)}
            BEGIN
                INSERT INTO audit_log (aksi, tabel, baris_id, data)
                VALUES ('UPDATE', 'data pelanggan', NEW.id, OLD."no hp" || ' -> ' || NEW."no hp");
            END""")
        names = ["Budi Santoso", "Siti Nurhaliza", "Ahmad Fauzi", "Dewi Lestari", "Wayan Sudarsana",
                 "Ni Luh Putu Ayu", "Muhammad Rizky", "Ratna Sari", "Nguyễn Văn An", "李明",
                 "محمد عبدالله", "Ömer Çelik"]
        cities = ["Jakarta", "Surabaya", "Bandung", "Medan", "Denpasar", "Makassar", None]
        pel_rows = []
        for i, nm in enumerate(names, start=1):
            if i % 4 == 1:
                phone = None              # unknown phone
            elif i % 4 == 2:
                phone = ""                # explicitly empty phone
            else:
                phone = f"08{rng.choice(['12', '13', '21', '57', '77', '81', '95'])}{rng.randrange(10**8):08d}"
            pel_rows.append((i, nm, phone, cities[i % len(cities)], rng.randint(0, 500)))
        con.executemany(f"INSERT INTO {_q(T_PELANGGAN)} VALUES (?, ?, ?, ?, ?)", pel_rows)
        # Two updates fire the update trigger (NULL -> '' and '' -> number).
        con.execute(f'UPDATE {_q(T_PELANGGAN)} SET "no hp" = \'\' WHERE id = 5')
        con.execute(f'UPDATE {_q(T_PELANGGAN)} SET "no hp" = \'081100000000\' WHERE id = 2')
        expected[T_PELANGGAN] = len(pel_rows)
        expected["audit_log"] = len(pel_rows) + 2

        con.execute(f"""
            CREATE VIEW {_q(V_RINGKASAN)} AS
            SELECT kota, count(*) AS jumlah, sum("poin ✨") AS total_poin,
                   sum("no hp" IS NULL) AS hp_null, sum("no hp" = '') AS hp_kosong
            FROM {_q(T_PELANGGAN)} GROUP BY kota""")

        con.execute(f"CREATE TABLE {_q(T_KUTIP)} (id INTEGER PRIMARY KEY, {_q(C_KUTIP)} TEXT, "
                    f"{_q(C_APOSTROF)} TEXT, [kolom spasi] INTEGER)")
        kutip_rows = [(1, 'isi "kutip" ganda', "isi 'kutip' tunggal", 1),
                      (2, "", None, None),
                      (3, "'; DROP TABLE produk; --", '"); --', -1)]
        con.executemany(f"INSERT INTO {_q(T_KUTIP)} VALUES (?, ?, ?, ?)", kutip_rows)
        expected[T_KUTIP] = len(kutip_rows)

        con.execute(f"""
            CREATE TABLE {_q(T_UNICODE)} (
                id        INTEGER PRIMARY KEY,
                "名前"     TEXT,
                "jumlah_€" INTEGER,
                "ملاحظة"  TEXT
            )""")
        con.execute(f'CREATE UNIQUE INDEX "idx_transaksi_ü_名前" ON {_q(T_UNICODE)} ("名前")')
        uni_rows = [(i, f"{s[:12]}#{i}", rng.randint(0, 10**6), s) for i, s in enumerate(_UNICODE_SAMPLES, 1)]
        con.executemany(f"INSERT INTO {_q(T_UNICODE)} VALUES (?, ?, ?, ?)", uni_rows)
        expected[T_UNICODE] = len(uni_rows)

        con.execute(f'CREATE TABLE {_q(T_KEYWORD)} (id INTEGER PRIMARY KEY, "from" TEXT, "select" INTEGER)')
        kw_rows = [(1, "gudang", 3), (2, "toko", 5)]
        con.executemany(f"INSERT INTO {_q(T_KEYWORD)} VALUES (?, ?, ?)", kw_rows)
        expected[T_KEYWORD] = len(kw_rows)

        con.execute(f"CREATE TABLE {_q(T_KOSONG)} (id INTEGER PRIMARY KEY, x TEXT)")
        expected[T_KOSONG] = 0

        # FTS5 ----------------------------------------------------------------
        if FTS5_AVAILABLE:
            con.execute(f"CREATE VIRTUAL TABLE {HARD_FTS_TABLE} USING fts5(judul, isi, tokenize='unicode61')")
            base_words = ["beras", "pandan", "wangi", "minyak", "goreng", "gula", "pasir", "kopi",
                          "tubruk", "teh", "manis", "sabun", "cuci", "indomie", "telur", "ayam"]
            fts_rows = [(f"Catatan {i}", " ".join(rng.choice(base_words) for _ in range(rng.randint(5, 30)))
                         + " " + _UNICODE_SAMPLES[i % len(_UNICODE_SAMPLES)])
                        for i in range(HARD_FTS_ROWS)]
            con.executemany(f"INSERT INTO {HARD_FTS_TABLE} (judul, isi) VALUES (?, ?)", fts_rows)

        con.execute(f"PRAGMA user_version = {HARD_USER_VERSION}")
        con.execute(f"PRAGMA application_id = {HARD_APPLICATION_ID}")
        con.execute("COMMIT")

        # Sanity check the promise we make to callers.
        for table, n in expected.items():
            got = con.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()[0]
            assert got == n, (table, got, n)
    finally:
        con.close()
    return expected


# --------------------------------------------------------------------------
# Realistic POS database
# --------------------------------------------------------------------------

# Deterministic pseudo-random numbers inside SQL.  SQLite's random() cannot
# be seeded and a Python UDF would cost ~1 us per call, so rows are hashed
# with integer arithmetic: h(x) = (v*v mod P * B + v) mod P, v = x*A mod P.
# All intermediate products stay below 2**62 (SQLite turns integer overflow
# into REAL).  The quadratic term breaks the linearity that would otherwise
# make consecutive rows visibly periodic.
_P = 2147483647          # 2**31 - 1, prime
_A = 1103515245
_B = 1588635695


def _h(expr: str, salt: int) -> str:
    """SQL expression: pseudo-random integer in [0, 2**31-1) from ``expr``."""
    x = f"((({expr}) + {salt % _P}) % {_P})"
    v = f"(({x} * {_A}) % {_P})"
    return f"((({v} * {v}) % {_P} * {_B} + {v}) % {_P})"


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _pick(index_expr: str, values: list[str]) -> str:
    """SQL CASE returning values[index_expr]."""
    whens = " ".join(f"WHEN {i} THEN {_sql_str(v)}" for i, v in enumerate(values))
    return f"(CASE {index_expr} {whens} END)"


# Catalogue: (kategori, satuan, [(item, base price in rupiah)])
_CATALOG = [
    ("Mie Instan", "pcs", [("Indomie Goreng", 3500), ("Indomie Soto Mie", 3200), ("Indomie Kari Ayam", 3300),
                           ("Mie Sedaap Goreng", 3400), ("Mie Sedaap Soto", 3100), ("Sarimi Isi 2", 4000),
                           ("Supermi Ayam Bawang", 3100), ("Pop Mie Ayam", 6000), ("Lemonilo Mie", 5500)]),
    ("Minuman", "botol", [("Aqua", 4000), ("Le Minerale", 3500), ("Teh Botol Sosro", 5000),
                          ("Teh Pucuk Harum", 4000), ("Coca-Cola", 7000), ("Sprite", 7000),
                          ("Pocari Sweat", 8000), ("Fruit Tea", 5000), ("Floridina", 3500), ("Mizone", 6000)]),
    ("Kopi & Teh", "sachet", [("Kopi Kapal Api Special Mix", 1500), ("Good Day Cappuccino", 2000),
                              ("Torabika Jahe Susu", 1500), ("Luwak White Koffie", 1500), ("Teh Sariwangi", 7500),
                              ("Nescafe Classic", 2000), ("Kopi ABC Susu", 1500)]),
    ("Sembako", "kg", [("Beras Pandan Wangi", 15000), ("Beras Rojolele", 14000), ("Gula Pasir Gulaku", 17500),
                       ("Minyak Goreng Bimoli", 20000), ("Minyak Goreng Sania", 19000), ("Telur Ayam Negeri", 28000),
                       ("Tepung Terigu Segitiga Biru", 13000), ("Garam Refina", 5000), ("Kacang Hijau", 22000)]),
    ("Rokok", "bks", [("Gudang Garam Surya 12", 28000), ("Sampoerna Mild 16", 32000), ("Djarum Super 12", 25000),
                      ("Dji Sam Soe 12", 22000), ("Marlboro Merah 20", 40000), ("Sampoerna Kretek 12", 18000)]),
    ("Perawatan Diri", "pcs", [("Sabun Lifebuoy", 4500), ("Sabun Lux", 4500), ("Shampo Sunsilk", 24000),
                               ("Shampo Clear", 26000), ("Pasta Gigi Pepsodent", 12000), ("Sikat Gigi Formula", 9000),
                               ("Deodoran Rexona", 18000), ("Bedak Marcks", 11000)]),
    ("Kebersihan", "pcs", [("Deterjen Rinso", 23000), ("Sunlight Jeruk Nipis", 15000), ("So Klin Lantai", 12000),
                           ("Molto Pewangi", 14000), ("Wipol Karbol", 16000), ("Baygon Semprot", 35000)]),
    ("Makanan Ringan", "pcs", [("Chitato Sapi Panggang", 11000), ("Taro Net", 7000), ("Qtela Singkong", 9000),
                               ("Tango Wafer", 9500), ("Roma Kelapa", 10000), ("Oreo", 9000), ("Silverqueen", 15000),
                               ("Beng-Beng", 2500), ("Richeese Nabati", 2000), ("Kacang Garuda", 8000)]),
    ("Bumbu Dapur", "pcs", [("Kecap Bango", 23000), ("Saus Sambal ABC", 12000), ("Masako Ayam", 500),
                            ("Royco Sapi", 500), ("Sasa Penyedap", 1000), ("Terasi Udang", 3000),
                            ("Santan Kara", 4000), ("Bawang Goreng", 10000)]),
    ("Susu", "pcs", [("Ultra Milk Coklat", 6500), ("Frisian Flag Kental Manis", 12000), ("Dancow Fortigro", 40000),
                     ("Bear Brand", 10000), ("Indomilk Kotak", 5000), ("Milo Sachet", 2500)]),
    ("Rumah Tangga", "pcs", [("Tisu Paseo", 13000), ("Kantong Plastik", 5000), ("Korek Api Tokai", 2500),
                             ("Baterai ABC AA", 6000), ("Obat Nyamuk Bakar", 7000), ("Lilin", 3000)]),
    ("Gas & Air", "tabung", [("Gas Elpiji 3kg", 22000), ("Gas Bright 5,5kg", 95000), ("Air Galon Isi Ulang", 6000)]),
]
_PACKS = [("", 1.0, None), ("Isi 2", 1.95, None), ("Isi 5", 4.8, None), ("Renteng (10)", 9.5, "renteng"),
          ("1 Dus", 38.0, "dus"), ("Mini", 0.6, None), ("Jumbo", 1.8, None), ("Hemat", 0.9, None)]
_VARIANTS = ["", "Original", "Pedas", "Manis", "Promo", "Family Pack", "Rasa Baru", "Edisi Ramadan",
             "Lokal", "Premium"]

_FIRST = ["Budi", "Siti", "Agus", "Dewi", "Rina", "Andi", "Wahyu", "Sri", "Eko", "Joko", "Putri", "Ayu",
          "Rizky", "Fajar", "Nur", "Dian", "Hendra", "Yuni", "Bambang", "Lestari", "Ahmad", "Muhammad",
          "Fitri", "Indah", "Slamet", "Wulan", "Teguh", "Ratna", "Bayu", "Citra", "I Made", "Ni Kadek",
          "Yohanes", "Maria", "Stefanus", "Lukas", "Aisyah", "Hadi", "Sulastri", "Dimas"]
_LAST = ["Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Kurniawan", "Pratama", "Susanto", "Nugroho",
         "Setiawan", "Hasibuan", "Siregar", "Nasution", "Simanjuntak", "Wibowo", "Purnomo", "Rahayu",
         "Handayani", "Gunawan", "Halim", "Sembiring", "Manurung", "Tanjung", "Suryadi", "Sudarsana"]
_STREETS = ["Merdeka", "Sudirman", "Diponegoro", "Gatot Subroto", "Ahmad Yani", "Pahlawan", "Kenanga",
            "Melati", "Mawar", "Cempaka", "Flamboyan", "Pemuda", "Veteran", "Imam Bonjol", "Gajah Mada"]
_CITIES = [("Jakarta Selatan", "31", "74"), ("Bandung", "32", "73"), ("Semarang", "33", "74"),
           ("Yogyakarta", "34", "71"), ("Surabaya", "35", "78"), ("Tangerang", "36", "71"),
           ("Denpasar", "51", "71"), ("Medan", "12", "71"), ("Makassar", "73", "71"), ("Bekasi", "32", "75")]
_OPERATOR_PREFIX = ["0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0814", "0815", "0816",
                    "0855", "0856", "0857", "0858", "0817", "0818", "0819", "0859", "0877", "0878", "0881",
                    "0882", "0895", "0896", "0897", "0898", "0899"]
_KASIR = ["Siti", "Budi", "Dewi", "Rina", "Agus", "Fajar"]

_POS_SCHEMA = """
CREATE TABLE produk (
    id         INTEGER PRIMARY KEY,
    kode       TEXT UNIQUE NOT NULL,
    nama       TEXT NOT NULL,
    harga_beli INTEGER NOT NULL,
    harga_jual INTEGER NOT NULL,
    stok       INTEGER NOT NULL DEFAULT 0,
    kategori   TEXT,
    satuan     TEXT
);
CREATE TABLE pelanggan (
    id        INTEGER PRIMARY KEY,
    nama      TEXT NOT NULL,
    telepon   TEXT,
    nik       TEXT,
    alamat    TEXT,
    kota      TEXT,
    poin      INTEGER NOT NULL DEFAULT 0,
    terdaftar TEXT
);
CREATE TABLE transaksi (
    id           INTEGER PRIMARY KEY,
    kode         TEXT NOT NULL,
    tanggal      TEXT NOT NULL,
    subtotal     INTEGER NOT NULL,
    diskon       INTEGER NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL,
    bayar        INTEGER NOT NULL,
    kembalian    INTEGER NOT NULL,
    metode       TEXT NOT NULL,
    kasir        TEXT,
    pelanggan_id INTEGER REFERENCES pelanggan(id)
);
CREATE TABLE transaksi_detail (
    id           INTEGER PRIMARY KEY,
    transaksi_id INTEGER NOT NULL REFERENCES transaksi(id),
    produk_id    INTEGER NOT NULL REFERENCES produk(id),
    qty          INTEGER NOT NULL,
    harga        INTEGER NOT NULL,
    subtotal     INTEGER NOT NULL
);
CREATE INDEX idx_transaksi_tanggal ON transaksi(tanggal);
CREATE INDEX idx_transaksi_detail_transaksi ON transaksi_detail(transaksi_id);
"""


def _ean13(body12: str) -> str:
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body12))
    return body12 + str((10 - s % 10) % 10)


def _gen_produk(rng: random.Random, n: int) -> list[tuple]:
    combos = [(cat, sat, item, price, pack, variant)
              for cat, sat, items in _CATALOG
              for item, price in items
              for pack in _PACKS
              for variant in _VARIANTS]
    rng.shuffle(combos)
    # Low ids are the best sellers (see _pos_sales_sql), so put single items
    # first and cartons/multipacks later, with some mixing.
    combos.sort(key=lambda c: _PACKS.index(c[4]) * (0.5 + rng.random()))
    rows = []
    for i in range(1, n + 1):
        cat, sat, item, price, (pack, mult, pack_unit), variant = combos[(i - 1) % len(combos)]
        nama = " ".join(p for p in (item, variant, pack) if p)
        if i > len(combos):                       # only for absurdly large n
            nama += f" #{i // len(combos)}"
        jual = max(500, int(round(price * mult * rng.uniform(0.9, 1.15) / 500.0)) * 500)
        beli = int(jual * rng.uniform(0.78, 0.93)) // 50 * 50
        # "899" is the GS1 prefix of Indonesia; 7919 is coprime to 10**9 so codes are unique.
        kode = _ean13(f"899{(i * 7919) % 10**9:09d}")
        rows.append((i, kode, nama, beli, jual, rng.randint(0, 400), cat, pack_unit or sat))
    return rows


def _gen_pelanggan(rng: random.Random, n: int, start: _dt.date) -> list[tuple]:
    rows = []
    for i in range(1, n + 1):
        nama = rng.choice(_FIRST) + ("" if rng.random() < 0.15 else " " + rng.choice(_LAST))
        telepon = None if rng.random() < 0.05 else (
            rng.choice(_OPERATOR_PREFIX) + "".join(str(rng.randrange(10)) for _ in range(rng.choice((7, 8, 8, 8, 9)))))
        kota, prov, kab = rng.choice(_CITIES)
        if rng.random() < 0.2:
            nik = None
        else:
            day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)   # +40 marks women in a NIK
            nik = (f"{prov}{kab}{rng.randint(1, 30):02d}{day:02d}{rng.randint(1, 12):02d}"
                   f"{rng.randint(50, 105) % 100:02d}{rng.randint(1, 999):04d}")
        alamat = (f"Jl. {rng.choice(_STREETS)} No. {rng.randint(1, 250)}, "
                  f"RT {rng.randint(1, 15):03d}/RW {rng.randint(1, 12):03d}")
        terdaftar = (start + _dt.timedelta(days=rng.randint(0, 700))).isoformat()
        rows.append((i, nama, telepon, nik, alamat, kota, rng.randint(0, 5000), terdaftar))
    return rows


_BYTES_PER_SALE_GUESS = 190   # measured ~180-195 with 4 KiB pages; refined while building
_FIRST_CHUNK = 20_000
_MAX_CHUNK = 400_000


def make_pos_db(path: str, target_bytes: int, seed: int = 0, journal_mode: str = "delete",
                page_size: int = 4096) -> dict:
    """Build a realistic Indonesian POS database of about ``target_bytes``.

    Tables: :data:`POS_TABLES` (schema in ``_POS_SCHEMA``).  Catalogue sizes
    scale with the target (produk 50..5000, pelanggan 20..50_000); the rest
    of the space is sales history.  Data are consistent: each transaksi's
    subtotal is the sum of its detail rows, detail harga is the product's
    harga_jual, total = subtotal - diskon and kembalian = bayar - total.
    Sales run 08:00-21:00 with a fixed number per day (30..3000, giving
    ~2 years of history up to ~300 MB, longer beyond), starting on a date
    chosen so the history ends around February 2025 (the estimate is rough;
    it may run a few weeks later); kode is ``TRX<yyyymmdd><nnn>`` with the
    1-based sequence within the day (4 digits once per_day > 999).

    The result is deterministic for given (target_bytes, seed, page_size).
    The final size is normally within ~1% of ``target_bytes`` (a few pages
    over for tiny targets); a target below the size of the catalogue alone
    still gets 10 sales.  1 GB takes ~26 s on a 2-core machine.

    Returns ``{"produk": n, "pelanggan": n, "transaksi": n,
    "transaksi_detail": n, "file_size": bytes, "page_size": ...,
    "journal_mode": ..., "elapsed_s": ...}``.
    """
    mode = _check_journal_mode(journal_mode)
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        raise ValueError(f"page_size must be a power of two in 512..65536, got {page_size}")
    t0 = time.perf_counter()
    _remove_db_files(path)
    rng = random.Random(seed)

    n_produk = min(5000, max(50, target_bytes // 100_000))
    n_pelanggan = min(50_000, max(20, target_bytes // 20_000))
    est_sales = max(10, target_bytes // _BYTES_PER_SALE_GUESS)
    per_day = min(3000, max(30, est_sales // 730))       # ~2 years of history unless huge
    slot = (13 * 3600) // per_day                          # seconds between sales in a day
    end = _dt.date(2025, 2, 8)
    start = end - _dt.timedelta(days=max(0, est_sales // per_day - 1))
    start_epoch = int(_dt.datetime(start.year, start.month, start.day, tzinfo=_dt.timezone.utc).timestamp())

    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute(f"PRAGMA page_size = {page_size}")
        # Build fast: no journal, no fsync, big cache.  Crash = garbage file,
        # which is fine for a fixture.  The requested mode is set at the end.
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA cache_size = -131072")     # 128 MiB
        con.execute("PRAGMA temp_store = MEMORY")
        con.executescript(_POS_SCHEMA)
        con.execute("CREATE TEMP TABLE _k (k INTEGER PRIMARY KEY)")
        con.executemany("INSERT INTO temp._k VALUES (?)", [(k,) for k in range(1, 6)])

        con.execute("BEGIN")
        con.executemany("INSERT INTO produk VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _gen_produk(rng, n_produk))
        con.executemany("INSERT INTO pelanggan VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        _gen_pelanggan(rng, n_pelanggan, start - _dt.timedelta(days=700)))
        con.execute("COMMIT")

        salt = [rng.randrange(_P) for _ in range(4)]
        detail_sql, sale_sql = _pos_sales_sql(salt, n_produk, n_pelanggan, per_day, slot, start_epoch)

        def db_size() -> int:
            return con.execute("PRAGMA page_count").fetchone()[0] * page_size

        base = db_size()
        sales = details = 0
        chunk = max(10, min(_FIRST_CHUNK, est_sales // 2))   # small first chunk calibrates bytes/sale
        while chunk > 0:
            a, b = sales + 1, sales + chunk
            con.execute("BEGIN")
            before = con.total_changes       # rowcount is -1 for "WITH ... INSERT" in 3.11
            con.execute(detail_sql, (a, b))
            details += con.total_changes - before
            con.execute(sale_sql, (a, b))
            con.execute("COMMIT")
            sales = b
            size = db_size()
            if size >= target_bytes * 0.998:
                break
            # Bytes per sale creep up as the b-trees deepen, so aim at 90% of
            # the remaining gap; this converges in a few extra small chunks.
            per_sale = max(1.0, (size - base) / sales)
            chunk = min(_MAX_CHUNK, max(10, int(0.9 * (target_bytes - size) / per_sale)))
        con.execute("DROP TABLE temp._k")

        # The data pages were written without fsync; switch back so at least
        # the journal-mode change (a header write) is synced like normal.
        con.execute("PRAGMA synchronous = FULL")
        got_mode = con.execute(f"PRAGMA journal_mode = {mode}").fetchone()[0]
        if got_mode != mode:
            raise RuntimeError(f"could not set journal_mode={mode} (got {got_mode})")
    finally:
        con.close()

    return {
        "produk": n_produk,
        "pelanggan": n_pelanggan,
        "transaksi": sales,
        "transaksi_detail": details,
        "file_size": os.path.getsize(path),
        "page_size": page_size,
        "journal_mode": mode,
        "elapsed_s": round(time.perf_counter() - t0, 2),
    }


def _pos_sales_sql(salt: list[int], n_produk: int, n_pelanggan: int, per_day: int, slot: int,
                   start_epoch: int) -> tuple[str, str]:
    """Two INSERT...SELECT statements generating sales ids ?1..?2 entirely in SQL.

    The detail rows are generated first (walking sale ids in order so both
    rowids and the transaksi_id index grow append-only); the transaksi rows
    are then aggregated from them so that subtotal = sum(detail.subtotal).

    Performance note: SQLite flattens subqueries by substituting column
    expressions, which would re-evaluate a hash at every use.  Hashes are
    therefore computed in subqueries that cannot be flattened (an aggregate,
    or one with ``LIMIT -1 OFFSET 0``) and referenced by column afterwards.
    """
    hs = _h("s.id", salt[0])
    # Lines per sale: 1 (35%), 2 (25%), 3 (18%), 4 (12%), 5 (10%).  Used as
    # a rowid range bound on _k, so it is evaluated once per sale.
    nlines = (f"(CASE WHEN {hs} % 100 < 35 THEN 1 WHEN {hs} % 100 < 60 THEN 2 "
              f"WHEN {hs} % 100 < 78 THEN 3 WHEN {hs} % 100 < 90 THEN 4 ELSE 5 END)")
    hl = _h("s.id * 8 + k.k", salt[1])
    # Product of two uniform draws: popular (low-id) products sell far more often.
    pid = f"(1 + (l.hl % {n_produk}) * ((l.hl / {n_produk}) % {n_produk}) / {n_produk})"
    # qty: 1 (70%), 2 (20%), 3..10 (10%).
    qty = (f"(CASE WHEN (l.hl / 16777216) % 10 < 7 THEN 1 WHEN (l.hl / 16777216) % 10 < 9 THEN 2 "
           f"ELSE 3 + (l.hl / 1048576) % 8 END)")
    detail_sql = f"""
        WITH RECURSIVE s(id) AS (SELECT ?1 UNION ALL SELECT id + 1 FROM s WHERE id < ?2)
        INSERT INTO transaksi_detail (transaksi_id, produk_id, qty, harga, subtotal)
        SELECT m.tid, p.id, m.qty, p.harga_jual, m.qty * p.harga_jual
        FROM (SELECT l.tid AS tid, {pid} AS pid, {qty} AS qty
              FROM (SELECT s.id AS tid, {hl} AS hl
                    FROM s CROSS JOIN temp._k AS k
                    WHERE k.k <= {nlines}
                    LIMIT -1 OFFSET 0) AS l
              LIMIT -1 OFFSET 0) AS m
        CROSS JOIN produk AS p ON p.id = m.pid
    """

    ht = _h("transaksi_id", salt[2])
    hb = _h("transaksi_id", salt[3])
    metode = (f"(CASE WHEN g.ht % 100 < 60 THEN 'TUNAI' WHEN g.ht % 100 < 85 THEN 'QRIS' "
              f"WHEN g.ht % 100 < 95 THEN 'DEBIT' ELSE 'TRANSFER' END)")
    # 8% of sales get a 5/10/15% discount, rounded down to Rp 100.
    diskon = (f"(CASE WHEN (g.ht / 1000000) % 100 < 8 "
              f"THEN g.subtotal * (5 + 5 * ((g.ht / 100000000) % 3)) / 10000 * 100 ELSE 0 END)")
    pelanggan = f"(CASE WHEN (g.ht / 100) % 100 < 30 THEN 1 + (g.ht / 10000) % {n_pelanggan} END)"
    day = f"((g.id - 1) / {per_day})"
    seq = f"((g.id - 1) % {per_day})"
    kasir = _pick(f"(({day} * 2 + {seq} * 2 / {per_day}) % {len(_KASIR)})", _KASIR)
    secs = f"({start_epoch} + {day} * 86400 + 28800 + {seq} * {slot} + g.hb % {slot})"
    # Cash customers pay exact (20%) or round up to 5k/10k/50k/100k.
    unit = (f"(CASE WHEN (g.hb / 1000) % 20 < 4 THEN 1 WHEN (g.hb / 1000) % 20 < 10 THEN 5000 "
            f"WHEN (g.hb / 1000) % 20 < 15 THEN 10000 WHEN (g.hb / 1000) % 20 < 18 THEN 50000 "
            f"ELSE 100000 END)")
    sale_sql = f"""
        INSERT INTO transaksi (id, kode, tanggal, subtotal, diskon, total, bayar, kembalian,
                               metode, kasir, pelanggan_id)
        SELECT id, 'TRX' || strftime('%Y%m%d', secs, 'unixepoch') || printf('%03d', seq + 1),
               strftime('%Y-%m-%d %H:%M:%S', secs, 'unixepoch'),
               subtotal, diskon, total, bayar, bayar - total, metode, kasir, pelanggan_id
        FROM (SELECT id, secs, seq, subtotal, diskon, total, metode, kasir, pelanggan_id,
                     CASE WHEN metode = 'TUNAI' THEN (total + unit - 1) / unit * unit ELSE total END AS bayar
              FROM (SELECT g.id AS id, {secs} AS secs, {seq} AS seq, g.subtotal AS subtotal,
                           {diskon} AS diskon, g.subtotal - {diskon} AS total, {metode} AS metode,
                           {kasir} AS kasir, {pelanggan} AS pelanggan_id, {unit} AS unit
                    FROM (SELECT transaksi_id AS id, sum(subtotal) AS subtotal, {ht} AS ht, {hb} AS hb
                          FROM transaksi_detail
                          WHERE transaksi_id BETWEEN ?1 AND ?2
                          GROUP BY transaksi_id) AS g
                    LIMIT -1 OFFSET 0))
    """
    return detail_sql, sale_sql


# --------------------------------------------------------------------------
# A day of sales
# --------------------------------------------------------------------------

def simulate_day_of_sales(path: str, n_sales: int, seed: int = 1, busy_timeout_ms: int = 5000,
                          sales_per_commit: int = 1) -> dict:
    """Append ``n_sales`` sales dated the day after the latest existing sale.

    Each sale is one transaksi row, 1-5 transaksi_detail rows at the current
    harga_jual, and ``UPDATE produk SET stok = stok - qty`` per line, done
    the way a POS does it: ``BEGIN IMMEDIATE ... COMMIT`` per sale (or per
    ``sales_per_commit`` sales) with the connection's default synchronous
    setting and journal mode untouched.  Requires the schema of
    :func:`make_pos_db`.

    Returns ``{"sales", "transaksi_detail", "stok_updates", "commits",
    "first_id", "last_id", "tanggal", "elapsed_s"}``.
    """
    if n_sales < 0 or sales_per_commit < 1:
        raise ValueError("n_sales must be >= 0 and sales_per_commit >= 1")
    t0 = time.perf_counter()
    rng = random.Random(seed)
    con = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        missing = set(POS_TABLES) - tables
        if missing:
            raise ValueError(f"{path} lacks POS tables {sorted(missing)}")
        produk = con.execute("SELECT id, harga_jual FROM produk ORDER BY id").fetchall()
        if not produk:
            raise ValueError(f"{path} has no produk rows")
        n_pel = con.execute("SELECT max(id) FROM pelanggan").fetchone()[0] or 0
        last = con.execute("SELECT max(tanggal) FROM transaksi").fetchone()[0]
        day = (_dt.date.fromisoformat(last[:10]) if last else _dt.date(2025, 2, 7)) + _dt.timedelta(days=1)
        opening = _dt.datetime(day.year, day.month, day.day, 8, 0, 0)
        step = 13 * 3600 / max(1, n_sales)

        # Popularity skew as in make_pos_db: low ids sell more.
        weights = [1.0 / (i + 10) for i in range(len(produk))]
        first_id = last_id = None
        n_detail = n_commits = 0
        pending = 0
        for i in range(n_sales):
            lines = rng.choices(produk, weights=weights, k=rng.choices((1, 2, 3, 4, 5), (35, 25, 18, 12, 10))[0])
            items = [(pid, rng.choices((1, 2, 3, 4, 6), (70, 20, 5, 3, 2))[0], harga) for pid, harga in lines]
            subtotal = sum(q * h for _, q, h in items)
            diskon = subtotal * rng.choice((5, 10)) // 10000 * 100 if rng.random() < 0.08 else 0
            total = subtotal - diskon
            metode = rng.choices(("TUNAI", "QRIS", "DEBIT", "TRANSFER"), (60, 25, 10, 5))[0]
            if metode == "TUNAI":
                unit = rng.choices((1, 5000, 10000, 50000, 100000), (20, 30, 25, 15, 10))[0]
                bayar = -(-total // unit) * unit
            else:
                bayar = total
            when = opening + _dt.timedelta(seconds=int(i * step + rng.random() * step))
            pel = rng.randint(1, n_pel) if n_pel and rng.random() < 0.3 else None
            kasir = _KASIR[(day.toordinal() * 2 + (2 * i) // max(1, n_sales)) % len(_KASIR)]

            if pending == 0:
                con.execute("BEGIN IMMEDIATE")
            try:
                cur = con.execute(
                    "INSERT INTO transaksi (kode, tanggal, subtotal, diskon, total, bayar, kembalian,"
                    " metode, kasir, pelanggan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (f"TRX{day:%Y%m%d}{i + 1:03d}", when.strftime("%Y-%m-%d %H:%M:%S"), subtotal, diskon,
                     total, bayar, bayar - total, metode, kasir, pel))
                tid = cur.lastrowid
                con.executemany(
                    "INSERT INTO transaksi_detail (transaksi_id, produk_id, qty, harga, subtotal)"
                    " VALUES (?, ?, ?, ?, ?)", [(tid, pid, q, h, q * h) for pid, q, h in items])
                con.executemany("UPDATE produk SET stok = stok - ? WHERE id = ?", [(q, pid) for pid, q, _ in items])
                pending += 1
                if pending == sales_per_commit or i == n_sales - 1:
                    con.execute("COMMIT")
                    n_commits += 1
                    pending = 0
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            first_id = tid if first_id is None else first_id
            last_id = tid
            n_detail += len(items)
    finally:
        con.close()
    return {
        "sales": n_sales,
        "transaksi_detail": n_detail,
        "stok_updates": n_detail,
        "commits": n_commits,
        "first_id": first_id,
        "last_id": last_id,
        "tanggal": day.isoformat(),
        "elapsed_s": round(time.perf_counter() - t0, 3),
    }


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pos", help="realistic POS database of a given size")
    p.add_argument("out")
    p.add_argument("--mb", type=float, required=True, help="target size in MB (1 MB = 1_000_000 bytes)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--journal-mode", choices=_JOURNAL_MODES, default="delete")
    p.add_argument("--page-size", type=int, default=4096)
    h = sub.add_parser("hard", help="database with every hard case")
    h.add_argument("out")
    h.add_argument("--journal-mode", choices=_JOURNAL_MODES, default="delete")
    h.add_argument("--seed", type=int, default=0)
    s = sub.add_parser("sales", help="append a day of sales to a POS database")
    s.add_argument("db")
    s.add_argument("--n", type=int, default=300)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--busy-timeout-ms", type=int, default=5000)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if args.cmd == "pos":
        result = make_pos_db(args.out, int(args.mb * 1_000_000), seed=args.seed,
                             journal_mode=args.journal_mode, page_size=args.page_size)
    elif args.cmd == "hard":
        result = {"tables": make_hard_cases_db(args.out, journal_mode=args.journal_mode, seed=args.seed),
                  "fts5": FTS5_AVAILABLE}
    else:
        result = simulate_day_of_sales(args.db, args.n, seed=args.seed, busy_timeout_ms=args.busy_timeout_ms)
    result["cli_elapsed_s"] = round(time.perf_counter() - t0, 2)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())


def make_photo_db(path, rows: int, seed: int = 0) -> None:
    """A table of product photos: pages full of random bytes, so that their stored frames
    all have the same length (tests that swap frames of a pack need such pairs)."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE foto (id INTEGER PRIMARY KEY, nama TEXT, isi BLOB)")
        conn.executemany("INSERT INTO foto (nama, isi) VALUES (?, ?)",
                         [(f"produk-{i}", rng.randbytes(3800)) for i in range(rows)])
        conn.commit()
    finally:
        conn.close()
