"""The history dialog: runs after a backup, filters, details, refresh, the log file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtWidgets import QMessageBox

from kasirbackup.app.history import Result, Trigger
from kasirbackup.gui import history_dialog
from kasirbackup.gui.history_dialog import HistoryDialog
from tests.gui.conftest import wait_backup


def open_dialog(qtbot, ctx) -> HistoryDialog:
    dlg = HistoryDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_lists_a_backup_and_filters(qtbot, ctx, profile):
    res = wait_backup(qtbot, ctx, profile)
    assert res.ok
    earlier = datetime.now(timezone.utc) - timedelta(hours=1)
    ctx.history.skipped("Toko", Trigger.CATCH_UP, earlier, "not needed any more: a backup ran since it was planned")
    rid = ctx.history.start("Gudang", Trigger.SCHEDULED, earlier - timedelta(hours=1))
    ctx.history.finish(rid, Result.FAILED, earlier - timedelta(minutes=59), "the database file is missing")

    dlg = open_dialog(qtbot, ctx)
    runs = dlg.visible_runs()
    assert [(r.profile, r.result) for r in runs] == [("Toko", Result.SUCCESS), ("Toko", Result.SKIPPED),
                                                     ("Gudang", Result.FAILED)]
    model = dlg.view.model()
    assert model.index(0, 1).data() == "Toko"
    assert model.index(0, 3).data() == "Succeeded"
    assert model.index(0, 2).data() == "You"
    assert model.index(2, 3).data() == "Failed"
    assert dlg.count.text() == "3 runs"
    # the newest run is selected and described
    assert dlg.selected_run().id == runs[0].id
    details = dlg.details.toPlainText()
    assert "Succeeded" in details and res.outcomes[0].snapshot_id in details

    dlg.db_filter.setCurrentIndex(dlg.db_filter.findData("Gudang"))
    assert [r.profile for r in dlg.visible_runs()] == ["Gudang"]
    assert dlg.count.text() == "1 of 3 runs"
    assert "the database file is missing" in dlg.details.toPlainText()

    dlg.db_filter.setCurrentIndex(dlg.db_filter.findData("Toko"))
    dlg.result_filter.setCurrentIndex(dlg.result_filter.findData("skipped"))
    assert [(r.profile, r.result) for r in dlg.visible_runs()] == [("Toko", Result.SKIPPED)]
    assert "Catch-up" in dlg.details.toPlainText()

    dlg.result_filter.setCurrentIndex(dlg.result_filter.findData("failed"))
    assert dlg.visible_runs() == []
    dlg.db_filter.setCurrentIndex(0)             # all databases
    assert [r.profile for r in dlg.visible_runs()] == ["Gudang"]


def test_refreshes_when_a_run_ends(qtbot, ctx, profile):
    dlg = open_dialog(qtbot, ctx)
    assert dlg.visible_runs() == []
    assert "No runs recorded yet" in dlg.details.toPlainText()
    wait_backup(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: len(dlg.visible_runs()) == 1, timeout=10000)
    assert dlg.visible_runs()[0].result == Result.SUCCESS

    # a filter and a selection survive a refresh
    dlg.db_filter.setCurrentIndex(dlg.db_filter.findData("Toko"))
    first = dlg.visible_runs()[0].id
    # (the job is marked done on its worker just after its result reached the GUI thread)
    qtbot.waitUntil(lambda: not ctx.is_running(profile.name), timeout=10000)
    wait_backup(qtbot, ctx, profile)
    qtbot.waitUntil(lambda: len(dlg.visible_runs()) == 2, timeout=10000)
    assert dlg.db_filter.currentData() == "Toko"
    assert dlg.selected_run().id == first


def test_open_log_file(qtbot, ctx, tmp_path, monkeypatch):
    dlg = open_dialog(qtbot, ctx)
    monkeypatch.setattr(history_dialog, "log_path", lambda: None)
    dlg.log_button.click()
    box = next(b for b in dlg.findChildren(QMessageBox) if b.isVisible())
    assert "There is no log file yet" in box.text()
    box.close()

    log = tmp_path / "logs" / "kasirbackup.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("2026-03-02 info\n")
    opened = []
    monkeypatch.setattr(history_dialog, "log_path", lambda: log)
    monkeypatch.setattr(dlg, "_open_url", lambda url: opened.append(url.toLocalFile()) or True)
    dlg.log_button.click()
    assert opened == [str(log)]
