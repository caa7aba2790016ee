"""Page 5 of the restore wizard: the safety backup and the restore (or the copy), with its
steps, progress, Cancel and Retry."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..i18n import error_text
from ..jobs import Job
from .engine import COPY, execute_live, files_folder_for, in_use, in_use_text, restore_copy
from .widgets import ERROR_STYLE, _Busy, _label, _Page, ask_again


# -- 5. safety backup and restore -----------------------------------------------------------------

class ProgressPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressPage")
        lay = QVBoxLayout(self)
        self.steps = []
        for i in range(3):
            lab = QLabel(self)
            lab.setObjectName(f"restoreStep{i}")
            self.steps.append(lab)
            lay.addWidget(lab)
        lay.addSpacing(12)
        self.busy = _Busy(self, "restore")
        lay.addWidget(self.busy)
        self.message = _label(self, "restoreMessage", selectable=True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.retry = QPushButton(self)
        self.retry.setObjectName("retryRestoreButton")
        self.retry.clicked.connect(self.start)
        self.retry.setVisible(False)
        row.addWidget(self.retry)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self.job: Job | None = None
        self.state = ""            # "", "running", "cancelled", "failed"
        self.step = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Restoring"))
        self.retry.setText(self.tr("Retry"))
        w = self.wiz()
        copy = w is not None and w.mode == COPY
        if copy:
            self.setSubTitle(self.tr("The backup is written to a new file. Cancel stops it; then no file is made."))
        else:
            self.setSubTitle(self.tr("First a safety backup of the database is taken, then the backup is restored. "
                                     "Cancel during the safety backup leaves the database unchanged."))
        texts = [self.tr("Safety backup of the database as it is now"), self.tr("Restoring the backup"),
                 self.tr("Checking the restored database")]
        for i, (lab, text) in enumerate(zip(self.steps, texts)):
            lab.setVisible(not copy)
            done = i < self.step or (self.wiz() is not None and self.wiz().result is not None)
            mark = "✓" if done else "▶" if i == self.step and self.state == "running" else "○"
            lab.setText("{}  {}".format(mark, text))
            f = QFont(lab.font())
            f.setBold(mark == "▶")
            lab.setFont(f)
            lab.setEnabled(done or mark == "▶")

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.busy.step(phase, done, total)
        step = 1 if phase == "restore" else 2 if phase == "undo" else 0
        if step != self.step:
            self.step = step
            self.retranslate()

    def initializePage(self) -> None:
        self.retranslate()
        self.start()

    def running(self) -> bool:
        return self.job is not None and not self.job.done

    def start(self) -> None:
        w = self.wiz()
        if self.running() or w.closed:
            return
        self.message.setText("")
        self.message.setStyleSheet("")
        self.retry.setVisible(False)
        self.state = "running"
        self.step = 0
        self.retranslate()
        loc = w.location
        if w.mode == COPY:
            snap_id, target = w.snapshot.id, w.copy_target
            files = files_folder_for(target)
            fn = lambda progress, cancel: restore_copy(loc, snap_id, target, progress, cancel, files)  # noqa: E731
            self.busy.start(self.tr("Writing the copy…"))
        else:
            plan, anyway = w.plan, w.even_if_open
            fn = lambda progress, cancel: execute_live(loc, plan, progress, cancel, anyway)  # noqa: E731
            self.busy.start(self.tr("Taking the safety backup…"))
        self.job = w.run(fn, "restore", self._done, self._failed, self._progress, self._cancelled)
        w.set_cancel_enabled(True)
        self.completeChanged.emit()

    def cancel(self) -> None:
        if self.running():
            self.job.cancel()
            self.busy.label.setText(self.tr("Cancelling…"))
            self.wiz().set_cancel_enabled(False)

    def _done(self, result) -> None:
        w = self.wiz()
        self.job = None
        self.state = ""
        self.busy.setVisible(False)
        w.result = result
        w.set_cancel_enabled(True)
        w.announce()
        self.completeChanged.emit()
        if w.currentPage() is self:
            w.next()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.state = "failed"
        self.retranslate()
        self.busy.setVisible(False)
        self.message.setStyleSheet(ERROR_STYLE)
        w = self.wiz()
        w.set_cancel_enabled(True)
        if in_use(exc):
            self.message.setText(in_use_text(exc, w.db_path))
            self.retry.setVisible(w.mode != COPY)
        elif ask_again(self, exc):
            self.start()
            return
        else:
            self.message.setText(error_text(exc))
        w.announce()          # a failed restore may still have stored its safety backup
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self.job = None
        self.state = "cancelled"
        self.retranslate()
        self.busy.setVisible(False)
        self.wiz().set_cancel_enabled(True)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Cancelled. Nothing was changed.") if self.wiz().mode == COPY else
                             self.tr("Cancelled. The database was not changed."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.wiz() is not None and self.wiz().result is not None
