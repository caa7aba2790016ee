"""Engine text stored in English (a run's message in the history) said in the window's
language: error templates matched back, a backup's summary said again from its parts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from kasirbackup.gui import i18n
from kasirbackup.gui.engine_text import error_message_text, run_message_text


@pytest.fixture
def indonesian(qapp):
    i18n.install("id", qapp)
    yield
    i18n.install("en", qapp)


def some_errors():
    """A few real engine errors with their values, as the engine writes them."""
    from kasirbackup.core import errors
    made = []
    for cls in (errors.SourceMissing, errors.DiskFull, errors.RepoNotFound):
        names = __import__("re").findall(r"\{(\w+)\}", cls.template + (cls.hint or ""))
        made.append(cls(**{n: f"/media/USB-BACKUP/{n}" for n in names}))
    return made


def test_a_stored_error_message_comes_back_in_indonesian(indonesian):
    for exc in some_errors():
        stored = exc.message()                       # English, as the command line stored it
        shown = error_message_text(stored)
        assert shown == exc.message(lambda s: QCoreApplication.translate("errors", s)), stored
        assert shown != stored, f"{type(exc).__name__} has no Indonesian"


def test_a_backup_summary_is_said_again_from_its_parts(indonesian):
    shown = run_message_text("backup 7cb2a6da verified, 262843 bytes added, 3 old backups removed")
    assert "7cb2a6da" in shown and "262,8 kB" in shown and "3" in shown
    assert "verified" not in shown and "bytes" not in shown
    two = run_message_text("backup 7cb2a6da verified, 262843 bytes added; backup 11aa22bb verified, 10 bytes added")
    assert two.count(";") == 1 and "11aa22bb" in two


def test_text_that_matches_nothing_is_shown_as_stored(indonesian):
    assert run_message_text("ValueError: something odd") == "ValueError: something odd"
    assert error_message_text("") == ""


def test_every_error_class_can_be_matched_back(monkeypatch):
    """Each error's English message reads back to its template with the same values, so
    no stored message of a known error stays English. (Values with spaces and colons, as
    real paths and reasons have.)"""
    import re

    from kasirbackup.gui import engine_text
    from kasirbackup.gui.engine_text import _classes

    monkeypatch.setattr(engine_text, "translate", lambda ctx, text: "T:" + text)
    missed = []
    for cls in set(_classes()):
        if not getattr(cls, "template", ""):
            continue
        names = set(re.findall(r"\{(\w+)\}", cls.template + (cls.hint or "")))
        try:
            exc = cls(**{n: f"C:/Toko Saya/{n} value" for n in names})
            stored = exc.message()
        except Exception:          # an error class that builds its values itself
            continue
        if not error_message_text(stored).startswith("T:"):
            missed.append(cls.__name__)
    assert not missed, missed


def test_attachment_files_not_backed_up_are_said_in_the_summary(indonesian):
    from kasirbackup.app import runner

    stored = runner.MSG_VERIFIED.format(id="7cb2a6da", bytes=1000) + runner.MSG_PRUNED.format(pruned=2) + \
        runner.MSG_NOT_ATTACHED.format(unattached=3)
    shown = run_message_text(stored)
    assert "tidak dicadangkan" in shown and "3" in shown and "dihapus" in shown, shown
    read_back = runner.MSG_READ_BACK_SNAPSHOT.format(id="7cb2a6da", bytes=10) + \
        runner.MSG_NOT_ATTACHED.format(unattached=1)
    assert "tidak dicadangkan" in run_message_text(read_back)
