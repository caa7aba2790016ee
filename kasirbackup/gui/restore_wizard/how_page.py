"""Page 3 of the restore wizard: how to restore (replace the database, a copy in a new file,
only the selected tables, or bring back deleted rows)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QButtonGroup, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QRadioButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget, QWizard)

from ...core.errors import KasirBackupError
from ..i18n import error_text, fmt_datetime, fmt_number, to_qdatetime
from .engine import COPY, MERGE, REPLACE, TABLES
from .widgets import ERROR_STYLE, PAGE_CLOSE, PAGE_PROGRESS, _bold_radio, _label, _Page


# -- 3. how to restore ----------------------------------------------------------------------------

class HowPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("howPage")
        self.live_ok = True
        lay = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        self.explain: dict[str, QLabel] = {}

        def option(mode: str, name: str) -> QVBoxLayout:
            rb = QRadioButton(self)
            rb.setObjectName(name)
            self.group.addButton(rb)
            rb.toggled.connect(self._changed)
            self.radios[mode] = rb
            lay.addWidget(_bold_radio(rb))
            sub = QVBoxLayout()
            sub.setContentsMargins(24, 0, 0, 6)
            ex = _label(self, name + "Text")
            self.explain[mode] = ex
            sub.addWidget(ex)
            lay.addLayout(sub)
            return sub

        option(REPLACE, "modeReplace")
        sub = option(COPY, "modeCopy")
        row = QHBoxLayout()
        self.copy_path = QLineEdit(self)
        self.copy_path.setObjectName("copyPath")
        self.copy_path.textChanged.connect(self._changed)
        self.browse = QPushButton(self)
        self.browse.setObjectName("browseButton")
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.copy_path, 1)
        row.addWidget(self.browse)
        sub.addLayout(row)
        sub = option(TABLES, "modeTables")
        self.table_list = QTreeWidget(self)
        self.table_list.setObjectName("tableList")
        self.table_list.setColumnCount(3)
        self.table_list.setRootIsDecorated(False)
        self.table_list.header().setStretchLastSection(False)
        self.table_list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2):
            self.table_list.header().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table_list.itemChanged.connect(self._changed)
        self.table_list.setMaximumHeight(150)
        sub.addWidget(self.table_list)
        option(MERGE, "modeMerge")
        self.problem = _label(self, "howProblem", selectable=True)
        self.problem.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.problem)
        lay.addStretch(1)
        self.radios[REPLACE].setChecked(True)
        self._dialog: QFileDialog | None = None
        self._tables_for: str | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("How to restore"))
        self.setSubTitle(self.tr("Choose what to do with the backup. Except for the copy, a safety backup of the "
                                 "database is taken first, so the restore can be undone."))
        self.radios[REPLACE].setText(self.tr("Replace the current database"))
        self.radios[COPY].setText(self.tr("Restore as a copy in a new file"))
        self.radios[TABLES].setText(self.tr("Restore only the selected tables"))
        self.radios[MERGE].setText(self.tr("Bring back deleted rows (merge)"))
        self.explain[COPY].setText(self.tr("The database is not touched. The backup is written to a new file, "
                                           "for example to look something up."))
        self.explain[TABLES].setText(self.tr("The chosen tables are put back as they were in the backup; the other "
                                             "tables stay as they are now."))
        self.explain[MERGE].setText(self.tr("Rows deleted since the backup come back. Rows added or changed since "
                                            "are kept as they are now."))
        self.browse.setText(self.tr("Browse…"))
        self.table_list.setHeaderLabels([self.tr("Table"), self.tr("Rows in the backup"), self.tr("Rows now")])
        self.copy_path.setPlaceholderText(self.tr("Where to save the copy (a new file)"))
        self._explain_replace()
        self._changed()

    def _explain_replace(self) -> None:
        w = self.wiz()
        p = w.preview if w is not None else None
        if p is None:
            self.explain[REPLACE].setText("")
            return
        text = self.tr("The whole database becomes exactly as it was on {when}.").format(
            when=fmt_datetime(p.snapshot.created_at))
        if p.diff.rows_lost:
            text += " " + self.tr("{n} rows added since then are removed.").format(n=fmt_number(p.diff.rows_lost))
        changed = sum(t.changed or 0 for t in p.diff.tables)
        if changed:
            text += " " + self.tr("{n} rows changed since then are set back.").format(n=fmt_number(changed))
        self.explain[REPLACE].setText(text)

    def initializePage(self) -> None:
        w = self.wiz()
        p = w.preview
        self._explain_replace()
        if self._tables_for != p.snapshot.id:
            self._tables_for = p.snapshot.id
            self.table_list.blockSignals(True)
            self.table_list.clear()
            for t in p.diff.tables:
                if t.in_snapshot is None:
                    continue
                item = QTreeWidgetItem([t.name, fmt_number(t.in_snapshot),
                                        "–" if t.in_current is None else fmt_number(t.in_current)])
                item.setData(0, Qt.ItemDataRole.UserRole, t.name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                for c in (1, 2):
                    item.setTextAlignment(c, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table_list.addTopLevelItem(item)
            self.table_list.blockSignals(False)
        if not self.copy_path.text():
            db = Path(w.db_path)
            stamp = to_qdatetime(p.snapshot.created_at).toString("yyyyMMdd-HHmm")
            self.copy_path.setText(str(db.with_name(f"{db.stem}-{stamp}{db.suffix or '.db'}")))
        self.live_ok = p.identity.same or w.force
        for m in (REPLACE, TABLES, MERGE):
            self.radios[m].setEnabled(self.live_ok)
        if not self.live_ok:
            self.radios[COPY].setChecked(True)
        self._changed()

    def mode(self) -> str:
        return next((m for m, rb in self.radios.items() if rb.isChecked()), REPLACE)

    def _items(self) -> list[QTreeWidgetItem]:
        return [self.table_list.topLevelItem(i) for i in range(self.table_list.topLevelItemCount())]

    def table_names(self) -> list[str]:
        return [it.data(0, Qt.ItemDataRole.UserRole) for it in self._items()]

    def check_table(self, name: str, checked: bool = True) -> None:
        for it in self._items():
            if it.data(0, Qt.ItemDataRole.UserRole) == name:
                it.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_tables(self) -> list[str]:
        return [it.data(0, Qt.ItemDataRole.UserRole) for it in self._items()
                if it.checkState(0) == Qt.CheckState.Checked]

    def _changed(self, *_: object) -> None:
        m = self.mode()
        self.copy_path.setEnabled(m == COPY)
        self.browse.setEnabled(m == COPY)
        self.table_list.setEnabled(m == TABLES)
        self.setCommitPage(m == COPY)      # after a copy there is nothing to go back to
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Save the copy"))
        self.problem.setText("" if self.live_ok else self.tr(
            "This backup looks like it is from another database, so it can only be restored as a copy (or go "
            "back and confirm that you are sure)."))
        self.completeChanged.emit()

    def _browse(self) -> None:
        folder = str(Path(self.copy_path.text() or self.wiz().db_path).parent)
        dlg = QFileDialog(self, self.tr("Save the copy as"), folder,
                          self.tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"))
        dlg.setObjectName("copyFileDialog")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.copy_path.text():
            dlg.selectFile(self.copy_path.text())
        dlg.fileSelected.connect(self.copy_path.setText)
        self._dialog = dlg
        dlg.open()

    def isComplete(self) -> bool:
        m = self.mode()
        if m == COPY:
            return bool(self.copy_path.text().strip())
        if m == TABLES:
            return bool(self.checked_tables())
        return True

    def validatePage(self) -> bool:
        w = self.wiz()
        w.mode = self.mode()
        w.tables = self.checked_tables() if w.mode == TABLES else None
        if w.mode == COPY:
            from ...core.restore.to_file import check_new_target

            try:
                w.copy_target = str(check_new_target(self.copy_path.text().strip()))
            except KasirBackupError as exc:
                self.problem.setText(error_text(exc))
                return False
        return True

    def nextId(self) -> int:
        return PAGE_PROGRESS if self.mode() == COPY else PAGE_CLOSE
