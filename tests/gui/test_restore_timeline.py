"""The restore wizard's timeline: a day, then a moment on it; the newest checked backup at or
before it is chosen, as ``restore --at`` would (issue 15)."""

from __future__ import annotations

from datetime import datetime, timedelta

from kasirbackup.core.repo.manifest import Kind, READBACK
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from kasirbackup.gui.restore_wizard import RestoreWizard
from tests.support.dbgen import simulate_day_of_sales

LONG = 60_000


def test_a_day_then_a_moment_chooses_the_backup(qtbot, ctx, profile, shop_db):
    repo = Repository.open(profile.repos[0], create=True)
    day0 = datetime.now().astimezone().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=2)
    made = {}
    for d, hours in ((0, [9, 12]), (1, [10]), (2, [8])):
        for h in hours:
            when = day0 + timedelta(days=d, hours=h - 9, minutes=d * 7)
            simulate_day_of_sales(str(shop_db), 2, seed=d * 10 + h)
            snap = backup(repo, BackupRequest(str(shop_db), kind=Kind.CONTINUOUS, check=READBACK,
                                              created_at=when)).snapshot
            made[(d, h)] = snap
    # a failed backup is never chosen
    failed = made[(0, 12)]
    failed.verification.ok = False
    repo.save_snapshot(failed)

    wiz = RestoreWizard(ctx, profile, None, None)
    qtbot.addWidget(wiz)
    wiz.open()
    page = wiz.currentPage()
    qtbot.waitUntil(lambda: page.loaded, timeout=LONG)
    tl = page.timeline
    days = [tl.day.itemData(i) for i in range(tl.day.count())]
    assert days == [(day0 + timedelta(days=d)).date() for d in (2, 1, 0)]      # newest day first
    assert tl.day.itemText(0).startswith("Today") and "(1 backup)" in tl.day.itemText(0)
    assert "(1 backup)" in tl.day.itemText(2)
    assert tl.day.itemText(1).startswith("Yesterday")
    # the oldest day: only the 09:00 backup is checked (12:00 failed)
    tl.day.setCurrentIndex(2)
    assert page.selected().id == made[(0, 9)].id
    tl.set_moment(made[(0, 9)].created_at - timedelta(minutes=1))     # before the first of the day
    assert page.selected().id == made[(0, 9)].id                      # (nothing before: the list keeps it)
    tl.day.setCurrentIndex(1)
    assert page.selected().id == made[(1, 10)].id
    assert tl.moment() >= made[(1, 10)].created_at
    assert "checked whole by a test restore" in page.detail.text()   # a read-back backup: no table count
    wiz.close()
