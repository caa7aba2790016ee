"""The preview says what the *chosen* mode will do, with the rows (issue 13): a merge's
preview no longer describes a replace ("rows newer than the backup will be removed"), and
every count and every listed row matches what the restore then does, row by row."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest


def keyed(db: Path, table: str) -> dict[int, tuple]:
    conn = sqlite3.connect(db)
    try:
        return {r[0]: r[1:] for r in conn.execute(f"SELECT * FROM {table}")}
    finally:
        conn.close()


@pytest.fixture
def shop(kb, tmp_path, pos_db):
    """A backup; then 3 sales deleted with their lines, 2 prices changed, and one new sale
    that takes the id of a deleted one (the POS hands it out again)."""
    repo = tmp_path / "repo"
    kb.run("backup", "--db", pos_db, "--repo", repo, check=True)
    conn = sqlite3.connect(pos_db)
    last = [r[0] for r in conn.execute("SELECT id FROM transaksi ORDER BY id DESC LIMIT 3")]
    conn.execute(f"DELETE FROM transaksi_detail WHERE transaksi_id IN ({','.join('?' * 3)})", last)
    conn.execute(f"DELETE FROM transaksi WHERE id IN ({','.join('?' * 3)})", last)
    conn.execute("UPDATE produk SET harga_jual = harga_jual + 500 WHERE id IN (1, 2)")
    conn.execute("INSERT INTO transaksi (kode, tanggal, subtotal, total, bayar, kembalian, metode) "
                 "VALUES ('TRX-NEW', '2026-12-05 10:00:00', 5000, 5000, 5000, 0, 'TUNAI')")
    conn.commit()
    conn.close()
    return pos_db, repo, min(last)


def test_the_merge_preview_is_the_merge(kb, shop):
    db, repo, reused = shop
    before = {t: keyed(db, t) for t in ("transaksi", "transaksi_detail", "produk")}
    text = kb.run("diff", "--repo", repo, "--snapshot", "latest", "--db", db, "--mode", "merge", check=True).stdout
    assert "will be removed" not in text and "set back" not in text, text
    assert "What the merge does" in text and f"conflict: transaksi id {reused}" in text, text
    preview = kb.json("diff", "--repo", repo, "--snapshot", "latest", "--db", db, "--mode", "merge",
                      "--rows", "50", "--json")["preview"]
    assert preview["mode"] == "merge"
    counts = {t["name"]: t["counts"] for t in preview["tables"]}
    rows = {t["name"]: t["rows"] for t in preview["tables"]}
    done = json.loads(kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", db, "--mode", "merge",
                             "--yes", "--json", check=True).stdout)
    for t in done["tables"]:
        c = counts[t["name"]]
        assert (c["back"], c["kept"], c["conflicts"], c["held_back"]) == \
            (t["inserted"], t["kept_newer"], t["conflicts"], t["held_back"]), (t["name"], c, t)
    after = {t: keyed(db, t) for t in before}
    for table in before:                   # row by row: what was listed as coming back came back
        listed = {int(r.split(" · ")[0].split()[-1]) for r in rows.get(table, {}).get("back", [])}
        came = set(after[table]) - set(before[table])
        assert listed == came, (table, sorted(listed), sorted(came))
    assert counts["transaksi"]["conflicts"] == 1 and after["transaksi"][reused] == before["transaksi"][reused]
    assert counts["produk"] == {"back": 0, "kept": 2, "conflicts": 0, "held_back": 0}


def test_the_replace_preview_lists_the_rows_it_removes_brings_back_and_sets_back(kb, shop):
    db, repo, reused = shop
    before = {t: keyed(db, t) for t in ("transaksi", "produk")}
    preview = kb.json("diff", "--repo", repo, "--snapshot", "latest", "--db", db, "--rows", "50",
                      "--json")["preview"]
    assert preview["mode"] == "replace"
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", db, "--yes", check=True)
    after = {t: keyed(db, t) for t in before}
    for t in preview["tables"]:
        if t["name"] not in before:
            continue
        b, a = before[t["name"]], after[t["name"]]
        ids = {cat: {int(r.split(" · ")[0].split()[-1]) for r in rs} for cat, rs in t["rows"].items()}
        assert ids.get("removed", set()) == set(b) - set(a), t
        assert ids.get("back", set()) == set(a) - set(b), t
        assert ids.get("set_back", set()) == {k for k in set(a) & set(b) if a[k] != b[k]}, t
        assert t["counts"]["set_back"] == len(ids.get("set_back", set()))
    assert reused in {int(r.split(" · ")[0].split()[-1])
                      for t in preview["tables"] if t["name"] == "transaksi" for r in t["rows"]["set_back"]}


def test_a_table_restore_preview_speaks_only_of_its_tables(kb, shop):
    db, repo, _ = shop
    out = kb.run("diff", "--repo", repo, "--snapshot", "latest", "--db", db, "--tables", "produk", check=True).stdout
    assert "What the restore of these tables does" in out
    assert "produk: 2 rows changed since will be set back" in out
    assert "transaksi:" not in out.split("does:")[1], out


def test_an_import_dry_run_lists_the_rows_it_adds_changes_and_removes(kb, tmp_path, pos_db):
    exported = tmp_path / "kasir.json"
    kb.run("export", "--db", pos_db, "--format", "json", "--out", exported, check=True)
    conn = sqlite3.connect(pos_db)
    conn.execute("DELETE FROM transaksi_detail WHERE id IN (5, 6)")
    conn.execute("UPDATE produk SET nama = 'Gula Pasir 2 kg' WHERE id = 3")
    conn.execute("INSERT INTO pelanggan (id, nama) VALUES (999, 'Pelanggan baru')")
    conn.commit()
    conn.close()
    report = kb.json("import", "--db", pos_db, "--from", exported, "--mode", "replace", "--dry-run", "--json")
    samples = {t["name"]: t["samples"] for t in report["tables"]}
    assert [r.split(" · ")[0] for r in samples["transaksi_detail"]["new"]] == ["id 5", "id 6"]
    assert samples["produk"]["changed"][0].startswith("id 3 ·")
    assert samples["pelanggan"]["removed"][0].startswith("id 999 · Pelanggan baru")
    text = kb.run("import", "--db", pos_db, "--from", exported, "--mode", "replace", "--dry-run").stdout
    assert "transaksi_detail, rows the file adds:" in text and "pelanggan, rows that will be removed:" in text
