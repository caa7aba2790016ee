"""The profile's scheduled exports as a group of check boxes (shown in the Export… dialog):
which formats ``app.auto_export`` writes after each scheduled backup. Saved at once."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..app.settings import Profile
from .context import AppContext
from .dialogs import show_error


class AutoExportBox(QGroupBox):
    def __init__(self, ctx: AppContext, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profile_name = profile.name
        self.setObjectName("autoExportBox")
        self.setTitle(self.tr("Also export after each scheduled backup"))
        lay = QVBoxLayout(self)
        note = QLabel(self.tr("The files are kept next to the backups, in the folder “exports”, and removed "
                              "together with their backup."), self)
        note.setWordWrap(True)
        lay.addWidget(note)
        row = QHBoxLayout()
        self.checks: dict[str, QCheckBox] = {}
        for fmt, text in (("xlsx", self.tr("Excel")), ("csv", self.tr("CSV (zip)")), ("json", self.tr("JSON")),
                          ("sql", self.tr("SQL"))):
            cb = QCheckBox(text, self)
            cb.setObjectName(f"autoExport_{fmt}")
            cb.setChecked(fmt in profile.exports)
            cb.toggled.connect(self.save)
            row.addWidget(cb)
            self.checks[fmt] = cb
        row.addStretch(1)
        lay.addLayout(row)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        lay.addWidget(self.note)
        location = profile.repos[0] if profile.repos else ""
        if location.lower().startswith("s3://"):
            self.set_unavailable(self.tr("Scheduled exports are kept in a folder on this computer or a disk; "
                                         "these backups are in object storage."))

    def set_unavailable(self, why: str) -> None:
        for cb in self.checks.values():
            cb.setEnabled(False)
        self.note.setText(why)
        self.note.setVisible(True)

    def save(self, *_: object) -> None:
        settings = self.ctx.settings()
        p = next((p for p in settings.profiles if p.name == self.profile_name), None)
        if p is None:
            return
        p.exports = [fmt for fmt, cb in self.checks.items() if cb.isChecked()]
        try:
            self.ctx.save_settings(settings)
        except OSError as exc:
            show_error(self, exc)
