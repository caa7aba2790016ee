"""Cancelling the setup leaves nothing behind: ``SetupUndo`` takes back what the wizard made
(``app.setup_trail.SetupTrail``) — the profile and with it its schedule at once, start with
login if the setup turned it on; once the backup folder job and a running first backup have
ended, the setup's runs in the history, a system task of the profile, the repository and
folders it created (never a folder that existed before or holds anything else) and the
passphrase it stored.

After a verified first backup, closing the wizard asks first (``ask_keep``): *Keep* (the
default) finishes the setup as Finish does; *Remove* takes everything back; *Cancel* (also Esc
and closing the question) goes back to the wizard and changes nothing. A verified backup is the
one thing here worth keeping, so it is never thrown away unasked.

``SetupUndo`` lives on the context, not on the wizard (which is gone by the time a cancelled
backup has stopped)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWizard

from ...app.setup_trail import SetupTrail, remove_new_repository
from ..context import AppContext
from .common import log


class SetupUndo(QObject):
    finished = Signal(bool)        # True: nothing of the setup is left; False: something was kept (logged)

    def __init__(self, ctx: AppContext, trail: SetupTrail, jobs: list) -> None:
        super().__init__(ctx)
        self.ctx, self.trail = ctx, trail
        self.over = False
        self._jobs = [j for j in jobs if j is not None and not j.done]
        self._started = False
        trail.cancelled = True
        self._forget_profile()
        for job in self._jobs:
            job.ended.connect(self._maybe_go)
        bus = ctx.bus
        self._signals = (bus.backup_finished, bus.backup_failed, bus.backup_cancelled)
        for sig in self._signals:
            sig.connect(self._maybe_go)
        self._maybe_go()

    # -- at once, on the GUI thread (the settings file is small) --------------------------------
    def _forget_profile(self) -> None:
        p, settings = self.trail.profile, self.ctx.settings()
        if p is not None and any(x.id == p.id for x in settings.profiles):
            settings.profiles = [x for x in settings.profiles if x.id != p.id]
            self.ctx.save_settings(settings)       # the schedule service forgets it too
            log.info("setup cancelled: profile %s removed", p.name)
        if not self.trail.login_start_before and self.ctx.settings().start_with_login:
            try:
                self.ctx.set_start_with_login(False)
            except OSError:
                log.warning("setup cancelled: could not turn start with login off again", exc_info=True)

    # -- once the setup's jobs have ended ---------------------------------------------------------
    def _busy(self) -> bool:
        p = self.trail.profile
        return any(not j.done for j in self._jobs) or (p is not None and self.ctx.is_running(p.name))

    def _maybe_go(self, *args) -> None:
        if self._started or self._busy():
            return
        self._started = True
        for sig in self._signals:
            try:
                sig.disconnect(self._maybe_go)
            except (RuntimeError, TypeError):
                pass
        trail, ctx = self.trail, self.ctx
        p = trail.profile
        if p is None:
            self._end(True)
            return
        in_use = any(r in x.repos for x in ctx.profiles() for r in p.repos)   # a newer setup took the folder

        def work(progress, cancel) -> bool:
            from ...app import ossched
            from ...app.credentials import forget_for_session, keyring_delete

            ctx.history.forget_runs(p.name, trail.started)
            if ossched.os_task_installed(p):
                ossched.uninstall(p)
            if in_use:
                return False
            gone = remove_new_repository(trail, p.repos[0])
            if gone and trail.made_repository:
                forget_for_session(trail.repo_id)
                if trail.stored_passphrase:
                    keyring_delete(trail.repo_id)
            return gone

        def failed(exc: BaseException) -> None:
            log.warning("setup cancelled: could not remove everything it made: %s", exc)
            self._end(False)

        ctx.start(work, "undo setup", on_finished=self._end, on_failed=failed)

    def _end(self, gone: bool) -> None:
        self.over = True
        self.ctx.bus.history_changed.emit()
        self.finished.emit(bool(gone))
        self.deleteLater()


def ask_keep(wiz: QWizard, keep, remove) -> QMessageBox:
    """"Keep the database and its first backup?" — ``keep()`` or ``remove()`` after the answer
    (nothing after Cancel)."""
    for asked in wiz.findChildren(QMessageBox, "keepSetupQuestion"):
        if asked.isVisible():                                # asked already (Esc pressed twice)
            asked.raise_()
            return asked
    translate = QCoreApplication.translate
    p = wiz.profile
    box = QMessageBox(QMessageBox.Icon.Question, translate("SetupWizard", "Keep the first backup?"),
                      translate("SetupWizard", "Keep the database and its first backup?"),
                      QMessageBox.StandardButton.Cancel, wiz)
    box.setObjectName("keepSetupQuestion")
    if wiz.trail.made_repository:
        info = translate("SetupWizard", "The first backup of {name} is made and checked. Keep: it is backed up "
                                        "{when} from now on. Remove: KasirBackup forgets this database and deletes "
                                        "the backup folder it made: {folder}")
    else:
        info = translate("SetupWizard", "The first backup of {name} is made and checked. Keep: it is backed up "
                                        "{when} from now on. Remove: KasirBackup forgets this database; the backup "
                                        "folder {folder}, which held backups before, stays as it is.")
    box.setInformativeText(info.format(name=p.name, when=wiz.schedule_text(p.schedule), folder=p.repos[0]))
    keep_button = box.addButton(translate("SetupWizard", "Keep"), QMessageBox.ButtonRole.AcceptRole)
    keep_button.setObjectName("keepSetupKeep")
    remove_button = box.addButton(translate("SetupWizard", "Remove"), QMessageBox.ButtonRole.DestructiveRole)
    remove_button.setObjectName("keepSetupRemove")
    box.setDefaultButton(keep_button)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)      # back to the wizard, nothing changes
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered(button) -> None:
        if button is keep_button:
            keep()
        elif button is remove_button:
            remove()
    box.buttonClicked.connect(answered)
    box.open()
    return box
