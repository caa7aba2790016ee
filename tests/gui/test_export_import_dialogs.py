"""The Export… and Import… dialogs, driven like a user would (pytest-qt, offscreen), against
the real shop database and a real backup folder."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

import openpyxl
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from kasirbackup.app.settings import SettingsStore
from kasirbackup.gui.export_dialog import ExportDialog
from kasirbackup.gui.import_dialog import ImportDialog
from tests.gui.conftest import wait_backup

WAIT = 60000     # generous upper bound for a job on a busy machine; no assertion on time


def counts(db) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sql(db, *statements) -> None:
    conn = sqlite3.connect(db)
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def xlsx_counts(path) -> dict[str, int]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: sum(1 for _ in ws.iter_rows(min_row=2)) for ws in wb.worksheets
                if ws.title in ("produk", "pelanggan", "transaksi", "transaksi_detail")}
    finally:
        wb.close()


def open_export(qtbot, ctx, profile, snapshot_id=None, choose_backup=False) -> ExportDialog:
    """The dialog as the main window opens it (``snapshot_id``: the backup selected there);
    ``choose_backup``: then the user picks "A backup:" (that backup is preselected)."""
    dlg = ExportDialog(ctx, profile, snapshot_id)
    qtbot.addWidget(dlg)
    dlg.open()
    if snapshot_id:
        qtbot.waitUntil(lambda: dlg.backup_radio.isEnabled(), timeout=WAIT)
        assert dlg.snapshot_combo.currentData() == snapshot_id
    assert dlg.live_radio.isChecked() and not dlg.backup_radio.isChecked()
    if choose_backup:
        qtbot.mouseClick(dlg.backup_radio, Qt.MouseButton.LeftButton)
        assert dlg.backup_radio.isChecked()
    qtbot.waitUntil(lambda: dlg.table_list.count() > 0 and dlg.export_button.isEnabled(), timeout=WAIT)
    return dlg


def choose(qtbot, dlg, monkeypatch, fmt: str, dest: Path) -> None:
    dlg.format_combo.setCurrentIndex(dlg.format_combo.findData(fmt))
    monkeypatch.setattr(dlg, "ask_destination", lambda suggested: str(dest))
    qtbot.mouseClick(dlg.browse_button, Qt.MouseButton.LeftButton)


def run_export(qtbot, dlg):
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.job is None, timeout=WAIT)
    assert dlg.result is not None, dlg.status_label.text()
    return dlg.result


# -- export ------------------------------------------------------------------------------------------

def test_export_live_database_to_excel(qtbot, ctx, profile, shop_db, tmp_path, monkeypatch):
    dlg = open_export(qtbot, ctx, profile)
    assert dlg.live_radio.isChecked()
    assert sorted(dlg.table_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dlg.table_list.count())) \
        == sorted(counts(shop_db))
    dest = tmp_path / "untuk akuntan" / "toko.xlsx"
    dest.parent.mkdir()
    choose(qtbot, dlg, monkeypatch, "xlsx", tmp_path / "untuk akuntan" / "toko")   # the suffix is added
    assert dlg.dest_edit.text() == str(dest)
    res = run_export(qtbot, dlg)
    assert res.path == dest and dest.is_file()
    assert xlsx_counts(dest) == counts(shop_db)
    assert res.rows == sum(counts(shop_db).values())
    text = dlg.status_label.text()
    assert str(dest) in text and f"{res.rows:,}" in text
    assert dlg.open_button.isVisible() and dlg.close_button.isVisible() and not dlg.progress.isVisible()
    opened = []
    monkeypatch.setattr("kasirbackup.gui.export_dialog.QDesktopServices.openUrl", lambda url: opened.append(url))
    qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in opened] == [str(dest.parent)]


def test_export_a_backup_as_csv_and_json_holds_the_backup_not_today(qtbot, ctx, profile, shop_db, tmp_path,
                                                                     monkeypatch):
    res = wait_backup(qtbot, ctx, profile)
    snap_id = res.outcomes[0].snapshot_id
    at_backup = counts(shop_db)
    sql(shop_db, "DELETE FROM transaksi_detail WHERE id IN (SELECT id FROM transaksi_detail LIMIT 7)",
        "INSERT INTO pelanggan (id, nama) VALUES (9001, 'Bu Sari')")
    assert counts(shop_db) != at_backup

    dlg = open_export(qtbot, ctx, profile, snap_id, choose_backup=True)
    assert dlg.selected_snapshot_id() == snap_id
    assert snap_id[:8] in dlg.snapshot_combo.currentText()
    assert dlg.status_label.text() == ""
    folder = tmp_path / "csv-export"
    choose(qtbot, dlg, monkeypatch, "csv", folder)
    out = run_export(qtbot, dlg)
    assert out.path == folder and folder.is_dir() and out.snapshot_id == snap_id
    got = {}
    for f in folder.glob("*.csv"):
        with open(f, encoding="utf-8-sig", newline="") as fh:
            got[f.stem] = sum(1 for _ in csv.reader(fh)) - 1
    assert got == at_backup
    assert "Saved in the folder" in dlg.status_label.text()

    # a second export from the same dialog: JSON of two tables only
    for i in range(dlg.table_list.count()):
        item = dlg.table_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) not in ("produk", "pelanggan"):
            item.setCheckState(Qt.CheckState.Unchecked)
    choose(qtbot, dlg, monkeypatch, "json", tmp_path / "dua-tabel.json")
    out = run_export(qtbot, dlg)
    doc = json.loads((tmp_path / "dua-tabel.json").read_text(encoding="utf-8"))
    assert doc["metadata"]["source"]["snapshot_id"] == snap_id
    assert {t["name"]: len(t["rows"]) for t in doc["tables"]} == {"produk": at_backup["produk"],
                                                                  "pelanggan": at_backup["pelanggan"]}
    assert out.rows == at_backup["produk"] + at_backup["pelanggan"]


def test_the_current_database_is_exported_even_when_a_before_restore_backup_is_selected(
        qtbot, ctx, profile, shop_db, tmp_path, monkeypatch):
    """The main window hands over the selected backup — here the "before restore" safety backup —
    and the 20 sales made since must still be in the export unless the user picks the backup."""
    from kasirbackup.core.repo.manifest import Kind
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.core.snapshot.backup import BackupRequest, backup
    from tests.support.dbgen import simulate_day_of_sales

    repo = Repository.open(profile.repos[0], create=True)
    safety = backup(repo, BackupRequest(str(shop_db), kind=Kind.BEFORE_RESTORE, label="before restore")).snapshot
    in_backup = counts(shop_db)
    simulate_day_of_sales(str(shop_db), 20, seed=42)
    now = counts(shop_db)
    assert now["transaksi"] == in_backup["transaksi"] + 20

    dlg = open_export(qtbot, ctx, profile, safety.id)
    assert dlg.selected_snapshot_id() is None and not dlg.source_note.isVisible()
    assert safety.short_id in dlg.snapshot_combo.currentText()
    choose(qtbot, dlg, monkeypatch, "xlsx", tmp_path / "sekarang.xlsx")
    res = run_export(qtbot, dlg)
    assert res.snapshot_id is None
    assert xlsx_counts(tmp_path / "sekarang.xlsx") == now            # the 20 new sales are there

    # the backup is the explicit alternative, and then the dialog says what it lacks
    qtbot.mouseClick(dlg.backup_radio, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.table_list.count() > 0 and dlg.export_button.isEnabled(), timeout=WAIT)
    assert dlg.selected_snapshot_id() == safety.id
    assert dlg.source_note.isVisible() and "after it are not in it" in dlg.source_note.text()
    choose(qtbot, dlg, monkeypatch, "xlsx", tmp_path / "cadangan.xlsx")
    res = run_export(qtbot, dlg)
    assert res.snapshot_id == safety.id
    assert xlsx_counts(tmp_path / "cadangan.xlsx") == in_backup
    # (a radio button takes clicks on its circle and text only, not its whole width)
    qtbot.mouseClick(dlg.live_radio, Qt.MouseButton.LeftButton, pos=QPoint(8, dlg.live_radio.height() // 2))
    assert dlg.selected_snapshot_id() is None and not dlg.source_note.isVisible()
    dlg.snapshot_combo.activated.emit(0)            # the user picks a backup in the list: that is the choice
    assert dlg.backup_radio.isChecked() and dlg.selected_snapshot_id() == dlg.snapshot_combo.itemData(0)


def test_cancel_leaves_no_file(qtbot, ctx, profile, tmp_path, monkeypatch):
    """The export waits while a backup holds the repository (the per-repository queue);
    Cancel ends it there, and nothing is written."""
    from kasirbackup.app.runner import repo_queue

    snap_id = wait_backup(qtbot, ctx, profile).outcomes[0].snapshot_id
    dlg = open_export(qtbot, ctx, profile, snap_id, choose_backup=True)
    dest = tmp_path / "batal.xlsx"
    choose(qtbot, dlg, monkeypatch, "xlsx", dest)
    queue = repo_queue(profile.repos[0])
    queue.acquire()
    try:
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
        assert dlg.cancel_button.isVisible() and not dlg.export_button.isEnabled()
        qtbot.waitUntil(lambda: "Waiting for the backup" in dlg.status_label.text(), timeout=WAIT)
        qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dlg.job is None, timeout=WAIT)
    finally:
        queue.release()
    assert dlg.result is None
    assert "cancelled" in dlg.status_label.text().lower()
    assert not dest.exists() and list(tmp_path.glob(".batal.xlsx*")) == []
    assert dlg.export_button.isEnabled() and not dlg.cancel_button.isVisible()


def test_scheduled_exports_are_saved_to_the_profile(qtbot, ctx, profile):
    dlg = open_export(qtbot, ctx, profile)
    assert not any(cb.isChecked() for cb in dlg.auto_checks.values())
    dlg.auto_checks["xlsx"].setChecked(True)
    dlg.auto_checks["csv"].setChecked(True)
    assert ctx.profile("Toko").exports == ["xlsx", "csv"]
    assert SettingsStore(ctx.store.folder).load().profile("Toko").exports == ["xlsx", "csv"]
    dlg.auto_checks["xlsx"].setChecked(False)
    assert SettingsStore(ctx.store.folder).load().profile("Toko").exports == ["csv"]


# -- import ------------------------------------------------------------------------------------------

def make_export(db, out: Path) -> Path:
    from kasirbackup.core.exports.exporter import ExportRequest, export

    export(ExportRequest(format="json", out=out, db=db))
    return out


def open_import(qtbot, ctx, profile, file: Path, monkeypatch) -> ImportDialog:
    dlg = ImportDialog(ctx, profile)
    qtbot.addWidget(dlg)
    dlg.open()
    assert not dlg.preview_button.isEnabled() and not dlg.import_button.isEnabled()
    monkeypatch.setattr(dlg, "ask_file", lambda: str(file))
    qtbot.mouseClick(dlg.browse_button, Qt.MouseButton.LeftButton)
    assert dlg.file_edit.text() == str(file)
    return dlg


def preview(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.job is None, timeout=WAIT)


def preview_rows(dlg) -> dict[str, dict[str, str]]:
    heads = [dlg.table.horizontalHeaderItem(c).text() for c in range(dlg.table.columnCount())]
    return {dlg.table.item(r, 0).text(): {heads[c]: dlg.table.item(r, c).text()
                                          for c in range(1, dlg.table.columnCount()) if not dlg.table.isColumnHidden(c)}
            for r in range(dlg.table.rowCount())}


def test_import_preview_then_merge(qtbot, ctx, profile, shop_db, tmp_path, monkeypatch):
    exported = make_export(shop_db, tmp_path / "kasir.json")
    before_changes = counts(shop_db)
    sql(shop_db, "DELETE FROM transaksi_detail WHERE id IN (SELECT id FROM transaksi_detail LIMIT 5)",
        "UPDATE produk SET nama = nama || ' (baru)' WHERE id IN (1, 2, 3)")
    changed = sha(shop_db)
    dlg = open_import(qtbot, ctx, profile, exported, monkeypatch)
    preview(qtbot, dlg)
    rows = preview_rows(dlg)
    assert rows["produk"] == {"New": "0", "Changed": "3", "Unchanged": str(before_changes["produk"] - 3),
                              "Rejected": "0"}
    assert rows["transaksi_detail"]["New"] == "5" and rows["transaksi_detail"]["Changed"] == "0"
    assert rows["pelanggan"]["New"] == rows["pelanggan"]["Changed"] == "0"
    assert "Removed" not in rows["produk"]                  # merge never removes
    assert sha(shop_db) == changed                          # the preview changed nothing
    shown = dlg.details.toPlainText()                       # which rows, not only how many
    assert "transaksi_detail: rows the file adds" in shown and "produk: rows the file changes" in shown, shown
    assert "(baru)" in shown or "id 1" in shown
    assert dlg.import_button.isEnabled() and "8" in dlg.status_label.text()

    changed_dbs: list[str] = []
    ctx.bus.database_changed.connect(changed_dbs.append)     # the main window shows the new state
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    box = dlg.confirm_box
    assert box is not None and box.isVisible() and "safety backup" in box.informativeText()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.report is not None or (dlg.job is None and dlg.confirm_box is None
                                                       and "Nothing" in dlg.status_label.text()), timeout=WAIT)
    assert dlg.report is not None, dlg.status_label.text()
    assert changed_dbs == [profile.db_path]
    assert counts(shop_db) == before_changes
    conn = sqlite3.connect(shop_db)
    assert [r[0] for r in conn.execute("SELECT nama FROM produk WHERE id IN (1, 2, 3)")] and not any(
        r[0].endswith(" (baru)") for r in conn.execute("SELECT nama FROM produk"))
    conn.close()
    safety = dlg.report.safety
    assert safety is not None and safety.short_id in dlg.status_label.text()
    from kasirbackup.core.repo.repository import Repository
    snaps = Repository.open(profile.repos[0]).snapshots()
    assert [s.id for s in snaps] == [safety.id] and snaps[0].kind.value == "before-restore"
    assert not dlg.import_button.isEnabled()


def test_malformed_json_is_refused_and_the_database_is_unchanged(qtbot, ctx, profile, shop_db, tmp_path,
                                                                 monkeypatch):
    good = make_export(shop_db, tmp_path / "kasir.json").read_bytes()
    bad = tmp_path / "terpotong.json"
    bad.write_bytes(good[: len(good) // 2])                 # a download cut off halfway
    before = sha(shop_db)
    dlg = open_import(qtbot, ctx, profile, bad, monkeypatch)
    preview(qtbot, dlg)
    box = dlg.findChild(QMessageBox, "errorBox")
    assert box is not None and box.isVisible()
    assert "terpotong.json" in box.text() and "cut off" in box.text() and "Traceback" not in box.text()
    assert "Nothing was changed" in dlg.status_label.text()
    assert dlg.table.rowCount() == 0 and not dlg.import_button.isEnabled()
    assert sha(shop_db) == before
    box.close()


def test_import_offers_only_exported_files_and_refuses_a_text_file(qtbot, ctx, profile, shop_db, tmp_path,
                                                                   monkeypatch):
    import fnmatch
    import re

    dlg = ImportDialog(ctx, profile)
    qtbot.addWidget(dlg)
    dlg.open()
    asked = []

    def fake_dialog(parent, title, start, filters):
        asked.append(filters)
        return "", ""
    monkeypatch.setattr("kasirbackup.gui.import_dialog.QFileDialog.getOpenFileName", fake_dialog)
    qtbot.mouseClick(dlg.browse_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and dlg.file_edit.text() == ""
    patterns = [p for f in asked[0].split(";;") for p in re.search(r"\((.*)\)", f).group(1).split()]
    offered = {n for n in ("kasir.csv", "kasir.json", "kasir.xlsx", "kasir.zip", "catatan.txt", "kasir.sql",
                           "kasir.db") if any(fnmatch.fnmatch(n, p) for p in patterns)}
    assert offered == {"kasir.csv", "kasir.json", "kasir.xlsx", "kasir.zip"}, asked

    # a .txt typed in anyway: one clear message, nothing read as CSV, nothing changed
    notes = tmp_path / "produk.txt"
    notes.write_text("Catatan belanja\nberas,5kg\n", encoding="utf-8")
    before = sha(shop_db)
    dlg.file_edit.setText(str(notes))
    preview(qtbot, dlg)
    box = dlg.findChild(QMessageBox, "errorBox")
    assert box is not None and box.isVisible()
    assert "produk.txt is not a CSV, JSON or Excel file exported by KasirBackup" in box.text(), box.text()
    assert "Choose one of those files" in box.text() and "Traceback" not in box.text()
    assert dlg.table.rowCount() == 0 and not dlg.import_button.isEnabled()
    assert sha(shop_db) == before
    box.close()


def test_a_file_of_another_database_needs_a_clear_confirmation(qtbot, ctx, profile, shop_db, tmp_path,
                                                               monkeypatch):
    from tests.support.dbgen import make_pos_db

    other = tmp_path / "other" / "kasir.db"
    other.parent.mkdir()
    make_pos_db(str(other), 200_000, seed=7)
    exported = make_export(other, tmp_path / "toko-lain.json")
    before = sha(shop_db)
    dlg = open_import(qtbot, ctx, profile, exported, monkeypatch)
    preview(qtbot, dlg)
    assert dlg.other_frame.isVisible() and "different database" in dlg.other_label.text()
    assert dlg.findChild(QMessageBox, "errorBox") is None
    assert dlg.table.rowCount() == 0
    assert not dlg.preview_button.isEnabled() and not dlg.import_button.isEnabled()
    dlg.other_confirm.setChecked(True)
    assert dlg.preview_button.isEnabled()
    preview(qtbot, dlg)
    assert dlg.preview is not None and dlg.table.rowCount() == 4
    assert any("another database" in n for n in dlg.preview.notes)
    assert sha(shop_db) == before
    # choosing another mode asks again
    dlg.replace_radio.setChecked(True)
    assert not dlg.other_frame.isVisible() and dlg.preview is None and not dlg.import_button.isEnabled()


def test_import_while_the_pos_has_the_database_open_names_it_and_changes_nothing(qtbot, ctx, profile, shop_db,
                                                                                  tmp_path, monkeypatch):
    import subprocess
    import sys

    exported = make_export(shop_db, tmp_path / "kasir.json")
    sql(shop_db, "DELETE FROM transaksi_detail WHERE id IN (SELECT id FROM transaksi_detail LIMIT 5)")
    changed = sha(shop_db)
    dlg = open_import(qtbot, ctx, profile, exported, monkeypatch)
    preview(qtbot, dlg)
    pos = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time\n"
                            "c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM produk').fetchall()\n"
                            "print('open', flush=True); time.sleep(120)", str(shop_db)],
                           stdout=subprocess.PIPE, text=True)
    try:
        assert pos.stdout.readline().strip() == "open"
        monkeypatch.setattr("kasirbackup.core.holders.POLL_S", 0.1)
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dlg.confirm_box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dlg.job is None, timeout=WAIT)
        text = dlg.status_label.text()
        assert f"({pos.pid}) has the database" in text and "import again" in text and "--" not in text, text
        assert dlg.report is None and sha(shop_db) == changed
    finally:
        pos.kill()
        pos.wait()
