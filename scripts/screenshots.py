"""Screenshots of the desktop app as a newcomer sees it, in English and Indonesian:
first-start setup (with the sample shop database), main window, restore wizard pages,
schedule dialog, settings tabs and history — saved to docs/screenshots/<lang>/.

    make screenshots            (runs under Xvfb when there is no display)
    .venv/bin/python scripts/screenshots.py [--out DIR] [--lang en,id] [--texts FILE]

``--texts FILE`` also writes, per screen, every text a user can read on it (JSON), for
tests/gui/test_screen_language.py.

Everything happens in private temporary folders; nothing of the user's is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--lang", default="en,id")
    ap.add_argument("--texts", help="write the visible texts of every screen to this JSON file")
    args = ap.parse_args()
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="kb-shots-"))
    os.environ.update(KASIRBACKUP_CONFIG_DIR=str(work / "config"), KASIRBACKUP_DATA_DIR=str(work / "data"),
                      KASIRBACKUP_LOG_DIR=str(work / "logs"), HOME=str(work / "home"))
    (work / "home" / "Documents").mkdir(parents=True)

    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    app.setStyle("Fusion")
    from kasirbackup.gui import screen_fit
    screen_fit.install(app)              # as the app does: no window larger than the screen
    for lang in args.lang.split(","):
        shoot(app, lang.strip(), work / lang, Path(args.out) / lang)
    if args.texts:
        Path(args.texts).write_text(json.dumps(TEXTS, ensure_ascii=False, indent=1), encoding="utf-8")
        Path(args.texts).with_suffix(".places.json").write_text(json.dumps(PLACES, indent=1), encoding="utf-8")
    return 0


def pump(app, until=None, timeout: float = 120.0, settle: float = 0.0) -> None:
    end = time.monotonic() + timeout
    while until is not None and time.monotonic() < end and not until():
        app.processEvents()
        time.sleep(0.01)
    if until is not None and not until():
        print(f"warning: gave up waiting after {timeout:.0f} s", file=sys.stderr)
    end = time.monotonic() + settle
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


#: "<lang>/<screen>" -> the texts a user can read on it (--texts)
TEXTS: dict[str, list[str]] = {}
#: "<lang>/<screen>" -> where the window is and the screen's free area (--texts)
PLACES: dict[str, dict] = {}


def save(app, widget, out: Path, name: str, extra: list[str] | None = None) -> None:
    from tests.support.screen_texts import clipped_widgets, visible_texts

    pump(app, settle=0.3)
    out.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(out / f"{name}.png"))
    TEXTS[f"{out.name}/{name}"] = visible_texts(widget) + (extra or [])
    win = widget.window()
    avail = win.screen().availableGeometry()
    PLACES[f"{out.name}/{name}"] = {"window": list(win.geometry().getRect()), "screen": list(avail.getRect()),
                                    "clipped": clipped_widgets(win)}
    print(out / f"{name}.png", flush=True)


def shoot(app, lang: str, work: Path, out: Path) -> None:
    from PySide6.QtWidgets import QWizard

    from kasirbackup.app.history import History
    from kasirbackup.app.settings import SettingsStore
    from kasirbackup.core.snapshot.backup import BackupRequest, backup
    from kasirbackup.core.repo.repository import Repository
    from kasirbackup.gui import i18n
    from kasirbackup.gui.context import AppContext

    i18n.install(lang, app)
    ctx = AppContext(SettingsStore(work / "config"), History(work / "history.db"))

    # 1. first start, with the sample shop database
    from kasirbackup.gui.setup_wizard import SetupWizard

    wiz = SetupWizard(ctx, None)
    wiz.resize(760, 600)
    wiz.show()
    wiz.findChild(type(wiz.button(QWizard.WizardButton.NextButton)), "sampleButton").click()
    pump(app, lambda: wiz.db_page.isComplete())
    save(app, wiz, out, "01-setup-database")
    wiz.next()
    folder = work / "USB-BACKUP"
    wiz._ask_folder = lambda: str(folder)
    wiz.findChild(type(wiz.button(QWizard.WizardButton.NextButton)), "browseFolderButton").click()
    pump(app, lambda: wiz.folder_page.isComplete())
    save(app, wiz, out, "02-setup-folder")
    wiz.next()
    save(app, wiz, out, "03-setup-time")
    wiz.button(QWizard.WizardButton.CommitButton).click()
    pump(app, lambda: wiz.findChild(type(wiz.db_page.sample_note), "protectedLabel").isVisible())
    save(app, wiz, out, "04-setup-protected")
    # closing the wizard after a checked first backup asks whether to keep it: Keep
    from PySide6.QtWidgets import QMessageBox, QPushButton
    wiz.reject()
    pump(app, lambda: wiz.findChild(QMessageBox, "keepSetupQuestion") is not None
         and wiz.findChild(QMessageBox, "keepSetupQuestion").isVisible())
    keep_box = wiz.findChild(QMessageBox, "keepSetupQuestion")
    save(app, keep_box, out, "04b-setup-keep-question")
    keep_box.findChild(QPushButton, "keepSetupKeep").click()
    pump(app, lambda: not wiz.isVisible())
    profile = ctx.reload_settings().profiles[0]

    # a week of history: older backups of the same database, with sales in between
    repo = Repository.open(profile.repos[0])
    db = profile.db_path
    for days in range(6, 0, -1):
        conn = sqlite3.connect(db)
        conn.execute("UPDATE produk SET stok = stok - 1 WHERE rowid % 7 = ?", (days,))
        conn.commit()
        conn.close()
        photos = Path(profile.attachments[0]) if profile.attachments else None
        if photos is not None and days == 2:          # a photo deleted and one added since three days ago
            (photos / "SKU0003.png").unlink(missing_ok=True)
            shutil.copyfile(photos / "SKU0001.png", photos / "SKU0060.png")
        backup(repo, BackupRequest(db, label="akhir bulan" if days == 3 else "",
                                   created_at=(datetime.now() - timedelta(days=days)).astimezone(),
                                   attachments=list(profile.attachments)))

    # 2. the main window
    from kasirbackup.gui.mainwindow import MainWindow

    win = MainWindow(ctx)
    win.resize(1150, 740)
    win.show()
    pump(app, lambda: win.model.rowCount() >= 7 and win._summary is not None)
    from tests.support.screen_texts import menu_texts
    menus = [t for a in win.menuBar().actions() if a.menu() is not None for t in [a.text(), *menu_texts(a.menu())]]
    save(app, win, out, "05-main-window", extra=menus)

    # 3. the restore wizard, with the backup of three days ago
    from kasirbackup.gui.restore_wizard import RestoreWizard

    snap = sorted(win.model.snapshots(), key=lambda s: s.created_utc)[3]
    rw = RestoreWizard(ctx, profile, snap.id, win)
    rw.resize(820, 620)
    rw.show()
    for n, name in enumerate(("06-restore-choose", "07-restore-preview", "08-restore-how", "09-restore-close")):
        pump(app, lambda: rw.currentPage().isComplete())
        if name == "07-restore-preview":          # open the tables on the rows that change
            tree = rw.currentPage().table
            for i in range(tree.topLevelItemCount()):
                item = tree.topLevelItem(i)
                if item.childCount():
                    item.setExpanded(True)
                    for j in range(item.childCount()):
                        item.child(j).setExpanded(True)
        save(app, rw, out, name)
        button = rw.button(QWizard.WizardButton.CommitButton if rw.currentPage().isCommitPage()
                           else QWizard.WizardButton.NextButton)
        pump(app, button.isEnabled)
        button.click()
    pump(app, lambda: rw.currentId() == rw.pageIds()[-1], timeout=300)
    save(app, rw, out, "10-restore-result")
    rw.close()

    # 3b. a merge while the POS still has the database open: named, Retry or restore anyway
    import subprocess

    conn = sqlite3.connect(db)
    # two sales gone since the backup, and a new sale under the number of one of them (as
    # after a restore under the open POS)
    last = [r[0] for r in conn.execute("SELECT id FROM penjualan ORDER BY id DESC LIMIT 2")]
    conn.execute(f"DELETE FROM penjualan_detail WHERE penjualan_id IN ({last[0]}, {last[1]})")
    conn.execute(f"DELETE FROM penjualan WHERE id IN ({last[0]}, {last[1]})")
    conn.execute("INSERT INTO penjualan (id, kode_transaksi, tanggal, kasir_id, subtotal, total, bayar, kembalian, "
                 "metode_pembayaran) VALUES (?, 'TRX-BARU-0001', datetime('now'), 1, 25000, 25000, 30000, 5000, "
                 "'TUNAI')", (last[1],))
    conn.commit()
    conn.close()
    newest = sorted(win.model.snapshots(), key=lambda s: s.created_utc)[-1]
    rw = RestoreWizard(ctx, profile, newest.id, win)
    rw.resize(820, 620)
    rw.show()
    pos = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time\n"
                            "c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM produk').fetchall()\n"
                            "print('open', flush=True); time.sleep(300)", db], stdout=subprocess.PIPE, text=True)
    try:
        pos.stdout.readline()
        for _ in range(2):
            pump(app, lambda: rw.currentPage().isComplete())
            rw.button(QWizard.WizardButton.NextButton).click()
        rw.currentPage().radios["merge"].click()
        rw.button(QWizard.WizardButton.NextButton).click()
        close_page = rw.currentPage()
        pump(app, lambda: close_page.merge_preview is not None)
        rw.button(QWizard.WizardButton.CommitButton).click()
        pump(app, lambda: close_page.retry.isVisible())
        save(app, rw, out, "09b-restore-merge-pos-open")
    finally:
        pos.kill()
        pos.wait()
    rw.close()

    # 3c. the list after the restores: the safety backup selected, its technical details open
    from kasirbackup.core.repo.manifest import Kind

    win._profile_selected()
    pump(app, lambda: any(s.kind == Kind.BEFORE_RESTORE for s in win.model.snapshots()))
    row = next(r for r in range(win.model.rowCount()) if win.model.snapshot(r).kind == Kind.BEFORE_RESTORE)
    win.view.selectRow(win.proxy.mapFromSource(win.model.index(row, 0)).row())
    win._technical = True
    win._selection_changed()
    pump(app, settle=0.2)
    bar = win.details.verticalScrollBar()
    bar.setValue(bar.maximum())                    # the technical facts, below the tables
    save(app, win, out, "05b-main-window-technical-details")
    win._technical = False

    # 3d. the tray menu (texts only: a menu of the system tray is drawn by the desktop)
    from kasirbackup.gui.tray import Tray

    tray = Tray(ctx, win)
    tray.rebuild_menu()
    tray.update()
    from tests.support.screen_texts import menu_texts
    TEXTS[f"{out.name}/05c-tray-menu"] = menu_texts(tray.menu) + [tray.tray.toolTip()]

    # 3e. a second backup place that fails (a file stands where its folder should be): the
    # banner says which database, which place and why, whatever database is selected
    import dataclasses

    blocked = work / "USB-KEDUA"
    blocked.write_text("not a folder")
    settings = ctx.settings()
    settings.profiles = [dataclasses.replace(p, repos=[*p.repos, str(blocked)]) if p.name == profile.name else p
                         for p in settings.profiles]
    ctx.save_settings(settings)
    profile = ctx.profile(profile.name)
    done = []
    ctx.bus.backup_finished.connect(lambda name, res: done.append(res))
    ctx.backup_now(profile)
    pump(app, lambda: bool(done), timeout=300)
    win.refresh_status()
    pump(app, settle=0.5)
    save(app, win, out, "05d-main-window-copy-failing")
    settings = ctx.settings()
    settings.profiles = [dataclasses.replace(p, repos=[r for r in p.repos if r != str(blocked)])
                         if p.name == profile.name else p for p in settings.profiles]
    ctx.save_settings(settings)
    profile = ctx.profile(profile.name)

    # 4. schedule, settings, history
    from kasirbackup.gui.history_dialog import HistoryDialog
    from kasirbackup.gui.schedule_dialog import ScheduleDialog
    from kasirbackup.gui.settings_dialog import SettingsDialog

    sd = ScheduleDialog(ctx, profile, win)
    sd.show()
    save(app, sd, out, "11-schedule")
    sd.close()
    st = SettingsDialog(ctx, profile, win)
    st.show()
    pump(app, settle=2.0)
    for i in range(st.tabs.count()):
        st.tabs.setCurrentIndex(i)
        pump(app, settle=1.0)
        save(app, st, out, f"12-settings-{i + 1}")
    st.close()
    # the dialogs behind Settings: online storage, a new passphrase, the recovery sheet
    from kasirbackup.gui.settings_dialog.online_storage_dialog import OnlineStorageDialog
    from kasirbackup.gui.settings_dialog.passphrase_dialog import NewPassphraseDialog
    from kasirbackup.gui.settings_dialog.recovery_sheet_dialog import RecoverySheetDialog

    import json as _json

    from kasirbackup.core.repo.crypto import recovery_sheet
    from kasirbackup.gui.settings_dialog.recovery_sheet_dialog import sheet_texts

    enc = Repository.init(str(work / "ENCRYPTED"), encrypt_with="kunci toko yang panjang sekali")
    sheet = recovery_sheet(_json.loads(enc.config.dumps()), enc.location, sheet_texts())
    for name, dlg in (("12b-online-storage", OnlineStorageDialog(ctx, win)),
                      ("12c-new-passphrase", NewPassphraseDialog(profile.repos[0], True, win)),
                      ("12d-recovery-sheet", RecoverySheetDialog(sheet, enc.config.id, ctx.start, "", win))):
        dlg.show()
        save(app, dlg, out, name)
        dlg.close()
    hd = HistoryDialog(ctx, win)
    hd.show()
    save(app, hd, out, "13-history")
    hd.close()

    # 5. export and import
    from kasirbackup.gui.export_dialog import ExportDialog
    from kasirbackup.gui.import_dialog import ImportDialog

    ed = ExportDialog(ctx, profile, None, win)
    ed.show()
    pump(app, settle=1.0)
    save(app, ed, out, "14-export")
    ed.close()
    imd = ImportDialog(ctx, profile, win)
    imd.show()
    pump(app, settle=0.5)
    save(app, imd, out, "15-import")
    imd.close()
    # Quit asks, since nothing else would make tonight's backup: Cancel
    win.quit_app()
    pump(app, lambda: win.quit_question is not None and win.quit_question.isVisible())
    save(app, win.quit_question, out, "16-quit-question")
    win.quit_question.button(QMessageBox.StandardButton.Cancel).click()
    pump(app, settle=0.2)
    win.quitting = True
    win.close()
    ctx.shutdown()
    ctx.history.close()


if __name__ == "__main__":
    sys.exit(main())
