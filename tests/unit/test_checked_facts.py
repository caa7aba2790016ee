"""What a drill checked is written as one line and read back by the window (to say it in its
own language): every form the drill writes reads back to the same figures, and nothing else
does."""

from __future__ import annotations

import pytest

from kasirbackup.core.attachments.rebuild import FilesReport
from kasirbackup.core.snapshot.verify import CheckedFacts, _checked_detail, checked_facts


def test_a_drill_detail_without_attachments_reads_back():
    text = _checked_detail(1234, "matches", "quick_check", 9)
    assert text == "1234 pages match their checksums, SHA-256 matches, quick_check ok, 9 table counts checked"
    assert checked_facts(text) == CheckedFacts(1234, True, "quick_check", 9, None, None)


def test_a_recorded_hash_and_integrity_check_with_attachments_read_back():
    text = _checked_detail(7, "recorded", "integrity_check", 2, FilesReport(files=5000, rebuilt=12))
    assert text == ("7 pages match their checksums, SHA-256 recorded, integrity_check ok, 2 table counts checked, "
                    "5000 attachment files match (12 rebuilt, the others in the last checked backup)")
    assert checked_facts(text) == CheckedFacts(7, False, "integrity_check", 2, 5000, 12)


@pytest.mark.parametrize("text", [
    None, "", "readback: 3 pages read back",
    "12 pages match their checksums, SHA-256 matches, quick_check ok, 9 table counts checked, and more",
    "x12 pages match their checksums, SHA-256 matches, quick_check ok, 9 table counts checked",
    "12 pages match their checksums, SHA-256 differs, quick_check ok, 9 table counts checked",
    "12 pages match their checksums, SHA-256 matches, full_check ok, 9 table counts checked",
])
def test_anything_else_is_not_read_as_a_drill(text):
    assert checked_facts(text) is None
