"""The history dialog: runs after a backup, filters, details, refresh, the log file; and the
other operations — restores (a copy, into the database), undo, import, export, verify — done
through the app's own jobs, each described in plain words."""

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
    assert model.index(0, 1).data() == "Backup"
    assert model.index(0, 2).data() == "Toko"
    assert model.index(0, 4).data() == "Succeeded"
    assert model.index(0, 3).data() == "You"
    assert model.index(2, 4).data() == "Failed"
    assert dlg.count.text() == "3 entries"
    # the newest run is selected and described
    assert dlg.selected_run().id == runs[0].id
    details = dlg.details.toPlainText()
    assert "Succeeded" in details and res.outcomes[0].snapshot_id in details

    dlg.db_filter.setCurrentIndex(dlg.db_filter.findData("Gudang"))
    assert [r.profile for r in dlg.visible_runs()] == ["Gudang"]
    assert dlg.count.text() == "1 of 3 entries"
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
    assert "Nothing recorded yet" in dlg.details.toPlainText()
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


def run_job(qtbot, ctx, fn):
    """Run ``fn(progress, cancel)`` as the dialogs do (``ctx.start``) and return its result."""
    out = {}
    ctx.start(fn, "test", on_finished=lambda r: out.setdefault("result", r),
              on_failed=lambda e: out.setdefault("error", e))
    qtbot.waitUntil(lambda: bool(out), timeout=60000)
    assert "error" not in out, out.get("error")
    return out["result"]


def test_restores_imports_exports_and_checks_are_listed(qtbot, ctx, profile, tmp_path):
    import sqlite3

    from kasirbackup.app.history import OpKind
    from kasirbackup.gui.data_jobs import run_export, run_import, run_preview
    from kasirbackup.gui.mainwindow import MainWindow
    from kasirbackup.gui.restore_wizard import engine

    assert wait_backup(qtbot, ctx, profile).ok
    qtbot.waitUntil(lambda: not ctx.is_running(profile.name), timeout=10000)
    location, db = profile.repos[0], profile.db_path
    snap = ctx.history.last_success("Toko").snapshot_id

    copy = tmp_path / "salinan.db"
    run_job(qtbot, ctx, lambda p, c: engine.restore_copy(location, snap, str(copy), p, c))
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM transaksi_detail WHERE id <= 3")
    conn.commit()
    conn.close()

    def restore(p, c):
        with engine.prepare_live(location, snap, db, engine.REPLACE, None, False, p, c) as plan:
            return engine.execute_live(location, plan, p, c)
    restored = run_job(qtbot, ctx, restore)
    run_job(qtbot, ctx, lambda p, c: engine.undo_restore(location, restored.safety.id, db, p, c))
    out = tmp_path / "kasir.json"
    exported = run_job(qtbot, ctx, lambda p, c: run_export(None, None, db, "json", str(out), None, {}, p, c))
    plan, _ = run_job(qtbot, ctx, lambda p, c: run_preview(db, str(out), "merge", False, p, c))
    run_job(qtbot, ctx, lambda p, c: run_import(plan, location, p, c))

    w = MainWindow(ctx)                            # the Verify button
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.model.rowCount() >= 1, timeout=20000)
    w.view.selectRow(w.model.rowCount() - 1)       # the oldest: the first backup
    w.act_verify.trigger()
    qtbot.waitUntil(lambda: any(e.kind == OpKind.CHECK for e in ctx.history.operations()), timeout=60000)

    dlg = open_dialog(qtbot, ctx)
    rows = dlg.visible_runs()
    kinds = [getattr(e, "kind", "backup") for e in rows]
    assert kinds == [OpKind.CHECK, OpKind.IMPORT, OpKind.EXPORT, OpKind.UNDO, OpKind.RESTORE, OpKind.RESTORE_FILE,
                     "backup"]
    assert all(e.profile == "Toko" and e.result == Result.SUCCESS for e in rows)
    model = dlg.view.model()
    what = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert what == ["Check", "Import", "Export", "Undo", "Restore", "Restore to a file", "Backup"]
    text = {w: model.index(r, 6).data() for r, w in enumerate(what)}
    assert text["Check"].startswith("Checked the backup of ") and text["Check"].endswith(": it restores")
    assert text["Import"].startswith("Imported kasir.json into kasir.db: ")
    assert text["Export"] == (f"Exported {len(exported.tables)} tables ({exported.rows:,} rows) of kasir.db to "
                              f"{out}")
    assert text["Undo"].startswith("Undid the restore: kasir.db is back as it was at ")
    assert text["Restore"].startswith("Restored the backup of ") and text["Restore"].endswith(" into kasir.db")
    assert text["Restore to a file"].endswith(f"as a new file: {copy}")
    assert model.index(0, 3).data() == "You"
    assert dlg.count.text() == "7 entries"

    # the details of an operation, and the filter by kind
    dlg.select_run(rows[4].id, "restore")
    details = dlg.details.toPlainText()
    assert "Restored the backup of" in details and restored.safety.id in details and location in details
    dlg.kind_filter.setCurrentIndex(dlg.kind_filter.findData("restore"))
    assert [e.kind for e in dlg.visible_runs()] == [OpKind.UNDO, OpKind.RESTORE, OpKind.RESTORE_FILE]
    assert dlg.count.text() == "3 of 7 entries"
    dlg.kind_filter.setCurrentIndex(dlg.kind_filter.findData("backup"))
    assert [r.id for r in dlg.visible_runs()] == [rows[-1].id]

    # none of it is a backup for the banner and the scheduler
    assert [r.result for r in ctx.history.attempts("Toko")] == [Result.SUCCESS]
    assert ctx.history.last_success("Toko").snapshot_id == snap
