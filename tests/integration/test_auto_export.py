"""Scheduled exports (kasirbackup.app.auto_export): after a scheduled backup the profile's
chosen exports of the new snapshot appear in ``<repository>/exports``, they go when their
backup is pruned, and an export that fails never turns a good backup into a failed run."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from kasirbackup.app.auto_export import NAME
from kasirbackup.app.history import History, Result, Trigger
from kasirbackup.app.runner import run_profile
from kasirbackup.app.settings import Profile, Retention
from kasirbackup.core.repo.repository import Repository
from tests.support.checks import assert_ok, parse_json_stdout
from tests.support.dbgen import simulate_day_of_sales


@pytest.fixture
def history(tmp_path):
    h = History(tmp_path / "data" / "history.db")
    yield h
    h.close()


def _profile(pos_db, repo, exports, keep_last=10) -> Profile:
    return Profile("toko", str(pos_db), [str(repo)], exports=exports,
                   retention=Retention(keep_last=keep_last, keep_daily=0, keep_weekly=0, keep_monthly=0))


def _exports(repo) -> dict[str, str]:
    """export file name -> the snapshot short id in its name ("" for other files)"""
    folder = repo / "exports"
    if not folder.is_dir():
        return {}
    return {p.name: m.group(3) if (m := NAME.match(p.name)) else "" for p in folder.iterdir()}


def _xlsx_counts(path) -> dict[str, int]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: sum(1 for _ in ws.iter_rows(min_row=2)) for ws in wb.worksheets
                if ws.title in ("produk", "pelanggan", "transaksi", "transaksi_detail")}
    finally:
        wb.close()


def _csv_zip_counts(path) -> dict[str, int]:
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".csv"):
                text = z.read(name).decode("utf-8-sig")
                out[name.rsplit("/", 1)[-1][:-4]] = len(list(csv.reader(io.StringIO(text, newline="")))) - 1
    return out


def test_scheduled_run_writes_exports_of_the_new_snapshot(pos_db, tmp_path, history):
    repo = tmp_path / "backups" / "kasir"
    res = run_profile(_profile(pos_db, repo, ["xlsx", "csv", "json"]), Trigger.SCHEDULED, history)
    assert res.result == Result.SUCCESS, res.message
    snap = Repository.open(repo).snapshots()[0]
    names = _exports(repo)
    assert set(names.values()) == {snap.short_id}
    by_ext = {n.split(".", 1)[1]: repo / "exports" / n for n in names}
    assert set(by_ext) == {"xlsx", "csv.zip", "json"}
    stamp = snap.created_at.strftime("%Y%m%d-%H%M%S")
    assert all(n.startswith(f"{stamp}-kasir-{snap.short_id}.") for n in names)
    # each export holds exactly what its backup holds
    expected = {t: n for t, n in snap.tables.items() if not t.startswith("sqlite_")}
    assert _xlsx_counts(by_ext["xlsx"]) == expected
    assert _csv_zip_counts(by_ext["csv.zip"]) == expected
    doc = json.loads(by_ext["json"].read_text(encoding="utf-8"))
    assert doc["metadata"]["source"]["snapshot_id"] == snap.id
    assert {t["name"]: len(t["rows"]) for t in doc["tables"]} == expected
    assert "exported" in res.message and "xlsx" in res.message
    assert history.last_attempt("toko").message == res.message
    # a manual "Backup now" makes no exports
    res = run_profile(_profile(pos_db, repo, ["xlsx"]), Trigger.MANUAL, history)
    assert res.result == Result.SUCCESS and len(_exports(repo)) == 3


def test_exports_follow_the_retention_of_their_backups(pos_db, tmp_path, history):
    repo = tmp_path / "backups" / "kasir"
    profile = _profile(pos_db, repo, ["sql", "xlsx"], keep_last=2)
    mine = repo / "exports" / "notes from the accountant.txt"      # not ours: never touched
    for i in range(4):
        simulate_day_of_sales(str(pos_db), 10, seed=i + 1)
        res = run_profile(profile, Trigger.CATCH_UP if i == 1 else Trigger.SCHEDULED, history)
        assert res.result == Result.SUCCESS, res.message
        if i == 0:
            assert len(_exports(repo)) == 2
            mine.write_text("keep me")
    snaps = Repository.open(repo).snapshots()
    assert len(snaps) == 2
    names = _exports(repo)
    names.pop(mine.name)
    assert sorted(names.values()) == sorted(s.short_id for s in snaps for _ in range(2))
    assert "old exports removed" in res.message
    assert mine.read_text() == "keep me"
    # the newest export is of the newest snapshot and has its rows
    newest = next(repo / "exports" / n for n, sid in names.items() if sid == snaps[0].short_id and n.endswith(".xlsx"))
    assert _xlsx_counts(newest)["transaksi"] == snaps[0].tables["transaksi"]


def test_an_export_failure_keeps_the_backup_a_success(pos_db, tmp_path, history):
    repo = tmp_path / "backups" / "kasir"
    assert run_profile(_profile(pos_db, repo, ["xlsx"]), Trigger.MANUAL, history).result == Result.SUCCESS
    (repo / "exports").write_text("a file where the exports folder should be")
    res = run_profile(_profile(pos_db, repo, ["xlsx", "json"]), Trigger.SCHEDULED, history)
    assert res.result == Result.SUCCESS
    assert "verified" in res.message and "export xlsx failed" in res.message and "export json failed" in res.message
    run = history.last_attempt("toko")
    assert run.result == Result.SUCCESS and "export xlsx failed" in run.message
    snaps = Repository.open(repo).snapshots()
    assert len(snaps) == 2 and all(s.verified for s in snaps)


def test_profile_add_with_export_through_the_command_line(kb, pos_db, tmp_path):
    kb.env["KASIRBACKUP_CONFIG_DIR"] = str(tmp_path / "_config")
    kb.env["KASIRBACKUP_DATA_DIR"] = str(tmp_path / "_data")
    repo = tmp_path / "r"
    added = parse_json_stdout(assert_ok(kb.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", repo,
                                               "--export", "CSV, xlsx", "--json")))
    assert added["exports"] == ["csv", "xlsx"]
    proc = kb.run("profile", "add", "--name", "b", "--db", pos_db, "--repo", repo, "--export", "pdf")
    assert proc.returncode != 0 and "pdf" in proc.stderr
    assert_ok(kb.run("run", "--profile", "toko", "--trigger", "scheduled"))     # as the system task runs it
    assert sorted(n.split(".", 1)[1] for n in _exports(repo)) == ["csv.zip", "xlsx"]
    # a settings file of an older version (no "exports") still loads
    settings = json.loads((tmp_path / "_config" / "settings.json").read_text())
    del settings["profiles"][0]["exports"]
    (tmp_path / "_config" / "settings.json").write_text(json.dumps(settings))
    listed = parse_json_stdout(assert_ok(kb.run("profile", "list", "--json")))
    assert listed[0]["exports"] == []


def test_settings_keep_the_export_choice_and_refuse_unknown_formats(tmp_path):
    from kasirbackup.app.settings import EXPORT_FORMATS, Settings, SettingsStore
    from kasirbackup.core.exports.exporter import FORMATS

    assert EXPORT_FORMATS == FORMATS
    store = SettingsStore(tmp_path / "cfg")
    store.save(Settings(profiles=[Profile("toko", "/k.db", ["/r"], exports=["xlsx", "sql"])]))
    assert store.load().profiles[0].exports == ["xlsx", "sql"]
    raw = json.loads(store.path.read_text())
    raw["profiles"][0]["exports"] = ["xlsx", "pdf"]
    store.path.write_text(json.dumps(raw))
    from kasirbackup.app.settings import ProfileUnusable

    settings = store.load()                   # the profile is unusable; the file is not "damaged"
    assert settings.profiles == [] and "pdf" in settings.unusable[0].reason
    with pytest.raises(ProfileUnusable, match="pdf"):
        settings.profile("toko")
