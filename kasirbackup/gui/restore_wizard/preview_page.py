"""Page 2 of the restore wizard: what would change (the engine's diff of the backup with the
database as it is now) and the warning when the backup looks like another database's."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QFrame, QHeaderView, QPlainTextEdit, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from ..i18n import error_text, fmt_datetime, fmt_number
from ..jobs import Job
from .engine import Preview, category_title, compute_preview, files_lines, summary_lines
from .widgets import ERROR_STYLE, WARNING_FRAME, _bold, _Busy, _label, _Page, ask_again


# -- 2. what would change -------------------------------------------------------------------------

class PreviewPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPage")
        lay = QVBoxLayout(self)
        self.warning = QFrame(self)
        self.warning.setObjectName("identityWarning")
        self.warning.setStyleSheet(WARNING_FRAME)
        wl = QVBoxLayout(self.warning)
        self.warning_title = _bold(_label(self.warning, "identityTitle"))
        self.warning_text = _label(self.warning, "identityText", selectable=True)
        self.force = QCheckBox(self.warning)
        self.force.setObjectName("forceOtherDatabase")
        self.force.toggled.connect(self._force_toggled)
        wl.addWidget(self.warning_title)
        wl.addWidget(self.warning_text)
        wl.addWidget(self.force)
        self.warning.setVisible(False)
        lay.addWidget(self.warning)
        self.busy = _Busy(self, "preview")
        lay.addWidget(self.busy)
        self.error = _label(self, "previewError", selectable=True)
        self.error.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.error)
        self.table = QTreeWidget(self)
        self.table.setObjectName("previewTable")
        self.table.setColumnCount(3)
        self.table.setRootIsDecorated(True)       # a table opens on the rows that change
        self.table.setAlternatingRowColors(True)
        self.table.header().setStretchLastSection(False)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2):
            self.table.header().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 3)
        self.summary_title = _bold(_label(self, "previewSummaryTitle"))
        lay.addWidget(self.summary_title)
        self.summary = QPlainTextEdit(self)
        self.summary.setObjectName("previewSummary")
        self.summary.setReadOnly(True)
        self.summary.setFrameShape(QFrame.Shape.NoFrame)
        self.summary.viewport().setAutoFillBackground(False)
        lay.addWidget(self.summary, 1)
        self.notes = _label(self, "previewNotes", selectable=True)
        self.notes.setStyleSheet("color: palette(mid);")
        lay.addWidget(self.notes)
        self.result: Preview | None = None
        self.job: Job | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("What would change"))
        self.table.setHeaderLabels([self.tr("Table"), self.tr("Rows in the backup"), self.tr("Rows now")])
        self.summary_title.setText(self.tr("If the whole database is restored:"))
        self.warning_title.setText(self.tr("This backup looks like it is from another database"))
        self.force.setText(self.tr("I am sure: restore this backup into this database anyway"))
        self._show()

    def initializePage(self) -> None:
        snap = self.wiz().snapshot
        if self.result is not None and self.result.snapshot.id == snap.id:
            self._show()
            return
        self.result = None
        self.force.setChecked(False)
        self.start()

    def start(self) -> None:
        w = self.wiz()
        loc, snap_id, db = w.location, w.snapshot.id, w.db_path
        self.error.setText("")
        self._show()
        self.busy.start(self.tr("Comparing the backup with the database…"))
        self.job = w.run(lambda progress, cancel: compute_preview(loc, snap_id, db, progress, cancel),
                         "restore-preview", self._done, self._failed, self.busy.step, self._cancelled)

    def cleanupPage(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()
        super().cleanupPage()

    def _done(self, result: Preview) -> None:
        self.busy.setVisible(False)
        if self.wiz().snapshot is None or result.snapshot.id != self.wiz().snapshot.id:
            return
        self.result = result
        self.wiz().preview = result
        self._show()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy.setVisible(False)
        if ask_again(self, exc):
            self.start()
            return
        self.error.setText(error_text(exc))

    def _cancelled(self) -> None:
        self.busy.setVisible(False)

    def _force_toggled(self, _: bool) -> None:
        self.wiz().force = self.force.isChecked()

    def _show(self) -> None:
        w = self.wiz()
        snap = w.snapshot if w is not None else None
        if snap is not None:
            self.setSubTitle(self.tr("The backup of {when} compared with {path} as it is now.").format(
                when=fmt_datetime(snap.created_at), path=w.db_path))
        r = self.result
        self.table.clear()
        self.table.setVisible(r is not None)
        self.summary_title.setVisible(r is not None)
        self.summary.setVisible(r is not None)
        self.warning.setVisible(r is not None and not r.identity.same)
        if r is None:
            self.notes.setText("")
            return
        for t in r.diff.tables:
            item = QTreeWidgetItem([t.name, "–" if t.in_snapshot is None else fmt_number(t.in_snapshot),
                                    "–" if t.in_current is None else fmt_number(t.in_current)])
            for c in (1, 2):
                item.setTextAlignment(c, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if t.differs:
                f = item.font(0)
                f.setBold(True)
                for c in range(3):
                    item.setFont(c, f)
            self.table.addTopLevelItem(item)
            self._add_rows(item, t.name)
        when = fmt_datetime(r.snapshot.created_at)
        self.summary.setPlainText("\n".join("• " + line for line in summary_lines(r.diff, when) + files_lines(r.files)))
        if not r.identity.same:
            self.warning_text.setText(self.tr(
                "Restoring it would put another database's contents in place of yours. Check that you "
                "picked the right backup and the right database. What differs:") + "\n"
                + "\n".join("• " + d for d in r.identity.differences))
        self.notes.setText("\n".join(self.tr("Note: {text}").format(text=n) for n in r.identity.notes))

    def _add_rows(self, item: QTreeWidgetItem, table: str) -> None:
        """Under a table: each kind of change with its first rows (key and identifying columns)."""
        mp = self.result.rows if self.result is not None else None
        tp = next((t for t in mp.tables if t.name == table), None) if mp is not None else None
        if tp is None:
            return
        for cat, rows in tp.rows.items():
            if not rows:
                continue
            head = QTreeWidgetItem([category_title(cat, tp.counts.get(cat, len(rows)))])
            item.addChild(head)
            head.setFirstColumnSpanned(True)
            for r in rows:
                leaf = QTreeWidgetItem([r])
                leaf.setToolTip(0, r)
                head.addChild(leaf)
                leaf.setFirstColumnSpanned(True)

    def isComplete(self) -> bool:
        return self.result is not None
