"""An unplugged backup disk is named and nothing is written under its mount point; the
weekly sampled check of an off-site copy cycles through the pack groups and reports damage
as a pending (not silently good) off-site copy."""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kasirbackup.app.history import History, Result, Trigger
from kasirbackup.app.places import BackupDiskMissing, check_destination, mount_root
from kasirbackup.app.runner import run_profile
from kasirbackup.app.sampling import GROUPS, _load, _save, sampled_check_if_due
from kasirbackup.app.settings import Profile
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.core.repo.repository import Repository


@pytest.fixture(autouse=True)
def private_data(tmp_path, monkeypatch):
    monkeypatch.setenv("KASIRBACKUP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KASIRBACKUP_CONFIG_DIR", str(tmp_path / "config"))


def test_mount_roots():
    me = getpass.getuser()       # /media/USER/DISK, as desktops mount disks for an account of this computer
    assert mount_root(f"/media/{me}/BACKUP-USB/kasir") == ("BACKUP-USB", Path(f"/media/{me}/BACKUP-USB"))
    assert mount_root("/media/BACKUP-USB/kasir") == ("BACKUP-USB", Path("/media/BACKUP-USB"))   # /media/DISK
    assert mount_root("/run/media/ani/SANDISK/x")[0] == "SANDISK"
    assert mount_root("/Volumes/Toko/backup")[0] == "Toko"
    assert mount_root("E:\\Backup\\kasir")[0] == "E:"
    assert mount_root("/home/ani/backups") is None
    assert mount_root("s3://bucket/kasir") is None


def test_unplugged_disk_is_named_and_nothing_is_created(tmp_path, monkeypatch):
    missing = f"/media/{getpass.getuser()}/BACKUP-USB/kasir"
    with pytest.raises(BackupDiskMissing) as err:
        check_destination(missing)
    assert "BACKUP-USB" in str(err.value) and "Plug the disk in" in str(err.value)
    check_destination(str(tmp_path / "plain-folder"))        # an ordinary folder is fine


def test_offsite_usb_unplugged_keeps_the_local_backup(tmp_path, pos_db):
    history = History(tmp_path / "h.db")
    usb = f"/media/{getpass.getuser()}/BACKUP-USB/kasir"
    p = Profile("Toko", str(pos_db), [str(tmp_path / "local"), usb])
    res = run_profile(p, Trigger.SCHEDULED, history)
    assert res.result == Result.PARTIAL
    assert res.outcomes[0].ok and not res.outcomes[1].ok
    assert "BACKUP-USB" in res.outcomes[1].message
    assert isinstance(res.outcomes[1].error, BackupDiskMissing)
    assert not (tmp_path / "media").exists()
    import os
    assert not os.path.exists(f"/media/{getpass.getuser()}/BACKUP-USB")
    history.close()


def _repo(tmp_path, pos_db) -> Repository:
    repo = Repository.init(tmp_path / "offsite")
    repo.config.pack_bytes = 64 * 1024
    repo.save_config()
    repo = Repository.open(tmp_path / "offsite")
    backup(repo, BackupRequest(str(pos_db)))
    return repo


def test_weekly_cycle_through_groups(tmp_path, pos_db):
    repo = _repo(tmp_path, pos_db)
    t0 = datetime(2026, 11, 1, tzinfo=timezone.utc)
    first = sampled_check_if_due(repo, now=t0)
    assert first is not None and first.ok
    assert sampled_check_if_due(repo, now=t0 + timedelta(days=3)) is None       # not due yet
    assert _load()[repo.config.id]["next"] == 2
    seen = first.packs_read
    for week in range(1, GROUPS):
        r = sampled_check_if_due(repo, now=t0 + timedelta(days=7 * week))
        assert r is not None and r.ok
        seen += r.packs_read
    assert seen == len(list(repo.storage.list("data")))     # every pack read once in a cycle
    assert _load()[repo.config.id]["next"] == 1


def test_damaged_offsite_copy_is_reported(tmp_path, pos_db):
    repo = _repo(tmp_path, pos_db)
    victim = sorted(repo.storage.list("data"))[0]
    path = repo.storage._path("data", victim)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x55
    path.chmod(0o600)
    path.write_bytes(bytes(raw))
    _save({repo.config.id: {"at": None, "next": int(victim[:8], 16) % GROUPS + 1}})
    report = sampled_check_if_due(repo)
    assert report is not None and not report.ok
    assert any(victim[:12] in p and "damaged" in p for p in report.problems)


def test_runs_check_the_offsite_copy_weekly(tmp_path, pos_db):
    history = History(tmp_path / "h.db")
    p = Profile("Toko", str(pos_db), [str(tmp_path / "local"), str(tmp_path / "offsite")])
    res = run_profile(p, Trigger.SCHEDULED, history)
    assert res.result == Result.SUCCESS
    assert "read back and intact" in res.outcomes[1].message          # the off-site copy only
    assert "read back" not in res.outcomes[0].message
    offsite = Repository.open(tmp_path / "offsite")
    assert _load()[offsite.config.id]["ok"] is True
    again = run_profile(p, Trigger.SCHEDULED, history)                 # within the week: not again
    assert "read back" not in again.outcomes[1].message
    history.close()


def test_cli_backup_and_init_to_an_unplugged_disk_name_the_disk_and_create_nothing(kb, pos_db):
    for disk, where in (("KB-TEST-USB", "/media/KB-TEST-USB/kasir"),
                        ("KB-TEST-USB", f"/media/{getpass.getuser()}/KB-TEST-USB/kasir")):
        for args in (("backup", "--db", pos_db, "--repo", where), ("init", "--repo", where)):
            proc = kb.run(*args)
            assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
            assert f"The backup disk {disk} is not connected" in proc.stderr, proc.stderr
        assert not os.path.exists(where) and not os.path.exists(os.path.dirname(where))
