"""Unit tests of the pieces of the export formats: spreadsheet cells, sheet names, CSV
fields, SQL literals, JSON values, file names."""

from __future__ import annotations

import math
import sqlite3
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kasirbackup.core.exports.csv import table_files
from kasirbackup.core.exports.json import encode_value
from kasirbackup.core.exports.meta import ExportMeta, TableMeta, affinity, file_stem
from kasirbackup.core.exports.sql import sql_literal
from kasirbackup.core.exports.xlsx import MAX_SHEET_ROWS, sheet_plan
from kasirbackup.core.exports.xlsx_cells import (MAX_CELL_CHARS, ColumnPlan, as_date, choose_date_pattern, decode,
                                                encode)
from kasirbackup.core.imports.csv import cell, split
from kasirbackup.core.imports.files import decode_value

INT64 = st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1)
REALS = st.floats(allow_nan=False)
TEXTS = st.text(max_size=40)
BLOBS = st.binary(max_size=40)
VALUES = st.one_of(st.none(), INT64, REALS, TEXTS, BLOBS)


def _plan_for(values: list) -> ColumnPlan:
    kinds = {"integer" if isinstance(v, int) else "real" if isinstance(v, float) else
             "text" if isinstance(v, str) else "blob" for v in values if v is not None}
    has_null, has_empty = None in values, "" in values
    plan = ColumnPlan(kinds, "empty" if has_empty and not has_null else "null")
    plan.date = choose_date_pattern([v for v in values if isinstance(v, str) and v])
    return plan


def _same(a, b) -> bool:
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)))


def _excel_number(v):
    """What a number cell gives back after openpyxl wrote it ("%.16g") and read it."""
    text = "%.16g" % v
    return float(text) if any(c in text for c in ".eE") else int(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=12))
def test_cell_encoding_is_exact_or_overridden(values):
    """Every value comes back exactly: from its cell alone when ``exact``, else from the
    recorded override. (Simulates what the cell holds after openpyxl writes and reads it.)"""
    plan = _plan_for(values)
    for v in values:
        cell_value, exact = encode(v, plan)
        if not exact:
            continue
        if isinstance(cell_value, (int, float)) and not isinstance(cell_value, bool):
            cell_value = _excel_number(cell_value)
        elif cell_value == "":
            cell_value = None
        assert not isinstance(cell_value, str) or len(cell_value) <= MAX_CELL_CHARS   # as written, escapes too
        back = decode(cell_value, plan, escaped=True)
        assert _same(back, v), (v, cell_value, back, plan)


@pytest.mark.parametrize("text", ["081234567890", "0812", "3174012345678901", "00123", "1e5", "-0", " 12"])
def test_texts_that_look_like_numbers_stay_text_cells(text):
    plan = ColumnPlan({"text"})
    cell_value, exact = encode(text, plan)
    assert cell_value == text and exact
    assert decode(text, plan) == text


def test_long_integers_are_text_cells_and_come_back_as_integers():
    nik = 3174012345678901
    plan = ColumnPlan({"integer"})
    cell_value, exact = encode(nik, plan)
    assert cell_value == "3174012345678901" and exact
    assert decode(cell_value, plan) == nik
    assert encode(14500, plan) == (14500, True)       # money stays a number


def test_mixed_column_digit_text_gets_an_override():
    plan = ColumnPlan({"integer", "text"})
    assert encode("1234567890123456", plan)[1] is False
    assert encode(1234567890123456, plan) == ("1234567890123456", True)


@pytest.mark.parametrize("text,pattern", [("2025-02-08 10:30:00", "%Y-%m-%d %H:%M:%S"),
                                          ("2025-02-08", "%Y-%m-%d"),
                                          ("2025-02-08T23:59:59", "%Y-%m-%dT%H:%M:%S")])
def test_iso_texts_become_dates_and_come_back_exactly(text, pattern):
    plan = ColumnPlan({"text"}, date=choose_date_pattern([text, text]))
    assert plan.date == pattern
    cell_value, exact = encode(text, plan)
    assert isinstance(cell_value, datetime) and exact
    # Excel keeps days as a binary fraction: a value read back may be a few µs off
    from datetime import timedelta
    assert decode(cell_value - timedelta(microseconds=3), plan) == text
    assert decode(cell_value + timedelta(microseconds=3), plan) == text


@pytest.mark.parametrize("text", ["2025-02-30 10:00:00", "1899-12-31 10:00:00", "2025-2-8 10:00:00",
                                  "2025-02-08 10:00:00+07:00"])
def test_texts_that_are_not_exact_dates_stay_text(text):
    plan = ColumnPlan({"text"}, date="%Y-%m-%d %H:%M:%S")
    assert as_date(text, "%Y-%m-%d %H:%M:%S") is None
    assert encode(text, plan) == (text, True)


def test_cells_excel_cannot_hold_are_overridden():
    plan = ColumnPlan({"text", "real"})
    long = "x" * (MAX_CELL_CHARS + 10)
    cell_value, exact = encode(long, plan)
    assert len(cell_value) == MAX_CELL_CHARS and not exact
    cell_value, exact = encode("a\x00b\x07c", plan)
    assert cell_value == "abc" and not exact
    assert encode(float("inf"), plan)[1] is False
    assert encode(0.1 + 0.2, plan)[1] is False          # needs 17 digits, openpyxl writes 16
    assert encode("line\r\nend", plan) == ("line_x000D_\nend", True)   # OOXML's escape: the cell holds the CR
    assert encode("a_x0041_b", plan) == ("a_x005F_x0041_b", True)      # a text that looks escaped stays that text
    assert encode(b"\x00" * 40_000, ColumnPlan({"blob"}))[1] is False


def test_empty_text_and_null_share_a_blank_cell_and_the_minority_is_overridden():
    both = ColumnPlan({"text"}, blank="null")
    assert encode(None, both) == (None, True)
    assert encode("", both) == (None, False)
    only_empty = ColumnPlan({"text"}, blank="empty")
    assert encode("", only_empty) == (None, True)
    assert decode(None, only_empty) == ""


def _meta_with(names_rows: list[tuple[str, int]]) -> ExportMeta:
    return ExportMeta("", "", "", None, None, 0, 0, "UTF-8", "", {}, {}, {}, [],
                      [TableMeta(n, ["a"], [""], [], rows) for n, rows in names_rows])


def test_sheet_names_are_valid_unique_and_split_at_the_row_limit():
    meta = _meta_with([("a/b:c?d*e[f]g\\h", 1), ("Summary", 1), ("x" * 40, 1), ("X" * 40, 1),
                       ("penjualan", 2 * MAX_SHEET_ROWS), ("'quoted'", 0), ("History", 1)])
    sheets = sheet_plan(meta)
    names = [n for ns in sheets.values() for n in ns]
    assert len({n.lower() for n in names}) == len(names)
    assert "summary" not in {n.lower() for n in names} and "history" not in {n.lower() for n in names}
    for n in names:
        assert 0 < len(n) <= 31 and not any(c in n for c in "\\/?*[]:") and not n.startswith("'")
    assert sheets["penjualan"] == ["penjualan", "penjualan (2)", "penjualan (3)"]
    assert sheets["a/b:c?d*e[f]g\\h"] == ["a_b_c_d_e_f_g_h"]


def test_csv_field_splitting_tells_null_from_empty_text_and_types():
    fields = split('1,"",,"a,b","say ""hi""",1.0,0x00FF,0812,-3,inf,teks')
    assert [cell(q, t) for q, t in fields] == [1, "", None, "a,b", 'say "hi"', 1.0, b"\x00\xff", "0812", -3,
                                                float("inf"), "teks"]
    assert [cell(q, t) for q, t in split('"x",')] == ["x", None]
    with pytest.raises(ValueError):
        split('"a"b,c')


def test_sql_literals_load_back_exactly():
    conn = sqlite3.connect(":memory:")
    values = [None, 0, -(2 ** 63), 2 ** 63 - 1, 1.0, 0.1 + 0.2, 5e-324, -1.5e300, float("inf"), float("-inf"),
              "it's", "", "a\x00b", "x\r\ny", b"", b"\x00\xffKASR", "😀 ü"]
    for v in values:
        got = conn.execute(f"SELECT {sql_literal(v)}").fetchone()[0]
        assert _same(got, v), (v, sql_literal(v), got)


@settings(max_examples=300, deadline=None)
@given(st.one_of(INT64, st.floats(allow_nan=False), TEXTS, BLOBS))
def test_sql_literal_property(v):
    conn = sqlite3.connect(":memory:")
    assert _same(conn.execute(f"SELECT {sql_literal(v)}").fetchone()[0], v)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_json_values_round_trip(v):
    import json
    back = decode_value(json.loads(json.dumps(encode_value(v), allow_nan=False)))
    assert _same(back, v)


def test_file_names_are_safe_and_unique():
    taken: set[str] = set()
    names = [file_stem(n, taken) for n in ["a/b", "A/B", "CON", "nul.txt", "x:y", " dot. ", ""]]
    assert len({n.lower() for n in names}) == len(names)
    for n in names:
        assert not any(c in n for c in '<>:"/\\|?*') and n.split(".")[0].upper() not in ("CON", "NUL")
    meta = _meta_with([("export-info", 1), ("produk", 1)])
    assert table_files(meta)["export-info"] != "export-info.csv"


@pytest.mark.parametrize("declared,strict,expected", [
    ("INTEGER", False, "INTEGER"), ("BIGINT", False, "INTEGER"), ("VARCHAR(20)", False, "TEXT"),
    ("", False, "BLOB"), ("BLOB", False, "BLOB"), ("DOUBLE", False, "REAL"), ("DECIMAL(10,2)", False, "NUMERIC"),
    ("DATETIME", False, "NUMERIC"), ("ANY", True, "BLOB"), ("ANY", False, "NUMERIC"), ("INT", True, "INTEGER")])
def test_affinity_rules(declared, strict, expected):
    assert affinity(declared, strict) == expected
