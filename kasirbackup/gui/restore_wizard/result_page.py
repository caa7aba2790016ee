"""Page 6 of the restore wizard: the result, with the exact location, the safety backup and
"Undo this restore" (or "Show in folder" for a copy)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..i18n import error_text, fmt_datetime, fmt_number, fmt_size
from ..jobs import Job
from .engine import COPY, MERGE, detail_line, in_use, in_use_text, undo_restore
from .widgets import ERROR_STYLE, _bold, _Busy, _label, _Page, ask_again


# -- 6. the result, and undo ----------------------------------------------------------------------

class ResultPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPage")
        lay = QVBoxLayout(self)
        self.headline = _bold(_label(self, "resultHeadline"))
        lay.addWidget(self.headline)
        self.location = _label(self, "resultLocation", selectable=True)
        self.location.setFrameShape(QFrame.Shape.StyledPanel)
        self.location.setMargin(8)
        lay.addWidget(self.location)
        self.details = _label(self, "resultDetails", selectable=True)
        lay.addWidget(self.details)
        self.safety = _label(self, "safetySnapshot", selectable=True)
        lay.addWidget(self.safety)
        row = QHBoxLayout()
        self.undo = QPushButton(self)
        self.undo.setObjectName("undoButton")
        self.undo.clicked.connect(self.start_undo)
        row.addWidget(self.undo)
        self.folder = QPushButton(self)
        self.folder.setObjectName("openFolderButton")
        self.folder.clicked.connect(self._open_folder)
        row.addWidget(self.folder)
        row.addStretch(1)
        lay.addLayout(row)
        self.busy = _Busy(self, "undo")
        lay.addWidget(self.busy)
        self.undo_message = _label(self, "undoMessage", selectable=True)
        lay.addWidget(self.undo_message)
        lay.addStretch(1)
        self.job: Job | None = None
        self.undone = None         # the LiveRestoreResult of the undo
        self.undo_error = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Restore undone") if self.undone is not None else self.tr("Restore finished"))
        self.undo.setText(self.tr("Undo this restore"))
        self.folder.setText(self.tr("Show in folder"))
        self._show()

    def initializePage(self) -> None:
        self._show()

    def running(self) -> bool:
        return self.job is not None and not self.job.done

    def _show(self) -> None:
        w = self.wiz()
        r = w.result if w is not None else None
        if r is None:
            return
        self.setTitle(self.tr("Restore undone") if self.undone is not None else self.tr("Restore finished"))
        when = fmt_datetime(w.snapshot.created_at)
        if w.mode == COPY:
            self.setSubTitle(self.tr("The database itself was not touched."))
            self.headline.setText(self.tr("The backup of {when} was saved as a new file:").format(when=when))
            self.location.setText(str(r.path))
            details = self.tr("Size: {size}. SHA-256: {sha}").format(size=fmt_size(r.bytes), sha=r.sha256)
            if getattr(r, "files_folder", None) is not None:
                details += "\n" + self.tr("The photos and files of the backup ({n} files) are in {folder}.").format(
                    n=fmt_number(r.files), folder=str(r.files_folder))
                if r.problems:
                    details += "\n" + self.tr("Not restored: {files}").format(files="; ".join(r.problems[:5]))
            self.details.setText(details)
            self.safety.setText("")
            self.undo.setVisible(False)
            self.folder.setVisible(True)
            return
        self.folder.setVisible(False)
        self.setSubTitle(self.tr("The database is back as it was before the restore.") if self.undone is not None
                         else self.tr("Open the POS application again and check that the data is as you expect."))
        self.headline.setText(self.tr("The backup of {when} was restored into:").format(when=when))
        self.location.setText(str(r.target))
        lines = []
        for t in r.tables:
            if w.mode == MERGE:
                line = self.tr("{table}: {n} rows brought back, {kept} changed since kept, {same} unchanged").format(
                    table=t.name, n=fmt_number(t.inserted), kept=fmt_number(t.kept_newer),
                    same=fmt_number(t.identical))
                if t.conflicts:
                    line += self.tr(", {n} not brought back: their number was given again to a newer row").format(
                        n=fmt_number(t.conflicts))
                if t.held_back:
                    line += self.tr(", {n} held back: they belonged to a row that is another one now").format(
                        n=fmt_number(t.held_back))
                if t.renumbered:
                    line += self.tr(" ({n} of them came back under a new number)").format(n=fmt_number(t.renumbered))
            else:
                line = self.tr("{table}: {removed} rows removed, {n} rows restored").format(
                    table=t.name, removed=fmt_number(t.removed), n=fmt_number(t.inserted))
            lines.append("• " + line)
            # the engine's own words for what it could not bring back (which sale, which code)
            lines += [f"    – {detail_line(d)}" for d in t.details]
        for changes, report in getattr(r, "files", []):
            lines.append("• " + self.tr("Photos and files in {folder}: {n} written, {gone} removed").format(
                folder=changes.folder, n=fmt_number(report.files), gone=fmt_number(len(changes.go))))
            lines += [f"    – {p}" for p in report.problems[:5]]
        self.details.setText("\n".join(lines))
        self.safety.setText(self.tr("A safety backup of the database as it was just before the restore was kept: "
                                    "backup {id} (“Before restore”) in {location}. “Undo this restore” puts it "
                                    "back.").format(id=r.safety.short_id, location=w.location))
        self.undo.setVisible(True)
        self.undo.setEnabled(self.undone is None and not self.running())
        if self.undone is not None:
            self.undo_message.setStyleSheet("color: #1b7f3b; font-weight: bold;")
            self.undo_message.setText(self.tr("The restore was undone: {path} is back as it was before the restore. "
                                              "(The restored state was kept as backup {id}.)").format(
                path=str(r.target), id=self.undone.safety.short_id))
        elif self.undo_error:
            self.undo_message.setStyleSheet(ERROR_STYLE)
            self.undo_message.setText(self.undo_error)
        elif not self.running():
            self.undo_message.setText("")

    def _open_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        r = self.wiz().result
        if r is not None and getattr(r, "path", None) is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(r.path).parent)))

    def start_undo(self) -> None:
        w = self.wiz()
        if self.running() or self.undone is not None or w.result is None or w.mode == COPY or w.closed:
            return
        loc, safety_id, db = w.location, w.result.safety.id, str(w.result.target)
        self.undo_error = ""
        self.undo.setEnabled(False)
        self.undo_message.setText("")
        self.busy.start(self.tr("Putting the database back as it was…"))
        anyway = w.even_if_open
        self.job = w.run(lambda progress, cancel: undo_restore(loc, safety_id, db, progress, cancel, anyway),
                         "restore-undo", self._undone, self._failed, self.busy.step, self._cancelled)
        w.set_cancel_enabled(True)
        self.completeChanged.emit()

    def _undone(self, result) -> None:
        self.job = None
        self.busy.setVisible(False)
        self.undone = result
        self.wiz().announce()
        self._show()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.busy.setVisible(False)
        if ask_again(self, exc):
            self.start_undo()
            return
        self.undo_error = in_use_text(exc, self.wiz().db_path, undo=True) if in_use(exc) else error_text(exc)
        self.wiz().announce()
        self._show()
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self.job = None
        self.busy.setVisible(False)
        self.undo_error = self.tr("Undo cancelled. The database was not changed.")
        self._show()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.running()
