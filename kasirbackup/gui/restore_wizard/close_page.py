"""Page 4 of the restore wizard: close the POS application. "Restore now" checks that no
program holds the database and prepares the restore (changes nothing); Retry when in use."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFrame, QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget, QWizard

from ..i18n import error_text, fmt_datetime
from ..jobs import Job
from .engine import (MERGE, REPLACE, TABLES, category_title, compute_merge_preview, detail_line, in_use, in_use_text,
                     mode_lines, open_elsewhere, prepare_live)
from .widgets import ERROR_STYLE, _Busy, _label, _Page, ask_again


# -- 4. close the POS application -----------------------------------------------------------------

class ClosePage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closePage")
        self.setCommitPage(True)
        lay = QVBoxLayout(self)
        self.text = _label(self, "closeText")
        lay.addWidget(self.text)
        self.what = _label(self, "closeWhat", selectable=True)
        self.what.setFrameShape(QFrame.Shape.StyledPanel)
        self.what.setMargin(8)
        lay.addWidget(self.what)
        self.busy = _Busy(self, "close")
        lay.addWidget(self.busy)
        self.message = _label(self, "inUseMessage", selectable=True)
        self.message.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.retry = QPushButton(self)
        self.retry.setObjectName("retryButton")
        self.retry.clicked.connect(self.attempt)
        self.retry.setVisible(False)
        row.addWidget(self.retry)
        # the owner may go ahead while the POS is open — after reading what that can do
        self.anyway = QPushButton(self)
        self.anyway.setObjectName("restoreAnywayButton")
        self.anyway.clicked.connect(self.ask_anyway)
        self.anyway.setVisible(False)
        row.addWidget(self.anyway)
        self.question: QMessageBox | None = None
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self.plan = None
        self.job: Job | None = None
        self.merge_job: Job | None = None
        self.merge_preview = None        # what the merge will do (the merge on a scratch copy)
        self._after_preview = False      # "Restore now" was pressed while it was worked out
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Close the POS application"))
        self.setSubTitle(self.tr("The database must not be in use while it is restored."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Restore now"))
        self.retry.setText(self.tr("Retry"))
        self.anyway.setText(self.tr("Restore anyway…"))
        w = self.wiz()
        name = Path(w.db_path).name if w is not None else ""
        self.text.setText(self.tr(
            "Close the POS application, and any other program that uses {name}, on this computer (and on other "
            "computers that share the database). Then press “Restore now”.\n\n"
            "KasirBackup first checks that no program is using the database, then takes a safety backup of it as "
            "it is now, so this restore can be undone. Nothing is changed until then.").format(name=name))
        self._describe()

    def _describe(self) -> None:
        w = self.wiz()
        if w is None or w.snapshot is None:
            return
        what = {REPLACE: self.tr("the whole database is replaced"),
                MERGE: self.tr("rows deleted since the backup are brought back"),
                TABLES: self.tr("only these tables are replaced: {tables}").format(
                    tables=", ".join(w.tables or []))}.get(w.mode, "")
        text = self.tr("Backup: {when}\nDatabase: {path}\nWhat happens: {what}").format(
            when=fmt_datetime(w.snapshot.created_at), path=w.db_path, what=what)
        if w.mode == MERGE:
            mp = self.merge_preview
            if mp is None:
                text += "\n\n" + self.tr("Working out what the merge will do…")
            else:
                lines = ["• " + line for line in mode_lines(mp)]
                for t in mp.tables:
                    for cat, kinds in (("conflicts", ("conflict", "conflict_parent", "taken")),
                                       ("held_back", ("held_back",))):
                        found = [d for d in t.details if d["kind"] in kinds][:5]
                        if found:
                            lines.append(f"{t.name}, {category_title(cat, t.counts.get(cat, len(found)))}:")
                            lines += [f"    – {detail_line(d)}" for d in found]
                text += "\n\n" + "\n".join(lines)
        self.what.setText(text)

    def initializePage(self) -> None:
        w = self.wiz()
        self.merge_preview = None
        self._after_preview = False
        if w.mode == MERGE and (self.merge_job is None or self.merge_job.done):
            loc, snap_id, db = w.location, w.snapshot.id, w.db_path
            self.merge_job = w.run(lambda progress, cancel: compute_merge_preview(loc, snap_id, db, progress, cancel),
                                   "restore-merge-preview", self._merge_previewed,
                                   lambda exc: self._preview_ended(), lambda *a: None, self._preview_ended)
        self._drop_plan()
        self.message.setText("")
        self.retry.setVisible(False)
        self.anyway.setVisible(False)
        self.wiz().even_if_open = False
        self._describe()

    def cleanupPage(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()
        self._drop_plan()
        super().cleanupPage()

    def _drop_plan(self) -> None:
        if self.plan is not None:
            self.plan.close()
            self.plan = None
        self.wiz().plan = None

    def busy_now(self) -> bool:
        return self.job is not None and not self.job.done

    def attempt(self) -> None:
        if self.busy_now():
            return
        if self.merge_job is not None and not self.merge_job.done:
            # the merge preview reads the database: our own reading would hide other programs
            # from the check that comes next, so it goes first
            self._after_preview = True
            self.busy.start(self.tr("Checking that no program is using the database…"))
            self.completeChanged.emit()
            return
        w = self.wiz()
        loc, snap_id, db, mode, tables, force = w.location, w.snapshot.id, w.db_path, w.mode, w.tables, w.force
        anyway = w.even_if_open
        self.message.setText("")
        self.retry.setVisible(False)
        self.anyway.setVisible(False)
        self.busy.start(self.tr("Checking that no program is using the database…"))
        self.job = w.run(lambda progress, cancel: prepare_live(loc, snap_id, db, mode, tables, force, progress,
                                                               cancel, anyway),
                         "restore-prepare", self._ready, self._failed, self.busy.step, self._cancelled)
        self.completeChanged.emit()

    def _ready(self, plan) -> None:
        self.busy.setVisible(False)
        self.job = None
        if self.wiz().closed:         # closed while preparing: never start a restore now
            plan.close()
            return
        self.plan = plan
        self.wiz().plan = plan
        self.completeChanged.emit()
        if self.wiz().currentPage() is self:
            self.wiz().next()

    def _failed(self, exc: BaseException) -> None:
        self.busy.setVisible(False)
        self.job = None
        if in_use(exc):
            self.message.setText(in_use_text(exc, self.wiz().db_path))
            self.retry.setVisible(True)
            self.anyway.setVisible(open_elsewhere(exc))
        elif ask_again(self, exc):
            self.attempt()
            return
        else:
            self.message.setText(error_text(exc))
            self.retry.setVisible(True)
        self.completeChanged.emit()

    def _merge_previewed(self, mp) -> None:
        self.merge_preview = mp
        self._describe()
        self._preview_ended()

    def _preview_ended(self) -> None:
        if self._after_preview:
            self._after_preview = False
            self.busy.setVisible(False)
            self.attempt()

    def ask_anyway(self) -> None:
        """What restoring under an open POS can do, said before the owner chooses it."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Restore while the program is open?"), self.tr(
            "The program that has the database open keeps its own numbering and its own copy of the data. After "
            "the restore it may give new sales numbers it already gave to other sales, and those sales could "
            "then be mixed up or lost.\n\nRestore anyway only if you cannot close it, and restart it right after "
            "the restore."), QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("restoreAnywayQuestion")
        go = box.addButton(self.tr("Restore anyway"), QMessageBox.ButtonRole.DestructiveRole)
        go.setObjectName("restoreAnywayConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(button) -> None:
            if button is go:
                self.wiz().even_if_open = True
                self.attempt()
        box.buttonClicked.connect(answered)
        self.question = box
        box.open()

    def _cancelled(self) -> None:
        self.busy.setVisible(False)
        self.job = None
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.busy_now() and not self._after_preview

    def validatePage(self) -> bool:
        if self.plan is not None:
            return True
        self.attempt()
        return False
