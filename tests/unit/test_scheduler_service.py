"""ScheduleService (kasirbackup.app.scheduling) driven by an injectable clock.

A fake APScheduler-like object records the jobs the service plans (one-shot DateTrigger
jobs plus the heartbeat); ``FakeScheduler.run_due`` plays the scheduler by firing the jobs
whose time has come, as APScheduler would (a date job leaves the job store when it fires).
The fake ``run`` writes to a real History the way runner.run_profile does. One test at the
end uses a real APScheduler 3.x BackgroundScheduler and the real run_profile.
"""

from __future__ import annotations

import subprocess
import sys

import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kasirbackup.app.history import History, Result, Trigger
from kasirbackup.app.scheduling import BACKOFF, CATCH_UP_DELAY, ScheduleService
from kasirbackup.app.settings import Profile, Schedule, Settings, SettingsStore

UTC = timezone.utc
WIB = ZoneInfo("Asia/Jakarta")
BERLIN = ZoneInfo("Europe/Berlin")


def u(t: datetime) -> datetime:
    """In UTC (an aware datetime in a DST gap/fold never == one with another tzinfo)."""
    return t.astimezone(UTC)


# -- fakes ---------------------------------------------------------------------------------------

class FakeClock:
    """A mutable "now". Returns local time in ``tz`` the way ``datetime.now(tz)`` does
    (including ``fold`` in a repeated hour)."""

    def __init__(self, start: datetime, tz) -> None:
        self.tz = tz
        self._utc = u(start)

    def __call__(self) -> datetime:
        return self._utc.astimezone(self.tz)

    def set(self, t: datetime) -> None:
        self._utc = u(t)

    def advance(self, **kw) -> datetime:
        self._utc += timedelta(**kw)
        return self()


class FakeJob:
    def __init__(self, func, trigger, args, id, name, kwargs):
        self.func, self.trigger, self.args, self.id, self.name, self.kwargs = func, trigger, args, id, name, kwargs

    @property
    def next_run_time(self):
        return getattr(self.trigger, "run_date", None)


class FakeScheduler:
    """The part of the APScheduler 3.x scheduler API that ScheduleService uses."""

    def __init__(self) -> None:
        self.jobs: dict[str, FakeJob] = {}
        self.added: list[FakeJob] = []        # every add_job call, in order
        self.removed: list[str] = []
        self.lock = threading.Lock()

    def add_job(self, func, trigger=None, args=None, id=None, name=None, replace_existing=False,
                misfire_grace_time="unset", coalesce="unset", max_instances="unset"):
        from apscheduler.jobstores.base import ConflictingIdError

        assert id, "every job needs an id (replace_existing relies on it)"
        kwargs = dict(replace_existing=replace_existing, misfire_grace_time=misfire_grace_time,
                      coalesce=coalesce, max_instances=max_instances)
        with self.lock:
            if id in self.jobs and not replace_existing:
                raise ConflictingIdError(id)
            job = FakeJob(func, trigger, tuple(args or ()), id, name, kwargs)
            self.jobs[id] = job
            self.added.append(job)
        return job

    def remove_job(self, job_id, jobstore=None):
        from apscheduler.jobstores.base import JobLookupError

        with self.lock:
            if job_id not in self.jobs:
                raise JobLookupError(job_id)
            del self.jobs[job_id]
            self.removed.append(job_id)

    def get_jobs(self):
        with self.lock:
            return list(self.jobs.values())

    # helpers of the tests
    def planned(self, prefix: str) -> list[FakeJob]:
        return [j for j in self.get_jobs() if j.id.startswith(prefix)]

    def one(self, prefix: str) -> FakeJob:
        jobs = self.planned(prefix)
        assert len(jobs) == 1, f"expected one {prefix} job, got {[(j.id, j.next_run_time) for j in jobs]}"
        return jobs[0]

    def added_with(self, prefix: str) -> list[FakeJob]:
        return [j for j in self.added if j.id.startswith(prefix)]

    def run_due(self, now: datetime) -> list[FakeJob]:
        """Fire the one-shot jobs whose run_date <= now (oldest first), like the scheduler."""
        fired = []
        while True:
            due = sorted((j for j in self.get_jobs() if j.next_run_time is not None and u(j.next_run_time) <= u(now)),
                         key=lambda j: u(j.next_run_time))
            if not due:
                return fired
            job = due[0]
            with self.lock:
                self.jobs.pop(job.id, None)      # a DateTrigger job leaves the store when it fires
            fired.append(job)
            job.func(*job.args)


class FakeRun:
    """Stands in for runner.run_profile: records the call and the run in History."""

    def __init__(self, history: History, clock: FakeClock, duration=timedelta(seconds=20)) -> None:
        self.history, self.clock, self.duration = history, clock, duration
        self.calls: list[tuple[str, Trigger, datetime]] = []
        self.fail = False
        self.gate: threading.Event | None = None     # if set, the run waits for it
        self.entered = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, profile: Profile, trigger: Trigger):
        with self._lock:
            self.calls.append((profile.name, trigger, self.clock()))
        rid = self.history.start(profile.name, trigger, self.clock())
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(10)
        end = self.clock() + self.duration
        if self.fail:
            self.history.finish(rid, Result.FAILED, end, "the backup disk is not connected")
        else:
            self.history.finish(rid, Result.SUCCESS, end, "backup verified", 1234, "abcd")
        return None


class Env:
    def __init__(self, tmp: Path, start: datetime, tz, schedule="daily@23:00", profiles=None):
        self.tz = tz
        self.clock = FakeClock(start, tz)
        self.store = SettingsStore(tmp / "config")
        self.profiles = profiles or [Profile("toko", str(tmp / "kasir.db"), [str(tmp / "repo")],
                                             Schedule.parse(schedule))]
        self.store.save(Settings(profiles=self.profiles))
        self.history = History(tmp / "data" / "history.db")
        self.sched = FakeScheduler()
        self.run = FakeRun(self.history, self.clock)
        self.svc = ScheduleService(self.sched, self.store, self.history, self.run, clock=self.clock, tz=tz)
        self.slept = 0
        self.svc.on_sleep_detected = self._slept

    def _slept(self):
        self.slept += 1

    @property
    def pid(self) -> str:
        return self.profiles[0].id

    def past_run(self, at: datetime, result=Result.SUCCESS, trigger=Trigger.SCHEDULED, name="toko"):
        rid = self.history.start(name, trigger, at)
        self.history.finish(rid, result, at + timedelta(seconds=20), "earlier run")

    def runs(self, name="toko"):
        return list(reversed(self.history.runs(name, limit=1000)))      # oldest first


@pytest.fixture
def env_factory(tmp_path):
    made = []

    def make(*a, **kw) -> Env:
        e = Env(tmp_path / f"e{len(made)}", *a, **kw)
        made.append(e)
        return e
    yield make
    for e in made:
        e.history.close()


def wib(*a) -> datetime:
    return datetime(*a, tzinfo=WIB)


def assert_job_options(sched: FakeScheduler):
    from apscheduler.triggers.date import DateTrigger

    for job in sched.added:
        assert job.kwargs["misfire_grace_time"] is None, job.id
        assert job.kwargs["coalesce"] is True, job.id
        assert job.kwargs["max_instances"] == 1, job.id
        assert job.kwargs["replace_existing"] is True, job.id
        if job.id not in ("heartbeat", "watch"):
            assert isinstance(job.trigger, DateTrigger), job.id
            assert job.func == job.func.__self__.fire
            assert job.args[0] == "toko" or isinstance(job.args[0], str)
            assert isinstance(job.args[1], Trigger)


# -- catch-up after the machine was off ---------------------------------------------------------

def test_missed_slot_caught_up_once_after_start(env_factory):
    e = env_factory(wib(2026, 6, 10, 23, 40), WIB)          # machine was off at 23:00
    e.past_run(wib(2026, 6, 9, 23, 0))                       # yesterday's run happened
    e.svc.start()
    now = e.clock()
    catch = e.sched.one("catchup:")
    assert catch.id == f"catchup:{e.pid}"
    assert u(catch.next_run_time) == u(now + CATCH_UP_DELAY)          # about a minute after start
    assert catch.args == ("toko", Trigger.CATCH_UP)
    nxt = e.sched.one("run:")
    assert u(nxt.next_run_time) == u(wib(2026, 6, 11, 23, 0))          # next slot, tomorrow
    assert e.sched.one("heartbeat").kwargs["misfire_grace_time"] is None
    assert not e.sched.planned("retry:")
    assert_job_options(e.sched)

    e.clock.advance(seconds=60)
    fired = e.sched.run_due(e.clock())
    assert [j.id for j in fired] == [f"catchup:{e.pid}"]
    assert [(c[0], c[1]) for c in e.run.calls] == [("toko", Trigger.CATCH_UP)]
    assert [(r.trigger, r.result) for r in e.runs()][-1] == (Trigger.CATCH_UP, Result.SUCCESS)

    # nothing more to catch up: neither resync nor a new start plans another catch-up
    assert not e.sched.planned("catchup:")
    e.clock.advance(minutes=5)
    e.svc.resync()
    e.svc.start()
    e.svc.heartbeat()
    assert not e.sched.planned("catchup:")
    assert len(e.sched.added_with("catchup:")) == 1
    e.clock.advance(minutes=30)
    assert e.sched.run_due(e.clock()) == []
    assert len(e.run.calls) == 1


def test_machine_off_for_days_one_catch_up_only(env_factory):
    e = env_factory(wib(2026, 6, 14, 9, 0), WIB)            # off from the 10th to the 14th
    e.past_run(wib(2026, 6, 9, 23, 0))
    e.svc.start()
    e.svc.resync()
    e.svc.start()                                            # again: still one catch-up job
    assert len(e.sched.planned("catchup:")) == 1
    e.clock.advance(minutes=2)
    e.sched.run_due(e.clock())
    e.clock.advance(hours=1)
    e.svc.heartbeat()
    e.sched.run_due(e.clock())
    assert [c[1] for c in e.run.calls] == [Trigger.CATCH_UP]


def test_no_catch_up_when_nothing_was_missed(env_factory):
    e = env_factory(wib(2026, 6, 10, 20, 0), WIB)
    e.past_run(wib(2026, 6, 9, 23, 0, 5))
    e.svc.start()
    assert not e.sched.planned("catchup:")
    assert u(e.sched.one("run:").next_run_time) == u(wib(2026, 6, 10, 23, 0))
    # the scheduled job fires at 23:00: one scheduled run, the next one planned for tomorrow
    e.clock.set(wib(2026, 6, 10, 23, 0))
    e.sched.run_due(e.clock())
    assert [c[1] for c in e.run.calls] == [Trigger.SCHEDULED]
    assert u(e.sched.one("run:").next_run_time) == u(wib(2026, 6, 11, 23, 0))
    assert not e.sched.planned("catchup:") and not e.sched.planned("retry:")


def test_a_run_that_woke_just_before_its_slot_is_that_slots_run(env_factory):
    """APScheduler's timer and the wall clock differ: the 23:00 run may record 22:59:59.98.
    That is no missed slot (a catch-up a minute later would back up the database twice);
    a run ten minutes early is not the slot's run."""
    e = env_factory(wib(2026, 6, 10, 23, 5), WIB)
    e.past_run(wib(2026, 6, 10, 22, 59, 59))
    e.svc.start()
    assert not e.sched.planned("catchup:")
    e2 = env_factory(wib(2026, 6, 10, 23, 5), WIB)
    e2.past_run(wib(2026, 6, 10, 22, 50))
    e2.svc.start()
    assert len(e2.sched.planned("catchup:")) == 1


def test_off_schedule_plans_nothing_and_removed_profile_loses_its_jobs(env_factory):
    e = env_factory(wib(2026, 6, 10, 20, 0), WIB)
    e.svc.start()
    assert e.sched.planned("run:")
    e.store.save(Settings(profiles=[]))
    e.svc.resync()
    assert [j.id for j in e.sched.get_jobs()] == ["heartbeat", "watch"]
    p = Profile("toko", "/x.db", ["/r"], Schedule.parse("off"))
    e.store.save(Settings(profiles=[p]))
    e.svc.resync()
    assert [j.id for j in e.sched.get_jobs()] == ["heartbeat", "watch"]


@pytest.mark.parametrize("tz, utc_hour", [(ZoneInfo("Asia/Jakarta"), 16), (ZoneInfo("Asia/Makassar"), 15),
                                          (ZoneInfo("Asia/Jayapura"), 14)], ids=["WIB", "WITA", "WIT"])
def test_indonesian_zones_plan_at_local_time(env_factory, tz, utc_hour):
    e = env_factory(datetime(2026, 6, 10, 5, 0, tzinfo=UTC), tz)
    e.past_run(datetime(2026, 6, 9, utc_hour, 0, 10, tzinfo=UTC))
    e.svc.start()
    assert not e.sched.planned("catchup:")
    job = e.sched.one("run:")
    assert u(job.next_run_time) == datetime(2026, 6, 10, utc_hour, 0, tzinfo=UTC)
    assert job.next_run_time.astimezone(tz).strftime("%H:%M") == "23:00"
    e.clock.set(datetime(2026, 6, 10, utc_hour, 0, tzinfo=UTC))
    e.sched.run_due(e.clock())
    assert [c[1] for c in e.run.calls] == [Trigger.SCHEDULED]


# -- sleep ------------------------------------------------------------------------------------------

def test_heartbeat_after_sleep_gap_plans_catch_up(env_factory):
    e = env_factory(wib(2026, 6, 10, 21, 0), WIB)
    e.past_run(wib(2026, 6, 9, 23, 0))
    e.svc.start()
    e.clock.advance(seconds=30)
    e.svc.heartbeat()
    e.clock.advance(seconds=30)
    e.svc.heartbeat()
    assert e.slept == 0 and not e.sched.planned("catchup:")
    # the laptop is closed at 21:01 and opened at 00:01: three hours without a heartbeat
    e.clock.advance(hours=3)
    e.svc.heartbeat()
    assert e.slept == 1
    catch = e.sched.one("catchup:")
    assert u(catch.next_run_time) == u(e.clock() + CATCH_UP_DELAY)
    # in APScheduler both the late 23:00 job and the catch-up are due now; one run only
    e.clock.advance(seconds=61)
    e.sched.run_due(e.clock())
    assert len(e.run.calls) == 1
    e.clock.advance(minutes=20)
    e.svc.heartbeat()
    e.sched.run_due(e.clock())
    assert len(e.run.calls) == 1
    assert not e.sched.planned("catchup:")
    assert u(e.sched.one("run:").next_run_time) == u(wib(2026, 6, 11, 23, 0))


def test_sleep_without_missed_slot_plans_no_catch_up(env_factory):
    e = env_factory(wib(2026, 6, 10, 9, 0), WIB)
    e.past_run(wib(2026, 6, 9, 23, 0))
    e.svc.start()
    e.svc.heartbeat()
    e.clock.advance(hours=3)
    e.svc.heartbeat()
    assert e.slept == 1
    assert not e.sched.planned("catchup:")


def test_regular_heartbeats_are_not_sleep_and_resync_every_15_minutes(env_factory):
    e = env_factory(wib(2026, 6, 10, 9, 0), WIB)
    e.past_run(wib(2026, 6, 9, 23, 0))
    e.svc.start()
    n0 = len(e.sched.added_with("run:"))
    for _ in range(2 * 60):                                 # one hour of heartbeats
        e.clock.advance(seconds=30)
        e.svc.heartbeat()
    assert e.slept == 0
    assert len(e.sched.added_with("run:")) - n0 == 4        # resync every 15 minutes


# -- never twice at once --------------------------------------------------------------------------

def test_two_fires_at_once_make_one_run_and_one_skip(env_factory):
    e = env_factory(wib(2026, 6, 10, 23, 0), WIB)
    e.past_run(wib(2026, 6, 9, 23, 0))
    e.svc.start()
    e.run.gate = threading.Event()
    barrier = threading.Barrier(2)
    results = {}

    def go(trigger):
        barrier.wait()
        results[trigger] = e.svc.fire("toko", trigger)

    threads = [threading.Thread(target=go, args=(t,)) for t in (Trigger.SCHEDULED, Trigger.CATCH_UP)]
    for t in threads:
        t.start()
    assert e.run.entered.wait(5)
    # the loser returns at once (it does not wait for the running backup)
    # the loser returns while the winner is held at its gate: were it waiting for the
    # winner, it could never return here (the bound only keeps a broken build from hanging)
    deadline = time.monotonic() + 60
    while len(results) < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(results) == 1, "the second fire() waits for the running backup instead of returning"
    e.run.gate.set()
    for t in threads:
        t.join(5)
        assert not t.is_alive()
    assert len(e.run.calls) == 1
    runs = e.runs()[1:]                                      # without yesterday's
    assert sorted(r.result.value for r in runs) == ["skipped", "success"]
    skipped = next(r for r in runs if r.result == Result.SKIPPED)
    assert "already running" in skipped.message
    assert skipped.trigger != e.run.calls[0][1]
    # a skip is not an attempt: no catch-up or retry is planned because of it
    assert not e.sched.planned("catchup:") and not e.sched.planned("retry:")


def test_fire_of_unknown_profile_is_recorded_as_skipped(env_factory):
    e = env_factory(wib(2026, 6, 10, 23, 0), WIB)
    assert e.svc.fire("gone", Trigger.SCHEDULED) is None
    r = e.history.runs("gone")
    assert len(r) == 1 and r[0].result == Result.SKIPPED and "profile unavailable" in r[0].message
    assert e.run.calls == []


# -- failures and back-off ------------------------------------------------------------------------

def test_failing_run_backs_off_then_gives_up_until_next_slot(env_factory):
    e = env_factory(wib(2026, 6, 10, 22, 0), WIB)
    e.past_run(wib(2026, 6, 9, 23, 0))
    e.svc.start()
    e.run.fail = True
    e.clock.set(wib(2026, 6, 10, 23, 0))
    e.sched.run_due(e.clock())
    assert [c[1] for c in e.run.calls] == [Trigger.SCHEDULED]
    for n, delay in enumerate(BACKOFF, start=1):
        last = e.runs()[-1]
        assert last.result == Result.FAILED and last.message == "the backup disk is not connected"
        retry = e.sched.one("retry:")
        assert retry.args == ("toko", Trigger.RETRY)
        assert u(retry.next_run_time) == u(last.ended_at + delay), f"retry {n}"
        e.clock.set(retry.next_run_time)
        e.sched.run_due(e.clock())
        assert len(e.run.calls) == n + 1
    assert [d for d in BACKOFF] == [timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
                                    timedelta(hours=3)]
    # five failures recorded (scheduled + 4 retries); no more retries until the next slot
    today = e.runs()[1:]
    assert [(r.trigger, r.result) for r in today] == [(Trigger.SCHEDULED, Result.FAILED)] + \
        [(Trigger.RETRY, Result.FAILED)] * 4
    assert not e.sched.planned("retry:")
    assert not e.sched.planned("catchup:")
    e.clock.advance(hours=2)
    e.svc.heartbeat()
    e.svc.resync()
    assert not e.sched.planned("retry:")
    assert u(e.sched.one("run:").next_run_time) == u(wib(2026, 6, 11, 23, 0))
    assert_job_options(e.sched)


def test_backoff_starts_again_after_next_scheduled_failure(env_factory):
    """After the retries of one slot are used up, the next slot's failure is retried again
    (5 min ...), not left alone until some day a run succeeds."""
    e = env_factory(wib(2026, 6, 10, 22, 0), WIB)
    e.past_run(wib(2026, 6, 9, 23, 0))
    e.svc.start()
    e.run.fail = True
    e.clock.set(wib(2026, 6, 10, 23, 0))
    e.sched.run_due(e.clock())
    for _ in BACKOFF:
        e.clock.set(e.sched.one("retry:").next_run_time)
        e.sched.run_due(e.clock())
    assert not e.sched.planned("retry:")
    # next day: the scheduled run fails again (disk still unplugged)
    e.clock.set(wib(2026, 6, 11, 23, 0))
    e.sched.run_due(e.clock())
    assert e.run.calls[-1][1] == Trigger.SCHEDULED
    last = e.runs()[-1]
    assert last.result == Result.FAILED
    retry = e.sched.planned("retry:")
    assert retry, "no retry planned after the next scheduled run failed (back-off never restarts)"
    assert u(retry[0].next_run_time) == u(last.ended_at + BACKOFF[0])


def test_success_resets_backoff(env_factory):
    e = env_factory(wib(2026, 6, 10, 22, 0), WIB)
    e.past_run(wib(2026, 6, 9, 23, 0))
    e.svc.start()
    e.run.fail = True
    e.clock.set(wib(2026, 6, 10, 23, 0))
    e.sched.run_due(e.clock())
    e.run.fail = False
    e.clock.set(e.sched.one("retry:").next_run_time)
    e.sched.run_due(e.clock())
    assert [c[1] for c in e.run.calls] == [Trigger.SCHEDULED, Trigger.RETRY]
    assert e.runs()[-1].result == Result.SUCCESS
    assert not e.sched.planned("retry:") and not e.sched.planned("catchup:")
    e.run.fail = True
    e.clock.set(wib(2026, 6, 11, 23, 0))
    e.sched.run_due(e.clock())
    assert u(e.sched.one("retry:").next_run_time) == u(e.runs()[-1].ended_at + BACKOFF[0])


def test_start_marks_stale_running_row_interrupted_and_retries(env_factory):
    e = env_factory(wib(2026, 6, 10, 23, 30), WIB)
    e.past_run(wib(2026, 6, 9, 23, 0))
    stale = e.history.start("toko", Trigger.SCHEDULED, wib(2026, 6, 10, 23, 0))   # power cut at 23:05
    # the run belonged to a process that is gone now (a run of a live process is left alone)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    e.history._exec("UPDATE runs SET pid = ? WHERE id = ?", (gone.pid, stale))
    e.svc.start()
    row = next(r for r in e.runs() if r.id == stale)
    assert row.result == Result.INTERRUPTED
    assert row.ended_at is not None and u(row.ended_at) == u(e.clock())
    assert "ended during the run" in row.message
    assert not e.sched.planned("catchup:")          # it was attempted
    retry = e.sched.one("retry:")
    assert u(retry.next_run_time) == u(e.clock() + BACKOFF[0])


# -- daylight saving time: Europe/Berlin, daily@02:30, nights of 2026 -------------------------------

def _night(e: Env, until: datetime) -> None:
    """Let time pass in 30 s steps like a running program: due jobs fire, heartbeats beat."""
    while u(e.clock()) < u(until):
        e.clock.advance(seconds=30)
        e.sched.run_due(e.clock())
        e.svc.heartbeat()


def test_dst_spring_forward_night_runs_once_at_0330_cest(env_factory):
    e = env_factory(datetime(2026, 3, 28, 22, 0, tzinfo=UTC), BERLIN, schedule="daily@02:30")
    e.past_run(datetime(2026, 3, 28, 1, 30, tzinfo=UTC))
    e.svc.start()
    assert u(e.sched.one("run:").next_run_time) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    _night(e, datetime(2026, 3, 29, 5, 0, tzinfo=UTC))
    got = [(c[1].value, u(c[2])) for c in e.run.calls]
    assert got == [("scheduled", datetime(2026, 3, 29, 1, 30, tzinfo=UTC))], got[:6]
    assert e.slept == 0, "the clock jumping from 02:00 to 03:00 is not a sleep of the machine"


def test_dst_fall_back_night_runs_once(env_factory):
    e = env_factory(datetime(2026, 10, 24, 22, 0, tzinfo=UTC), BERLIN, schedule="daily@02:30")
    e.past_run(datetime(2026, 10, 24, 0, 30, tzinfo=UTC))
    e.svc.start()
    _night(e, datetime(2026, 10, 25, 5, 0, tzinfo=UTC))
    got = [(c[1].value, u(c[2])) for c in e.run.calls]
    assert got == [("scheduled", datetime(2026, 10, 25, 0, 30, tzinfo=UTC))], got
    assert e.slept == 0


def test_dst_start_in_repeated_hour_does_not_run_again(env_factory):
    """The program (re)starts at the second 02:10 (CET) after the 02:30 CEST run was done."""
    e = env_factory(datetime(2026, 10, 25, 1, 10, tzinfo=UTC), BERLIN, schedule="daily@02:30")
    e.past_run(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    assert e.clock().fold == 1
    e.svc.start()
    nxt = e.sched.one("run:")
    assert u(nxt.next_run_time) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC), \
        f"planned {nxt.next_run_time.isoformat()} = {u(nxt.next_run_time)}: in the past, so APScheduler runs it now"
    e.clock.advance(minutes=2)
    e.sched.run_due(e.clock())
    assert e.run.calls == []


def test_dst_start_after_gap_keeps_todays_run_at_0330(env_factory):
    """The program starts at 03:10 CEST on the spring-forward day; today's run (03:30 CEST)
    is still to come: it must be planned for then, not skipped nor caught up early."""
    e = env_factory(datetime(2026, 3, 29, 1, 10, tzinfo=UTC), BERLIN, schedule="daily@02:30")
    e.past_run(datetime(2026, 3, 28, 1, 30, tzinfo=UTC))
    e.svc.start()
    assert not e.sched.planned("catchup:"), "02:30 today (= 03:30 CEST) is not due yet at 03:10 CEST"
    assert u(e.sched.one("run:").next_run_time) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


# -- the real APScheduler 3.x --------------------------------------------------------------------

def test_real_background_scheduler_runs_the_profile_once(tmp_path, pos_db):
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
    from apscheduler.schedulers.background import BackgroundScheduler

    from kasirbackup.app.runner import run_profile

    history = History(tmp_path / "data" / "history.db")
    rid = history.start("toko", Trigger.MANUAL, datetime.now(UTC) - timedelta(seconds=1))   # nothing to catch up
    history.finish(rid, Result.SUCCESS, datetime.now(UTC))
    store = SettingsStore(tmp_path / "config")
    for attempt in range(8):
        # a zone whose offset puts a whole minute a few seconds from now, so that a
        # daily@HH:MM schedule is due soon without waiting up to a minute; a busy machine
        # that eats the lead gets a longer one next time
        target = datetime.now(UTC) + timedelta(seconds=3 + 3 * attempt)
        tz = timezone(-timedelta(seconds=target.second, microseconds=target.microsecond))
        slot = target.astimezone(tz)
        assert slot.second == 0 and slot.microsecond == 0
        profile = Profile("toko", str(pos_db), [str(tmp_path / "repo1")], Schedule.parse(f"daily@{slot:%H:%M}"))
        store.save(Settings(profiles=[profile]))
        if datetime.now(UTC) < target - timedelta(seconds=1):     # a slow disk did not eat the lead
            break
    else:
        raise AssertionError("could not set the test up with 24 s of lead: is the disk hanging?")
    scheduler = BackgroundScheduler(timezone=UTC)
    finished = threading.Event()           # the job returned: its run is recorded, the next one planned
    # (the service's own heartbeat and watch jobs run too: only the profile's run counts)
    scheduler.add_listener(lambda event: event.job_id.startswith("run:") and finished.set(),
                           EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    svc = ScheduleService(scheduler, store, history, lambda p, t: run_profile(p, t, history), tz=tz)
    try:
        svc.start()
        scheduler.start()
        planned = svc.next_runs()
        assert [(p.profile, p.trigger) for p in planned] == [("toko", Trigger.SCHEDULED)]
        assert u(planned[0].at) == u(slot)
        assert finished.wait(120), "the scheduled run did not finish"
        nxt = svc.next_runs()
        scheduler.shutdown(wait=True)          # a second run would have been recorded by now
        done = [r for r in history.runs("toko") if r.trigger == Trigger.SCHEDULED]
        assert len(done) == 1, [r.to_json() for r in history.runs("toko")]
        assert done[0].result == Result.SUCCESS, done[0].message
        assert done[0].bytes_added > 0 and done[0].snapshot_id
        # at its slot, not before it; how late a loaded machine starts it is not this test's business
        assert (u(done[0].started_at) - u(target)).total_seconds() > -0.5
        # the next run is planned for tomorrow, no catch-up or retry
        assert [(p.profile, p.trigger) for p in nxt] == [("toko", Trigger.SCHEDULED)]
        assert timedelta(hours=23) < u(nxt[0].at) - u(target) <= timedelta(hours=24, seconds=1)
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        history.close()


def test_next_runs_lists_jobs_planned_before_the_scheduler_starts(tmp_path):
    """``kasirbackup daemon`` prints ``service.next_runs()`` after ``service.start()`` and
    before ``scheduler.start()``; APScheduler 3.x gives pending jobs no next_run_time yet."""
    from apscheduler.schedulers.background import BackgroundScheduler

    store = SettingsStore(tmp_path / "config")
    store.save(Settings(profiles=[Profile("toko", "/x.db", ["/r"], Schedule.parse("daily@23:00"))]))
    history = History(tmp_path / "history.db")
    scheduler = BackgroundScheduler(timezone=UTC)
    svc = ScheduleService(scheduler, store, history, lambda p, t: None, tz=WIB)
    try:
        svc.start()
        planned = [(p.profile, p.trigger) for p in svc.next_runs()]
        assert ("toko", Trigger.SCHEDULED) in planned, planned
    finally:
        history.close()


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset (POSIX)")
def test_default_zone_follows_daylight_saving(env_factory, monkeypatch):
    """Without an explicit tz (``kasirbackup daemon``, the desktop app) the service uses the
    machine's zone; in Europe/Berlin a service started in winter must plan summer runs at
    02:30 CEST, not at 02:30 CET (= 03:30 CEST)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        e = env_factory(datetime(2026, 3, 25, 12, 0, tzinfo=UTC), BERLIN, schedule="daily@02:30")
        e.past_run(datetime(2026, 3, 25, 1, 30, tzinfo=UTC))
        svc = ScheduleService(e.sched, e.store, e.history, e.run, clock=e.clock)     # tz from the machine
        svc.start()
        assert u(e.sched.one("run:").next_run_time) == datetime(2026, 3, 26, 1, 30, tzinfo=UTC)   # 02:30 CET
        e.clock.set(datetime(2026, 3, 29, 12, 0, tzinfo=UTC))       # after the change, same process
        e.past_run(datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
        svc.resync()
        nxt = e.sched.one("run:").next_run_time
        assert u(nxt) == datetime(2026, 3, 30, 0, 30, tzinfo=UTC), \
            f"planned {nxt.isoformat()} (zone {svc.tz!r}): 02:30 CET instead of 02:30 CEST"
    finally:
        monkeypatch.undo()
        time.tzset()
