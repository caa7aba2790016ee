"""Translations: the .ts files are complete and consistent with the code, the committed .qm
match them, and every window shows Indonesian (no English source string left) and still fits
when strings grow by 40% (pseudo-locale).

The pipeline is ``scripts/translations.sh update|compile`` (see docs/TRANSLATING.md)."""

from __future__ import annotations

import ast
import importlib.util
import math
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, QTranslator, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel, QLineEdit, QListView,
                               QMenu, QPushButton, QTabWidget, QTextEdit, QTreeWidget, QWidget, QWizard)

from tests.gui.conftest import wait_backup
from tests.support.screen_texts import clipped_widgets

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"                  # the .ts sources
GUI = ROOT / "kasirbackup" / "gui"
QM_DIR = GUI / "resources" / "translations"           # the compiled .qm (package data)
LONG = 60000


def pipeline():
    """scripts/translations.py, the code behind scripts/translations.sh."""
    spec = importlib.util.spec_from_file_location("kb_translations", ROOT / "scripts" / "translations.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# -- reading .ts files --------------------------------------------------------------------------

@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str | None
    numerus: bool
    unfinished: bool
    forms: tuple[str, ...]          # the translation, or its plural forms


def read_ts(path: Path) -> list[Message]:
    out = []
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr = m.find("translation")
            numerus = m.get("numerus") == "yes"
            forms = tuple(f.text or "" for f in tr.iter("numerusform")) if numerus else (tr.text or "",)
            out.append(Message(name, m.findtext("source") or "", m.findtext("comment"), numerus,
                               tr.get("type") in ("unfinished", "obsolete", "vanished"), forms))
    return out


TS_FILES = ["kasirbackup_id.ts", "kasirbackup_en.ts", "qtbase_id.ts"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%L?\d")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def mnemonic(text: str) -> bool:
    """True when the text marks a keyboard accelerator ("&Save"; "&&" is a literal ampersand)."""
    return re.search(r"&(?!&)\S", text.replace("&&", "")) is not None


# -- (a) complete, (b) consistent ----------------------------------------------------------------

@pytest.mark.parametrize("name", TS_FILES)
def test_no_unfinished_or_empty_message(name):
    messages = read_ts(TRANSLATIONS / name)
    assert messages, f"{name} is empty"
    bad = [(m.context, m.source) for m in messages
           if m.unfinished or not m.forms or any(not f.strip() for f in m.forms)]
    assert not bad, f"{len(bad)} unfinished or empty in {name} (translate them, then " \
                    f"scripts/translations.sh compile): {bad[:20]}"


def test_english_file_holds_plural_forms_only():
    messages = read_ts(TRANSLATIONS / "kasirbackup_en.ts")
    assert all(m.numerus and len(m.forms) == 2 for m in messages)
    ids = {(m.context, m.source) for m in read_ts(TRANSLATIONS / "kasirbackup_id.ts") if m.numerus}
    assert {(m.context, m.source) for m in messages} == ids


@pytest.mark.parametrize("name", TS_FILES)
def test_placeholders_and_accelerators_preserved(name):
    bad = []
    for m in read_ts(TRANSLATIONS / name):
        for form in m.forms:
            if not form:            # untranslated: test_no_unfinished_or_empty_message says so
                continue
            if placeholders(form) != placeholders(m.source):
                bad.append((m.context, m.source, form))
            elif mnemonic(m.source) != mnemonic(form):
                bad.append((m.context, m.source, form, "accelerator &"))
            elif m.source.count("\n") != form.count("\n") and name == "qtbase_id.ts":
                bad.append((m.context, m.source, form, "line breaks"))
    assert not bad, bad


def test_indonesian_has_one_plural_form():
    for m in read_ts(TRANSLATIONS / "kasirbackup_id.ts"):
        if m.numerus:
            assert len(m.forms) == 1 and "%n" in m.forms[0], m


# -- (c) compiled files, (d) generated error strings, code and .ts in step ----------------------

def test_committed_qm_match_their_ts(tmp_path):
    """The .qm are committed (a fresh clone, a wheel and PyInstaller need no build step); recompiling
    gives the same bytes, so they can never drift from the .ts."""
    from kasirbackup.gui import i18n

    assert pipeline().QM_DIR == QM_DIR == i18n.translations_dir(), "compile must write where the app reads"
    fresh = pipeline().compile_all(tmp_path)
    stale = [p.name for p in fresh if (QM_DIR / p.name).read_bytes() != p.read_bytes()]
    assert not stale, f"{stale} differ from their .ts: run scripts/translations.sh compile"


def test_error_strings_module_matches_the_error_classes():
    mod = pipeline()
    assert (GUI / "error_strings.py").read_text(encoding="utf-8") == mod.error_strings_source(), \
        "error classes changed: run scripts/translations.sh update"
    assert len(mod.error_classes()) >= 80


def test_every_error_text_is_translated():
    from kasirbackup.core.errors import KasirBackupError

    texts = {m.source for m in read_ts(TRANSLATIONS / "kasirbackup_id.ts") if m.context == "errors"}
    missing = set()
    for cls in pipeline().error_classes():
        missing |= {t for t in (cls.template, cls.hint) if t and t not in texts}
    assert KasirBackupError.template in texts
    assert pipeline().FALLBACK_ERROR in texts
    assert not missing, missing


def test_ts_holds_exactly_the_strings_of_the_code(tmp_path):
    """lupdate over the code as it is now finds no string the .ts lacks (and the .ts keeps no
    string the code dropped): run scripts/translations.sh update after changing texts."""
    mod = pipeline()
    committed = TRANSLATIONS / "kasirbackup_id.ts"
    fresh = tmp_path / "kasirbackup_id.ts"
    shutil.copy(committed, fresh)
    mod.lupdate(fresh, "id")
    want = {(m.context, m.source) for m in read_ts(fresh)}
    have = {(m.context, m.source) for m in read_ts(committed)}
    assert not want - have, f"new strings not in the .ts: {sorted(want - have)[:30]}"
    assert not have - want, f"strings the code no longer has: {sorted(have - want)[:30]}"


def _error_lookup(node: ast.Call) -> bool:
    """``translate("errors", <an error class's template or hint>)``: the engine's texts are
    looked up by value; error_strings.py (generated, checked above) is what lupdate reads."""
    a = node.args
    return len(a) >= 2 and isinstance(a[0], ast.Constant) and a[0].value == "errors" and \
        not isinstance(a[1], ast.JoinedStr)


def test_lupdate_reads_every_translation_call():
    """lupdate only understands ``self.tr("literal")``, ``QCoreApplication.translate("Ctx",
    "literal")`` / ``translate("Ctx", "literal")`` and ``QT_TRANSLATE_NOOP``. A helper such as
    ``_tr(text)``, an alias ``tr = QCoreApplication.translate`` or an f-string inside tr() hides
    the text from it (or files it under the wrong context), so it would never be translated."""
    bad = []
    for path in sorted(GUI.rglob("*.py")):
        if path.relative_to(GUI).as_posix() in ("i18n.py", "error_strings.py"):   # i18n: the generic helpers
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            where = f"{path.relative_to(GUI).as_posix()}:{node.lineno}"
            literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args]
            if isinstance(f, ast.Name) and name in ("tr", "_tr", "_", "_t"):
                bad.append(f"{where}: {name}(...) is invisible to lupdate")
            elif name == "tr" and isinstance(f, ast.Attribute) and not (literal and literal[0]):
                bad.append(f"{where}: tr() needs a string literal (format after tr, never an f-string)")
            elif name == "translate" and not (len(literal) >= 2 and literal[0] and literal[1]) \
                    and not _error_lookup(node):
                bad.append(f"{where}: translate() needs a literal context and a literal text")
    assert not bad, "\n".join(bad)
    for m in read_ts(TRANSLATIONS / "kasirbackup_id.ts"):
        assert m.context not in ("", "QCoreApplication") and not m.comment, f"misread by lupdate: {m}"


# -- (e) every window in Indonesian ---------------------------------------------------------------

def _english_patterns() -> list[tuple[str, re.Pattern]]:
    """English source strings that must not be seen once Indonesian is installed (those whose
    Indonesian is identical, like "OK" or "Database", are left out), as patterns that also
    match the text after .format() filled in its {placeholders}."""
    messages = read_ts(TRANSLATIONS / "kasirbackup_id.ts") + read_ts(TRANSLATIONS / "qtbase_id.ts")
    translations = {f.replace("&", "") for m in messages for f in m.forms}
    out = []
    for m in messages:
        src = m.source
        if src in m.forms or src.replace("&", "") in translations or not re.search(r"[A-Za-z]{2}", src):
            continue
        parts = PLACEHOLDER.split(src.replace("&", ""))
        if not "".join(parts).strip(" .,:;—–-()\n"):
            continue
        rx = r"(?:.+?)".join(re.escape(p) for p in parts)
        out.append((src, re.compile(rx, re.DOTALL)))
    return out


ENGLISH_WORDS = re.compile(r"\b(the|and|with|your|you|backups?|restore|choose|select|cancel|next|finish|"
                           r"close|open|save|settings|schedule|history|verify|please|folder is|file is)\b",
                           re.IGNORECASE)


def strip_html(text: str) -> str:
    if "<" in text and ">" in text:
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def _column_count(model) -> int:
    """columnCount() of any model: Python models may want the parent argument, and a
    QAbstractListModel (QListWidget, QListView) hides columnCount (private): one column."""
    for args in ((), (QModelIndex(),)):
        try:
            return model.columnCount(*args)
        except TypeError:
            continue
    return 1


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every text a user can see in ``root`` now."""
    out: list[tuple[str, str]] = []

    def add(where: str, text: object) -> None:
        if isinstance(text, str) and text.strip():
            out.append((where, strip_html(text).replace("&&", "\0").replace("&", "").replace("\0", "&")))

    widgets = [root] + [w for w in root.findChildren(QWidget) if w.isVisibleTo(root)]
    add(f"{type(root).__name__}.windowTitle", root.windowTitle())
    for w in widgets:
        where = f"{type(w).__name__}#{w.objectName() or '?'}"
        if isinstance(w, QLabel):
            add(where, w.text())
        elif isinstance(w, QAbstractButton):
            add(where, w.text())
            add(where + ".toolTip", w.toolTip())
        elif isinstance(w, QGroupBox):
            add(where, w.title())
        elif isinstance(w, QLineEdit):
            add(where + ".placeholder", w.placeholderText())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(f"{where}[{i}]", w.itemText(i))
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(f"{where}.tab[{i}]", w.tabText(i))
        elif isinstance(w, QTextEdit):
            add(where, w.toPlainText())
        if isinstance(w, QGroupBox) and w.isCheckable():
            add(where, w.title())
        if isinstance(w, QTreeWidget):
            hi = w.headerItem()
            for i in range(w.columnCount()):
                add(f"{where}.header[{i}]", hi.text(i))
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            top = QModelIndex()
            columns = _column_count(model)
            if not isinstance(w, QListView):
                for i in range(columns):
                    add(f"{where}.header[{i}]", model.headerData(i, Qt.Orientation.Horizontal))
            for r in range(min(model.rowCount(top), 20)):
                for c in range(columns):
                    idx = model.index(r, c)
                    add(f"{where}[{r},{c}]", idx.data())
                    add(f"{where}[{r},{c}].toolTip", idx.data(Qt.ItemDataRole.ToolTipRole))
        if isinstance(w, QWizard):
            page = w.currentPage()
            if page is not None:
                add(f"{where}.page.title", page.title())
                add(f"{where}.page.subTitle", page.subTitle())
        for a in w.actions():
            if a.isVisible() and not a.isSeparator():
                add(f"{where}.action#{a.objectName()}", a.text())
                add(f"{where}.action#{a.objectName()}.toolTip", a.toolTip() if a.toolTip() != a.text() else "")
                if a.menu() is not None:
                    out.extend(menu_texts(a.menu(), where))
    return out


def menu_texts(menu: QMenu, where: str = "menu") -> list[tuple[str, str]]:
    return [(f"{where}.menu", a.text().split("\t")[0].replace("&", "")) for a in menu.actions()
            if not a.isSeparator() and a.text()]


def english_left(texts: list[tuple[str, str]]) -> list[str]:
    patterns = _english_patterns()
    left = []
    for where, text in texts:
        for src, rx in patterns:
            if rx.fullmatch(text):
                left.append(f"{where}: {text!r} (source {src!r})")
                break
        else:
            words = ENGLISH_WORDS.findall(" ".join(t for t in re.split(r"\s+", text) if "/" not in t and "\\" not in t))
            if len(words) >= 2:
                left.append(f"{where}: {text!r} looks English (not in the .ts? {words})")
    return left


@pytest.fixture
def windows(qapp, ctx):
    """Widgets made by a test, deleted before ``ctx`` closes (a later language switch would
    otherwise reach them and read the closed history)."""
    made: list[QWidget] = []
    yield made
    from PySide6.QtCore import QEvent

    for w in made:
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


@pytest.fixture
def indonesian(qapp, ctx, windows):
    from kasirbackup.gui import i18n

    assert i18n.install("id", qapp) == "id"
    yield
    i18n.install("en", qapp)


@pytest.fixture
def backed_up(qtbot, ctx, profile):
    res = wait_backup(qtbot, ctx, profile)
    assert res.ok, res
    return profile


def open_main_window(qtbot, ctx, windows):
    from kasirbackup.gui.mainwindow import MainWindow

    win = MainWindow(ctx)
    windows.append(win)
    win.show()
    qtbot.waitUntil(lambda: win.model.rowCount() > 0 and win._summary is not None, timeout=LONG)
    qtbot.wait(50)
    return win


@pytest.mark.parametrize("when", ["before", "switched"])
def test_main_window_and_tray_speak_indonesian(qtbot, qapp, ctx, backed_up, windows, when):
    from kasirbackup.gui import i18n
    from kasirbackup.gui.tray import Tray

    if when == "before":
        i18n.install("id", qapp)
    win = open_main_window(qtbot, ctx, windows)
    tray = Tray(ctx, win)
    try:
        if when == "switched":          # the manual switch in Settings: LanguageChange, applied at once
            i18n.install("id", qapp)
            ctx.bus.language_changed.emit("id")
            qtbot.wait(50)
        texts = visible_texts(win) + menu_texts(tray.menu, "tray") + [("tray.toolTip", tray.tray.toolTip())]
        assert any(t == "Cadangkan sekarang" for _, t in texts), texts
        left = english_left(texts)
        assert not left, "English left in the main window:\n" + "\n".join(left)
    finally:
        i18n.install("en", qapp)
        tray.tray.hide()
        tray.deleteLater()      # its 60 s refresh timer would otherwise read a later test's closed history


def _walk_pages(qtbot, wiz: QWizard, collect) -> None:
    """Show every page a user reaches by pressing Next (each waits for its work to finish)."""
    seen = set()
    for _ in range(12):
        page = wiz.currentPage()
        try:
            qtbot.waitUntil(page.isComplete, timeout=20000)
        except Exception:
            pass
        qtbot.wait(50)
        collect(f"page {wiz.currentId()}")
        seen.add(wiz.currentId())
        which = QWizard.WizardButton.CommitButton if page.isCommitPage() else QWizard.WizardButton.NextButton
        b = wiz.button(which)
        if wiz.currentId() == -1 or not b.isVisible() or not b.isEnabled() or page.nextId() == -1:
            break
        b.click()
        qtbot.wait(50)
        if wiz.currentId() in seen:
            break


def _all_tabs(qtbot, dlg, collect) -> None:
    tabs = dlg.findChildren(QTabWidget)
    collect("first")
    for tw in tabs:
        for i in range(tw.count()):
            tw.setCurrentIndex(i)
            qtbot.wait(30)
            collect(f"tab {i}")


DIALOGS = {    # module: (class, how to show all of it)
    "restore_wizard": ("RestoreWizard", _walk_pages),
    "schedule_dialog": ("ScheduleDialog", None),
    "settings_dialog": ("SettingsDialog", _all_tabs),
    "history_dialog": ("HistoryDialog", None),
    "setup_wizard": ("SetupWizard", _walk_pages),
    "export_dialog": ("ExportDialog", None),
    "import_dialog": ("ImportDialog", None),
    "dialogs": ("PassphraseDialog", None),
    "settings_dialog.passphrase_dialog": ("ChangePassphraseDialog", None),
    "settings_dialog.passphrase_dialog#new": ("NewPassphraseDialog", None),
    "settings_dialog.recovery_sheet_dialog": ("RecoverySheetDialog", None),
    "settings_dialog.online_storage_dialog": ("OnlineStorageDialog", None),
    "dialogs#crash": ("CrashDialog", None),
}


def make_dialog(module: str, ctx, profile, parent):
    name = DIALOGS[module][0]
    mod = importlib.import_module(f"kasirbackup.gui.{module.partition('#')[0]}")   # renamed: fails here
    cls = getattr(mod, name)
    return {
        "RestoreWizard": lambda: cls(ctx, profile, None, parent),
        "ScheduleDialog": lambda: cls(ctx, profile, parent),
        "SettingsDialog": lambda: cls(ctx, profile, parent),
        "HistoryDialog": lambda: cls(ctx, parent),
        "SetupWizard": lambda: cls(ctx, parent),
        "ExportDialog": lambda: cls(ctx, profile, None, parent),
        "ImportDialog": lambda: cls(ctx, profile, parent),
        "PassphraseDialog": lambda: cls(profile.repos[0], wrong=True, parent=parent),
        "ChangePassphraseDialog": lambda: cls(profile.repos[0], True, parent),
        "NewPassphraseDialog": lambda: cls(profile.repos[0], False, parent),
        # the note is the caller's own (translated) sentence, as encryption_setup.py passes it
        "RecoverySheetDialog": lambda: cls("KasirBackup — recovery sheet\n…", "0123abcd", ctx.start,
                                           QCoreApplication.translate("SettingsDialog", "Turning encryption on…"),
                                           parent),
        "OnlineStorageDialog": lambda: cls(ctx, parent),
        "CrashDialog": lambda: cls("Traceback (most recent call last): …", parent),
    }[name]()


def test_every_dialog_is_walked():
    """A dialog added or renamed in kasirbackup/gui is checked here, not silently left out."""
    import inspect
    import pkgutil

    from PySide6.QtWidgets import QDialog

    import kasirbackup.gui

    found = set()
    for info in pkgutil.walk_packages(kasirbackup.gui.__path__, "kasirbackup.gui."):
        mod = importlib.import_module(info.name)
        for name, obj in inspect.getmembers(mod, inspect.isclass):
            if issubclass(obj, QDialog) and obj.__module__ == info.name and not name.startswith("_"):
                found.add(name)
    assert found == {cls for cls, _ in DIALOGS.values()}


def walk_dialog(qtbot, dlg, module: str, check) -> None:
    dlg.show()
    qtbot.wait(200)
    walker = DIALOGS[module][1]
    if walker is None:
        check("shown")
    else:
        walker(qtbot, dlg, check)


@pytest.mark.parametrize("module", list(DIALOGS))
def test_dialog_speaks_indonesian(qtbot, qapp, ctx, backed_up, indonesian, windows, module):
    from kasirbackup.gui.mainwindow import MainWindow

    win = MainWindow(ctx)
    windows.append(win)
    dlg = make_dialog(module, ctx, backed_up, win)
    left: list[str] = []

    def check(step: str) -> None:
        left.extend(f"[{step}] {x}" for x in english_left(visible_texts(dlg)))

    walk_dialog(qtbot, dlg, module, check)
    dlg.close()
    assert not left, f"English left in {DIALOGS[module][0]}:\n" + "\n".join(dict.fromkeys(left))


def test_qt_standard_texts_in_indonesian(qtbot, qapp, indonesian):
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWizardPage

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No
                           | QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"OK", "Batal", "Ya", "Tidak", "Tutup", "Simpan"}
    wiz = QWizard()
    qtbot.addWidget(wiz)
    wiz.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
    wiz.addPage(QWizardPage())
    wiz.addPage(QWizardPage())
    wiz.show()
    got = [wiz.button(b).text().replace("&", "") for b in (QWizard.WizardButton.BackButton,
           QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton)]
    assert got == ["< Kembali", "Berikutnya >", "Selesai", "Batal"]
    mb = QMessageBox(QMessageBox.Icon.Warning, "t", "x", QMessageBox.StandardButton.Ok)
    qtbot.addWidget(mb)
    mb.setDetailedText("details")
    mb.show()
    assert any(b.text() == "Tampilkan Detail..." for b in mb.findChildren(QPushButton))
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    assert {"Salin", "Tempel", "Potong", "Pilih Semua"} <= {t for _, t in menu_texts(menu)}


def test_qt_file_dialog_in_indonesian(qtbot, qapp, indonesian, tmp_path):
    """Qt's own file dialog (shown where the desktop has no native one) has no English left."""
    from PySide6.QtWidgets import QFileDialog

    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        dlg = QFileDialog(None, "", str(tmp_path))
        qtbot.addWidget(dlg)
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog)
        dlg.setAcceptMode(mode)
        dlg.show()
        qtbot.wait(100)
        texts = visible_texts(dlg)
        assert any(t == "Nama file:" for _, t in texts), texts
        left = english_left(texts)
        assert not left, left


def test_every_qt_text_looked_up_is_translated(qtbot, qapp, ctx, backed_up, indonesian, windows):
    """Every text Qt itself looked up while our windows and its standard dialogs were shown
    (contexts of qtbase) has an Indonesian translation in qtbase_id.ts."""
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

    class Recorder(QTranslator):
        def __init__(self):
            super().__init__()
            self.seen: set[tuple[str, str, str | None]] = set()

        def translate(self, context, source, disambiguation=None, n=-1):
            self.seen.add((context, source, disambiguation or None))
            return ""

        def isEmpty(self):
            return False

    rec = Recorder()
    qapp.installTranslator(rec)
    try:
        win = open_main_window(qtbot, ctx, windows)
        win.filter.createStandardContextMenu().deleteLater()
        win.details.createStandardContextMenu().deleteLater()
        for buttons in (QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                        QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No
                        | QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Save
                        | QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Discard):
            QDialogButtonBox(buttons).deleteLater()
        mb = QMessageBox(QMessageBox.Icon.Warning, "t", "x", QMessageBox.StandardButton.Ok, win)
        mb.setDetailedText("d")
        mb.show()
        fd = QFileDialog(win)
        fd.setOption(QFileDialog.Option.DontUseNativeDialog)
        fd.show()
        qtbot.wait(100)
        wiz = QWizard(win)
        wiz.show()
        qtbot.wait(50)
        for d in (mb, fd, wiz):
            d.close()
    finally:
        qapp.removeTranslator(rec)
    ours = {m.context for m in read_ts(TRANSLATIONS / "kasirbackup_id.ts")}
    have = {(m.context, m.source, m.comment or None) for m in read_ts(TRANSLATIONS / "qtbase_id.ts")}
    ignore = {"QShortcut", "QMimeType"}   # key names read the same; file type names come from the system
    missing = sorted(k for k in rec.seen if k[0] not in ours and k[0] not in ignore and k not in have
                     and not re.match(r"(Ctrl|Alt|Shift|Meta)\+", k[1]))
    assert not missing, f"Qt texts without Indonesian in qtbase_id.ts: {missing}"


# -- (f) pseudo-locale: strings 40% longer still fit ---------------------------------------------------

ACCENTS = str.maketrans("aeiouyAEIOUYcnsz", "áéíóúýÁÉÍÓÚÝçñšž")
TOKEN = re.compile(r"(\{[^{}]*\}|%n|%L?\d|&&|&|\n|<[^>]*>)")


def pseudo(text: str) -> str:
    """Accented and padded to 140% of the length, keeping placeholders, accelerators, line
    breaks and markup: "Backup now" -> "[Báçkúp ñów·Báçk]"."""
    parts = TOKEN.split(text)
    plain = "".join(p for p in parts if not TOKEN.fullmatch(p))
    pad_len = max(2, math.ceil(len(plain) * 0.4)) - 2
    filler = (plain.translate(ACCENTS).replace(" ", "") or "x") * (pad_len + 1)
    body = "".join(p if TOKEN.fullmatch(p) else p.translate(ACCENTS) for p in parts)
    return "[" + body + "·" + filler[:max(pad_len - 1, 0)] + "]"


def write_pseudo_qm(tmp_path: Path) -> Path:
    root = ET.Element("TS", version="2.1", language="id_ID", sourcelanguage="en_US")
    for name in ("kasirbackup_id.ts", "qtbase_id.ts"):
        for m in read_ts(TRANSLATIONS / name):
            c = ET.SubElement(root, "context")
            ET.SubElement(c, "name").text = m.context
            msg = ET.SubElement(c, "message", numerus="yes") if m.numerus else ET.SubElement(c, "message")
            ET.SubElement(msg, "source").text = m.source
            if m.comment:
                ET.SubElement(msg, "comment").text = m.comment
            tr = ET.SubElement(msg, "translation")
            if m.numerus:
                ET.SubElement(tr, "numerusform").text = pseudo(m.source)
            else:
                tr.text = pseudo(m.source)
    ts = tmp_path / "pseudo.ts"
    ET.ElementTree(root).write(ts, encoding="utf-8", xml_declaration=True)
    qm = tmp_path / "pseudo.qm"
    pipeline().lrelease(ts, qm)
    return qm


def test_pseudo_translation_is_40_percent_longer():
    for src in ("Backup now", "Restore {database}", "&Next >", "%n minute(s) ago", "OK"):
        p = pseudo(src)
        visible = [len("".join(x for x in TOKEN.split(t) if not TOKEN.fullmatch(x))) for t in (src, p)]
        assert visible[1] >= visible[0] * 1.4, (src, p)
        assert placeholders(p) == placeholders(src) and mnemonic(p) == mnemonic(src)


def clipped(root: QWidget) -> list[str]:
    return clipped_widgets(root)


@pytest.fixture
def pseudo_locale(qapp, ctx, windows, tmp_path):
    from kasirbackup.gui import i18n

    i18n.install("en", qapp)
    t = QTranslator()
    assert t.load(str(write_pseudo_qm(tmp_path)))
    qapp.installTranslator(t)
    yield t
    qapp.removeTranslator(t)
    i18n.install("en", qapp)


def test_main_window_fits_pseudo_locale(qtbot, qapp, ctx, backed_up, pseudo_locale, windows):
    win = open_main_window(qtbot, ctx, windows)
    assert QCoreApplication.translate("MainWindow", "Backup now").startswith("[")
    assert win.act_backup.text().startswith("[")
    problems = clipped(win)
    assert not problems, "clipped in the main window at its default size:\n" + "\n".join(problems)


@pytest.mark.parametrize("module", list(DIALOGS))
def test_dialog_fits_pseudo_locale(qtbot, qapp, ctx, backed_up, pseudo_locale, windows, module):
    from kasirbackup.gui.mainwindow import MainWindow

    win = MainWindow(ctx)
    windows.append(win)
    dlg = make_dialog(module, ctx, backed_up, win)
    problems: list[str] = []

    def check(step: str) -> None:
        problems.extend(f"[{step}] {x}" for x in clipped(dlg))

    walk_dialog(qtbot, dlg, module, check)
    dlg.close()
    assert not problems, f"clipped in {DIALOGS[module][0]} at its default size:\n" + \
        "\n".join(dict.fromkeys(problems))


def test_the_wizard_buttons_of_every_platform_style_are_translated():
    """Qt's wizard names its buttons by platform: "&Next" on Windows (Aero), "&Next >"
    elsewhere, "Continue" and "Done" on macOS. Looking at a Linux screen shows only some."""
    have = {m.source: m for m in read_ts(TRANSLATIONS / "qtbase_id.ts") if m.context == "QWizard"}
    for source in ("&Next", "&Next >", "< &Back", "Go Back", "Continue", "Commit", "&Finish", "Done", "Cancel",
                   "&Help", "Help"):
        assert source in have, f"QWizard {source!r} has no Indonesian in qtbase_id.ts"


def test_pseudo_locale_on_a_laptop_at_125_percent(tmp_path):
    """The same fit checks, 40 % longer strings, on a 1366×768 screen at 125 % scaling (Qt's
    offscreen screen; the scale factor must be set before Qt starts: a child pytest)."""
    import json
    import os
    import subprocess
    import sys

    laptop = tmp_path / "laptop.json"
    laptop.write_text(json.dumps({"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
                                  "screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={laptop}", QT_SCALE_FACTOR="1.25")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(Path(__file__)),
                           "-k", "fits_pseudo_locale"], env=env, capture_output=True, text=True, timeout=900,
                          cwd=str(ROOT))
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert " passed" in proc.stdout and "deselected" in proc.stdout
