"""A sample shop database to try KasirBackup with before pointing it at the real one.

``create_sample_db(path)`` writes a small Indonesian minimart's point-of-sale database:
categories, products, members, cashiers and a few thousand sales with their lines over the
four weeks before ``today``. Everything is drawn from a seeded generator, so the same
``today`` and ``seed`` give the same rows. Like most POS applications it uses a rollback
journal (``journal_mode=DELETE``) and declares its foreign keys; it is a few hundred KB.
"""

from __future__ import annotations

import os
import random
import sqlite3
import struct
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

from .paths import data_dir

SAMPLE_NAME = "toko-contoh.db"
PHOTOS = "foto-produk"         # beside the sample database: a picture per product (attachments)
DAYS = 28
SHOP_NAME = "Minimarket Sumber Rejeki"

SCHEMA = """
CREATE TABLE pengaturan (
    kunci   TEXT PRIMARY KEY,
    nilai   TEXT NOT NULL
);
CREATE TABLE kategori (
    id      INTEGER PRIMARY KEY,
    kode    TEXT NOT NULL UNIQUE,
    nama    TEXT NOT NULL
);
CREATE TABLE produk (
    id            INTEGER PRIMARY KEY,
    kode          TEXT NOT NULL UNIQUE,
    barcode       TEXT UNIQUE,
    nama          TEXT NOT NULL,
    kategori_id   INTEGER NOT NULL REFERENCES kategori(id),
    satuan        TEXT NOT NULL,
    harga_beli    INTEGER NOT NULL CHECK (harga_beli >= 0),
    harga_jual    INTEGER NOT NULL CHECK (harga_jual >= harga_beli),
    stok          INTEGER NOT NULL DEFAULT 0,
    minimal_stok  INTEGER NOT NULL DEFAULT 5,
    aktif         INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE pelanggan (
    id          INTEGER PRIMARY KEY,
    kode        TEXT NOT NULL UNIQUE,
    nama        TEXT NOT NULL,
    no_hp       TEXT,
    alamat      TEXT,
    poin        INTEGER NOT NULL DEFAULT 0,
    terdaftar   TEXT NOT NULL
);
CREATE TABLE kasir (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL UNIQUE,
    nama      TEXT NOT NULL,
    aktif     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE penjualan (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    kode_transaksi     TEXT NOT NULL UNIQUE,
    tanggal            TEXT NOT NULL,
    kasir_id           INTEGER NOT NULL REFERENCES kasir(id),
    pelanggan_id       INTEGER REFERENCES pelanggan(id),
    subtotal           INTEGER NOT NULL,
    diskon             INTEGER NOT NULL DEFAULT 0,
    total              INTEGER NOT NULL,
    bayar              INTEGER NOT NULL,
    kembalian          INTEGER NOT NULL,
    metode_pembayaran  TEXT NOT NULL CHECK (metode_pembayaran IN ('TUNAI', 'QRIS', 'DEBIT', 'TRANSFER')),
    poin_didapat       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE penjualan_detail (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    penjualan_id  INTEGER NOT NULL REFERENCES penjualan(id) ON DELETE CASCADE,
    produk_id     INTEGER NOT NULL REFERENCES produk(id),
    qty           INTEGER NOT NULL CHECK (qty > 0),
    harga_satuan  INTEGER NOT NULL,
    subtotal      INTEGER NOT NULL
);
CREATE INDEX idx_penjualan_tanggal ON penjualan(tanggal);
CREATE INDEX idx_detail_penjualan ON penjualan_detail(penjualan_id);
CREATE INDEX idx_detail_produk ON penjualan_detail(produk_id);
CREATE INDEX idx_produk_kategori ON produk(kategori_id);
"""

CATEGORIES = [
    ("SEMBAKO", "Sembako"), ("MINUM", "Minuman"), ("SNACK", "Makanan Ringan"),
    ("MIE", "Mie Instan"), ("BUMBU", "Bumbu Dapur"), ("SUSU", "Susu & Olahan"),
    ("MANDI", "Perlengkapan Mandi"), ("CUCI", "Kebersihan Rumah"), ("BAYI", "Perlengkapan Bayi"),
    ("ROKOK", "Rokok"),
]

# (category, name, unit, selling price in rupiah)
PRODUCTS = [
    ("SEMBAKO", "Beras Pandan Wangi 5 kg", "Karung", 78000), ("SEMBAKO", "Beras Rojolele 5 kg", "Karung", 74000),
    ("SEMBAKO", "Minyak Goreng Bimoli 1 L", "Botol", 21500), ("SEMBAKO", "Minyak Goreng Sania 2 L", "Pouch", 39500),
    ("SEMBAKO", "Gula Pasir Gulaku 1 kg", "Pak", 17500), ("SEMBAKO", "Terigu Segitiga Biru 1 kg", "Pak", 13000),
    ("SEMBAKO", "Telur Ayam Negeri 1 kg", "Kg", 29000), ("SEMBAKO", "Garam Refina 250 g", "Pak", 4500),
    ("MINUM", "Aqua 600 ml", "Botol", 4000), ("MINUM", "Aqua Galon Isi Ulang", "Galon", 21000),
    ("MINUM", "Teh Botol Sosro 450 ml", "Botol", 6500), ("MINUM", "Pocari Sweat 500 ml", "Botol", 8500),
    ("MINUM", "Kopi Kapal Api Special 165 g", "Pak", 15500), ("MINUM", "Good Day Cappuccino Sachet", "Sachet", 2000),
    ("MINUM", "Teh Sariwangi 25 Kantong", "Kotak", 7500), ("MINUM", "Coca-Cola 390 ml", "Botol", 6000),
    ("SNACK", "Chitato Sapi Panggang 68 g", "Bungkus", 11500), ("SNACK", "Qtela Singkong 60 g", "Bungkus", 8000),
    ("SNACK", "Roma Kelapa 300 g", "Bungkus", 10500), ("SNACK", "Oreo Vanila 133 g", "Bungkus", 9500),
    ("SNACK", "Taro Net 65 g", "Bungkus", 7000), ("SNACK", "SilverQueen 58 g", "Batang", 14500),
    ("SNACK", "Beng-Beng", "Batang", 2500), ("SNACK", "Tango Wafer Coklat 130 g", "Bungkus", 9000),
    ("MIE", "Indomie Goreng", "Bungkus", 3500), ("MIE", "Indomie Soto", "Bungkus", 3200),
    ("MIE", "Mie Sedaap Goreng", "Bungkus", 3300), ("MIE", "Sarimi Isi 2 Ayam Bawang", "Bungkus", 4000),
    ("MIE", "Pop Mie Ayam", "Cup", 6000), ("MIE", "Indomie Goreng (Dus 40)", "Dus", 128000),
    ("BUMBU", "Kecap Bango 220 ml", "Pouch", 12000), ("BUMBU", "Saus Sambal ABC 335 ml", "Botol", 14000),
    ("BUMBU", "Royco Ayam 100 g", "Pak", 5500), ("BUMBU", "Masako Sapi 100 g", "Pak", 5500),
    ("BUMBU", "Bumbu Racik Nasi Goreng", "Sachet", 2000), ("BUMBU", "Merica Bubuk Ladaku", "Sachet", 1500),
    ("SUSU", "Susu Kental Manis Frisian Flag", "Kaleng", 12500), ("SUSU", "Ultra Milk Coklat 250 ml", "Kotak", 6500),
    ("SUSU", "Dancow Fortigro 400 g", "Kotak", 48000), ("SUSU", "Bear Brand 189 ml", "Kaleng", 10500),
    ("SUSU", "Yakult Isi 5", "Pak", 11000), ("MANDI", "Lifebuoy Sabun Batang 85 g", "Batang", 4500),
    ("MANDI", "Pepsodent 190 g", "Tube", 13500), ("MANDI", "Sunsilk Sampo 170 ml", "Botol", 22000),
    ("MANDI", "Sikat Gigi Formula", "Buah", 8500), ("MANDI", "Shinzui Sabun Cair 450 ml", "Pouch", 19500),
    ("CUCI", "Rinso Bubuk 770 g", "Pak", 24500), ("CUCI", "Sunlight Jeruk Nipis 755 ml", "Pouch", 16000),
    ("CUCI", "Molto Pewangi 820 ml", "Pouch", 21000), ("CUCI", "Baygon Semprot 600 ml", "Kaleng", 39000),
    ("CUCI", "Tisu Paseo 250 Lembar", "Pak", 14000), ("CUCI", "Wipol Karbol 780 ml", "Pouch", 17500),
    ("BAYI", "Popok MamyPoko M Isi 20", "Pak", 62000), ("BAYI", "Minyak Telon My Baby 90 ml", "Botol", 24000),
    ("BAYI", "Bedak Bayi Cussons 100 g", "Botol", 12500), ("ROKOK", "Gudang Garam Filter 12", "Bungkus", 26500),
    ("ROKOK", "Sampoerna Mild 16", "Bungkus", 32000), ("ROKOK", "Djarum Super 12", "Bungkus", 24500),
    ("ROKOK", "Korek Api Tokai", "Buah", 3000),
]

FIRST_NAMES = ["Budi", "Siti", "Agus", "Dewi", "Joko", "Rina", "Andi", "Sri", "Hendra", "Yuni", "Eko", "Wati",
               "Bambang", "Nur", "Rudi", "Ayu", "Slamet", "Lestari", "Imam", "Fitri", "Dedi", "Maya", "Wahyu",
               "Ratna", "Teguh", "Indah", "Yusuf", "Kartini", "Arif", "Putri"]
LAST_NAMES = ["Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Kurniawan", "Pratama", "Susanti",
              "Setiawan", "Rahmawati", "Nugroho", "Siregar", "Simanjuntak", "Harahap", "Gunawan", "Purnomo"]
STREETS = ["Jl. Merdeka", "Jl. Diponegoro", "Jl. Sudirman", "Jl. Kenanga", "Jl. Melati", "Gg. Mawar",
           "Jl. Pahlawan", "Jl. Ahmad Yani", "Jl. Cempaka", "Perum Griya Asri Blok"]
CASHIERS = [("budi", "Budi Santoso"), ("sari", "Sari Wulandari"), ("anton", "Anton Pratama")]


def sample_db_path() -> Path:
    """Where the desktop app keeps its sample database (the user's data folder)."""
    return data_dir() / "sample" / SAMPLE_NAME


def create_sample_photos(db_path: str | os.PathLike, seed: int = 0) -> Path:
    """A folder of product pictures beside the sample database (``foto-produk/SKU0001.png``…,
    small PNG images of one colour each), as a shop's POS keeps them: what the first-start
    wizard offers to back up with the database. Returns the folder."""
    folder = Path(db_path).parent / PHOTOS
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(1, len(PRODUCTS) + 1):
        target = folder / f"SKU{i:04d}.png"
        if not target.exists():
            rgb = (rng.randrange(40, 240), rng.randrange(40, 240), rng.randrange(40, 240))
            target.write_bytes(_png(96, 96, rgb))
    return folder


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG image of one colour with a lighter square in the middle."""
    light = tuple(min(255, c + 60) for c in rgb)
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            inside = width // 4 <= x < 3 * width // 4 and height // 4 <= y < 3 * height // 4
            row += bytes(light if inside else rgb)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def _round500(x: float) -> int:
    return max(500, int(round(x / 500.0)) * 500)


def create_sample_db(path: str | os.PathLike, today: date | None = None, seed: int = 0) -> Path:
    """Write the sample minimart database at ``path`` (replacing a file there) and return the
    path. Deterministic for a given ``today`` and ``seed``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    today = today or date.today()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    for suffix in ("", "-journal"):
        try:
            os.remove(str(tmp) + suffix)
        except FileNotFoundError:
            pass
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        _fill(conn, random.Random(seed), today)
        conn.execute("COMMIT")
        conn.execute("PRAGMA user_version = 3")
        conn.execute("PRAGMA optimize")
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    try:
        os.remove(str(target) + "-journal")     # a leftover journal would be "hot" for the new file
    except FileNotFoundError:
        pass
    os.replace(tmp, target)
    return target


def _fill(conn: sqlite3.Connection, rng: random.Random, today: date) -> None:
    start = today - timedelta(days=DAYS)
    opened = start - timedelta(days=400)
    conn.executemany("INSERT INTO pengaturan VALUES (?, ?)", [
        ("nama_toko", SHOP_NAME), ("alamat", "Jl. Raya Kaliurang Km 7 No. 12, Sleman, Yogyakarta"),
        ("telepon", "0274-880123"), ("footer_struk", "Terima kasih, selamat belanja kembali!"),
        ("poin_per_rupiah", "10000"), ("buka_sejak", opened.isoformat())])
    conn.executemany("INSERT INTO kategori (id, kode, nama) VALUES (?, ?, ?)",
                     [(i + 1, k, n) for i, (k, n) in enumerate(CATEGORIES)])
    cat_id = {k: i + 1 for i, (k, _) in enumerate(CATEGORIES)}

    products = []     # (id, price)
    for i, (cat, name, unit, price) in enumerate(PRODUCTS, start=1):
        buy = _round500(price * rng.uniform(0.78, 0.9)) if price >= 5000 else int(price * 0.8) // 100 * 100
        buy = min(buy, price)
        products.append((i, price))
        conn.execute("INSERT INTO produk (id, kode, barcode, nama, kategori_id, satuan, harga_beli, harga_jual, "
                     "stok, minimal_stok, aktif) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                     (i, f"SKU{i:04d}", f"899{rng.randrange(10**9, 10**10)}", name, cat_id[cat], unit, buy,
                      price, rng.randint(0, 180), rng.choice((5, 10, 12, 20))))
    # cheap everyday items sell far more often than a sack of rice
    weights = [1.0 / (price ** 0.45) for _, price in products]

    members = []
    for i in range(1, 151):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        joined = opened + timedelta(days=rng.randrange(0, 400 + DAYS - 1))
        members.append((i, f"MEMBER{i:03d}", name, f"08{rng.choice('1257')}{rng.randrange(10**8, 10**9)}",
                        f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}", 0, joined.isoformat()))
    conn.executemany("INSERT INTO pelanggan VALUES (?, ?, ?, ?, ?, ?, ?)", members)
    conn.executemany("INSERT INTO kasir (id, username, nama) VALUES (?, ?, ?)",
                     [(i + 1, u, n) for i, (u, n) in enumerate(CASHIERS)])

    points: dict[int, int] = {}
    sale_id = 0
    for d in range(DAYS):
        day = start + timedelta(days=d)
        count = int(rng.gauss(105 if day.weekday() >= 5 else 85, 10))
        seconds = sorted(rng.randrange(7 * 3600, 21 * 3600) for _ in range(count))
        for n, sec in enumerate(seconds, start=1):
            sale_id += 1
            when = datetime(day.year, day.month, day.day) + timedelta(seconds=sec)
            lines = []
            for pid in set(rng.choices(range(1, len(products) + 1), weights, k=rng.choice((1, 1, 2, 2, 3, 4, 6)))):
                price = products[pid - 1][1]
                qty = 1 if price > 20000 else rng.choice((1, 1, 1, 2, 2, 3, 5))
                lines.append((pid, qty, price, qty * price))
            subtotal = sum(x[3] for x in lines)
            member = rng.randint(1, len(members)) if rng.random() < 0.3 else None
            discount = _round500(subtotal * 0.05) if member and subtotal >= 100000 else 0
            total = subtotal - discount
            method = rng.choices(("TUNAI", "QRIS", "DEBIT", "TRANSFER"), (70, 20, 6, 4))[0]
            paid = total
            if method == "TUNAI":
                paid = next((note for note in (2000, 5000, 10000, 20000, 50000, 100000) if note >= total),
                            -(-total // 50000) * 50000)
                if rng.random() < 0.3:
                    paid = -(-total // 1000) * 1000
            earned = total // 10000 if member else 0
            if member:
                points[member] = points.get(member, 0) + earned
            conn.execute("INSERT INTO penjualan (id, kode_transaksi, tanggal, kasir_id, pelanggan_id, subtotal, "
                         "diskon, total, bayar, kembalian, metode_pembayaran, poin_didapat) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (sale_id, f"TRX{day:%Y%m%d}{n:03d}", when.isoformat(sep=" "),
                          1 + (sec >= 14 * 3600) + (day.weekday() >= 5 and sec >= 18 * 3600),
                          member, subtotal, discount, total, paid, paid - total, method, earned))
            conn.executemany("INSERT INTO penjualan_detail (penjualan_id, produk_id, qty, harga_satuan, subtotal) "
                             "VALUES (?, ?, ?, ?, ?)", [(sale_id, *line) for line in lines])
    conn.executemany("UPDATE pelanggan SET poin = ? WHERE id = ?", [(p, m) for m, p in sorted(points.items())])
