"""The main window end to end, on real databases and repositories: Backup now updates the
list and the banner; cancelling leaves the repository valid; an engine error arrives as a
message; verify; filter and sort; closing keeps the app in the tray; a scheduled run on the
scheduler's own thread reaches the window through the bus."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox

from kasirbackup.app.history import Result, Trigger
from kasirbackup.app.runner import repo_queue
from kasirbackup.app.status import Level, Reason
from kasirbackup.app.verifying import verify_snapshots
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.repo.manifest import Kind
from kasirbackup.core.repo.repository import Repository
from kasirbackup.gui.mainwindow import MainWindow
from kasirbackup.gui.mainwindow.details import TECHNICAL_LINK
from kasirbackup.gui.models import SnapshotModel

from .conftest import wait_backup


@pytest.fixture
def window(qtbot, ctx, profile):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w._summary is not None, timeout=20000)
    return w


def message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def close_boxes() -> None:
    for b in message_boxes():
        b.close()


def test_backup_now_updates_list_and_banner(qtbot, ctx, profile, window):
    assert window.banner.level == Level.ERROR                     # no backup yet
    assert window.banner.title.text().startswith("Toko: not protected yet")
    assert window.tables.topLevelItemCount() > 0                  # the database summary
    with qtbot.waitSignal(ctx.bus.backup_finished, timeout=60000) as done:
        window.act_backup.trigger()
    assert done.args[1].result == Result.SUCCESS
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    assert window.banner.level == Level.OK
    assert "You are protected" in window.banner.title.text()
    snap = window.model.snapshot(0)
    assert snap.verified and snap.kind == Kind.MANUAL
    assert window.model.index(0, SnapshotModel.VERIFIED).data() == "✓"
    plain = window.details.toPlainText()
    assert "a test restore rebuilt this backup" in plain and "Tables and rows" in plain
    assert snap.id not in plain and snap.image_sha256 not in plain      # technical facts wait behind a link
    window.details.anchorClicked.emit(QUrl(TECHNICAL_LINK))
    technical = window.details.toPlainText()
    assert snap.id in technical and snap.image_sha256 in technical
    assert "pages match their checksums" in technical and "quick check passed" in technical
    window.details.anchorClicked.emit(QUrl(TECHNICAL_LINK))
    assert snap.id not in window.details.toPlainText()
    assert not window.progress_row.isVisible()


def test_cancel_mid_backup_leaves_repository_valid(qtbot, ctx, profile, window):
    location = profile.repos[0]
    gate = repo_queue(location)
    gate.acquire()           # the worker waits at the repository's queue, like behind another job
    try:
        with qtbot.waitSignal(ctx.bus.backup_started, timeout=5000):
            window.act_backup.trigger()
        assert window.progress_row.isVisible() and window.cancel_button.isEnabled()
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    finally:
        gate.release()
    with qtbot.waitSignal(ctx.bus.backup_cancelled, timeout=60000):
        pass
    qtbot.waitUntil(lambda: not window.progress_row.isVisible(), timeout=5000)
    assert ctx.history.runs("Toko")[0].result == Result.CANCELLED
    assert ctx.status(profile).reason == Reason.NEVER             # a cancel is not a failure
    # the repository is valid: the next backup works and every backup in it verifies
    assert wait_backup(qtbot, ctx, profile).result == Result.SUCCESS
    repo = Repository.open(location)
    report = verify_snapshots(repo, repo.snapshots())
    assert report.ok and len(report.snapshots) == 1


def test_engine_error_shows_its_message(qtbot, ctx, profile, window, shop_db):
    shop_db.rename(shop_db.with_name("moved.db"))
    close_boxes()
    with qtbot.waitSignal(ctx.bus.backup_finished, timeout=60000) as done:
        window.act_backup.trigger()
    assert done.args[1].result == Result.FAILED
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=5000)
    text = message_boxes()[0].text()
    assert "does not exist" in text and "Traceback" not in text
    assert window.banner.level == Level.ERROR
    # about the database itself, not a backup place
    assert window.banner.title.text().startswith("Toko: backups failing since")
    assert "does not exist" in window.banner.title.text()
    close_boxes()


def test_verify_selected_backup(qtbot, ctx, profile, window):
    wait_backup(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: window.selected_snapshot() is not None, timeout=20000)
    close_boxes()
    window.act_verify.trigger()
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=60000)
    box = message_boxes()[0]
    assert box.windowTitle() == "Backup verified"
    assert "is good" in box.text()
    close_boxes()


def test_verify_says_when_the_index_was_rebuilt(qtbot, ctx, profile, window):
    import shutil
    from pathlib import Path as _Path

    wait_backup(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: window.selected_snapshot() is not None, timeout=20000)
    close_boxes()
    shutil.rmtree(_Path(profile.repos[0]) / "index")          # deleted by a sync client
    window.act_verify.trigger()
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=60000)
    box = message_boxes()[0]
    assert box.windowTitle() == "Backup verified", box.text()
    assert "is good" in box.text() and "it was rebuilt from the backup files themselves" in box.text()
    close_boxes()


def test_filter_and_sort(qtbot, ctx, profile, shop_db):
    repo = Repository.open(profile.repos[0], create=True)
    base = datetime(2026, 11, 1, 21, 0, tzinfo=timezone(timedelta(hours=7)))
    for i, label in enumerate(["akhir bulan", "", "sebelum stok opname"]):
        backup(repo, BackupRequest(str(shop_db), label=label, created_at=base + timedelta(days=i)))
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.model.rowCount() == 3, timeout=20000)
    times = [w.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2).created_at for r in range(3)]
    assert times == sorted(times, reverse=True)                   # newest first
    w.view.sortByColumn(SnapshotModel.TIME, Qt.SortOrder.AscendingOrder)
    assert w.proxy.index(0, SnapshotModel.LABEL).data() == "akhir bulan"
    w.filter.setText("stok")
    assert w.proxy.rowCount() == 1
    assert w.proxy.index(0, SnapshotModel.LABEL).data() == "sebelum stok opname"
    w.filter.setText("")
    assert w.proxy.rowCount() == 3


def test_closing_keeps_the_app_in_the_tray(qtbot, window):
    window.keep_in_tray = True
    window.close()
    assert not window.isVisible()              # hidden, not destroyed: scheduled backups go on
    window.bring_forward()
    assert window.isVisible()
    window.keep_in_tray = False


def test_scheduled_run_on_a_worker_thread_reaches_the_window(qtbot, ctx, profile, window):
    """APScheduler's QtScheduler runs jobs on its own worker threads (ctx.run_blocking):
    the window hears about it through the bus, on the GUI thread."""
    from apscheduler.schedulers.qt import QtScheduler

    from kasirbackup.app.scheduling import ScheduleService

    scheduler = QtScheduler(timezone=ctx.tz)
    service = ScheduleService(scheduler, ctx.store, ctx.history, run=ctx.run_blocking, tz=ctx.tz)
    ctx.schedule_service = service
    service.start()
    names = []
    ctx.bus.backup_started.connect(lambda n: names.append((n, threading.current_thread() is threading.main_thread())))
    with qtbot.waitSignal(ctx.bus.backup_finished, timeout=60000):
        t = threading.Thread(target=service.fire, args=("Toko", Trigger.SCHEDULED))
        t.start()
    t.join(30)
    assert names == [("Toko", True)]           # delivered on the GUI thread
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    assert window.model.snapshot(0).kind == Kind.SCHEDULED
    assert ctx.history.runs("Toko")[0].trigger == Trigger.SCHEDULED
    scheduler.remove_all_jobs()
    ctx.schedule_service = None


def test_summary_of_a_database_in_use(qtbot, ctx, profile, shop_db):
    """The summary reads with a short lock; a writer holding the database shows a message
    instead of freezing the window."""
    conn = sqlite3.connect(shop_db)
    conn.execute("BEGIN EXCLUSIVE")        # no reader gets in while this is held
    try:
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        qtbot.waitUntil(lambda: "locked by another program" in w.db_info.text(), timeout=30000)
        assert w._summary is None
        assert "Close the POS application" in w.db_info.text()     # says what to do
    finally:
        conn.rollback()
        conn.close()
    w.refresh_summary()                    # once the other program lets go, the summary comes
    qtbot.waitUntil(lambda: w._summary is not None, timeout=30000)
    assert "locked" not in w.db_info.text() and "Size:" in w.db_info.text()


def test_a_profile_that_does_not_load_is_named_in_the_window(qtbot, ctx, profile, tmp_path):
    """A broken entry in settings.json (edited by hand, or by an older version) must not
    silently vanish from the window: the owner sees its name and what to do."""
    import json

    settings_file = tmp_path / "config" / "settings.json"
    data = json.loads(settings_file.read_text())
    data["profiles"].append({"name": "Gudang", "db_path": "/g.db", "repos": ["/rg"],
                             "schedule": {"kind": "hourly"}})
    settings_file.write_text(json.dumps(data))
    ctx._settings = None                            # as on the next start of the app
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w._summary is not None, timeout=20000)
    assert [w.profile_combo.itemData(i) for i in range(w.profile_combo.count())] == ["Toko"]
    assert w.unusable_note.isVisible()
    text = w.unusable_note.text()
    assert "Gudang" in text and "cannot be used" in text and "profile remove Gudang" in text
    assert w.act_backup.isEnabled()                 # the good profile works as usual


def test_safety_backups_are_named_by_the_backup_they_restored_and_same_minute_times_show_seconds(
        qtbot, ctx, profile, window):
    repo = Repository.open(profile.repos[0], create=True)
    at = datetime(2026, 12, 4, 16, 32, 5).astimezone()
    first = backup(repo, BackupRequest(profile.db_path, created_at=at)).snapshot
    backup(repo, BackupRequest(profile.db_path, kind=Kind.BEFORE_RESTORE, label=f"before restoring {first.short_id}",
                               created_at=at + timedelta(seconds=40)))
    backup(repo, BackupRequest(profile.db_path, kind=Kind.BEFORE_RESTORE, label="before restoring 0123abcd",
                               created_at=at + timedelta(hours=1)))
    window._profile_selected()          # the list is read again, as when the database is selected
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=20000)
    rows = {window.model.snapshot(r).created_at.replace(microsecond=0): r for r in range(3)}
    label = lambda r: window.model.index(r, SnapshotModel.LABEL).data()       # noqa: E731
    shown = lambda r: window.model.index(r, SnapshotModel.TIME).data().replace("\u202f", " ")  # noqa: E731
    safety = rows[(at + timedelta(seconds=40)).replace(microsecond=0)]
    assert label(safety).startswith("Before restoring the backup of ") and "4:32" in label(safety)
    assert label(rows[(at + timedelta(hours=1)).replace(microsecond=0)]) == \
        "Before restoring a backup that has since been removed"
    # two backups in the same minute read apart; one alone in its minute keeps the short form
    assert shown(safety).endswith(":32:45 PM") and shown(rows[at.replace(microsecond=0)]).endswith(":32:05 PM")
    assert shown(rows[(at + timedelta(hours=1)).replace(microsecond=0)]).endswith("5:32 PM")
