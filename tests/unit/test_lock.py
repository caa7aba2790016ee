"""The repository lock (kasirbackup.core.repo.lock): one writer at a time, a clear message
naming the owner when the lock is held, and stale locks (a crashed backup on this PC, or
a very old lock from another PC) taken over automatically."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from kasirbackup.core.errors import RepoLocked
from kasirbackup.core.repo.lock import LOCK_NAME, STALE_AFTER, RepoLock, process_start_marker
from kasirbackup.core.storage.local import LocalStorage

HOST = socket.gethostname()


@pytest.fixture
def store(tmp_path) -> LocalStorage:
    root = tmp_path / "repo"
    root.mkdir()
    return LocalStorage(root)


def _plant(store: LocalStorage, **info) -> None:
    """A lock file as another process would have left it."""
    payload = {"host": HOST, "pid": 1, "pid_start": None, "command": "backup", "nonce": "other",
               "time": time.time()}
    payload.update(info)
    store.save("locks", LOCK_NAME, json.dumps(payload).encode())


def _owner(store: LocalStorage) -> dict:
    return json.loads(store.load("locks", LOCK_NAME))


@pytest.fixture
def live_process():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_acquire_and_release(store):
    lock = RepoLock(store, "backup")
    lock.acquire()
    assert lock.held
    info = _owner(store)
    assert info["pid"] == os.getpid() and info["host"] == HOST and info["command"] == "backup"
    lock.release()
    assert not store.exists("locks", LOCK_NAME)
    lock.release()                                  # releasing twice is harmless


def test_context_manager(store):
    with RepoLock(store, "prune"):
        assert store.exists("locks", LOCK_NAME)
    assert not store.exists("locks", LOCK_NAME)


def test_second_writer_in_a_live_process_gets_repo_locked(store):
    first = RepoLock(store, "backup")
    first.acquire()
    try:
        with pytest.raises(RepoLocked) as info:
            RepoLock(store, "verify").acquire()
        msg = str(info.value)
        assert "'backup'" in msg and f"process {os.getpid()}" in msg and HOST in msg
        assert str(STALE_AFTER // 60) in msg                    # says when it would expire
        assert _owner(store)["nonce"] == first.nonce            # the holder keeps its lock
    finally:
        first.release()


def test_lock_of_another_live_process_is_respected(store, live_process):
    _plant(store, pid=live_process.pid, pid_start=process_start_marker(live_process.pid), command="backup")
    with pytest.raises(RepoLocked) as info:
        RepoLock(store, "backup").acquire()
    assert f"process {live_process.pid} on {HOST}" in str(info.value)
    assert _owner(store)["pid"] == live_process.pid             # not removed


def test_waiting_for_a_lock_that_is_released(store):
    holder = RepoLock(store, "backup")
    holder.acquire()
    import threading
    threading.Timer(0.3, holder.release).start()
    waiter = RepoLock(store, "backup")
    waiter.acquire(wait_s=5)
    assert waiter.held and _owner(store)["nonce"] == waiter.nonce
    waiter.release()


def test_lock_of_a_dead_process_on_this_host_is_taken_over(store, dead_pid):
    _plant(store, pid=dead_pid, time=time.time() - 5)
    lock = RepoLock(store, "backup")
    lock.acquire()
    assert _owner(store)["nonce"] == lock.nonce and _owner(store)["pid"] == os.getpid()
    lock.release()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process start markers come from /proc")
def test_lock_whose_pid_was_reused_is_taken_over(store, live_process):
    marker = process_start_marker(live_process.pid)
    assert marker is not None
    _plant(store, pid=live_process.pid, pid_start=str(int(marker) - 1000))   # same pid, another process
    lock = RepoLock(store, "backup")
    lock.acquire()
    assert _owner(store)["nonce"] == lock.nonce
    lock.release()


def test_recent_lock_from_another_host_is_respected(store):
    _plant(store, host="KASIR-PC-LAIN", pid=4242, time=time.time() - 60)
    with pytest.raises(RepoLocked) as info:
        RepoLock(store, "backup").acquire()
    assert "KASIR-PC-LAIN" in str(info.value) and "4242" in str(info.value)


def test_old_lock_from_another_host_is_stale(store):
    _plant(store, host="KASIR-PC-LAIN", pid=4242, time=time.time() - STALE_AFTER - 60)
    lock = RepoLock(store, "backup")
    lock.acquire()
    assert _owner(store)["nonce"] == lock.nonce
    lock.release()


def test_is_stale_rules(dead_pid):
    now = time.time()
    me = {"host": HOST, "pid": os.getpid(), "pid_start": process_start_marker(os.getpid()), "time": now}
    assert RepoLock.is_stale(me, now) is False
    assert RepoLock.is_stale({**me, "pid": dead_pid}, now) is True
    assert RepoLock.is_stale({**me, "time": now - STALE_AFTER - 1}, now) is True
    other = {"host": "KASIR-PC-LAIN", "pid": dead_pid, "time": now - STALE_AFTER + 60}
    assert RepoLock.is_stale(other, now) is False       # cannot see another PC's processes
    assert RepoLock.is_stale({**other, "time": now - STALE_AFTER - 60}, now) is True
    assert RepoLock.is_stale({**me, "pid": "not-a-pid"}, now) is True
    assert RepoLock.is_stale({**me, "time": "yesterday"}, now) is True


def test_a_lock_of_another_computer_is_trusted_for_twelve_hours(dead_pid):
    """The value, not only the name: a backup of another PC that runs for hours (a big
    database to a slow disk) must not have its lock taken over after minutes."""
    now = time.time()
    other = {"host": "KASIR-PC-LAIN", "pid": dead_pid}
    assert STALE_AFTER == 12 * 3600
    assert RepoLock.is_stale({**other, "time": now - 11 * 3600 - 59 * 60}, now) is False
    assert RepoLock.is_stale({**other, "time": now - 12 * 3600 - 60}, now) is True


def test_the_lock_file_says_who_holds_it(store):
    lock = RepoLock(store, "backup --db kasir.db")
    lock.acquire()
    info = json.loads(store.load("locks", LOCK_NAME))
    assert set(info) == {"host", "pid", "pid_start", "command", "nonce", "time"}
    assert (info["host"], info["pid"], info["command"]) == (socket.gethostname(), os.getpid(), "backup --db kasir.db")
    assert info["pid_start"] == process_start_marker(os.getpid()) and len(info["nonce"]) == 16
    assert abs(info["time"] - time.time()) < 3600
    lock.release()
    assert not lock.held


def test_a_release_after_the_lock_was_taken_over_leaves_the_new_holder_alone(store):
    """A (stalled past its lock's life) lost the lock to B: A's release must not remove B's."""
    a = RepoLock(store, "backup")
    a.acquire()
    store.remove("locks", LOCK_NAME)            # A's lock judged stale and removed by B
    b = RepoLock(store, "prune")
    b.acquire()
    a.release()
    assert json.loads(store.load("locks", LOCK_NAME))["command"] == "prune"
    with pytest.raises(RepoLocked):
        RepoLock(store, "backup").acquire()
    b.release()
    RepoLock(store, "backup").acquire()
