"""A recovery sheet in the window's language still reads back: only the key block between
its BEGIN and END lines is read, whatever the words around it."""

from __future__ import annotations

import json

from kasirbackup.core.repo.crypto import SHEET_TEXTS, config_from_sheet, recovery_sheet
from kasirbackup.core.repo.repository import Repository


def test_a_sheet_in_other_words_gives_back_the_same_configuration(tmp_path):
    repo = Repository.init(str(tmp_path / "repo"), encrypt_with="kunci toko yang panjang sekali")
    config = json.loads(repo.config.dumps())
    words = {k: "Kata-kata lain: " + v for k, v in SHEET_TEXTS.items()}
    sheet = recovery_sheet(config, repo.location, words)
    assert sheet.startswith("Kata-kata lain: KasirBackup")
    assert f"Kata-kata lain: Repository id: {config['id']}" in sheet
    assert config_from_sheet(sheet) == config
    assert config_from_sheet(recovery_sheet(config, repo.location)) == config
    english = recovery_sheet(config, repo.location)
    assert english.splitlines()[0] == "KasirBackup — recovery sheet" and "Kata-kata" not in english
