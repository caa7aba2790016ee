"""The "Retention" tab: how many backups each rule keeps, whether old backups are removed
after each backup, and a live preview of what the rules would keep or remove among the
backups in the main place (listed in a job; an encrypted place waits for "Unlock…").

``RetentionTab`` is a part of ``SettingsDialog`` (a mixin). Its texts keep the translation
context "SettingsDialog"."""

from __future__ import annotations

import copy

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSpinBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ...app.settings import Retention
from ...core.repo.crypto import PassphraseNeeded, WrongPassphrase
from ...core.repo.manifest import Snapshot
from ...core.retention.policy import Decision, Removal, decide
from ..dialogs import handle_repo_error
from ..i18n import error_text, fmt_datetime
from ..models import kind_text
from .jobs import list_snapshots

translate = QCoreApplication.translate     # translate("SettingsDialog", "literal"): lupdate reads it

RULES = ("last", "daily", "weekly", "monthly", "yearly")



def _period(name: str) -> str:
    return {"hour": translate("SettingsDialog", "hour"), "day": translate("SettingsDialog", "day"),
            "week": translate("SettingsDialog", "week"), "month": translate("SettingsDialog", "month"),
            "year": translate("SettingsDialog", "year")}.get(name, name)


def _rule(n: int, name: str) -> str:
    return {"hourly": translate("SettingsDialog", "{n} hourly"), "daily": translate("SettingsDialog", "{n} daily"),
            "weekly": translate("SettingsDialog", "{n} weekly"), "monthly": translate("SettingsDialog", "{n} monthly"),
            "yearly": translate("SettingsDialog", "{n} yearly")}.get(name, name).format(n=n)


def removal_phrases(removal: Removal | None) -> list[str]:
    """Why no rule keeps a backup, in the window's language (the engine's facts)."""
    if removal is None:
        return []
    out = []
    if removal.keep_last:
        out.append(translate("SettingsDialog", "not the newest backup") if removal.keep_last == 1 else
                   translate("SettingsDialog", "not one of the {n} newest").format(n=removal.keep_last))
    if removal.newer_kept:
        periods = ", ".join(_period(p) for p in removal.newer_kept)
        out.append(translate("SettingsDialog", "a newer backup is kept for its {periods}").format(periods=periods))
    if removal.too_old:
        rules = ", ".join(_rule(n, name) for n, name in removal.too_old)
        out.append(translate("SettingsDialog", "older than the {rules} backups kept").format(rules=rules))
    if removal.within:
        out.append(translate("SettingsDialog", "older than the kept period"))
    if removal.before_restore:
        out.append(translate("SettingsDialog", "a safety backup older than 30 days"))
    return out

class RetentionTab:
    """Needs from the dialog: ``tabs``, ``ctx``, ``profile``, ``_repos``, the preview's state
    (``_snapshots``, ``_snap_error``, ``_decisions``, ``_locked``) and ``_start`` (a job)."""

    def _build_retention(self) -> None:
        page = self.retention_page = QWidget(self)
        page.setObjectName("retentionPage")
        lay = QVBoxLayout(page)
        self.retention_intro = QLabel(page)
        self.retention_intro.setWordWrap(True)
        lay.addWidget(self.retention_intro)
        top = QHBoxLayout()
        form = QFormLayout()
        self.keep: dict[str, QSpinBox] = {}
        self.keep_labels: dict[str, QLabel] = {}
        for rule in RULES:
            spin = QSpinBox(page)
            spin.setObjectName(f"keep{rule.capitalize()}")
            spin.setRange(0, 9999)
            spin.valueChanged.connect(self._render_preview)
            label = QLabel(page)
            label.setBuddy(spin)
            form.addRow(label, spin)
            self.keep[rule], self.keep_labels[rule] = spin, label
        top.addLayout(form)
        side = QVBoxLayout()
        self.prune_after = QCheckBox(page)
        self.prune_after.setObjectName("pruneAfterBackup")
        self.prune_after.toggled.connect(self._render_preview)
        self.safety_note = QLabel(page)
        self.safety_note.setWordWrap(True)
        side.addWidget(self.prune_after)
        side.addWidget(self.safety_note)
        side.addStretch(1)
        top.addSpacing(16)
        top.addLayout(side, 1)
        lay.addLayout(top)
        self.retention_summary = QLabel(page)
        self.retention_summary.setObjectName("retentionSummary")
        self.retention_summary.setWordWrap(True)
        f = self.retention_summary.font()
        f.setBold(True)
        self.retention_summary.setFont(f)
        srow = QHBoxLayout()
        srow.addWidget(self.retention_summary, 1)
        self.unlock_button = QPushButton(page)
        self.unlock_button.setObjectName("retentionUnlockButton")
        self.unlock_button.clicked.connect(self._unlock_preview)
        self.unlock_button.setVisible(False)
        srow.addWidget(self.unlock_button)
        lay.addLayout(srow)
        self.preview = QTreeWidget(page)
        self.preview.setObjectName("retentionPreview")
        self.preview.setColumnCount(4)
        self.preview.setRootIsDecorated(False)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.setAlternatingRowColors(True)
        self.preview.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview.header().setStretchLastSection(True)
        # one reason per line, so none ends in "…" (a view does not wrap its rows' text)
        self.preview.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.preview.setUniformRowHeights(False)
        lay.addWidget(self.preview, 1)
        self.tabs.addTab(page, "")

    def _retranslate_retention(self) -> None:
        self.retention_intro.setText(translate("SettingsDialog", "Old backups are removed after each backup by these "
                                                                 "rules; a backup that any rule wants is kept."))
        for rule, text in (("last", translate("SettingsDialog", "&Newest backups to keep:")),
                           ("daily", translate("SettingsDialog", "&Daily backups to keep:")),
                           ("weekly", translate("SettingsDialog", "&Weekly backups to keep:")),
                           ("monthly", translate("SettingsDialog", "&Monthly backups to keep:")),
                           ("yearly", translate("SettingsDialog", "&Yearly backups to keep:"))):
            self.keep_labels[rule].setText(text)
        self.prune_after.setText(translate("SettingsDialog", "Remove old backups after each backup"))
        self.safety_note.setText(translate("SettingsDialog", "Always kept: the newest backup that passed its check, "
                                                             "and the safety backups made before a restore for at "
                                                             "least 30 days."))
        self.unlock_button.setText(translate("SettingsDialog", "&Unlock…"))
        self.preview.setHeaderLabels([translate("SettingsDialog", "Time"), translate("SettingsDialog", "Kind"),
                                      translate("SettingsDialog", "Decision"), translate("SettingsDialog", "Why")])
        self._render_preview()

    def retention(self) -> Retention:
        base = self.profile.retention if self.profile else Retention()
        r = copy.copy(base)
        for rule in RULES:
            setattr(r, f"keep_{rule}", self.keep[rule].value())
        return r

    def reload_snapshots(self) -> None:
        if not self._repos:
            return
        location = self._repos[0]
        self._snap_error = ""
        self._locked = None
        self.unlock_button.setVisible(False)
        self.retention_summary.setText(translate("SettingsDialog", "Reading the backups in {location}…").format(
            location=location))

        def finished(snaps: list[Snapshot]) -> None:
            if self._repos and self._repos[0] == location:
                self._snapshots = snaps
                self._render_preview()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, (PassphraseNeeded, WrongPassphrase)) and exc.params.get("repo_id"):
                # ask only when the user wants to see them, not as soon as the dialog opens
                self._locked = exc
                self.unlock_button.setVisible(True)
                self._snap_error = translate("SettingsDialog", "The backups in {location} are encrypted. Unlock them "
                                                               "with the passphrase to see what would be "
                                                               "kept.").format(location=location)
            else:
                self._snap_error = error_text(exc)
            self._render_preview()
        self._start(lambda progress, cancel: list_snapshots(location), "retention preview",
                    on_finished=finished, on_failed=failed)

    def _unlock_preview(self) -> None:
        if self._locked is not None and handle_repo_error(self, self._locked):
            self.reload_snapshots()

    def decisions(self) -> list[Decision]:
        if not self._snapshots:
            return []
        return decide(self._snapshots, self.retention().policy(), self.ctx.now(), self.ctx.tz)

    def _reason_text(self, reason: str) -> str:
        return {
            "last": translate("SettingsDialog", "one of the {n} newest").format(n=self.keep["last"].value()),
            "hourly": translate("SettingsDialog", "newest of its hour"),
            "daily": translate("SettingsDialog", "newest of its day"),
            "weekly": translate("SettingsDialog", "newest of its week"),
            "monthly": translate("SettingsDialog", "newest of its month"),
            "yearly": translate("SettingsDialog", "newest of its year"),
            "within": translate("SettingsDialog", "within the kept period"),
            "newest verified": translate("SettingsDialog", "the newest checked backup (always kept)"),
            "before-restore, under 30 days": translate("SettingsDialog",
                                                       "safety backup from a restore, under 30 days old"),
            "no policy": translate("SettingsDialog", "no rule is set, so every backup is kept"),
        }.get(reason, reason)

    def _render_preview(self, *_: object) -> None:
        self.preview.clear()
        if self.profile is None:
            return
        if self._snap_error:
            self.retention_summary.setText(self._snap_error)
            return
        if self._snapshots is None:
            return
        if not self._snapshots:
            self.retention_summary.setText(translate("SettingsDialog",
                                                     "There are no backups yet, so nothing would be removed."))
            return
        self._decisions = self.decisions()
        kept = sum(1 for d in self._decisions if d.keep)
        removed = len(self._decisions) - kept
        if self.prune_after.isChecked():
            text = translate("SettingsDialog", "Of {total} backups, {kept} are kept and {removed} would be removed "
                                               "at the next backup.")
        else:
            text = translate("SettingsDialog", "Of {total} backups, {kept} are wanted by these rules. Nothing is "
                                               "removed while “Remove old backups after each backup” is off.")
        self.retention_summary.setText(text.format(total=len(self._decisions), kept=kept, removed=removed))
        red, green = Qt.GlobalColor.darkRed, Qt.GlobalColor.darkGreen
        for d in self._decisions:
            s = d.snapshot
            why = "\n".join(self._reason_text(r) for r in d.reasons) if d.keep else \
                "\n".join(removal_phrases(d.removal)) or translate("SettingsDialog", "not needed by any rule")
            item = QTreeWidgetItem([fmt_datetime(s.created_at), kind_text(s.kind),
                                    translate("SettingsDialog", "Keep") if d.keep
                                    else translate("SettingsDialog", "Remove"), why])
            item.setData(0, Qt.ItemDataRole.UserRole, s.id)
            item.setData(2, Qt.ItemDataRole.UserRole, d.keep)
            item.setForeground(2, green if d.keep else red)
            item.setToolTip(0, translate("SettingsDialog", "Backup {id}").format(id=s.short_id))
            item.setToolTip(3, why)
            self.preview.addTopLevelItem(item)
