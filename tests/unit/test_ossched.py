"""Operating-system schedules and start-with-login (kasirbackup.app.ossched).

The generated definitions are checked as text/XML/plist, and for "does it fire on the same
days as the app" against the app's own schedule arithmetic (scheduling.occurrences): by the
real ``systemd-analyze calendar`` for systemd timers, and by small evaluators written here
for cron, Windows Task Scheduler and launchd. Installing is tested only through a fake
``crontab`` on PATH (the real user crontab is never touched) and a temporary home folder.
"""

from __future__ import annotations

import calendar
import configparser
import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kasirbackup.app import ossched
from kasirbackup.app.scheduling import on_day, occurrences
from kasirbackup.app.settings import Profile, Schedule

UTC = timezone.utc
NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
SCHEDULES = ["daily@23:00", "daily@00:05", "weekly:mon,thu@22:30", "weekly:sun@08:00",
             "weekly:mon,tue,wed,thu,fri,sat,sun@12:00", "monthly:1@23:00", "monthly:15@09:30",
             "monthly:28@23:00"]
# monthly:29..31 ("a short month runs on its last day") are checked by the *_late_days tests
WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC))   # includes leap 2028


def prof(schedule: str, name: str = "toko") -> Profile:
    return Profile(name=name, db_path="/data/kasir.db", repos=["/mnt/usb/backup"], schedule=Schedule.parse(schedule))


def app_times(s: Schedule, start=WINDOW[0], end=WINDOW[1]) -> list[datetime]:
    """The app's own run times as naive UTC wall times (tz=UTC, so wall == instant)."""
    return [t.astimezone(UTC).replace(tzinfo=None) for t in occurrences(s, start, end, UTC)]


def days_of(times) -> list[date]:
    return [t.date() for t in times]


def unit_sections(text: str) -> configparser.ConfigParser:
    cp = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",))
    cp.optionxform = str
    cp.read_string(text)
    return cp


# -- systemd ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, want", [
    ("daily@23:00", ["*-*-* 23:00:00"]),
    ("daily@07:05", ["*-*-* 07:05:00"]),
    ("weekly:mon,thu@22:30", ["Mon,Thu *-*-* 22:30:00"]),
    ("weekly:sun@08:00", ["Sun *-*-* 08:00:00"]),
    ("monthly:1@23:00", ["*-*-01 23:00:00"]),
    ("monthly:28@23:00", ["*-*-28 23:00:00"]),
    ("monthly:31@23:00", ["*-01,03,05,07,08,10,12-31 23:00:00", "*-02,04,06,09,11~01 23:00:00"]),
])
def test_systemd_oncalendar(text, want):
    assert ossched.systemd_oncalendar(Schedule.parse(text)) == want


def test_systemd_oncalendar_off_is_an_error():
    with pytest.raises(ValueError):
        ossched.systemd_oncalendar(Schedule.parse("off"))


def test_systemd_units_content():
    p = prof("weekly:mon,thu@22:30")
    units = ossched.systemd_units(p)
    name = ossched.unit_name(p)
    assert re.fullmatch(r"kasirbackup-toko-[0-9a-f]{12}", name)
    assert sorted(units) == [f"{name}.service", f"{name}.timer"]
    timer = unit_sections(units[f"{name}.timer"])
    assert timer["Timer"]["OnCalendar"] == "Mon,Thu *-*-* 22:30:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    service = unit_sections(units[f"{name}.service"])
    assert service["Service"]["Type"] == "oneshot"
    assert shlex.split(service["Service"]["ExecStart"]) == ossched.command_for(p)
    # the task says it is the scheduler's run: a bare "run --profile" is a person's (manual)
    assert ossched.command_for(p)[-5:] == ["run", "--profile", "toko", "--trigger", "scheduled"]


def test_unit_name_is_safe():
    p = prof("daily@23:00", name="Toko Budi / kasir #1 — 50%")
    assert re.fullmatch(r"kasirbackup-[A-Za-z0-9_-]+-[0-9a-f]{12}", ossched.unit_name(p))


def _systemd_analyze() -> str:
    exe = shutil.which("systemd-analyze")
    if not exe:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    return exe


def _systemd_elapses(exprs: list[str], n: int) -> list[datetime]:
    """The next n elapses of a timer with one OnCalendar= line per expression."""
    env = dict(os.environ, TZ="UTC", LC_ALL="C", SYSTEMD_COLORS="0")
    out: set[datetime] = set()
    for expr in exprs:
        r = subprocess.run([_systemd_analyze(), "calendar", f"--iterations={n}", expr], capture_output=True,
                           text=True, env=env, timeout=30)
        assert r.returncode == 0, r.stderr
        found = re.findall(r"(?:Next elapse|Iter\. #\d+):\s+\w{3} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", r.stdout)
        assert len(found) == n, r.stdout
        out.update(datetime.strptime(f, "%Y-%m-%d %H:%M:%S") for f in found)
    return sorted(out)[:n]


@pytest.mark.parametrize("text", SCHEDULES + ["monthly:29@23:00", "monthly:30@23:00", "monthly:31@23:00"])
def test_systemd_calendar_fires_when_the_app_does(text):
    """What the real systemd makes of OnCalendar= is what the app's schedule means."""
    s = Schedule.parse(text)
    expr = ossched.systemd_oncalendar(s)
    n = 40
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    got = _systemd_elapses(expr, n)          # systemd's next n elapses from now
    want = app_times(s, start=before, end=got[-1].replace(tzinfo=UTC) + timedelta(days=1))[:n]
    assert got == want, f"{text} -> OnCalendar={expr}: first difference at " + \
        str(next(((g, w) for g, w in zip(got, want) if g != w), None))


def test_systemd_analyze_verify_units(tmp_path):
    exe = _systemd_analyze()
    for text, name in [("daily@23:00", "toko"), ("weekly:mon,sun@22:30", "Toko Budi's kasir"),
                       ("monthly:31@23:00", "gudang")]:
        p = prof(text, name=name)
        folder = tmp_path / ossched.unit_name(p)
        folder.mkdir()
        paths = []
        for fname, body in ossched.systemd_units(p).items():
            (folder / fname).write_text(body, encoding="utf-8")
            paths.append(str(folder / fname))
        assert Path(ossched.command_for(p)[0]).exists()     # ExecStart points to an existing binary
        r = subprocess.run([exe, "verify", *paths], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, SYSTEMD_COLORS="0"))
        assert r.returncode == 0 and not r.stderr.strip(), f"{name}: {r.stdout}{r.stderr}"


# -- cron -----------------------------------------------------------------------------------------------

CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def parse_cron_field(text: str, lo: int, hi: int) -> set[int]:
    out: set[int] = set()
    for part in text.split(","):
        m = re.fullmatch(r"(\*|\d+(?:-\d+)?)(?:/(\d+))?", part)
        assert m, f"bad cron field part {part!r}"
        rng, step = m.group(1), int(m.group(2) or 1)
        assert step >= 1
        if rng == "*":
            a, b = lo, hi
        elif "-" in rng:
            a, b = map(int, rng.split("-"))
        else:
            a = b = int(rng)
        assert lo <= a <= b <= hi, f"{part!r} outside {lo}-{hi}"
        out.update(range(a, b + 1, step))
    return out


def parse_cron_line(line: str):
    fields = line.split(None, 5)
    assert len(fields) == 6, line
    sets = [parse_cron_field(f, lo, hi) for f, (lo, hi) in zip(fields[:5], CRON_RANGES)]
    return fields, sets, fields[5]


def cron_times(line: str, start: date, end: date) -> list[datetime]:
    fields, (mins, hours, doms, months, dows), _ = parse_cron_line(line)
    dows = {d % 7 for d in dows}                      # 7 is Sunday too
    dom_star, dow_star = fields[2] == "*", fields[4] == "*"
    out = []
    d = start
    while d < end:
        dom_ok, dow_ok = d.day in doms, (d.weekday() + 1) % 7 in dows
        day_ok = (dom_ok or dow_ok) if not (dom_star or dow_star) else (dom_ok and dow_ok)   # cron's OR rule
        if d.month in months and day_ok:
            out += [datetime(d.year, d.month, d.day, h, m) for h in sorted(hours) for m in sorted(mins)]
        d += timedelta(days=1)
    return out


@pytest.mark.parametrize("text, spec", [
    ("daily@23:00", "0 23 * * *"),
    ("daily@07:05", "5 7 * * *"),
    ("weekly:mon,thu@22:30", "30 22 * * 1,4"),
    ("weekly:sun@08:00", "0 8 * * 0"),
    ("weekly:sat,sun@08:00", "0 8 * * 6,0"),
    ("monthly:1@23:00", "0 23 1 * *"),
])
def test_cron_line(text, spec):
    p = prof(text)
    line = ossched.cron_line(p)
    assert line.startswith(spec + " ")
    assert line.endswith(f"{ossched.CRON_TAG}{p.id}")
    assert "\n" not in line
    fields, sets, rest = parse_cron_line(line)
    cmd = rest[: -len(f" {ossched.CRON_TAG}{p.id}")]
    assert shlex.split(cmd) == ossched.command_for(p)


@pytest.mark.parametrize("text", SCHEDULES)
def test_cron_fires_when_the_app_does(text):
    s = Schedule.parse(text)
    line = ossched.cron_line(prof(text))
    assert cron_times(line, WINDOW[0].date(), WINDOW[1].date()) == app_times(s), line


def test_cron_monthly_late_days_agree_with_app():
    mismatches = {}
    for dom in range(1, 32):
        s = Schedule(kind="monthly", time="23:00", day_of_month=dom)
        line = ossched.cron_line(Profile("toko", "/k.db", ["/r"], s))
        got, want = days_of(cron_times(line, WINDOW[0].date(), WINDOW[1].date())), days_of(app_times(s))
        if "--only-if-due" in line:       # the run itself skips the days that are not due
            got = [d for d in got if on_day(s, d)]
        if got != want:
            mismatches[dom] = (line.split(" /")[0], sorted(set(got) ^ set(want))[:3])
    assert not mismatches, f"cron fires on other days than the app for monthly:N with N in {sorted(mismatches)}: " \
                           f"{mismatches}"


@pytest.mark.parametrize("name", ["Diskon 50%", "toko\n* * * * * rm -rf ~"])
def test_cron_line_survives_awkward_profile_names(name):
    """In a crontab, % ends the command (the rest is stdin) and a newline starts a new entry:
    such a name must be escaped or refused."""
    p = Profile(name=name, db_path="/k.db", repos=["/r"])
    try:
        p.validate()
    except ValueError:
        return                                      # refused: fine
    line = ossched.cron_line(p)
    assert "\n" not in line, repr(line)
    assert not re.search(r"(?<!\\)%", line), f"unescaped % in cron line: {line!r}"


# -- Windows Task Scheduler --------------------------------------------------------------------------------

def task(text: str, name: str = "toko") -> tuple[ET.Element, Profile]:
    p = prof(text, name=name)
    xml = ossched.windows_task_xml(p)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-16"?>')
    return ET.fromstring(xml.encode("utf-16")), p


def _text(root, path) -> str:
    el = root.find(path, NS)
    assert el is not None, path
    return (el.text or "").strip()


def test_windows_task_xml_daily():
    root, p = task("daily@23:00")
    assert root.tag == "{%s}Task" % NS["t"]
    trig = root.find("t:Triggers/t:CalendarTrigger", NS)
    assert _text(trig, "t:StartBoundary") == "2025-01-01T23:00:00"
    assert _text(trig, "t:Enabled") == "true"
    assert _text(trig, "t:ScheduleByDay/t:DaysInterval") == "1"
    assert _text(root, "t:Settings/t:StartWhenAvailable") == "true"
    assert _text(root, "t:Settings/t:MultipleInstancesPolicy") == "IgnoreNew"
    assert _text(root, "t:Settings/t:DisallowStartIfOnBatteries") == "false"
    assert _text(root, "t:Actions/t:Exec/t:Command") == ossched.command_for(p)[0]
    assert _text(root, "t:Actions/t:Exec/t:Arguments") == "-m kasirbackup run --profile toko --trigger scheduled"


def test_windows_task_xml_weekly_and_monthly():
    root, _ = task("weekly:mon,thu@22:30")
    wk = root.find("t:Triggers/t:CalendarTrigger/t:ScheduleByWeek", NS)
    assert _text(root, "t:Triggers/t:CalendarTrigger/t:StartBoundary").endswith("T22:30:00")
    assert [el.tag.split("}")[1] for el in wk.find("t:DaysOfWeek", NS)] == ["Monday", "Thursday"]
    assert _text(wk, "t:WeeksInterval") == "1"
    root, _ = task("monthly:15@09:30")
    mo = root.find("t:Triggers/t:CalendarTrigger/t:ScheduleByMonth", NS)
    assert [d.text for d in mo.findall("t:DaysOfMonth/t:Day", NS)] == ["15"]
    assert [el.tag.split("}")[1] for el in mo.find("t:Months", NS)] == list(calendar.month_name)[1:]
    root, _ = task("monthly:31@23:00")      # the 31st where it exists, the last day elsewhere
    assert [d.text for d in root.findall(".//t:DaysOfMonth/t:Day", NS)] == ["31", "Last"]


def test_windows_task_xml_escapes_the_name():
    root, p = task("daily@23:00", name='Toko "Budi" & <Sons>')
    assert "Toko \"Budi\" & <Sons>" in _text(root, "t:RegistrationInfo/t:Description")
    assert subprocess.list2cmdline(ossched.command_for(p)[1:]) == _text(root, "t:Actions/t:Exec/t:Arguments")


def windows_times(root: ET.Element, start: date, end: date) -> list[datetime]:
    """When Task Scheduler would start the task: the union of its calendar triggers."""
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    out = set()
    for trig in root.findall("t:Triggers/t:CalendarTrigger", NS):
        sb = datetime.fromisoformat(_text(trig, "t:StartBoundary"))
        d = start
        while d < end:
            ok = False
            if trig.find("t:ScheduleByDay", NS) is not None:
                ok = (d - sb.date()).days % int(_text(trig, "t:ScheduleByDay/t:DaysInterval")) == 0
            elif trig.find("t:ScheduleByWeek", NS) is not None:
                days = [el.tag.split("}")[1] for el in trig.find("t:ScheduleByWeek/t:DaysOfWeek", NS)]
                ok = names[d.weekday()] in days
            elif trig.find("t:ScheduleByMonth", NS) is not None:
                months = [el.tag.split("}")[1] for el in trig.find("t:ScheduleByMonth/t:Months", NS)]
                last = calendar.monthrange(d.year, d.month)[1]
                wanted = {last if x.text == "Last" else int(x.text)
                          for x in trig.findall("t:ScheduleByMonth/t:DaysOfMonth/t:Day", NS)}
                ok = calendar.month_name[d.month] in months and d.day in wanted
            if ok and d >= sb.date():
                out.add(datetime.combine(d, sb.time()))
            d += timedelta(days=1)
    return sorted(out)


@pytest.mark.parametrize("text", SCHEDULES)
def test_windows_task_fires_when_the_app_does(text):
    root, _ = task(text)
    assert windows_times(root, WINDOW[0].date(), WINDOW[1].date()) == app_times(Schedule.parse(text))


def test_windows_monthly_late_days_agree_with_app():
    mismatches = {}
    for dom in range(1, 32):
        s = Schedule(kind="monthly", time="23:00", day_of_month=dom)
        root = ET.fromstring(ossched.windows_task_xml(Profile("toko", "/k.db", ["/r"], s)).encode("utf-16"))
        got, want = days_of(windows_times(root, WINDOW[0].date(), WINDOW[1].date())), days_of(app_times(s))
        if got != want:
            mismatches[dom] = sorted(set(got) ^ set(want))[:3]
    assert not mismatches, f"the Windows task fires on other days than the app for monthly:N, N in " \
                           f"{sorted(mismatches)}: {mismatches}"


# -- launchd ------------------------------------------------------------------------------------------------

def launchd_times(plist: dict, start: date, end: date) -> list[datetime]:
    out = set()
    d = start
    while d < end:
        for iv in plist["StartCalendarInterval"]:
            if "Weekday" in iv and iv["Weekday"] % 7 != (d.weekday() + 1) % 7:
                continue
            if "Day" in iv and iv["Day"] != d.day:
                continue
            if "Month" in iv and iv["Month"] != d.month:
                continue
            out.add(datetime(d.year, d.month, d.day, iv["Hour"], iv["Minute"]))
        d += timedelta(days=1)
    return sorted(out)


def test_launchd_plist():
    p = prof("weekly:mon,sun@22:30")
    d = plistlib.loads(ossched.launchd_plist(p))
    assert d["Label"] == f"id.kasirbackup.{p.id}"
    assert d["ProgramArguments"] == ossched.command_for(p)
    assert d["StartCalendarInterval"] == [{"Weekday": 1, "Hour": 22, "Minute": 30},
                                          {"Weekday": 0, "Hour": 22, "Minute": 30}]
    assert plistlib.loads(ossched.launchd_plist(prof("daily@23:00")))["StartCalendarInterval"] == \
        [{"Hour": 23, "Minute": 0}]
    assert plistlib.loads(ossched.launchd_plist(prof("monthly:15@09:30")))["StartCalendarInterval"] == \
        [{"Day": 15, "Hour": 9, "Minute": 30}]


@pytest.mark.parametrize("text", SCHEDULES)
def test_launchd_fires_when_the_app_does(text):
    d = plistlib.loads(ossched.launchd_plist(prof(text)))
    assert launchd_times(d, WINDOW[0].date(), WINDOW[1].date()) == app_times(Schedule.parse(text))


def test_launchd_monthly_late_days_agree_with_app():
    mismatches = {}
    for dom in range(1, 32):
        s = Schedule(kind="monthly", time="23:00", day_of_month=dom)
        d = plistlib.loads(ossched.launchd_plist(Profile("toko", "/k.db", ["/r"], s)))
        got, want = days_of(launchd_times(d, WINDOW[0].date(), WINDOW[1].date())), days_of(app_times(s))
        if "--only-if-due" in d["ProgramArguments"]:   # the run itself skips the days that are not due
            got = [x for x in got if on_day(s, x)]
        if got != want:
            mismatches[dom] = (d["StartCalendarInterval"], sorted(set(got) ^ set(want))[:3])
    assert not mismatches, f"launchd fires on other days than the app for monthly:N, N in " \
                           f"{sorted(mismatches)}: {mismatches}"


# -- installing through a fake crontab ------------------------------------------------------------------

FAKE_CRONTAB = """#!/bin/sh
STORE='{store}'
echo "$*" >> '{log}'
if [ "$1" = "-l" ]; then
    if [ -f "$STORE" ]; then /bin/cat "$STORE"; exit 0; fi
    echo "no crontab for tester" >&2; exit 1
fi
if [ "$1" = "-" ]; then /bin/cat > "$STORE"; exit 0; fi
echo "fake crontab: unsupported $*" >&2; exit 2
"""


@pytest.fixture
def fake_crontab(tmp_path, monkeypatch):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("the crontab path is used on Linux")
    if not Path("/bin/sh").exists() or not Path("/bin/cat").exists():
        pytest.skip("needs /bin/sh and /bin/cat")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    store, log = tmp_path / "crontab.txt", tmp_path / "crontab.log"
    script = bin_dir / "crontab"
    script.write_text(FAKE_CRONTAB.format(store=store, log=log))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))           # no systemctl, no real crontab
    assert shutil.which("crontab") == str(script) and shutil.which("systemctl") is None
    return store, log


def test_install_and_uninstall_with_crontab(tmp_path, fake_crontab):
    store, log = fake_crontab
    home = tmp_path / "home"
    p, q = prof("weekly:mon,thu@22:30"), prof("daily@23:00", name="gudang")
    done = ossched.install(p, home=home)
    assert (done.method, done.where) == ("crontab", "the user's crontab")
    assert store.read_text().splitlines() == [ossched.cron_line(p)]
    # the user's own lines are kept; installing twice does not duplicate
    store.write_text("MAILTO=owner\n0 1 * * * /usr/bin/true # mine\n" + store.read_text())
    ossched.install(p, home=home)
    ossched.install(q, home=home)
    lines = store.read_text().splitlines()
    assert lines == ["MAILTO=owner", "0 1 * * * /usr/bin/true # mine", ossched.cron_line(p), ossched.cron_line(q)]
    for ln in lines[2:]:
        parse_cron_line(ln)
    assert ossched.uninstall(p, home=home) == ["crontab line"]
    assert store.read_text().splitlines() == ["MAILTO=owner", "0 1 * * * /usr/bin/true # mine", ossched.cron_line(q)]
    assert ossched.uninstall(p, home=home) == []
    assert ossched.uninstall(q, home=home) == ["crontab line"]
    assert store.read_text().splitlines() == ["MAILTO=owner", "0 1 * * * /usr/bin/true # mine"]
    assert set(log.read_text().split()) <= {"-l", "-"}
    assert not (home / ".config" / "systemd").exists()


def test_install_refuses_off_schedule(tmp_path, fake_crontab):
    store, _ = fake_crontab
    with pytest.raises(ossched.ScheduleInstallFailed) as ei:
        ossched.install(prof("off"), home=tmp_path)
    assert "off" in str(ei.value)
    assert not store.exists()


def test_install_without_crontab_or_systemd_fails_clearly(tmp_path, monkeypatch):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Linux path")
    empty = tmp_path / "emptybin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(ossched.ScheduleInstallFailed) as ei:
        ossched.install(prof("daily@23:00"), home=tmp_path)
    assert "crontab" in str(ei.value)


# -- start with login -----------------------------------------------------------------------------------

@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Linux .desktop autostart")
def test_start_with_login_desktop_entry(tmp_path):
    home = tmp_path / "home"
    where = ossched.set_start_with_login(True, home=home)
    path = home / ".config" / "autostart" / "kasirbackup.desktop"
    assert where == str(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    entry = dict(ln.split("=", 1) for ln in lines[1:] if "=" in ln)
    assert entry["Type"] == "Application" and entry["Name"] == "KasirBackup"
    assert entry["Terminal"] == "false"
    assert shlex.split(entry["Exec"]) == ossched.gui_command()
    assert Path(ossched.gui_command()[0]).exists()
    ossched.set_start_with_login(True, home=home)           # idempotent
    assert path.read_text(encoding="utf-8") == text
    ossched.set_start_with_login(False, home=home)
    assert not path.exists()
    ossched.set_start_with_login(False, home=home)          # already off: no error


def _parses(argv: list[str]) -> None:
    from kasirbackup.cli import build_parser

    assert argv[1:3] == ["-m", "kasirbackup"] or getattr(sys, "frozen", False)
    try:
        build_parser().parse_args(argv[3:])
    except SystemExit as exc:
        pytest.fail(f"the command line {argv[3:]} is refused by kasirbackup's own parser (exit {exc.code})")


def test_scheduled_command_is_accepted_by_the_cli():
    from kasirbackup.app.history import Trigger
    from kasirbackup.app.invocation import run_trigger
    from kasirbackup.cli import build_parser

    for cmd in (ossched.command_for(prof("daily@23:00", name="Toko Budi")),
                ossched.command_for(prof("monthly:31@23:00"), only_if_due=True)):
        _parses(cmd)
        args = build_parser().parse_args(cmd[3:])
        assert run_trigger(args.trigger, args.only_if_due) == Trigger.SCHEDULED     # recorded as scheduled


def test_autostart_command_is_accepted_by_the_cli():
    """The login entry runs ``kasirbackup gui --minimized``: the CLI must accept it."""
    _parses(ossched.gui_command())
