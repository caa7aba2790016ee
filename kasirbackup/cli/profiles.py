"""Verbs for profiles, scheduled runs and run history: ``profile``, ``run``, ``history``,
``daemon``, ``schedule`` and ``autostart``."""

from __future__ import annotations

import signal
import sys

from ..app.history import History, Result, Trigger
from ..app.invocation import run_trigger
from ..app.runner import run_profile
from ..app.scheduling import ScheduleService, local_tz, next_fire
from ..app.settings import EXPORT_FORMATS, Profile, ProfileExists, Retention, Schedule, SettingsStore
from ..app import ossched
from .common import print_json, progress_bar


def _profile_json(p: Profile) -> dict:
    from dataclasses import asdict
    d = asdict(p)
    d["schedule_text"] = p.schedule.describe()
    return d


def cmd_profile_add(args) -> int:
    store = SettingsStore()
    settings = store.load()
    if any(p.name == args.name for p in settings.profiles):
        raise ProfileExists(name=args.name)
    from pathlib import Path

    from ..core.attachments.capture import attach_folders
    ret = Retention()
    for rule in ("last", "hourly", "daily", "weekly", "monthly", "yearly"):
        v = getattr(args, f"keep_{rule}")
        if v is not None:
            setattr(ret, f"keep_{rule}", v)
    if args.keep_within:
        ret.keep_within = args.keep_within
    schedule = Schedule.parse(args.schedule)
    if schedule.continuous:
        ret.thin_continuous()       # all within 2 h, hourly for 2 days (unless given)
    p = Profile(name=args.name, db_path=str(Path(args.db).expanduser().absolute()),
                repos=[str(Path(r).expanduser().absolute()) if "://" not in r else r for r in args.repo],
                schedule=schedule, retention=ret, plain_copy=args.plain_copy,
                prune_after_backup=not args.no_prune, exports=args.export or [],
                attachments=attach_folders(args.attach or []))
    p.validate()
    settings.profiles.append(p)
    store.save(settings)
    if args.json:
        print_json(_profile_json(p))
    else:
        print(f"Profile {p.name}: {p.db_path} → {', '.join(p.repos)}, {p.schedule.describe()}"
          + (f", with the files in {', '.join(p.attachments)}" if p.attachments else ""))
    return 0


def _export_formats(text: str) -> list[str]:
    formats = list(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in formats if f not in EXPORT_FORMATS]
    if bad:
        import argparse
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(bad)} (choose from {', '.join(EXPORT_FORMATS)})")
    return formats


def cmd_profile_list(args) -> int:
    settings = SettingsStore().load()
    history = History()
    tz = local_tz()
    from datetime import datetime
    now = datetime.now(tz)
    rows = []
    for p in settings.profiles:
        last = history.last_success(p.name)
        nxt = next_fire(p.schedule, now, tz)
        rows.append({**_profile_json(p), "last_success": last.started_at.isoformat(timespec="seconds") if last else None,
                     "next_run": nxt.isoformat(timespec="minutes") if nxt else None})
    unusable = [{"name": u.name, "unusable": u.reason} for u in settings.unusable]
    if args.json:
        print_json(rows + unusable)
        return 0
    for u in settings.unusable:
        print(f"{u.name}: cannot be used: {u.reason}")
    if not rows and not unusable:
        print("No profiles yet. Add one with: kasirbackup profile add --name toko --db kasir.db --repo BACKUP_FOLDER")
    for r in rows:
        print(f"{r['name']}: {r['db_path']} → {', '.join(r['repos'])}\n"
              f"    schedule {r['schedule_text']}, next {r['next_run'] or '-'}, last success {r['last_success'] or 'never'}")
        if r["attachments"]:
            print(f"    with the files in {', '.join(r['attachments'])}")
    return 0


def cmd_profile_remove(args) -> int:
    store = SettingsStore()
    settings = store.load()
    if settings.forget_unusable(args.name):
        store.save(settings)
        print(f"Profile {args.name} removed (its backups are kept).")
        return 0
    p = settings.profile(args.name)
    ossched.uninstall(p)
    settings.profiles.remove(p)
    store.save(settings)
    print(f"Profile {p.name} removed (its backups are kept).")
    return 0


def cmd_run(args) -> int:
    profile = SettingsStore().load().profile(args.profile)
    if args.only_if_due:
        from datetime import datetime
        from ..app.scheduling import on_day
        today = datetime.now(local_tz()).date()
        if not on_day(profile.schedule, today):
            return 0     # a system timer that cannot say "last day of the month" fired early
    history = History()
    trigger = run_trigger(args.trigger, args.only_if_due)
    bar = progress_bar(args)
    try:
        result = run_profile(profile, trigger, history, bar)
    finally:
        bar.done()
    if args.json:
        print_json({"profile": result.profile, "result": result.result.value, "message": result.message,
               "repos": [{"repo": o.repo, "ok": o.ok, "snapshot": o.snapshot_id, "added_bytes": o.bytes_added,
                          "pruned": o.pruned, "message": o.message} for o in result.outcomes]})
    else:
        for o in result.outcomes:
            print(f"{'OK    ' if o.ok else 'FAILED'} {o.repo}: {o.message}")
    if result.result == Result.PARTIAL:
        print(f"kasirbackup: profile {profile.name}: the local backup is verified, but {result.message}",
              file=sys.stderr)
        return 4
    if not result.ok:
        print(f"kasirbackup: run of profile {profile.name} failed: {result.message}", file=sys.stderr)
        return 1
    return 0


def cmd_history(args) -> int:
    from ..app.history import Run
    from ..app.oplog import describe

    history = History()
    runs = (history.entries if args.all else history.runs)(args.profile, limit=args.limit)
    if args.json:
        print_json([{"kind": "backup", **r.to_json()} if args.all and isinstance(r, Run) else r.to_json()
                    for r in runs])
        return 0
    if not runs:
        print("No runs recorded yet.")
    for r in runs:
        dur = f"{r.duration_s:.1f} s" if r.duration_s is not None else "-"
        if isinstance(r, Run):
            print(f"{r.started_at.astimezone():%Y-%m-%d %H:%M:%S}  {r.profile:<16} {r.trigger.value:<9} "
                  f"{r.result.value:<11} {dur:>8}  {r.bytes_added:>12} B  {r.message}")
        else:
            print(f"{r.started_at.astimezone():%Y-%m-%d %H:%M:%S}  {r.profile or '-':<16} {r.kind.value:<9} "
                  f"{r.result.value:<11} {dur:>8}  {'':>14}  {describe(r)}")
    return 0


def cmd_daemon(args) -> int:
    """Run every profile's schedule without the desktop app (a non-Qt scheduler)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    history = History()
    scheduler = BlockingScheduler(timezone=local_tz())
    service = ScheduleService(scheduler, SettingsStore(), history,
                              lambda p, t, places=None: run_profile(p, t, history, places=places))
    service.start()
    for planned in service.next_runs():
        print(f"next: {planned.profile} {planned.trigger.value} at {planned.at:%Y-%m-%d %H:%M}", flush=True)
    for w in service.continuous.watchers.values():
        print(f"watching: {w.profile.name} ({w.profile.db_path}): a checked snapshot within "
              f"{w.profile.schedule.continuous} s of each change", flush=True)

    def stop(*_):
        scheduler.shutdown(wait=False)
    signal.signal(signal.SIGTERM, stop)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    return 0


def cmd_schedule(args) -> int:
    profile = SettingsStore().load().profile(args.profile)
    if args.action == "install":
        done = ossched.install(profile)
        print(f"System schedule installed ({done.method}): {done.where}")
    elif args.action == "uninstall":
        removed = ossched.uninstall(profile)
        print("Removed: " + (", ".join(removed) if removed else "nothing was installed"))
    else:
        if profile.schedule.kind == "off":
            print("The profile's schedule is off.")
            return 0
        print("systemd timer:\n" + "\n".join(f"--- {n}\n{t}" for n, t in ossched.systemd_units(profile).items()))
        print("crontab line:\n" + ossched.cron_line(profile))
    return 0


def cmd_autostart(args) -> int:
    where = ossched.set_start_with_login(args.state == "on")
    store = SettingsStore()
    settings = store.load()
    settings.start_with_login = args.state == "on"
    store.save(settings)
    print(f"Start with login {'enabled' if args.state == 'on' else 'disabled'}: {where}")
    return 0


def register(sub, add) -> None:
    sp = add("profile", "manage profiles (database → backup locations, schedule, retention)", None)
    sp.set_defaults(func=lambda args: (sp.print_help(), 0)[1])
    psub = sp.add_subparsers(dest="profile_command", metavar="ACTION", parser_class=type(sp))
    a = psub.add_parser("add", help="add a profile")
    a.set_defaults(func=cmd_profile_add)
    a.add_argument("--name", required=True)
    a.add_argument("--db", required=True)
    a.add_argument("--repo", required=True, action="append", help="backup location (repeat for more)")
    a.add_argument("--schedule", default="daily@23:00",
                   help="daily@HH:MM, weekly:mon,thu@HH:MM, monthly:DAY@HH:MM, off, or continuous[:SECONDS] "
                        "(a snapshot within SECONDS of a change, default 60; add +daily@HH:MM for the nightly "
                        "full check and off-site copy, default daily@23:00) (default daily@23:00)")
    for rule in ("last", "hourly", "daily", "weekly", "monthly", "yearly"):
        a.add_argument(f"--keep-{rule}", type=int, metavar="N")
    a.add_argument("--keep-within", metavar="DURATION")
    a.add_argument("--plain-copy", action="store_true")
    a.add_argument("--no-prune", action="store_true", help="do not apply the retention policy after backups")
    a.add_argument("--attach", action="append", metavar="FOLDER",
                   help="a folder of the database's files (product photos, receipts) backed up with it; repeatable")
    a.add_argument("--export", type=_export_formats, metavar="FORMATS",
                   help="also export each scheduled backup into BACKUP_FOLDER/exports, e.g. csv,xlsx "
                        f"({', '.join(EXPORT_FORMATS)}; removed with their backup)")
    a.add_argument("--json", action="store_true")
    ls = psub.add_parser("list", help="list profiles")
    ls.set_defaults(func=cmd_profile_list)
    ls.add_argument("--json", action="store_true")
    rm = psub.add_parser("remove", help="remove a profile (its backups stay)")
    rm.set_defaults(func=cmd_profile_remove)
    rm.add_argument("--name", required=True)

    sp = add("run", "run a profile now: backup, verify, prune (for Task Scheduler / cron)", cmd_run)
    sp.add_argument("--profile", required=True)
    sp.add_argument("--trigger", choices=[t.value for t in Trigger],
                    help="how the run is recorded; system tasks pass 'scheduled' (default: manual, or "
                         "scheduled when a system scheduler started it)")
    sp.add_argument("--only-if-due", action="store_true",
                    help="do nothing unless today is a day of the profile's schedule (for system timers)")
    sp.add_argument("--json", action="store_true")

    sp = add("history", "show the run history", cmd_history)
    sp.add_argument("--profile")
    sp.add_argument("--limit", type=int, default=50)
    sp.add_argument("--all", action="store_true",
                    help="also restores, undos, imports, exports, checks and prunes (not only backup runs)")
    sp.add_argument("--json", action="store_true")

    add("daemon", "run the schedules of all profiles without the desktop app", cmd_daemon)

    sp = add("schedule", "install a system schedule (Task Scheduler, systemd/cron, launchd) for a profile",
             cmd_schedule)
    sp.add_argument("action", choices=["install", "uninstall", "show"])
    sp.add_argument("--profile", required=True)

    sp = add("autostart", "start KasirBackup in the tray when you log in", cmd_autostart)
    sp.add_argument("state", choices=["on", "off"])
