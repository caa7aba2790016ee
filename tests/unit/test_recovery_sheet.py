"""The recovery sheet, read and typed back in process: what is on it, what is not, and every
way a sheet typed back by hand is refused (the command-line tests check the same through
`kasirbackup recovery-sheet`; these make the checks visible to the mutation run)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from kasirbackup.core.repo.crypto import SHEET_BEGIN, SHEET_END, config_from_sheet, recovery_sheet
from kasirbackup.core.repo.repository import Repository

PASSPHRASE = "kunci toko yang panjang sekali"


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    repo = Repository.init(str(tmp_path_factory.mktemp("sheet") / "repo"), encrypt_with=PASSPHRASE)
    return json.loads(repo.config.dumps())


def _block(sheet: str) -> list[str]:
    return sheet.split(SHEET_BEGIN, 1)[1].split(SHEET_END, 1)[0].split()


def _with_block(sheet: str, lines: list[str]) -> str:
    head, rest = sheet.split(SHEET_BEGIN, 1)
    tail = rest.split(SHEET_END, 1)[1]
    return head + SHEET_BEGIN + "\n" + "\n".join(lines) + "\n" + SHEET_END + tail


def test_the_sheet_names_the_repository_and_holds_its_configuration_but_not_the_passphrase(config):
    sheet = recovery_sheet(config, "/media/usb/backup-toko")
    lines = sheet.splitlines()
    assert lines[0] == "KasirBackup — recovery sheet"
    assert f"Repository id: {config['id']}" in lines
    assert "Location when printed: /media/usb/backup-toko" in lines
    assert f"Created: {config['created_at']}" in lines
    assert "    kasirbackup recovery-sheet --repo BACKUP_FOLDER --restore THIS_SHEET.txt" in lines
    assert PASSPHRASE not in sheet
    block = _block(sheet)
    assert all(len(ln) <= 64 for ln in block)
    assert all(len(ln) == 64 for ln in block[:-2])       # full lines, then the rest, then =check
    raw = base64.b64decode("".join(block[:-1]))
    assert raw == json.dumps(config, sort_keys=True).encode()          # FORMAT.md, Encryption
    assert lines[1] == lines[5] == lines[9] == lines[12] == "" and lines[6].startswith("To restore you need")
    assert lines[13] == SHEET_BEGIN and lines[-1] == SHEET_END
    assert block[-1] == "=" + hashlib.sha256(raw).hexdigest()[:16]
    assert sheet.endswith(SHEET_END + "\n")


def test_a_sheet_typed_back_with_other_line_breaks_and_an_upper_case_checksum_reads_back(config):
    sheet = recovery_sheet(config, "E:/backup")
    block = _block(sheet)
    data = "".join(block[:-1])
    retyped = [data[i:i + 40] + "  " for i in range(0, len(data), 40)] + [block[-1].upper()]
    assert config_from_sheet("notes above\n" + _with_block(sheet, retyped) + "\nnotes below") == config


@pytest.mark.parametrize("damage, words", [
    (lambda s, b: s.replace(SHEET_BEGIN, ""), "no key block found"),
    (lambda s, b: s.replace(SHEET_END, ""), "no key block found"),
    (lambda s, b: _with_block(s, b[:-1]), "the checksum line (starting with =) is missing"),
    (lambda s, b: _with_block(s, b + ["=0123456789abcdef"]), "the checksum line (starting with =) is missing"),
    (lambda s, b: _with_block(s, [b[0][:10] + "#" + b[0][10:], *b[1:]]),
     "the key block has characters that do not belong in it"),
    (lambda s, b: _with_block(s, [b[0][:10] + "é" + b[0][10:], *b[1:]]),
     "the key block has characters that do not belong in it"),
    (lambda s, b: _with_block(s, [_typo(b[0]), *b[1:]]),
     "the key block does not match its checksum (a typing mistake?)"),
    (lambda s, b: _with_block(s, [*b[:-1], "=" + "0" * 16]),
     "the key block does not match its checksum (a typing mistake?)"),
])
def test_a_damaged_sheet_is_refused_with_what_is_wrong(config, damage, words):
    sheet = recovery_sheet(config, "E:/backup")
    with pytest.raises(ValueError) as err:
        config_from_sheet(damage(sheet, _block(sheet)))
    assert str(err.value) == words


def _typo(line: str) -> str:
    c = line[5]
    return line[:5] + ("B" if c != "B" else "C") + line[6:]


@pytest.mark.parametrize("payload", [[1, 2], {"id": "x"}, {"encryption": "aes"}])
def test_a_block_that_is_not_an_encrypted_repository_configuration_is_refused(payload):
    raw = json.dumps(payload).encode()
    block = base64.b64encode(raw).decode()
    sheet = f"{SHEET_BEGIN}\n{block}\n={hashlib.sha256(raw).hexdigest()[:16]}\n{SHEET_END}\n"
    with pytest.raises(ValueError, match="^the key block is not a repository configuration$"):
        config_from_sheet(sheet)
    ok = dict(payload, encryption={}) if isinstance(payload, dict) else None
    if ok is not None:
        raw = json.dumps(ok).encode()
        good = (f"{SHEET_BEGIN}\n{base64.b64encode(raw).decode()}\n"
                f"={hashlib.sha256(raw).hexdigest()[:16]}\n{SHEET_END}\n")
        assert config_from_sheet(good) == ok


def test_a_text_holding_two_sheets_reads_the_first(config, tmp_path):
    other = Repository.init(str(tmp_path / "other"), encrypt_with=PASSPHRASE)
    second = recovery_sheet(json.loads(other.config.dumps()), "F:/lain")
    assert config_from_sheet(recovery_sheet(config, "E:/backup") + "\n" + second) == config
