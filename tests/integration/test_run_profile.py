"""Profiles end to end through the real command line: ``profile add``, ``run --profile``
(backup + verify + prune into every repository), ``history``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.checks import assert_ok, assert_one_line_error, describe, parse_json_stdout


@pytest.fixture
def kbp(kb, tmp_path):
    """The ``kb`` command line with private settings and history folders."""
    kb.env["KASIRBACKUP_CONFIG_DIR"] = str(tmp_path / "_config")
    kb.env["KASIRBACKUP_DATA_DIR"] = str(tmp_path / "_data")
    return kb


def history_json(kb, *extra) -> list[dict]:
    proc = assert_ok(kb.run("history", "--json", *extra))
    return parse_json_stdout(proc)


def snapshots(kb, repo) -> list[dict]:
    return parse_json_stdout(assert_ok(kb.run("list", "--repo", repo, "--json")))


def test_run_profile_into_two_repositories(kbp, pos_db, tmp_path):
    r1, r2 = tmp_path / "usb" / "backup", tmp_path / "nas" / "backup"
    added = parse_json_stdout(assert_ok(kbp.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", r1,
                                                "--repo", r2, "--schedule", "weekly:mon,thu@22:30", "--json")))
    assert added["name"] == "toko" and added["repos"] == [str(r1), str(r2)]
    assert added["schedule_text"] == "weekly:mon,thu@22:30"
    listed = parse_json_stdout(assert_ok(kbp.run("profile", "list", "--json")))
    assert [p["name"] for p in listed] == ["toko"] and listed[0]["last_success"] is None
    assert listed[0]["next_run"]

    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    proc = assert_ok(kbp.run("run", "--profile", "toko", "--trigger", "scheduled"))
    assert proc.stdout.count("OK") == 2, describe(proc)
    after = datetime.now(timezone.utc) + timedelta(seconds=2)
    ids = set()
    for repo in (r1, r2):
        snaps = snapshots(kbp, repo)
        assert len(snaps) == 1, describe(proc)
        assert snaps[0]["verified"] is True
        assert snaps[0]["source"] == str(pos_db)
        assert snaps[0]["kind"] == "scheduled"
        ids.add(snaps[0]["id"])
        assert_ok(kbp.run("verify", "--repo", repo))       # and it restores and checks again now

    runs = history_json(kbp)
    assert len(runs) == 1
    run = runs[0]
    assert run["profile"] == "toko" and run["trigger"] == "scheduled" and run["result"] == "success"
    assert run["bytes_added"] > 0
    assert run["snapshot"] and run["snapshot"] in ids
    assert before <= datetime.fromisoformat(run["started_at"]) <= datetime.fromisoformat(run["ended_at"]) <= after
    assert run["duration_s"] is not None and run["duration_s"] >= 0
    assert "verified" in run["message"]

    # manual trigger, filtering, human output
    assert_ok(kbp.run("run", "--profile", "toko", "--trigger", "manual", "--json"))
    runs = history_json(kbp, "--profile", "toko")
    assert [r["trigger"] for r in runs] == ["manual", "scheduled"]
    text = assert_ok(kbp.run("history")).stdout
    assert "toko" in text and "success" in text and "manual" in text


def test_run_with_missing_database_fails_and_is_recorded(kbp, tmp_path):
    missing = tmp_path / "gone" / "kasir.db"
    assert_ok(kbp.run("profile", "add", "--name", "toko", "--db", missing, "--repo", tmp_path / "r1",
                      "--repo", tmp_path / "r2"))
    proc = kbp.run("run", "--profile", "toko")
    line = assert_one_line_error(proc, "toko", "does not exist")
    assert proc.returncode == 1
    runs = history_json(kbp)
    assert len(runs) == 1
    assert runs[0]["result"] == "failed" and runs[0]["trigger"] == "manual"
    assert "does not exist" in runs[0]["message"] and str(missing) in runs[0]["message"]
    assert runs[0]["message"] in line
    assert runs[0]["bytes_added"] == 0 and runs[0]["snapshot"] == ""
    # --json still says what happened, on stdout
    proc = kbp.run("run", "--profile", "toko", "--json")
    assert proc.returncode == 1
    out = parse_json_stdout(proc)
    assert out["result"] == "failed" and [r["ok"] for r in out["repos"]] == [False, False]


def test_prune_after_backup_keeps_the_policy(kbp, pos_db, tmp_path):
    from tests.support.dbgen import simulate_day_of_sales

    r1, r2 = tmp_path / "r1", tmp_path / "r2"
    assert_ok(kbp.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", r1, "--repo", r2,
                      "--keep-last", "2", "--keep-daily", "0", "--keep-weekly", "0", "--keep-monthly", "0"))
    for i in range(4):
        simulate_day_of_sales(str(pos_db), 20, seed=i + 1)
        assert_ok(kbp.run("run", "--profile", "toko"))
    for repo in (r1, r2):
        snaps = snapshots(kbp, repo)
        assert len(snaps) == 2, [s["created_at"] for s in snaps]
        assert all(s["verified"] for s in snaps)
    runs = history_json(kbp)
    assert [r["result"] for r in runs] == ["success"] * 4
    assert "removed" in runs[0]["message"]


def test_no_prune_keeps_everything(kbp, pos_db, tmp_path):
    r1 = tmp_path / "r1"
    assert_ok(kbp.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", r1, "--keep-last", "1",
                      "--keep-daily", "0", "--keep-weekly", "0", "--keep-monthly", "0", "--no-prune"))
    for _ in range(2):
        assert_ok(kbp.run("run", "--profile", "toko"))
    assert len(snapshots(kbp, r1)) == 2


def test_profile_add_twice_or_with_bad_schedule_and_unknown_profile(kbp, pos_db, tmp_path):
    assert_ok(kbp.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", tmp_path / "r"))
    assert_one_line_error(kbp.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", tmp_path / "r"),
                          "toko")
    assert_one_line_error(kbp.run("profile", "add", "--name", "b", "--db", pos_db, "--repo", tmp_path / "r",
                                  "--schedule", "hourly"), "hourly")
    settings = json.loads((tmp_path / "_config" / "settings.json").read_text())
    assert [p["name"] for p in settings["profiles"]] == ["toko"]
    assert_one_line_error(kbp.run("run", "--profile", "nope"), "nope", "toko")


def test_unreachable_off_site_copy_keeps_the_local_backup_and_is_retried(kbp, pos_db, tmp_path):
    """The USB disk for the off-site copy is not plugged in (its path is not a folder we
    can use): the local backup still succeeds and is verified, the run is recorded as
    'partial' with the reason, and the scheduler plans a retry."""
    from kasirbackup.app.history import History, Result
    from kasirbackup.app.scheduling import retry_at
    from kasirbackup.app.settings import SettingsStore

    local = tmp_path / "backup"
    usb = tmp_path / "usb-not-plugged"
    usb.write_text("this is a file, not the USB folder")      # cannot be used as a repository
    assert_ok(kbp.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", local, "--repo", usb))
    proc = kbp.run("run", "--profile", "toko")
    assert proc.returncode == 4, describe(proc)
    assert len(proc.stderr.strip().splitlines()) == 1 and "off-site copy pending" in proc.stderr, describe(proc)
    snaps = snapshots(kbp, local)
    assert len(snaps) == 1 and snaps[0]["verified"] is True
    run = history_json(kbp)[0]
    assert run["result"] == "partial" and str(usb) in run["message"]

    history = History(tmp_path / "_data" / "history.db")
    profile = SettingsStore(tmp_path / "_config").load().profile("toko")
    assert history.last_attempt("toko").result == Result.PARTIAL
    assert retry_at(profile, history) is not None


def test_one_unusable_profile_does_not_stop_run_for_the_others(kb, tmp_path, pos_db):
    import json as _json

    config = tmp_path / "_config"
    config.mkdir()
    good = {"name": "toko", "db_path": str(pos_db), "repos": [str(tmp_path / "repo")]}
    bad = {"name": "gudang", "db_path": str(pos_db), "repos": [str(tmp_path / "repo2")],
           "schedule": {"kind": "daily", "time": "25:99"}}
    (config / "settings.json").write_text(_json.dumps({"version": 1, "profiles": [bad, good]}))
    kb.env["KASIRBACKUP_CONFIG_DIR"] = str(config)
    kb.env["KASIRBACKUP_DATA_DIR"] = str(tmp_path / "_data")
    ok = kb.run("run", "--profile", "toko")
    assert ok.returncode == 0, ok.stderr
    refused = kb.run("run", "--profile", "gudang")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "The profile gudang in the settings cannot be used" in refused.stderr, refused.stderr
    listed = kb.run("profile", "list", check=True).stdout
    assert "gudang: cannot be used" in listed and "toko:" in listed
    assert bad in _json.loads((config / "settings.json").read_text())["profiles"]


# -- who started the run: a person (manual) or the scheduler -----------------------------------------

# a stand-in for cron: a process named "cron" that runs the task's command line through sh -c
CRON_STAND_IN = r"""
import ctypes, shlex, subprocess, sys
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(15, b"cron", 0, 0, 0) == 0          # PR_SET_NAME: this process is now "cron"
sys.exit(subprocess.run(["/bin/sh", "-c", shlex.join(sys.argv[1:])]).returncode)
"""


def kinds(kb, repo) -> list[str]:
    return [s["kind"] for s in snapshots(kb, repo)]


def test_a_run_started_by_hand_is_manual_and_the_system_task_is_scheduled(kbp, pos_db, tmp_path):
    from kasirbackup.app import ossched
    from kasirbackup.app.settings import SettingsStore

    repo = tmp_path / "backup"
    assert_ok(kbp.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", repo, "--no-prune"))
    # a person types the command
    assert_ok(kbp.run("run", "--profile", "toko"))
    assert kinds(kbp, repo) == ["manual"]
    assert [r["trigger"] for r in history_json(kbp)] == ["manual"]
    listed = assert_ok(kbp.run("list", "--repo", repo)).stdout.splitlines()
    assert "Kind" in listed[0] and " manual " in listed[1], listed

    # the command line the installed system task runs (Task Scheduler, systemd, cron, launchd)
    profile = SettingsStore(tmp_path / "_config").load().profile("toko")
    task = ossched.command_for(profile)
    assert task[-2:] == ["--trigger", "scheduled"]
    proc = subprocess.run(task, env=kbp.env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, describe(proc)
    assert kinds(kbp, repo) == ["scheduled", "manual"]
    assert [r["trigger"] for r in history_json(kbp)] == ["scheduled", "manual"]
    listed = assert_ok(kbp.run("list", "--repo", repo)).stdout.splitlines()
    assert " scheduled " in listed[1] and " manual " in listed[2], listed
    text = assert_ok(kbp.run("history")).stdout.splitlines()
    assert " scheduled " in text[0] and " manual " in text[1], text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="names its process with prctl (Linux)")
def test_an_old_system_task_without_the_flag_is_still_recorded_as_scheduled(kbp, pos_db, tmp_path):
    """A task installed by an older version runs ``run --profile toko`` alone: started by cron
    (through ``sh -c``, as cron does) it is the scheduler's run; the same line typed by a person
    is manual; ``--only-if-due`` (only system timers pass it) is the scheduler's too."""
    repo = tmp_path / "backup"
    assert_ok(kbp.run("profile", "add", "--name", "toko", "--db", pos_db, "--repo", repo, "--no-prune"))
    old_line = kbp.argv("run", "--profile", "toko")
    proc = subprocess.run([sys.executable, "-c", CRON_STAND_IN, *old_line], env=kbp.env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, describe(proc)
    assert kinds(kbp, repo) == ["scheduled"]
    assert_ok(kbp.run("run", "--profile", "toko"))
    assert kinds(kbp, repo) == ["manual", "scheduled"]
    assert_ok(kbp.run("run", "--profile", "toko", "--only-if-due"))
    assert [r["trigger"] for r in history_json(kbp)] == ["scheduled", "manual", "scheduled"]
    # an explicit --trigger always wins, whoever started the command
    proc = subprocess.run([sys.executable, "-c", CRON_STAND_IN, *old_line, "--trigger", "manual"], env=kbp.env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, describe(proc)
    assert kinds(kbp, repo)[0] == "manual"
