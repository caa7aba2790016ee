"""Printed text is inert: a label, a database file name or an id from a repository someone
else prepared is data, never a terminal command. ``ESC[1A ESC[2K`` in a label could erase
the DAMAGED line printed just before it; a right-to-left override could reverse what the
owner reads. The real command line escapes them visibly; ``--json`` stays valid JSON that
gives back the exact text."""

from __future__ import annotations

import json
import sqlite3

from kbhelpers import make_kb

HOSTILE = "\x1b[1A\x1b[2KTRUSTED\r\x07\x9b31m\u202eTXT.exe"
RAW = ("\x1b", "\r", "\x07", "\x9b", "\u202e")


def _db(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, total INTEGER)")
    conn.executemany("INSERT INTO sale (total) VALUES (?)", [(i,) for i in range(100)])
    conn.commit()
    conn.close()
    return path


def test_labels_names_and_ids_are_printed_as_visible_escapes(tmp_path):
    kb = make_kb(tmp_path)
    db = _db(tmp_path / "kas\x1b[2Kir.db")            # a file name can hold ESC on Linux
    repo = tmp_path / "repo"
    kb.run("backup", "--db", db, "--repo", repo, "--label", HOSTILE, check=True)

    for args in (("list", "--repo", repo), ("verify", "--repo", repo)):
        r = kb.run(*args, check=True)
        for ch in RAW:
            assert ch not in r.stdout and ch not in r.stderr, (args[0], repr(ch), r.stdout)
        assert "\\x1b[1A\\x1b[2KTRUSTED\\x0d\\x07\\x9b31m\\u202eTXT.exe" in r.stdout or args[0] == "verify"
        assert "kas\\x1b[2Kir.db" in r.stdout

    r = kb.run("restore", "--repo", repo, "--snapshot", "\x1b[2Knope", "--to", tmp_path / "out.db")
    assert r.returncode != 0
    assert "\x1b" not in r.stderr and "\\x1b[2Knope" in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_json_output_is_valid_and_exact_but_holds_no_raw_control_character(tmp_path):
    kb = make_kb(tmp_path)
    db = _db(tmp_path / "kasir.db")
    repo = tmp_path / "repo"
    kb.run("backup", "--db", db, "--repo", repo, "--label", HOSTILE, check=True)
    r = kb.run("list", "--repo", repo, "--json", check=True)
    for ch in RAW:
        assert ch not in r.stdout, repr(ch)
    assert json.loads(r.stdout)[0]["label"] == HOSTILE
