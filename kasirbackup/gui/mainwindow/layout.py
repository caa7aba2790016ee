"""The main window's widgets: toolbar actions (object names and shortcuts), database picker
and summary, size chart, backup list with filter, details pane and the progress row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QProgressBar, QPushButton, QSplitter,
                               QTextBrowser, QToolBar, QTreeWidget, QVBoxLayout,
                               QWidget)

from ..banner import SizeChart, StatusBanner
from ..icons import icon
from ..models import SnapshotModel, snapshot_view


class WindowLayout:
    """MainWindow's widget construction (a mixin: ``_build`` stays on the window object)."""

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)   # room for longer Indonesian words
        self.addToolBar(self.toolbar)

        def action(name: str, icon_name: str, slot, shortcut=None) -> QAction:
            a = QAction(icon(icon_name), "", self)
            a.setObjectName(name)
            a.triggered.connect(slot)
            if shortcut:
                a.setShortcut(shortcut)
            return a

        self.act_backup = action("actBackup", "backup", self.backup_now, QKeySequence("Ctrl+B"))
        self.act_restore = action("actRestore", "restore", self.restore, QKeySequence("Ctrl+R"))
        self.act_verify = action("actVerify", "verify", self.verify_selected)
        self.act_export = action("actExport", "export", self.export)
        self.act_import = action("actImport", "import", self.import_)
        self.act_folder = action("actFolder", "folder", self.open_backup_folder)
        self.act_schedule = action("actSchedule", "schedule", self.schedule)
        self.act_settings = action("actSettings", "settings", self.settings_dialog, QKeySequence.StandardKey.Preferences)
        self.act_history = action("actHistory", "history", self.history_dialog)
        self.act_add = action("actAddDatabase", "add", self.add_database)
        self.act_quit = action("actQuit", "", self.quit_app, QKeySequence.StandardKey.Quit)
        for a in (self.act_backup, self.act_restore, self.act_verify, self.act_export, self.act_import):
            self.toolbar.addAction(a)
        self.toolbar.addSeparator()
        for a in (self.act_folder, self.act_schedule, self.act_history, self.act_settings):
            self.toolbar.addAction(a)
        self.addAction(self.act_quit)

        central = QWidget(self)
        outer = QVBoxLayout(central)
        self.banner = StatusBanner(central)
        self.banner.profile_requested.connect(self.select_profile)
        self.banner.login_start_requested.connect(self.turn_on_start_with_login)
        outer.addWidget(self.banner)
        # profiles in the settings file that do not load: named, never silently missing
        self.unusable_note = QLabel(central)
        self.unusable_note.setObjectName("unusableProfiles")
        self.unusable_note.setWordWrap(True)
        self.unusable_note.setTextFormat(Qt.TextFormat.PlainText)
        self.unusable_note.setStyleSheet("QLabel#unusableProfiles { background: #fff4e0; color: #6b3f00; "
                                         "border: 1px solid #c77700; border-radius: 4px; padding: 6px 10px; }")
        self.unusable_note.hide()
        outer.addWidget(self.unusable_note)

        split = QSplitter(Qt.Orientation.Horizontal, central)
        split.setObjectName("mainSplitter")
        split.setChildrenCollapsible(False)

        # left: database picker and summary
        left = QWidget(split)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.db_box = QGroupBox(left)
        dl = QVBoxLayout(self.db_box)
        row = QHBoxLayout()
        self.profile_combo = QComboBox(self.db_box)
        self.profile_combo.setObjectName("profileCombo")
        # the list opens as wide as its longest entry, even when the box itself is narrow
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.profile_combo.setMinimumContentsLength(14)
        self.profile_combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.profile_combo.currentIndexChanged.connect(self._profile_selected)
        self.add_button = QPushButton(icon("add"), "", self.db_box)
        self.add_button.setObjectName("addDatabaseButton")
        self.add_button.clicked.connect(self.add_database)
        row.addWidget(self.profile_combo, 1)
        row.addWidget(self.add_button)
        dl.addLayout(row)
        self.db_info = QLabel(self.db_box)
        self.db_info.setObjectName("dbInfo")
        self.db_info.setWordWrap(True)
        self.db_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self.db_info)
        self.tables = QTreeWidget(self.db_box)
        self.tables.setObjectName("tablesTree")
        self.tables.setColumnCount(2)
        self.tables.setRootIsDecorated(False)
        self.tables.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tables.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        dl.addWidget(self.tables, 1)
        ll.addWidget(self.db_box, 1)
        self.chart = SizeChart(left)
        ll.addWidget(self.chart)

        # right: backup list, filter and details
        right = QWidget(split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        frow = QHBoxLayout()
        self.list_title = QLabel(right)
        f = self.list_title.font()
        f.setBold(True)
        self.list_title.setFont(f)
        self.filter = QLineEdit(right)
        self.filter.setObjectName("backupFilter")
        self.filter.setClearButtonEnabled(True)
        frow.addWidget(self.list_title)
        frow.addStretch(1)
        frow.addWidget(self.filter)
        rl.addLayout(frow)
        self.model, self.proxy, self.view = snapshot_view(right, "backupList")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setSectionResizeMode(SnapshotModel.LABEL, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(lambda _: self.restore())
        rl.addWidget(self.view, 3)
        self.details = QTextBrowser(right)
        self.details.setObjectName("backupDetails")
        self.details.setOpenLinks(False)
        rl.addWidget(self.details, 2)

        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setSizes([340, 720])
        outer.addWidget(split, 1)

        # progress area
        prow = QHBoxLayout()
        self.progress_label = QLabel(central)
        self.progress_label.setObjectName("progressLabel")
        self.progress = QProgressBar(central)
        self.progress.setObjectName("progressBar")
        self.cancel_button = QPushButton(central)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.cancel_running)
        prow.addWidget(self.progress_label)
        prow.addWidget(self.progress, 1)
        prow.addWidget(self.cancel_button)
        self.progress_row = QWidget(central)
        self.progress_row.setLayout(prow)
        self.progress_row.setVisible(False)
        outer.addWidget(self.progress_row)
        self.setCentralWidget(central)
        self.setTabOrder(self.profile_combo, self.add_button)
        self.setTabOrder(self.add_button, self.tables)
        self.setTabOrder(self.tables, self.filter)
        self.setTabOrder(self.filter, self.view)
        self.setTabOrder(self.view, self.details)
