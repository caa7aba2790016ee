"""Settings: profiles, schedules, the settings file as untrusted input, and its migration
(kasirbackup.app.settings)."""

from __future__ import annotations

import json
import os

import pytest

from kasirbackup.app.settings import (MAX_SETTINGS_BYTES, SETTINGS_VERSION, BadSchedule, Profile, ProfileNotFound,
                                      Retention, Schedule, Settings, SettingsDamaged, SettingsStore, SettingsTooNew)


def _profile(name="toko", **kw) -> Profile:
    return Profile(name=name, db_path=f"/data/{name}.db", repos=[f"/mnt/usb/{name}", "sftp://nas/backup"], **kw)


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- round trip ----------------------------------------------------------------------------------

def test_empty_when_missing(tmp_path):
    s = SettingsStore(tmp_path / "nowhere").load()
    assert s.profiles == [] and s.language == "" and s.start_with_login is False


def test_profiles_round_trip(tmp_path):
    store = SettingsStore(tmp_path / "cfg")
    a = _profile("Toko Budi — kasir 1", schedule=Schedule.parse("weekly:mon,thu@22:30"),
                 retention=Retention(keep_last=3, keep_daily=0, keep_within="1y6m"), plain_copy=True)
    b = _profile("gudang", schedule=Schedule.parse("monthly:31@23:00"), prune_after_backup=False)
    c = _profile("manual", schedule=Schedule.parse("off"))
    store.save(Settings(profiles=[a, b, c], language="id", start_with_login=True, notify_success=True))
    raw = json.loads((tmp_path / "cfg" / "settings.json").read_text(encoding="utf-8"))
    assert raw["version"] == SETTINGS_VERSION
    assert "Toko Budi — kasir 1" in (tmp_path / "cfg" / "settings.json").read_text(encoding="utf-8")
    back = SettingsStore(tmp_path / "cfg").load()
    assert back.profiles == [a, b, c]
    assert (back.language, back.start_with_login, back.notify_success) == ("id", True, True)
    assert back.profile("gudang").schedule.describe() == "monthly:31@23:00"
    assert back.profile("Toko Budi — kasir 1").schedule.weekdays == [0, 3]
    assert back.profile("Toko Budi — kasir 1").retention.policy() is not None
    # saving leaves no temporary file behind and no backup copies
    assert sorted(_files(tmp_path / "cfg")) == ["settings.json"]
    with pytest.raises(ProfileNotFound) as ei:
        back.profile("nope")
    assert "gudang" in str(ei.value)


def test_profile_ids_are_stable_and_unique(tmp_path):
    store = SettingsStore(tmp_path)
    ps = [_profile(f"p{i}") for i in range(20)]
    assert len({p.id for p in ps}) == 20
    store.save(Settings(profiles=ps))
    assert [p.id for p in store.load().profiles] == [p.id for p in ps]


def test_config_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KASIRBACKUP_CONFIG_DIR", str(tmp_path / "cfg-env"))
    store = SettingsStore()
    store.save(Settings(profiles=[_profile()]))
    assert (tmp_path / "cfg-env" / "settings.json").is_file()
    assert SettingsStore().load().profiles[0].name == "toko"


# -- damaged files ---------------------------------------------------------------------------------

DAMAGED = [
    b'{"version": 1, "profiles": [{"name": "toko", "db_path": "/k.db", "repos": ["/r"]}',   # cut short
    b"\xff\xfe\x00garbage",
    b"[1, 2, 3]",
    b'{"version": "one"}',
    b'{"version": 1, "profiles": [{"name": "a", "db_path": "/k.db", "repos": ["/r"]},'
    b' {"name": "a", "db_path": "/j.db", "repos": ["/r"]}]}',
    b'{"version": 1, "profiles": {"name": "toko"}}',
]

#: one profile that does not load: the others go on working, and the bad one is kept as written
BAD_PROFILES = [
    {"name": "toko"},                                                                      # no db_path
    {"name": "toko", "db_path": "/k.db", "repos": ["/r"], "schedule": {"kind": "hourly"}},
    {"name": "toko", "db_path": "/k.db", "repos": ["/r"], "schedule": {"kind": "daily", "tiem": "23:00"}},
    {"name": "toko", "db_path": "/k.db", "repos": []},
    {"name": "toko", "db_path": "/k.db", "repos": ["/r"], "retention": {"keep_within": "forever"}},
]


@pytest.mark.parametrize("bad", BAD_PROFILES, ids=range(len(BAD_PROFILES)))
def test_one_unusable_profile_never_stops_the_others_and_is_kept_as_written(tmp_path, bad):
    from kasirbackup.app.settings import ProfileUnusable

    good = {"name": "gudang", "db_path": "/g.db", "repos": ["/rg"]}
    (tmp_path / "settings.json").write_text(json.dumps({"version": 1, "profiles": [bad, good]}))
    store = SettingsStore(tmp_path)
    settings = store.load()
    assert [p.name for p in settings.profiles] == ["gudang"]
    assert settings.profile("gudang").db_path == "/g.db"
    assert [u.name for u in settings.unusable] == ["toko"] and settings.unusable[0].reason
    with pytest.raises(ProfileUnusable) as ei:
        settings.profile("toko")
    assert "toko" in str(ei.value) and "\n" not in str(ei.value)
    # saving (e.g. after changing the good profile) loses nothing of the bad one
    settings.profiles[0].db_path = "/g2.db"
    store.save(settings)
    saved = json.loads((tmp_path / "settings.json").read_text())["profiles"]
    assert bad in saved and any(p["db_path"] == "/g2.db" for p in saved)
    assert settings.forget_unusable("toko")
    store.save(settings)
    assert [p["name"] for p in json.loads((tmp_path / "settings.json").read_text())["profiles"]] == ["gudang"]


@pytest.mark.parametrize("raw", DAMAGED, ids=range(len(DAMAGED)))
def test_damaged_file_is_kept_and_not_overwritten(tmp_path, raw):
    (tmp_path / "settings.json").write_bytes(raw)
    store = SettingsStore(tmp_path)
    with pytest.raises(SettingsDamaged) as ei:
        store.load()
    err = ei.value
    assert err.code == "settings-damaged"
    copy = tmp_path / "settings.json.vdamaged.bak"
    assert copy.read_bytes() == raw
    assert str(copy) in str(err)
    assert "\n" not in str(err)
    assert (tmp_path / "settings.json").read_bytes() == raw
    # loading again still fails the same way and changes nothing
    with pytest.raises(SettingsDamaged):
        SettingsStore(tmp_path).load()
    assert (tmp_path / "settings.json").read_bytes() == raw


def test_damaged_copy_is_of_the_current_damage(tmp_path):
    """A second, different damage must not point the user at the copy of the first."""
    store = SettingsStore(tmp_path)
    (tmp_path / "settings.json").write_bytes(b"{first")
    with pytest.raises(SettingsDamaged):
        store.load()
    (tmp_path / "settings.json").write_bytes(b"{second damage, with the profiles the user has now")
    with pytest.raises(SettingsDamaged) as ei:
        store.load()
    named = [w.strip(" .;,") for w in str(ei.value).split() if "settings.json.v" in w]
    assert named, str(ei.value)
    from pathlib import Path
    assert Path(named[0]).read_bytes() == (tmp_path / "settings.json").read_bytes(), \
        f"the message names {named[0]}, which holds an older file"


def test_oversize_file_rejected_untouched(tmp_path):
    path = tmp_path / "settings.json"
    with open(path, "wb") as fh:
        fh.write(b'{"version": 1, "profiles": [], "pad": "')
        fh.write(b"x" * (MAX_SETTINGS_BYTES + 10))
        fh.write(b'"}')
    size, mtime = path.stat().st_size, path.stat().st_mtime_ns
    with pytest.raises(SettingsDamaged) as ei:
        SettingsStore(tmp_path).load()
    assert "too large" in str(ei.value)
    assert path.stat().st_size == size and path.stat().st_mtime_ns == mtime
    assert sorted(os.listdir(tmp_path)) == ["settings.json"]


def test_settings_exactly_at_limit_is_read(tmp_path):
    path = tmp_path / "settings.json"
    head = b'{"version": 1, "profiles": [], "pad": "'
    path.write_bytes(head + b"x" * (MAX_SETTINGS_BYTES - len(head) - 2) + b'"}')
    assert path.stat().st_size == MAX_SETTINGS_BYTES
    assert SettingsStore(tmp_path).load().profiles == []


# -- versions --------------------------------------------------------------------------------------

def test_version0_flat_file_is_migrated_with_a_copy(tmp_path):
    raw = b'{"db": "/home/kasir/data/toko_budi.db", "repo": "/media/usb/backup"}\n'
    (tmp_path / "settings.json").write_bytes(raw)
    store = SettingsStore(tmp_path)
    s = store.load()
    assert len(s.profiles) == 1
    p = s.profiles[0]
    assert p.name == "toko_budi" and p.db_path == "/home/kasir/data/toko_budi.db"
    assert p.repos == ["/media/usb/backup"]
    assert p.schedule.describe() == "daily@23:00"
    assert (tmp_path / "settings.json.v0.bak").read_bytes() == raw
    assert (tmp_path / "settings.json").read_bytes() == raw      # only saving rewrites it
    # saving writes the current version; the v0 copy stays as it was
    store.save(s)
    assert json.loads((tmp_path / "settings.json").read_text())["version"] == SETTINGS_VERSION
    assert (tmp_path / "settings.json.v0.bak").read_bytes() == raw
    again = SettingsStore(tmp_path).load()
    assert again.profiles == s.profiles


def test_version0_without_profile_migrates_to_empty(tmp_path):
    (tmp_path / "settings.json").write_bytes(b"{}")
    assert SettingsStore(tmp_path).load().profiles == []
    assert (tmp_path / "settings.json.v0.bak").read_bytes() == b"{}"


def test_newer_version_refused_and_untouched(tmp_path):
    raw = json.dumps({"version": SETTINGS_VERSION + 1, "profiles": [{"new": "shape"}]}).encode()
    (tmp_path / "settings.json").write_bytes(raw)
    with pytest.raises(SettingsTooNew) as ei:
        SettingsStore(tmp_path).load()
    assert ei.value.code == "settings-too-new"
    assert f"settings version {SETTINGS_VERSION + 1}" in str(ei.value)
    assert (tmp_path / "settings.json").read_bytes() == raw
    assert sorted(os.listdir(tmp_path)) == ["settings.json"]


# -- Schedule.parse ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, time, weekdays, dom, described", [
    ("daily@23:00", "daily", "23:00", list(range(7)), 1, "daily@23:00"),
    ("daily@7:05", "daily", "07:05", list(range(7)), 1, "daily@07:05"),
    ("  DAILY@00:00 ", "daily", "00:00", list(range(7)), 1, "daily@00:00"),
    ("weekly:mon,thu@22:30", "weekly", "22:30", [0, 3], 1, "weekly:mon,thu@22:30"),
    ("weekly:sun,mon@06:00", "weekly", "06:00", [0, 6], 1, "weekly:mon,sun@06:00"),
    ("weekly:monday,friday@21:15", "weekly", "21:15", [0, 4], 1, "weekly:mon,fri@21:15"),
    ("weekly:sat,sat@23:59", "weekly", "23:59", [5], 1, "weekly:sat@23:59"),
    ("monthly:1@23:00", "monthly", "23:00", list(range(7)), 1, "monthly:1@23:00"),
    ("monthly:31@01:30", "monthly", "01:30", list(range(7)), 31, "monthly:31@01:30"),
])
def test_schedule_parse_good(text, kind, time, weekdays, dom, described):
    s = Schedule.parse(text)
    assert (s.kind, s.time, s.weekdays, s.day_of_month) == (kind, time, weekdays, dom)
    assert s.describe() == described
    assert Schedule.parse(s.describe()) == s


@pytest.mark.parametrize("text", ["off", "OFF", "none", "manual"])
def test_schedule_parse_off(text):
    s = Schedule.parse(text)
    assert s.kind == "off" and s.describe() == "off"


@pytest.mark.parametrize("text", [
    "", "daily", "daily@", "daily@24:00", "daily@23:60", "daily@9", "daily@9:5", "daily@-1:00", "daily 23:00",
    "hourly@00:00", "weekly@22:30", "weekly:@22:30", "weekly:,@22:30", "weekly:xyz@22:30", "weekly:mon;thu@22:30",
    "monthly:0@23:00", "monthly:32@23:00", "monthly:@23:00", "monthly:1", "monthly:-1@23:00", "daily@23:00:00",
    "daily@２３:００",
])
def test_schedule_parse_bad(text):
    with pytest.raises(BadSchedule) as ei:
        Schedule.parse(text)
    assert ei.value.code == "bad-schedule"
    assert "daily@23:00" in str(ei.value)       # the hint shows examples


def test_profile_validate():
    with pytest.raises(ValueError):
        Profile(name="  ", db_path="/k.db", repos=["/r"]).validate()
    with pytest.raises(ValueError):
        Profile(name="x" * 101, db_path="/k.db", repos=["/r"]).validate()
    with pytest.raises(ValueError):
        Profile(name="toko", db_path="/k.db", repos=[]).validate()
    with pytest.raises(BadSchedule):
        Profile(name="toko", db_path="/k.db", repos=["/r"], schedule=Schedule(time="25:00")).validate()
    _profile().validate()
