"""What a rebuild reports: one line per pack and cause however many pages it hits, in words
that count right, and never more than MAX_REPORTED lines (a badly damaged repository must
not make a message of thousands of lines)."""

from __future__ import annotations

from kasirbackup.core.snapshot.verify import MAX_REPORTED, RebuildReport


def test_pages_of_one_pack_and_cause_make_one_line_that_counts_them():
    r = RebuildReport()
    r.page_problem("a" * 64, "decode", 7, "cannot be read")
    assert r.problems == [f"1 page in pack {'a' * 12} cannot be read (page 7)"]
    r.page_problem("a" * 64, "decode", 9, "cannot be read")
    r.page_problem("b" * 64, "hash", 3, "does not match its checksum")
    assert r.problems == [f"2 pages in pack {'a' * 12} cannot be read (first: page 7)",
                          f"1 page in pack {'b' * 12} does not match its checksum (page 3)"]
    assert not r.ok


def test_no_more_than_max_reported_lines_but_the_counts_go_on():
    r = RebuildReport()
    for i in range(MAX_REPORTED - 1):
        r.add(f"problem {i}")
    r.page_problem("c" * 64, "decode", 1, "cannot be read")            # the last line there is room for
    assert len(r.problems) == MAX_REPORTED
    r.add("one too many")
    r.page_problem("d" * 64, "decode", 5, "cannot be read")            # a new cause: no room
    assert len(r.problems) == MAX_REPORTED and "one too many" not in r.problems
    assert not any("d" * 12 in p for p in r.problems)
    r.page_problem("c" * 64, "decode", 2, "cannot be read")            # a known cause still counts
    assert r.problems[-1] == f"2 pages in pack {'c' * 12} cannot be read (first: page 1)"
    full = RebuildReport()
    for i in range(MAX_REPORTED):
        full.add(f"problem {i}")
    assert len(full.problems) == MAX_REPORTED
    full.add("past the limit")
    assert full.problems[-1] == f"problem {MAX_REPORTED - 1}"
