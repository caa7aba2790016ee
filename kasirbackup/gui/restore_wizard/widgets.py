"""What the restore wizard's pages share: the page ids, the styles, labels that hide while
empty, the phase label + progress bar, the page base class and the passphrase re-ask."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QProgressBar, QRadioButton, QVBoxLayout, QWidget, QWizardPage

from ..dialogs import handle_repo_error
from .engine import phase_label

PAGE_SNAPSHOT, PAGE_PREVIEW, PAGE_HOW, PAGE_CLOSE, PAGE_PROGRESS, PAGE_RESULT = range(6)


def ask_again(parent: QWidget, exc: BaseException) -> bool:
    """An encrypted repository without its passphrase: ask, and True when the job should run
    again. Any other error is shown by the page itself (in its own words, on the page)."""
    from ...core.repo.crypto import PassphraseNeeded, WrongPassphrase

    return isinstance(exc, (PassphraseNeeded, WrongPassphrase)) and handle_repo_error(parent, exc)


class _Text(QLabel):
    """A label that takes no room while it has nothing to say."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


def _label(parent: QWidget, name: str, wrap: bool = True, selectable: bool = False) -> QLabel:
    lab = _Text(parent)
    lab.setVisible(False)
    lab.setObjectName(name)
    lab.setWordWrap(wrap)
    if selectable:
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


def _bold(lab: QLabel) -> QLabel:
    f = QFont(lab.font())
    f.setBold(True)
    lab.setFont(f)
    return lab


ERROR_STYLE = "color: #b3261e;"
WARNING_FRAME = ("QFrame#identityWarning { background: #fdecea; border: 1px solid #b3261e; border-radius: 4px; }"
                 " QFrame#identityWarning QLabel { color: #5f1410; }")


class _Busy(QWidget):
    """A phase label and a progress bar (indeterminate until the job reports totals)."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = _label(self, name + "Label")
        self.bar = QProgressBar(self)
        self.bar.setObjectName(name + "Bar")
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        self.setVisible(False)

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.setVisible(True)

    def step(self, phase: str, done: int, total: int) -> None:
        self.label.setText(phase_label(phase))
        if total > 0:
            scale = max(1, total // 1_000_000)     # QProgressBar takes int32
            self.bar.setRange(0, total // scale)
            self.bar.setValue(min(done, total) // scale)
        else:
            self.bar.setRange(0, 0)


class _Page(QWizardPage):
    def wiz(self) -> "RestoreWizard":   # noqa: F821 - wizard.py imports the pages, never the other way round
        return self.wizard()   # type: ignore[return-value]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:   # pragma: no cover - overridden
        pass


def _bold_radio(rb: QRadioButton) -> QRadioButton:
    f = QFont(rb.font())
    f.setBold(True)
    rb.setFont(f)
    return rb
