"""Indonesian everywhere a user looks: every screen of the app, walked as the screenshot
script walks it (scripts/screenshots.py: first start, main window and its menus, restore
wizard, schedule, settings tabs, history, export, import), must show no English word.

"English word" is decided from our own catalogue (translations/kasirbackup_id.ts): a word
that occurs in the English sources and in none of the Indonesian translations — so names
kept in both languages (KasirBackup, Excel, CSV, SQLite) pass, and engine text assembled
in English ("14 pages match their checksums", "3696 bytes added") fails. Qt's own button
words are added, since Qt's wizard and message boxes translate them separately. Paths,
file names and the sample shop's own data are not words of the app and are left out.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "translations" / "kasirbackup_id.ts"

#: Qt's own texts on our screens (wizard and dialog buttons), translated by qtbase_id
QT_WORDS = {"next", "back", "cancel", "finish", "commit", "help", "close", "apply", "save", "discard",
            "yes", "no", "abort", "retry", "ignore", "reset", "defaults", "open"}
#: names on the screens: the language menu, the program holding the database open, the
#: home folder's own name (a path the owner knows by that name)
NAMES = {"english", "indonesia", "python", "documents", "amazon", "cloudflare", "backblaze", "wasabi"}
#: a command to type and the key block's marker lines (a recovery sheet) are not prose
_COMMAND = re.compile(r"^\s*(?:kasirbackup\s.*|-{3,}.*-{3,})$", re.M)
#: text that is no language at all: a recovery sheet's key block (base64), ids and
#: fingerprints (hex), any long unbroken token — random letters in them spell "add" or "done"
_OPAQUE = re.compile(r"-{3,}BEGIN.*?-{3,}END[^\n]*|\b[0-9a-fA-F]{8,}\b|\S{32,}", re.S)
_PLACEHOLDER = re.compile(r"\{[^}]*\}|%[0-9n]+|%L[0-9]|<[^>]+>|&(?:nbsp|amp|lt|gt);")
_PATH = re.compile(r"(?:[A-Za-z]:)?[\\/]?[\w.~-]+(?:[\\/][\w .~-]+)+|\S+\.(?:db|sqlite3?|csv|json|xlsx|sql|txt)\b")
_NAME = re.compile(r"\w+://\S*|\w+(?:[-_]\w+)+")      # URLs, names such as toko-contoh or USB-BACKUP
_WORD = re.compile(r"[A-Za-z]{3,}")


def words(text: str) -> set[str]:
    text = _NAME.sub(" ", _PLACEHOLDER.sub(" ", text.replace("&", "")))
    return {w.lower() for w in _WORD.findall(text)}


def literal_words(path: Path, spaced_only: bool = True) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (" " in node.value or not spaced_only):
            found |= words(node.value)
    return found


def engine_words() -> set[str]:
    """Words of the English the code itself writes (messages assembled in the engine never
    reach the catalogue, yet may reach a screen)."""
    return {w for path in (ROOT / "kasirbackup").rglob("*.py") for w in literal_words(path)}


def shop_data_words() -> set[str]:
    """The shop's own data on the screens (table, column and product names and every other
    text of the sample database, and the sale the walk adds): the owner's words, not the app's."""
    import sqlite3
    import tempfile

    from kasirbackup.app.sample import create_sample_db

    found = {"trx", "baru"}                       # the walk's new sale: TRX-BARU-0001
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(create_sample_db(Path(tmp) / "toko.db"))
        try:
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                found |= words(name.replace("_", " "))
                cur = conn.execute(f'SELECT * FROM "{name}"')
                found |= {w for d in cur.description for w in words(d[0].replace("_", " "))}
                for row in cur:
                    for v in row:
                        if isinstance(v, str):
                            found |= words(v)
        finally:
            conn.close()
    return found


def catalogue_words() -> tuple[set[str], set[str]]:
    english, indonesian = set(), set()
    for msg in ET.parse(TS).getroot().iter("message"):
        english |= words(msg.findtext("source") or "")
        tr = msg.find("translation")
        if tr is not None:
            indonesian |= words("".join(tr.itertext()))
    return english, indonesian


def english_only() -> set[str]:
    from PySide6.QtCore import QLocale

    english, indonesian = catalogue_words()
    loc = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
    calendar = {w for i in range(1, 13) for f in QLocale.FormatType for w in words(loc.monthName(i, f))}
    calendar |= {w for i in range(1, 8) for f in QLocale.FormatType for w in words(loc.dayName(i, f))}
    return (english | engine_words() | QT_WORDS) - indonesian - calendar - NAMES - shop_data_words()


def english_words_in(text: str, vocabulary: set[str]) -> list[str]:
    return sorted(words(_PATH.sub(" ", _COMMAND.sub(" ", _OPAQUE.sub(" ", text)))) & vocabulary)


def test_the_vocabulary_knows_english_and_lets_names_through():
    vocab = english_only()
    assert {"backup", "restore", "pages", "added", "tables", "next"} <= vocab
    assert english_words_in("14 pages match their checksums, 3696 bytes added", vocab)
    assert english_words_in("&Next >", vocab) == ["next"]
    assert not english_words_in("Cadangan KasirBackup ke /media/USB-BACKUP/kasir-backup tersimpan", vocab)
    assert not english_words_in("Ekspor ke Excel (XLSX), CSV atau JSON", vocab)
    sheet = "Jalankan:\n    kasirbackup recovery-sheet --restore X\n-----BEGIN KASIRBACKUP REPOSITORY KEY-----\n"
    assert not english_words_in(sheet, vocab)                       # a command and a marker line
    assert english_words_in(sheet + "then restore the backup", vocab) == ["backup", "restore", "the", "then"]
    opaque = "-----BEGIN KASIRBACKUP REPOSITORY KEY-----\nx9done7add1\n-----END KASIRBACKUP REPOSITORY KEY-----"
    hexid = "1c0add0ade96dc69e0f0285c991c4fae"
    assert english_words_in("x9done7add1" * 6 + " " + hexid, {"done", "add"}) == []  # a key line, an id
    assert english_words_in("x9done7add1", {"done", "add"}) == ["add", "done"]     # short: read as words
    assert not english_words_in(f"{opaque}\nCadangan {hexid}", vocab)           # a key block, an id


#: a shop's laptop: 1366×768 at 125 % scaling, 1093×614 points (Qt's offscreen screen)
LAPTOP = {"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
          "screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96,
                       "logicalBaseDpi": 96, "dpr": 1}]}


@pytest.fixture(scope="module")
def walk(tmp_path_factory) -> Path:
    """Every screen walked in English and Indonesian on the laptop screen at 125 %."""
    out = tmp_path_factory.mktemp("screens")
    (out / "laptop.json").write_text(json.dumps(LAPTOP))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={out / 'laptop.json'}", QT_SCALE_FACTOR="1.25")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--lang", "en,id",
                           "--out", str(out), "--texts", str(out / "texts.json")],
                          env=env, capture_output=True, text=True, timeout=1200, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def screens(walk) -> dict[str, list[str]]:
    texts = json.loads((walk / "texts.json").read_text(encoding="utf-8"))
    return {k: v for k, v in texts.items() if k.startswith("id/")}


@pytest.fixture(scope="module")
def places(walk) -> dict[str, dict]:
    return json.loads((walk / "texts.places.json").read_text(encoding="utf-8"))


def test_every_window_fits_the_laptop_screen_and_nothing_is_cut_off(places):
    assert {k.split("/")[0] for k in places} == {"en", "id"}
    problems = []
    for screen, p in sorted(places.items()):
        x, y, w, h = p["window"]
        sx, sy, sw, sh = p["screen"]
        assert (sw, sh) == (1093, 614), p                     # 1366×768 at 125 %
        if x < sx or y < sy or x + w > sx + sw or y + h > sy + sh:
            problems.append(f"{screen}: the window {w}×{h} at {x},{y} is not inside the screen {sw}×{sh}")
        problems += [f"{screen}: {c}" for c in p["clipped"]]
    assert not problems, "\n".join(problems)


def test_every_screen_was_walked(screens):
    names = {k.split("/", 1)[1] for k in screens}
    for expected in ("01-setup-database", "04-setup-protected", "04b-setup-keep-question", "05-main-window",
                     "05b-main-window-technical-details", "05c-tray-menu", "05d-main-window-copy-failing",
                     "07-restore-preview", "10-restore-result",
                     "11-schedule", "12-settings-1", "12b-online-storage", "12c-new-passphrase", "12d-recovery-sheet",
                     "13-history", "14-export", "15-import", "16-quit-question"):
        assert expected in names, sorted(names)
    assert all(texts for texts in screens.values()), [k for k, v in screens.items() if not v]


def test_no_english_word_on_any_indonesian_screen(screens):
    vocab = english_only()
    found = []
    for screen, texts in sorted(screens.items()):
        for text in texts:
            bad = english_words_in(text, vocab)
            if bad:
                found.append(f"{screen}: {', '.join(bad)} in {text[:160]!r}")
    assert not found, "English on the Indonesian screens:\n" + "\n".join(found)
