"""The first-start setup, driven like a user would: pick (or make) the database, pick the
backup folder, choose the time, and the first backup must come back verified — checked in
the repository itself, not only on screen."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWizard

from kasirbackup.app import credentials, discover
from kasirbackup.app.sample import sample_db_path
from kasirbackup.app.settings import SettingsStore
from kasirbackup.core.repo.crypto import PassphraseNeeded
from kasirbackup.core.repo.repository import Repository
from kasirbackup.gui.setup_wizard import SetupWizard
from kasirbackup.gui.setup_wizard.common import profile_name_for
from tests.support.privileges import need_binding_permissions, need_mounts

WAIT = 120_000          # a generous ceiling for a busy CI machine; never a timing assertion


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """The database search and the folder suggestions look at a private home folder and no
    real USB disks."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setattr(discover, "removable_mounts", lambda *a, **k: [])
    return home


@pytest.fixture
def wizard(qtbot, ctx):
    made = []

    def make(db_path=None) -> SetupWizard:
        wiz = SetupWizard(ctx, None, db_path=db_path)
        qtbot.addWidget(wiz)
        wiz.open()
        made.append(wiz)
        return wiz

    yield make
    for wiz in made:                       # let the search and checks end before the context goes
        wiz.db_page.stop()
    ctx.jobs.wait(20000)


def _button(wiz, name) -> QPushButton:
    return wiz.findChild(QPushButton, name)


def _label(wiz, name) -> QLabel:
    return wiz.findChild(QLabel, name)


def _next_enabled(wiz) -> bool:
    return wiz.button(QWizard.WizardButton.NextButton).isEnabled()


def _pick_database(qtbot, wiz, path, monkeypatch) -> None:
    monkeypatch.setattr(wiz, "_ask_database_file", lambda: str(path))
    _button(wiz, "browseDbButton").click()
    qtbot.waitUntil(lambda: wiz.db_page.summary is not None or wiz.db_page.error is not None, timeout=WAIT)


def _pick_folder(qtbot, wiz, path, monkeypatch) -> None:
    monkeypatch.setattr(wiz, "_ask_folder", lambda: str(path))
    _button(wiz, "browseFolderButton").click()
    qtbot.waitUntil(lambda: wiz.folder_page.plan is not None or wiz.folder_page.error is not None, timeout=WAIT)


def _to_folder_page(qtbot, wiz) -> None:
    qtbot.waitUntil(wiz.db_page.isComplete, timeout=WAIT)
    wiz.next()
    assert wiz.currentPage() is wiz.folder_page
    # the suggestion (Documents/KasirBackup) is checked first; wait so it cannot overwrite a pick
    qtbot.waitUntil(lambda: wiz.folder_page._suggested is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: wiz.folder_page.plan is not None or wiz.folder_page.error is not None, timeout=WAIT)


def _run_first_backup(qtbot, wiz) -> None:
    assert wiz.currentPage() is wiz.schedule_page
    wiz.next()                                              # the commit button: "Make the first backup"
    assert wiz.currentPage() is wiz.backup_page
    qtbot.waitUntil(wiz.backup_page.isComplete, timeout=WAIT)


def _verified_snapshots(location, passphrase=None):
    repo = Repository.open(location, passphrase=passphrase)
    return [s for s in repo.snapshots() if s.verified]


def test_first_start_with_the_sample_database(qtbot, ctx, wizard, tmp_path, monkeypatch, private_home):
    wiz = wizard()
    assert ctx.profiles() == []
    _button(wiz, "sampleButton").click()
    qtbot.waitUntil(wiz.db_page.isComplete, timeout=WAIT)
    sample = sample_db_path()
    assert sample.is_file() and str(tmp_path / "data") in str(sample)     # the user's data folder
    assert "penjualan" in _label(wiz, "dbInfoLabel").text()
    # the search ran in the private home and found nothing there
    qtbot.waitUntil(lambda: wiz.db_page._search_job is None, timeout=WAIT)
    assert wiz.db_page.detected.count() == 0

    _to_folder_page(qtbot, wiz)
    # with no USB disk the suggestion is the Documents folder, and the page says it is the same disk
    assert wiz.folder_page.folder_edit.text() == str(private_home / "Documents" / "KasirBackup")
    assert wiz.folder_page.plan.same_disk is True and not _label(wiz, "sameDiskLabel").isHidden()
    usb = tmp_path / "usb"
    _pick_folder(qtbot, wiz, usb, monkeypatch)
    assert wiz.folder_page.isComplete() and _next_enabled(wiz)
    assert str(usb / "toko-contoh") in _label(wiz, "targetLabel").text()
    wiz.next()

    assert wiz.schedule_page.time.time().toString("HH:mm") == "21:00"
    # continuous protection is the recommended choice, ticked; the time is the nightly full check
    assert wiz.schedule_page.continuous.isChecked()
    assert _label(wiz, "nextLabel").text().startswith("Sales are protected within a minute. Next full check: ")
    wiz.schedule_page.continuous.setChecked(False)
    assert _label(wiz, "nextLabel").text().startswith("Next backup: ")
    wiz.schedule_page.continuous.setChecked(True)
    _run_first_backup(qtbot, wiz)

    assert _label(wiz, "protectedLabel").isVisible()
    assert _label(wiz, "protectedLabel").text() == "You are protected"
    assert not _button(wiz, "retryButton").isVisible()
    assert wiz.backup_page.result.ok

    profiles = SettingsStore(tmp_path / "config").load().profiles       # saved on disk
    assert [(p.name, p.db_path, p.repos, p.schedule.describe()) for p in profiles] == [
        ("toko-contoh", str(sample), [str(usb / "toko-contoh")], "continuous:60+daily@21:00")]
    # minutely snapshots are thinned: all of the last 2 hours, then hourly for 2 days
    assert (profiles[0].retention.keep_within, profiles[0].retention.keep_hourly) == ("2h", 48)
    snaps = _verified_snapshots(usb / "toko-contoh")
    assert len(snaps) == 1 and snaps[0].verified
    assert snaps[0].tables["penjualan"] > 1000

    with qtbot.waitSignal(wiz.profile_created, timeout=WAIT) as got:
        wiz.button(QWizard.WizardButton.FinishButton).click()
    assert got.args == ["toko-contoh"]


def test_a_file_that_is_not_a_database_blocks_next(qtbot, wizard, tmp_path, monkeypatch, shop_db):
    wiz = wizard()
    fake = tmp_path / "pos.db"
    fake.write_text("this is a shopping list, not a database\n" * 20)
    _pick_database(qtbot, wiz, fake, monkeypatch)
    error = _label(wiz, "dbErrorLabel")
    assert error.isVisible() and "is not an SQLite database" in error.text()
    assert not wiz.db_page.isComplete() and not _next_enabled(wiz)

    _pick_database(qtbot, wiz, tmp_path / "gone.db", monkeypatch)
    assert "does not exist" in error.text() and not _next_enabled(wiz)

    _pick_database(qtbot, wiz, shop_db, monkeypatch)        # the real one unblocks it
    assert wiz.db_page.isComplete() and _next_enabled(wiz) and error.isHidden()
    assert "kasir.db" in _label(wiz, "dbInfoLabel").text()


def _read_only_folder(tmp_path, how: str) -> tuple[Path, callable]:
    """A folder nobody may write to: a read-only tmpfs ("mount"), or a folder with mode
    0500 ("chmod"); tests/support/privileges.py says which this run can make."""
    ro = tmp_path / "readonly"
    ro.mkdir()
    if how == "mount":
        need_mounts()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(ro)],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return ro, lambda: subprocess.run(["umount", "-l", str(ro)], capture_output=True)
    need_binding_permissions()
    os.chmod(ro, 0o500)
    return ro, lambda: os.chmod(ro, 0o700)


@pytest.mark.parametrize("how", ["mount", "chmod"])
def test_a_read_only_backup_folder_is_refused(qtbot, wizard, tmp_path, monkeypatch, shop_db, how):
    wiz = wizard(str(shop_db))
    _to_folder_page(qtbot, wiz)
    ro, undo = _read_only_folder(tmp_path, how)
    try:
        _pick_folder(qtbot, wiz, ro, monkeypatch)
        error = _label(wiz, "folderErrorLabel")
        assert error.isVisible()
        # a write-protected disk and a folder of another owner each get their own words
        assert ("read-only" if how == "mount" else "Cannot write") in error.text(), error.text()
        assert not wiz.folder_page.isComplete() and not _next_enabled(wiz)
    finally:
        undo()
    _pick_folder(qtbot, wiz, tmp_path / "fine", monkeypatch)
    assert _next_enabled(wiz) and _label(wiz, "folderErrorLabel").isHidden()
    monkeypatch.setattr(wiz, "_ask_folder", lambda: "relative/folder")
    _button(wiz, "browseFolderButton").click()
    assert "not a complete folder path" in _label(wiz, "folderErrorLabel").text() and not _next_enabled(wiz)


def test_encrypted_setup_keeps_the_passphrase_in_the_credential_store(qtbot, wizard, tmp_path, monkeypatch,
                                                                      shop_db, private_dirs):
    ring = private_dirs
    wiz = wizard(str(shop_db))
    _to_folder_page(qtbot, wiz)
    _pick_folder(qtbot, wiz, tmp_path / "usb", monkeypatch)
    page = wiz.folder_page
    page.encrypt.setChecked(True)
    assert not _next_enabled(wiz)
    page.pass1.setText("short")
    page.pass2.setText("short")
    assert not _next_enabled(wiz)                            # under 8 characters
    page.pass1.setText("rahasia toko kita")
    page.pass2.setText("rahasia toko kit")
    assert not _next_enabled(wiz)                            # not the same twice
    page.pass2.setText("rahasia toko kita")
    assert _next_enabled(wiz)
    wiz.next()
    _run_first_backup(qtbot, wiz)
    assert _label(wiz, "protectedLabel").isVisible()
    assert _label(wiz, "keyNote").isHidden()
    assert page.pass1.text() == "" and wiz.passphrase is None    # not kept in the widgets

    location = tmp_path / "usb" / "kasir"
    repo_id = Repository.open(location, passphrase=lambda cfg, loc: "rahasia toko kita").config.id
    assert ring.store == {("kasirbackup", f"repository:{repo_id}"): "rahasia toko kita"}
    credentials.forget_for_session()                          # as after a restart: only the store
    snaps = _verified_snapshots(location, credentials.passphrase_source(interactive=False))
    assert len(snaps) == 1
    ring.store.clear()
    with pytest.raises(PassphraseNeeded):
        Repository.open(location, passphrase=credentials.passphrase_source(interactive=False))


def test_no_credential_store_says_it_will_ask_again(qtbot, wizard, tmp_path, monkeypatch, shop_db):
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())        # the autouse fixture puts its own back afterwards
    wiz = wizard(str(shop_db))
    _to_folder_page(qtbot, wiz)
    _pick_folder(qtbot, wiz, tmp_path / "usb", monkeypatch)
    wiz.folder_page.encrypt.setChecked(True)
    wiz.folder_page.pass1.setText("rahasia toko kita")
    wiz.folder_page.pass2.setText("rahasia toko kita")
    wiz.next()
    _run_first_backup(qtbot, wiz)
    assert _label(wiz, "protectedLabel").isVisible()          # this session remembers it
    note = _label(wiz, "keyNote")
    assert note.isVisible() and "ask for it again" in note.text()


def test_a_failed_first_backup_offers_retry(qtbot, wizard, tmp_path, monkeypatch, shop_db):
    wiz = wizard(str(shop_db))
    _to_folder_page(qtbot, wiz)
    _pick_folder(qtbot, wiz, tmp_path / "usb", monkeypatch)
    wiz.next()
    moved = shop_db.with_name("moved.db")
    shop_db.rename(moved)                                     # the database goes away before the backup
    _run_first_backup(qtbot, wiz)
    assert not _label(wiz, "protectedLabel").isVisible()
    assert "does not exist" in _label(wiz, "errorLabel").text()
    retry = _button(wiz, "retryButton")
    assert retry.isVisible()
    assert wiz.button(QWizard.WizardButton.FinishButton).isEnabled()   # the profile exists; finishing is fine

    moved.rename(shop_db)
    retry.click()
    qtbot.waitUntil(lambda: wiz.backup_page.isComplete() and wiz.backup_page.result is not None, timeout=WAIT)
    assert _label(wiz, "protectedLabel").isVisible() and not retry.isVisible()
    assert len(_verified_snapshots(tmp_path / "usb" / "kasir")) == 1


def test_adding_a_second_database_gets_its_own_name_and_folder(qtbot, ctx, wizard, tmp_path, monkeypatch,
                                                               shop_db, profile):
    # the ``profile`` fixture backs up this kasir.db as "Toko": the page says so
    wiz = wizard(str(shop_db))
    qtbot.waitUntil(wiz.db_page.isComplete, timeout=WAIT)
    assert "already backed up as “Toko”" in _label(wiz, "dbInfoLabel").text()
    other = tmp_path / "cabang" / "kasir.db"
    other.parent.mkdir()
    other.write_bytes(shop_db.read_bytes())
    _pick_database(qtbot, wiz, other, monkeypatch)
    _to_folder_page(qtbot, wiz)
    _pick_folder(qtbot, wiz, tmp_path / "usb", monkeypatch)
    wiz.next()
    _run_first_backup(qtbot, wiz)
    assert _label(wiz, "protectedLabel").isVisible()
    assert [p.name for p in ctx.profiles()] == ["Toko", "kasir"]
    assert profile_name_for(str(other), {"Toko", "kasir"}) == "kasir 2"
    assert profile_name_for("/srv/instance/database.db", set()) == "instance database"


def test_a_typed_path_is_checked_when_typing_pauses(qtbot, wizard, tmp_path, shop_db):
    wiz = wizard()
    qtbot.keyClicks(wiz.db_page.path_edit, str(shop_db))
    qtbot.waitUntil(wiz.db_page.isComplete, timeout=WAIT)
    assert _next_enabled(wiz)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.folder_page.plan is not None, timeout=WAIT)
    edit = wiz.folder_page.folder_edit
    edit.clear()
    qtbot.keyClicks(edit, str(tmp_path / "typed"))
    assert not _next_enabled(wiz)                       # not checked yet
    qtbot.waitUntil(lambda: wiz.folder_page.plan is not None
                    and wiz.folder_page.plan.target == tmp_path / "typed" / "kasir", timeout=WAIT)
    assert _next_enabled(wiz)


def test_pictures_beside_the_database_are_offered_and_backed_up_with_it(qtbot, ctx, wizard, tmp_path, monkeypatch,
                                                                        shop_db):
    """A web POS keeps its product photos in static/uploads beside instance/kasir.db: the
    first page offers the folder (ticked), the profile keeps it, and the first backup holds
    the photos; unticked, it is left out."""
    app = tmp_path / "toko"
    db = app / "instance" / "kasir.db"
    db.parent.mkdir(parents=True)
    db.write_bytes(shop_db.read_bytes())
    photos = app / "static" / "uploads"
    photos.mkdir(parents=True)
    for i in range(12):
        (photos / f"produk-{i}.jpg").write_bytes(b"\xff\xd8\xff" + bytes([i]) * 2000)
    wiz = wizard()
    _pick_database(qtbot, wiz, db, monkeypatch)
    qtbot.waitUntil(lambda: bool(wiz.db_page.attach_checks), timeout=WAIT)
    box = wiz.db_page.attach_checks[0]
    assert box.isChecked() and "static/uploads (12 files" in box.text().replace("\\", "/")
    _to_folder_page(qtbot, wiz)
    _pick_folder(qtbot, wiz, tmp_path / "usb", monkeypatch)
    wiz.next()
    _run_first_backup(qtbot, wiz)
    [prof] = ctx.profiles()
    assert prof.attachments == [str(photos)]
    [snap] = _verified_snapshots(prof.repos[0])
    assert snap.attachments[0].files == 12 and snap.attachments[0].folder == str(photos)


def test_unticked_pictures_are_left_out(qtbot, wizard, tmp_path, monkeypatch, shop_db):
    app = tmp_path / "toko"
    db = app / "kasir.db"
    app.mkdir()
    db.write_bytes(shop_db.read_bytes())
    (app / "foto").mkdir()
    for i in range(5):
        (app / "foto" / f"{i}.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes([i]) * 100)
    wiz = wizard()
    _pick_database(qtbot, wiz, db, monkeypatch)
    qtbot.waitUntil(lambda: bool(wiz.db_page.attach_checks), timeout=WAIT)
    assert wiz.db_page.attachments() == [str(app / "foto")]
    wiz.db_page.attach_checks[0].setChecked(False)
    assert wiz.db_page.attachments() == []
    # another database, in a folder without pictures: the suggestions follow it
    other = tmp_path / "kosong" / "kasir.db"
    other.parent.mkdir()
    other.write_bytes(shop_db.read_bytes())
    _pick_database(qtbot, wiz, other, monkeypatch)
    qtbot.wait(300)
    assert wiz.db_page.attachments() == [] and not wiz.db_page.attach_box.isVisible()
