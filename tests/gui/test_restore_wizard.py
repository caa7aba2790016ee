"""The restore wizard, driven like a user would: real POS databases, real repositories, real
locks; the engine is never mocked."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QWizard

from kasirbackup.core.repo.repository import Repository
from kasirbackup.gui.restore_wizard import RestoreWizard
from kasirbackup.gui.restore_wizard.widgets import (PAGE_CLOSE, PAGE_HOW, PAGE_PREVIEW, PAGE_PROGRESS, PAGE_RESULT,
                                                    PAGE_SNAPSHOT)
from tests.gui.conftest import wait_backup
from tests.support.checks import table_rows as contents
from tests.support.dbgen import simulate_day_of_sales

LONG = 60000


# -- helpers ------------------------------------------------------------------------------------

def execute(db, *statements) -> None:
    con = sqlite3.connect(str(db), isolation_level=None, timeout=10)
    try:
        con.execute("BEGIN IMMEDIATE")
        for s in statements:
            con.execute(s)
        con.execute("COMMIT")
    finally:
        con.close()


def mutate(db) -> None:
    """A day after the backup: sales deleted, prices changed, 16 new sales."""
    execute(db,
            "DELETE FROM transaksi_detail WHERE transaksi_id BETWEEN 20 AND 29",
            "DELETE FROM transaksi WHERE id BETWEEN 20 AND 29",
            "UPDATE produk SET harga_jual = harga_jual + 1000 WHERE id <= 5")
    simulate_day_of_sales(str(db), 16, seed=5)


def backup_id(qtbot, ctx, profile) -> str:
    res = wait_backup(qtbot, ctx, profile)
    assert res.ok, res
    return res.outcomes[0].snapshot_id


def open_wizard(qtbot, ctx, profile, snap_id=None) -> RestoreWizard:
    wiz = RestoreWizard(ctx, profile, snap_id, None)
    qtbot.addWidget(wiz)
    wiz.open()
    return wiz


def button(wiz, which) -> QPushButton:
    return wiz.button(which)


def click_next(qtbot, wiz) -> None:
    nb = wiz.button(QWizard.WizardButton.CommitButton) if wiz.currentPage().isCommitPage() \
        else wiz.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(nb.isEnabled, timeout=LONG)
    nb.click()


def to_how_page(qtbot, wiz) -> None:
    qtbot.waitUntil(lambda: wiz.currentPage().isComplete(), timeout=LONG)
    click_next(qtbot, wiz)
    assert wiz.currentId() == PAGE_PREVIEW
    qtbot.waitUntil(lambda: wiz.currentPage().isComplete(), timeout=LONG)
    click_next(qtbot, wiz)
    assert wiz.currentId() == PAGE_HOW


def wait_result(qtbot, wiz) -> None:
    qtbot.waitUntil(lambda: wiz.currentId() == PAGE_RESULT, timeout=LONG)


def text(wiz, name) -> str:
    return wiz.findChild(QLabel, name).text()


def snapshots(profile):
    return Repository.open(profile.repos[0]).snapshots()


@pytest.fixture
def engine_calls(monkeypatch):
    """What the wizard asks of the engine: the real functions, each call recorded as
    (what, arguments that decide what is done)."""
    from kasirbackup.gui.restore_wizard import close_page, progress_page

    calls: list[tuple] = []
    real_prepare, real_execute, real_copy = close_page.prepare_live, progress_page.execute_live, \
        progress_page.restore_copy

    def prepare(location, snap_id, db_path, mode, tables, force, progress, cancel, even_if_open=False):
        calls.append(("prepare", snap_id, db_path, mode, tables, force, even_if_open))
        return real_prepare(location, snap_id, db_path, mode, tables, force, progress, cancel, even_if_open)

    def execute(location, plan, progress, cancel, even_if_open=False):
        calls.append(("execute", plan.snapshot.id, str(plan.target), plan.mode, even_if_open))
        return real_execute(location, plan, progress, cancel, even_if_open)

    def copy(location, snap_id, target, progress, cancel, files_folder=None):
        calls.append(("copy", snap_id, str(target)))
        return real_copy(location, snap_id, target, progress, cancel, files_folder)

    monkeypatch.setattr(close_page, "prepare_live", prepare)
    monkeypatch.setattr(progress_page, "execute_live", execute)
    monkeypatch.setattr(progress_page, "restore_copy", copy)
    return calls


@pytest.fixture
def announced(ctx):
    seen = []
    ctx.bus.repository_changed.connect(lambda loc: seen.append(("repo", loc)))
    ctx.bus.history_changed.connect(lambda: seen.append(("history",)))
    return seen


# -- the whole database, and undo -----------------------------------------------------------------

def test_replace_restores_the_snapshot_and_undo_puts_back_the_state_before(qtbot, ctx, profile, shop_db, announced,
                                                                           engine_calls):
    older = backup_id(qtbot, ctx, profile)
    at_backup = contents(shop_db)
    mutate(shop_db)
    newer = backup_id(qtbot, ctx, profile)
    before_restore = contents(shop_db)
    assert before_restore != at_backup

    wiz = open_wizard(qtbot, ctx, profile, older)
    page = wiz.page(PAGE_SNAPSHOT)
    qtbot.waitUntil(page.isComplete, timeout=LONG)
    assert page.selected().id == older, "the backup chosen in the main window is the one highlighted"
    assert page.model.rowCount() == 2 and newer != older
    click_next(qtbot, wiz)

    qtbot.waitUntil(lambda: wiz.page(PAGE_PREVIEW).isComplete(), timeout=LONG)
    summary = wiz.page(PAGE_PREVIEW).summary.toPlainText()
    assert "transaksi: 16 rows newer than the backup" in summary and "10 rows deleted since will come back" in summary
    assert "produk: " in summary and "rows changed since will be set back" in summary
    assert not wiz.findChild(QLabel, "identityTitle").isVisible()
    click_next(qtbot, wiz)
    assert wiz.page(PAGE_HOW).mode() == "replace"
    click_next(qtbot, wiz)
    assert wiz.currentId() == PAGE_CLOSE
    assert engine_calls == []          # nothing is done before "Restore now"
    click_next(qtbot, wiz)             # "Restore now"
    wait_result(qtbot, wiz)

    # the same database: never "restore into another database anyway", never "even if open"
    assert engine_calls == [("prepare", older, str(shop_db), "replace", None, False, False),
                            ("execute", older, str(shop_db), "replace", False)]
    assert wiz.result.snapshot.id == older and str(wiz.result.target) == str(shop_db)
    assert contents(shop_db) == at_backup
    assert text(wiz, "resultLocation") == str(shop_db)
    safety = [s for s in snapshots(profile) if s.kind.value == "before-restore"]
    assert len(safety) == 1 and safety[0].verified
    assert safety[0].short_id in text(wiz, "safetySnapshot")
    assert ("repo", profile.repos[0]) in announced and ("history",) in announced

    announced.clear()
    undo = wiz.findChild(QPushButton, "undoButton")
    assert undo.isVisible() and undo.isEnabled()
    undo.click()
    qtbot.waitUntil(lambda: wiz.page(PAGE_RESULT).undone is not None, timeout=LONG)
    assert contents(shop_db) == before_restore
    assert "undone" in text(wiz, "undoMessage")
    assert not undo.isEnabled()
    assert ("repo", profile.repos[0]) in announced
    qtbot.waitUntil(button(wiz, QWizard.WizardButton.FinishButton).isEnabled)
    button(wiz, QWizard.WizardButton.FinishButton).click()
    assert not wiz.isVisible()


# -- a copy in a new file -------------------------------------------------------------------------

def test_restore_as_a_copy_leaves_the_database_alone(qtbot, ctx, profile, shop_db, tmp_path, engine_calls):
    snap = backup_id(qtbot, ctx, profile)
    at_backup = contents(shop_db)
    mutate(shop_db)
    now = contents(shop_db)
    wiz = open_wizard(qtbot, ctx, profile, snap)
    to_how_page(qtbot, wiz)
    wiz.page(PAGE_HOW).radios["copy"].click()
    target = tmp_path / "copies" / "kasir-copy.db"
    wiz.page(PAGE_HOW).copy_path.setText(str(target))
    click_next(qtbot, wiz)             # the folder does not exist: the engine's message, no step further
    assert wiz.currentId() == PAGE_HOW
    assert "folder" in text(wiz, "howProblem").lower() and "Traceback" not in text(wiz, "howProblem")
    target.parent.mkdir()
    click_next(qtbot, wiz)
    assert wiz.currentId() == PAGE_PROGRESS, "a copy does not need the POS closed"
    wait_result(qtbot, wiz)
    assert engine_calls == [("copy", snap, str(target))]     # the live database is not even prepared
    assert wiz.result.path == target
    assert contents(target) == at_backup
    assert contents(shop_db) == now
    assert text(wiz, "resultLocation") == str(target)
    assert not wiz.findChild(QPushButton, "undoButton").isVisible()
    assert not [s for s in snapshots(profile) if s.kind.value == "before-restore"]


# -- selected tables, merge -----------------------------------------------------------------------

def test_selected_tables_only_replace_those_tables(qtbot, ctx, profile, shop_db):
    snap = backup_id(qtbot, ctx, profile)
    at_backup = contents(shop_db)
    execute(shop_db,
            "UPDATE produk SET harga_jual = harga_jual + 500 WHERE id <= 10",
            "INSERT INTO produk (id, kode, nama, harga_beli, harga_jual, stok) VALUES (9999, 'BARU', 'Baru', 1, 2, 3)",
            "UPDATE transaksi SET kasir = 'BARU' WHERE id <= 5")
    changed = contents(shop_db)
    wiz = open_wizard(qtbot, ctx, profile, snap)
    to_how_page(qtbot, wiz)
    how = wiz.page(PAGE_HOW)
    how.radios["tables"].click()
    assert not button(wiz, QWizard.WizardButton.NextButton).isEnabled(), "no table chosen yet"
    assert set(how.table_names()) == {"produk", "pelanggan", "transaksi", "transaksi_detail"}
    how.check_table("produk")
    click_next(qtbot, wiz)
    assert "produk" in text(wiz, "closeWhat")
    click_next(qtbot, wiz)
    wait_result(qtbot, wiz)
    after = contents(shop_db)
    assert after["produk"] == at_backup["produk"]
    assert after["transaksi"] == changed["transaksi"] != at_backup["transaksi"]
    assert "produk: {} rows removed, {} rows restored".format(
        len(changed["produk"]), len(at_backup["produk"])) in text(wiz, "resultDetails")


def test_merge_brings_deleted_rows_back_and_keeps_new_ones(qtbot, ctx, profile, shop_db):
    snap = backup_id(qtbot, ctx, profile)
    at_backup = contents(shop_db)
    execute(shop_db, "DELETE FROM transaksi_detail WHERE transaksi_id BETWEEN 30 AND 39",
            "DELETE FROM transaksi WHERE id BETWEEN 30 AND 39")
    simulate_day_of_sales(str(shop_db), 7, seed=3)
    before = contents(shop_db)
    wiz = open_wizard(qtbot, ctx, profile, snap)
    to_how_page(qtbot, wiz)
    wiz.page(PAGE_HOW).radios["merge"].click()
    click_next(qtbot, wiz)
    click_next(qtbot, wiz)
    wait_result(qtbot, wiz)
    after = contents(shop_db)
    for t in ("transaksi", "transaksi_detail"):
        expected = sorted(set(at_backup[t]) | set(before[t]))
        assert after[t] == expected, t
    assert len(after["transaksi"]) == len(at_backup["transaksi"]) + 7
    assert "transaksi: 10 rows brought back" in text(wiz, "resultDetails")


# -- the POS still has the database open -----------------------------------------------------------

BUSY_POS = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(120)
"""


def test_database_in_use_shows_retry_and_changes_nothing(qtbot, ctx, profile, shop_db):
    snap = backup_id(qtbot, ctx, profile)
    at_backup = contents(shop_db)
    mutate(shop_db)
    now = contents(shop_db)
    wiz = open_wizard(qtbot, ctx, profile, snap)
    to_how_page(qtbot, wiz)
    click_next(qtbot, wiz)
    assert wiz.currentId() == PAGE_CLOSE

    import subprocess
    import sys

    pos = subprocess.Popen([sys.executable, "-c", BUSY_POS, str(shop_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert pos.stdout.readline().strip() == "locked"        # the POS in the middle of a sale
        click_next(qtbot, wiz)
        retry = wiz.findChild(QPushButton, "retryButton")
        qtbot.waitUntil(retry.isVisible, timeout=LONG)
        assert wiz.currentId() == PAGE_CLOSE
        msg = text(wiz, "inUseMessage")
        assert f"({pos.pid}) has the database" in msg and "press Retry" in msg and "--wait" not in msg, msg
    finally:
        pos.kill()
        pos.wait()
    assert contents(shop_db) == now
    assert not [s for s in snapshots(profile) if s.kind.value == "before-restore"]

    retry.click()
    wait_result(qtbot, wiz)
    assert contents(shop_db) == at_backup


# -- cancel -----------------------------------------------------------------------------------------

def test_cancel_while_waiting_leaves_the_database_unchanged(qtbot, ctx, profile, shop_db):
    from kasirbackup.app.runner import repo_queue

    snap = backup_id(qtbot, ctx, profile)
    mutate(shop_db)
    now = contents(shop_db)
    wiz = open_wizard(qtbot, ctx, profile, snap)
    to_how_page(qtbot, wiz)
    click_next(qtbot, wiz)
    turn = repo_queue(profile.repos[0])
    assert turn.acquire(timeout=30)           # another job (a scheduled backup) works on the repository
    try:
        click_next(qtbot, wiz)
        qtbot.waitUntil(lambda: wiz.currentId() == PAGE_PROGRESS, timeout=LONG)
        qtbot.waitUntil(lambda: "Waiting" in text(wiz, "restoreLabel"), timeout=LONG)
        button(wiz, QWizard.WizardButton.CancelButton).click()
        assert wiz.isVisible(), "the wizard stays open to say what happened"
        qtbot.waitUntil(lambda: wiz.page(PAGE_PROGRESS).state == "cancelled", timeout=LONG)
    finally:
        turn.release()
    assert "not changed" in text(wiz, "restoreMessage")
    assert contents(shop_db) == now
    assert not [s for s in snapshots(profile) if s.kind.value == "before-restore"]
    assert not button(wiz, QWizard.WizardButton.BackButton).isEnabled()
    button(wiz, QWizard.WizardButton.CancelButton).click()
    assert not wiz.isVisible()


# -- an engine error ----------------------------------------------------------------------------

def test_engine_error_is_shown_in_plain_words_and_nothing_changes(qtbot, ctx, profile, shop_db):
    snap = backup_id(qtbot, ctx, profile)
    execute(shop_db,
            "INSERT INTO pelanggan (id, nama, poin) VALUES (9001, 'Pelanggan baru', 0)",
            "INSERT INTO transaksi (kode, tanggal, subtotal, total, bayar, kembalian, metode, pelanggan_id) "
            "VALUES ('TRX-BARU', '2025-02-09 10:00:00', 5000, 5000, 5000, 0, 'TUNAI', 9001)")
    now = contents(shop_db)
    wiz = open_wizard(qtbot, ctx, profile, snap)
    to_how_page(qtbot, wiz)
    how = wiz.page(PAGE_HOW)
    how.radios["tables"].click()
    how.check_table("pelanggan")
    click_next(qtbot, wiz)
    click_next(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.page(PAGE_PROGRESS).state == "failed", timeout=LONG)
    msg = text(wiz, "restoreMessage")
    assert msg.startswith("Restoring pelanggan alone would leave rows pointing at rows that do not exist")
    assert "transaksi" in msg and "Traceback" not in msg
    assert wiz.currentId() == PAGE_PROGRESS
    assert contents(shop_db) == now


# -- a backup of another database -------------------------------------------------------------------

def test_backup_of_another_database_is_flagged_and_needs_confirmation(qtbot, ctx, profile, shop_db, tmp_path,
                                                                      engine_calls):
    from kasirbackup.core.snapshot.backup import BackupRequest, backup
    from tests.support.dbgen import make_pos_db

    other = tmp_path / "toko-lain.db"
    make_pos_db(str(other), 200_000, seed=7)
    snap = backup(Repository.open(profile.repos[0], create=True), BackupRequest(str(other))).snapshot
    wiz = open_wizard(qtbot, ctx, profile, snap.id)
    to_how_page(qtbot, wiz)
    how = wiz.page(PAGE_HOW)
    assert how.radios["copy"].isChecked() and not how.radios["replace"].isEnabled()
    assert "another database" in text(wiz, "howProblem")
    button(wiz, QWizard.WizardButton.BackButton).click()
    assert wiz.findChild(QLabel, "identityTitle").isVisible()
    assert "different" in text(wiz, "identityText")
    wiz.findChild(QCheckBox, "forceOtherDatabase").click()
    click_next(qtbot, wiz)
    assert how.radios["replace"].isEnabled() and how.radios["merge"].isEnabled()
    assert not how.problem.isVisible()
    how.radios["replace"].click()
    click_next(qtbot, wiz)
    assert wiz.currentId() == PAGE_CLOSE
    click_next(qtbot, wiz)
    wait_result(qtbot, wiz)
    assert engine_calls == [("prepare", snap.id, str(shop_db), "replace", None, True, False),
                            ("execute", snap.id, str(shop_db), "replace", False)]
    assert contents(shop_db) == contents(other)       # what the owner confirmed, and only then


IDLE_POS = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("SELECT count(*) FROM transaksi").fetchall()       # then idle: no transaction, no lock
print("open", flush=True)
time.sleep(120)
"""


def test_an_idle_pos_is_named_and_restore_anyway_asks_first(qtbot, ctx, profile, shop_db):
    """A POS that keeps the database open without a lock (a connection pool) is named on the
    close-the-POS page; Retry goes on once it is closed, or the owner restores anyway after
    reading what that can do."""
    import subprocess
    import sys

    from PySide6.QtWidgets import QMessageBox

    snap = backup_id(qtbot, ctx, profile)
    at_backup = contents(shop_db)
    mutate(shop_db)
    now = contents(shop_db)
    wiz = open_wizard(qtbot, ctx, profile, snap)
    to_how_page(qtbot, wiz)
    click_next(qtbot, wiz)
    pos = subprocess.Popen([sys.executable, "-c", IDLE_POS, str(shop_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert pos.stdout.readline().strip() == "open"
        click_next(qtbot, wiz)
        retry = wiz.findChild(QPushButton, "retryButton")
        anyway = wiz.findChild(QPushButton, "restoreAnywayButton")
        qtbot.waitUntil(retry.isVisible, timeout=LONG)
        msg = text(wiz, "inUseMessage")
        assert f"({pos.pid}) has the database" in msg and "press Retry" in msg and "--" not in msg, msg
        assert anyway.isVisible()
        # Cancel in the question changes nothing
        anyway.click()
        box = wiz.findChild(QMessageBox, "restoreAnywayQuestion")
        qtbot.waitUntil(box.isVisible, timeout=LONG)
        assert "numbering" in box.text()
        box.button(QMessageBox.StandardButton.Cancel).click()
        assert wiz.currentId() == PAGE_CLOSE and contents(shop_db) == now
        # the owner closes the POS and presses Retry
    finally:
        pos.kill()
        pos.wait()
    retry.click()
    wait_result(qtbot, wiz)
    assert contents(shop_db) == at_backup


def test_restore_anyway_goes_ahead_after_the_question(qtbot, ctx, profile, shop_db, engine_calls):
    import subprocess
    import sys

    from PySide6.QtWidgets import QMessageBox

    snap = backup_id(qtbot, ctx, profile)
    at_backup = contents(shop_db)
    mutate(shop_db)
    wiz = open_wizard(qtbot, ctx, profile, snap)
    to_how_page(qtbot, wiz)
    click_next(qtbot, wiz)
    pos = subprocess.Popen([sys.executable, "-c", IDLE_POS, str(shop_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert pos.stdout.readline().strip() == "open"
        click_next(qtbot, wiz)
        anyway = wiz.findChild(QPushButton, "restoreAnywayButton")
        qtbot.waitUntil(anyway.isVisible, timeout=LONG)
        anyway.click()
        box = wiz.findChild(QMessageBox, "restoreAnywayQuestion")
        qtbot.waitUntil(box.isVisible, timeout=LONG)
        [go] = [b for b in box.buttons() if b.objectName() == "restoreAnywayConfirm"]
        go.click()
        wait_result(qtbot, wiz)
        assert contents(shop_db) == at_backup
        assert any("went ahead although" in n for n in wiz.result.notes), wiz.result.notes
        # "even if open" only after the owner said so, never "another database"
        assert engine_calls == [("prepare", snap, str(shop_db), "replace", None, False, False),
                                ("prepare", snap, str(shop_db), "replace", None, False, True),
                                ("execute", snap, str(shop_db), "replace", True)]
    finally:
        pos.kill()
        pos.wait()


def test_the_main_window_shows_the_restored_state_and_the_undone_one(qtbot, ctx, profile, shop_db):
    """The database panel, the backup list and the banner follow a restore and its undo at
    once (they kept the old counts until the owner switched databases)."""
    from kasirbackup.gui.mainwindow import MainWindow

    older = backup_id(qtbot, ctx, profile)
    mutate(shop_db)
    sales_now = len(contents(shop_db)["transaksi"])
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win._summary is not None and win.model.rowCount() == 1, timeout=LONG)
    assert win._summary.tables["transaksi"] == sales_now
    wiz = RestoreWizard(ctx, profile, older, win)
    qtbot.addWidget(wiz)
    wiz.open()
    to_how_page(qtbot, wiz)
    click_next(qtbot, wiz)
    click_next(qtbot, wiz)
    wait_result(qtbot, wiz)
    sales_then = len(contents(shop_db)["transaksi"])
    assert sales_then != sales_now
    qtbot.waitUntil(lambda: win._summary.tables["transaksi"] == sales_then, timeout=LONG)
    qtbot.waitUntil(lambda: win.model.rowCount() == 2, timeout=LONG)      # the safety backup is listed
    wiz.findChild(QPushButton, "undoButton").click()
    qtbot.waitUntil(lambda: win._summary.tables["transaksi"] == sales_now, timeout=LONG)
    qtbot.waitUntil(lambda: win.model.rowCount() == 3, timeout=LONG)


def test_the_preview_opens_on_the_rows_and_the_merge_says_what_it_does(qtbot, ctx, profile, shop_db):
    """The owner sees which sales come back or go, not only counts; for a merge, what the
    merge itself will do (worked out on a copy), with the sale whose number was given again."""
    snap = backup_id(qtbot, ctx, profile)
    execute(shop_db, "DELETE FROM transaksi_detail WHERE transaksi_id >= (SELECT max(id) - 2 FROM transaksi)",
            "DELETE FROM transaksi WHERE id >= (SELECT max(id) - 2 FROM transaksi)",
            "INSERT INTO transaksi (kode, tanggal, subtotal, total, bayar, kembalian, metode) "
            "VALUES ('TRX-BARU', '2026-12-05 10:00:00', 5000, 5000, 5000, 0, 'TUNAI')")
    wiz = open_wizard(qtbot, ctx, profile, snap)
    qtbot.waitUntil(lambda: wiz.currentPage().isComplete(), timeout=LONG)
    click_next(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.page(PAGE_PREVIEW).isComplete(), timeout=LONG)
    tree = wiz.page(PAGE_PREVIEW).table
    [sales] = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(0) == "transaksi"]
    kinds = {sales.child(i).text(0): [sales.child(i).child(j).text(0) for j in range(sales.child(i).childCount())]
             for i in range(sales.childCount())}
    assert "come back (2)" in kinds and "set back (1)" in kinds, kinds
    assert all("TRX" in r for r in kinds["come back (2)"]), kinds
    click_next(qtbot, wiz)
    wiz.page(PAGE_HOW).radios["merge"].click()
    click_next(qtbot, wiz)
    assert wiz.currentId() == PAGE_CLOSE
    qtbot.waitUntil(lambda: "come back" in text(wiz, "closeWhat"), timeout=LONG)
    what = text(wiz, "closeWhat")
    assert "transaksi: 2 rows deleted since will come back" in what, what
    assert "number given again (1)" in what and "TRX-BARU" in what, what
    assert "will be removed" not in what


# -- attachment folders -----------------------------------------------------------------------------

@pytest.fixture
def with_photos(ctx, profile, tmp_path):
    """The profile backs up a folder of product photos with the database."""
    photos = tmp_path / "uploads"
    photos.mkdir()
    for i in range(6):
        (photos / f"produk-{i}.jpg").write_bytes(b"\xff\xd8\xff" + bytes([i]) * 3000)
    s = ctx.settings()
    s.profiles[0].attachments = [str(photos)]
    ctx.save_settings(s)
    profile.attachments = [str(photos)]
    return photos


def test_a_copy_brings_the_photos_back_beside_the_new_file(qtbot, ctx, profile, shop_db, tmp_path, with_photos):
    snap = backup_id(qtbot, ctx, profile)
    wiz = open_wizard(qtbot, ctx, profile, snap)
    to_how_page(qtbot, wiz)
    wiz.page(PAGE_HOW).radios["copy"].click()
    target = tmp_path / "pc-baru" / "kasir.db"
    target.parent.mkdir()
    wiz.page(PAGE_HOW).copy_path.setText(str(target))
    click_next(qtbot, wiz)
    wait_result(qtbot, wiz)
    files = tmp_path / "pc-baru" / "kasir files" / "uploads"
    assert sorted(p.name for p in files.iterdir()) == sorted(p.name for p in with_photos.iterdir())
    assert all((files / p.name).read_bytes() == p.read_bytes() for p in with_photos.iterdir())
    assert "(6 files) are in" in text(wiz, "resultDetails") and str(files.parent) in text(wiz, "resultDetails")


def test_a_live_restore_shows_and_puts_back_the_photos_and_undo_returns_them(qtbot, ctx, profile, shop_db,
                                                                              with_photos):
    snap = backup_id(qtbot, ctx, profile)
    (with_photos / "produk-0.jpg").unlink()
    (with_photos / "produk-1.jpg").write_bytes(b"\xff\xd8\xff edited")
    (with_photos / "baru.jpg").write_bytes(b"\xff\xd8\xff new")
    wiz = open_wizard(qtbot, ctx, profile, snap)
    qtbot.waitUntil(lambda: wiz.currentPage().isComplete(), timeout=LONG)
    click_next(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.page(PAGE_PREVIEW).isComplete(), timeout=LONG)
    summary = wiz.page(PAGE_PREVIEW).summary.toPlainText()
    assert f"Photos and files in {with_photos}: 1 to bring back, 1 to change, 1 to remove" in summary, summary
    click_next(qtbot, wiz)
    click_next(qtbot, wiz)
    click_next(qtbot, wiz)             # "Restore now"
    wait_result(qtbot, wiz)
    assert sorted(p.name for p in with_photos.iterdir()) == [f"produk-{i}.jpg" for i in range(6)]
    assert (with_photos / "produk-1.jpg").read_bytes() == b"\xff\xd8\xff" + bytes([1]) * 3000
    assert f"Photos and files in {with_photos}: 2 written, 1 removed" in text(wiz, "resultDetails")
    wiz.findChild(QPushButton, "undoButton").click()
    qtbot.waitUntil(lambda: wiz.page(PAGE_RESULT).undone is not None, timeout=LONG)
    assert (with_photos / "baru.jpg").read_bytes() == b"\xff\xd8\xff new"
    assert not (with_photos / "produk-0.jpg").exists()


def test_the_backup_details_name_the_photos_and_what_the_check_rebuilt(qtbot, ctx, profile, with_photos):
    from kasirbackup.gui.mainwindow.details import details_html, drill_text

    backup_id(qtbot, ctx, profile)
    (with_photos / "baru.jpg").write_bytes(b"\xff\xd8\xff new")
    backup_id(qtbot, ctx, profile)
    first, second = sorted(snapshots(profile), key=lambda s: s.created_utc)
    assert f"{with_photos}: 6 files" in details_html(first, [first, second])
    assert "6 photos and files match (6 rebuilt" in drill_text(first)
    assert "7 photos and files match (1 rebuilt, the others in the backup before)" in drill_text(second)
    with_photos.rename(with_photos.with_name("gone"))
    backup_id(qtbot, ctx, profile)
    third = max(snapshots(profile), key=lambda s: s.created_utc)
    assert f"{with_photos}: missing when this backup was made" in details_html(third, [third])
