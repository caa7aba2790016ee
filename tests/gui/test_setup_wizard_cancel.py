"""Cancelling the first-start setup leaves nothing behind — no profile (so no schedule), no
run in the history, no backup folder it created, no stored passphrase — and never removes a
folder that existed before or holds anything the setup did not make. After a verified first
backup, closing asks first: keep it, remove it, or go back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton, QWizard

from kasirbackup.app.runner import repo_queue
from kasirbackup.app.settings import SettingsStore
from kasirbackup.core.repo.repository import Repository
from tests.gui import test_setup_wizard as setup_tests
from tests.gui.test_setup_wizard import WAIT, _label, _pick_folder, _run_first_backup, _to_folder_page

# the setup tests' fixtures: a private home with no USB disks (autouse), and the wizard
private_home = setup_tests.private_home
wizard = setup_tests.wizard


def saved_profiles(tmp_path) -> list[str]:
    return [p.name for p in SettingsStore(tmp_path / "config").load().profiles]


def to_schedule_page(qtbot, wiz, folder, monkeypatch) -> None:
    _to_folder_page(qtbot, wiz)
    _pick_folder(qtbot, wiz, folder, monkeypatch)
    wiz.next()
    assert wiz.currentPage() is wiz.schedule_page


class Gate:
    """The backup folder's queue, held as by another job: the first backup starts and waits
    there until ``release()`` (always released at the end, even when the test fails first)."""

    def __init__(self) -> None:
        self.lock = None

    def hold(self, location) -> None:
        self.lock = repo_queue(str(location))
        self.lock.acquire()

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


@pytest.fixture
def gate(ctx):
    g = Gate()
    yield g
    g.release()
    ctx.jobs.wait(20000)


def start_first_backup_held(qtbot, ctx, wiz, location, gate) -> None:
    """Press "Make the first backup" while the backup folder's queue is held."""
    gate.hold(location)
    with qtbot.waitSignal(ctx.bus.backup_started, timeout=WAIT):
        wiz.next()
    assert wiz.currentPage() is wiz.backup_page and (location / "kasirbackup.json").is_file()


def cancel_and_wait(qtbot, wiz, gate=None) -> bool:
    created = []
    wiz.profile_created.connect(created.append)
    try:
        wiz.reject()                                        # the Cancel button, Esc, or the close button
        assert not wiz.isVisible() and wiz.undo is not None
        with qtbot.waitSignal(wiz.undo.finished, timeout=WAIT) as done:
            if gate is not None:
                gate.release()
    finally:
        if gate is not None:
            gate.release()
    assert created == []                                    # the main window is not told of a new database
    return done.args[0]


def test_cancel_during_the_first_backup_leaves_nothing(qtbot, ctx, wizard, tmp_path, monkeypatch, shop_db, gate):
    usb = tmp_path / "usb"                                  # does not exist yet: the setup creates it
    wiz = wizard(str(shop_db))
    to_schedule_page(qtbot, wiz, usb, monkeypatch)
    start_first_backup_held(qtbot, ctx, wiz, usb / "kasir", gate)
    assert saved_profiles(tmp_path) == ["kasir"]
    assert ctx.schedule_service is None or ctx.profiles()

    assert cancel_and_wait(qtbot, wiz, gate) is True
    assert saved_profiles(tmp_path) == [] and ctx.profiles() == []       # no profile, so no schedule
    assert ctx.history.runs() == [] and ctx.history.entries() == []      # the cancelled run is gone too
    assert not usb.exists()                                              # both folders it made
    assert shop_db.is_file()


def test_a_folder_that_existed_before_and_anything_else_stay(qtbot, ctx, wizard, tmp_path, monkeypatch, shop_db,
                                                            gate):
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "foto.jpg").write_bytes(b"\xff\xd8 a photo of the shop")
    wiz = wizard(str(shop_db))
    to_schedule_page(qtbot, wiz, usb, monkeypatch)
    start_first_backup_held(qtbot, ctx, wiz, usb / "kasir", gate)
    assert cancel_and_wait(qtbot, wiz, gate) is True
    assert sorted(p.name for p in usb.iterdir()) == ["foto.jpg"]        # only what the setup made is gone

    # a file the user put into the new backup folder keeps that folder (and the file)
    wiz = wizard(str(shop_db))
    to_schedule_page(qtbot, wiz, usb, monkeypatch)
    start_first_backup_held(qtbot, ctx, wiz, usb / "kasir", gate)
    (usb / "kasir" / "catatan.txt").write_text("jangan dihapus")
    assert cancel_and_wait(qtbot, wiz, gate) is False
    assert (usb / "kasir" / "catatan.txt").read_text() == "jangan dihapus"
    assert (usb / "kasir" / "kasirbackup.json").is_file()
    assert saved_profiles(tmp_path) == [] and ctx.history.runs() == []


def test_cancel_after_a_failed_first_backup(qtbot, ctx, wizard, tmp_path, monkeypatch, shop_db):
    wiz = wizard(str(shop_db))
    to_schedule_page(qtbot, wiz, tmp_path / "usb", monkeypatch)
    moved = shop_db.with_name("moved.db")
    shop_db.rename(moved)                                     # the first backup fails
    _run_first_backup(qtbot, wiz)
    assert "does not exist" in _label(wiz, "errorLabel").text()
    cancel = wiz.button(QWizard.WizardButton.CancelButton)
    assert cancel.isVisible() and wiz.button(QWizard.WizardButton.FinishButton).isVisible()
    with qtbot.waitSignal(ctx.bus.settings_changed, timeout=WAIT):
        cancel.click()
    with qtbot.waitSignal(wiz.undo.finished, timeout=WAIT) as done:
        pass
    assert done.args == [True]
    assert saved_profiles(tmp_path) == [] and ctx.history.runs() == []
    assert not (tmp_path / "usb").exists()


def _keep_question(qtbot, wiz) -> QMessageBox:
    wiz.reject()
    wiz.reject()                                             # twice: still one question
    boxes = [b for b in wiz.findChildren(QMessageBox, "keepSetupQuestion") if b.isVisible()]
    assert len(boxes) == 1 and wiz.isVisible()
    box = boxes[0]
    assert box.text() == "Keep the database and its first backup?"
    return box


@pytest.mark.parametrize("encrypted", [False, True])
def test_closing_after_a_verified_first_backup_asks(qtbot, ctx, wizard, tmp_path, monkeypatch, shop_db,
                                                    private_dirs, encrypted):
    ring = private_dirs
    usb = tmp_path / "usb"
    wiz = wizard(str(shop_db))
    _to_folder_page(qtbot, wiz)
    _pick_folder(qtbot, wiz, usb, monkeypatch)
    if encrypted:
        wiz.folder_page.encrypt.setChecked(True)
        wiz.folder_page.pass1.setText("rahasia toko kita")
        wiz.folder_page.pass2.setText("rahasia toko kita")
    wiz.next()
    _run_first_backup(qtbot, wiz)
    assert _label(wiz, "protectedLabel").isVisible()
    assert ring.store if encrypted else not ring.store

    # Cancel on the question goes back to the wizard: nothing changes
    box = _keep_question(qtbot, wiz)
    assert "deletes the backup folder it made" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert wiz.isVisible() and wiz.undo is None and saved_profiles(tmp_path) == ["kasir"]

    # Remove: everything goes, the stored passphrase too
    box = _keep_question(qtbot, wiz)
    box.findChild(QPushButton, "keepSetupRemove").click()
    assert not wiz.isVisible()
    with qtbot.waitSignal(wiz.undo.finished, timeout=WAIT) as done:
        pass
    assert done.args == [True]
    assert saved_profiles(tmp_path) == [] and ctx.history.runs() == []
    assert not usb.exists() and ring.store == {}


def test_keep_finishes_the_setup(qtbot, ctx, wizard, tmp_path, monkeypatch, shop_db):
    usb = tmp_path / "usb"
    wiz = wizard(str(shop_db))
    to_schedule_page(qtbot, wiz, usb, monkeypatch)
    wiz.schedule_page.start_login.setChecked(False)          # (start with login is not this test's business)
    _run_first_backup(qtbot, wiz)
    box = _keep_question(qtbot, wiz)
    with qtbot.waitSignal(wiz.profile_created, timeout=WAIT) as created:
        box.findChild(QPushButton, "keepSetupKeep").click()
    assert created.args == ["kasir"] and not wiz.isVisible() and wiz.undo is None
    assert saved_profiles(tmp_path) == ["kasir"]
    assert len(Repository.open(usb / "kasir").snapshots()) == 1
    assert [r.result.value for r in ctx.history.runs("kasir")] == ["success"]
