"""``RestoreWizard``: the pages in order, what they decided and what the jobs found, the jobs
it runs for them, and closing without ever leaving the database half restored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget, QWizard

from ...app.settings import Profile
from ...core.repo.manifest import Snapshot
from ..context import AppContext
from ..jobs import Job
from .close_page import ClosePage
from .engine import REPLACE, Preview
from .how_page import HowPage
from .preview_page import PreviewPage
from .progress_page import ProgressPage
from .result_page import ResultPage
from .snapshot_page import SnapshotPage
from .widgets import PAGE_CLOSE, PAGE_PROGRESS, PAGE_RESULT, PAGE_SNAPSHOT


# -- the wizard -----------------------------------------------------------------------------------

class RestoreWizard(QWizard):
    def __init__(self, ctx: AppContext, profile: Profile, snapshot_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreWizard")
        self.ctx = ctx
        self.profile = profile
        self.location = profile.repos[0] if profile.repos else ""
        self.db_path = profile.db_path
        self.preselect = snapshot_id
        # what the pages decided and what the jobs found
        self.snapshot: Snapshot | None = None
        self.preview: Preview | None = None
        self.force = False
        self.even_if_open = False      # the owner chose to restore while another program has it open
        self.mode = REPLACE
        self.tables: list[str] | None = None
        self.copy_target = ""
        self.plan = None
        self.result = None
        self._jobs: set[Job] = set()
        self.closed = False

        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.pages = [SnapshotPage(self), PreviewPage(self), HowPage(self), ClosePage(self), ProgressPage(self),
                      ResultPage(self)]
        for i, page in enumerate(self.pages):
            self.setPage(i, page)
        self.setStartId(PAGE_SNAPSHOT)
        self.setMinimumSize(780, 600)
        self.resize(820, 640)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Restore {database}").format(database=Path(self.db_path).name))
        for p in self.pages:
            p.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Restore {database}").format(database=Path(self.db_path).name))
        super().changeEvent(event)

    # -- jobs ---------------------------------------------------------------------------------
    def run(self, fn, name: str, on_finished, on_failed, on_progress=None, on_cancelled=None) -> Job:
        job = self.ctx.start(fn, name, on_finished=on_finished, on_failed=on_failed, on_progress=on_progress,
                             on_cancelled=on_cancelled)
        self._jobs.add(job)
        job.ended.connect(self._job_ended)
        return job

    def _job_ended(self) -> None:
        self._jobs = {j for j in self._jobs if not j.done}

    def busy(self) -> bool:
        return any(not j.done for j in self._jobs)

    def changing(self) -> bool:
        """A job that may change the database is running (the restore or its undo)."""
        return self.page(PAGE_PROGRESS).running() or self.page(PAGE_RESULT).running()

    def set_cancel_enabled(self, enabled: bool) -> None:
        self.button(QWizard.WizardButton.CancelButton).setEnabled(enabled)

    def announce(self) -> None:
        """The repository has a new before-restore snapshot; the database changed: every
        view (summary, backup list, banner, tray) shows the new state."""
        self.ctx.bus.repository_changed.emit(self.location)
        self.ctx.bus.database_changed.emit(self.db_path)
        self.ctx.bus.history_changed.emit()

    # -- closing ------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.changing():
            # never close while the database may be changing: cancel, and show what happened
            progress = self.page(PAGE_PROGRESS)
            if progress.running():
                progress.cancel()
            else:
                self.page(PAGE_RESULT).job.cancel()
                self.set_cancel_enabled(False)
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.changing():
            return
        self.closed = True
        for j in list(self._jobs):
            j.cancel()            # reading jobs: they change nothing
        if self.plan is not None:
            self.plan.close()
            self.plan = None
        close = self.page(PAGE_CLOSE)
        if close.plan is not None:
            close.plan.close()
            close.plan = None
        super().done(result)
