"""S3-compatible object storage (``s3://BUCKET/PREFIX``) against a real S3 server on loopback.

The server is moto's (``python -m moto.server``), started once for this module on a free
port of 127.0.0.1 and stopped at the end. The command line runs in subprocesses with
``AWS_ENDPOINT_URL`` and test credentials in their environment, exactly as a user sets it
up. Outages and kills go through a small TCP proxy in front of the server, because moto
keeps its data in memory: stopping moto itself would lose the bucket, while a proxy that
stops listening is, for the client, the same as a server that went away — and the bucket
is still there when it "comes back".
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support.s3server import MotoServer, free_port

boto3 = pytest.importorskip("boto3")
pytest.importorskip("moto.server")

from kbhelpers import KB, make_kb  # noqa: E402
from tests.support.dbgen import make_pos_db, simulate_day_of_sales  # noqa: E402

from kasirbackup.core.storage import s3 as storage_s3  # noqa: E402
from kasirbackup.core.errors import RepoNotEmpty, RepoNotFound  # noqa: E402
from kasirbackup.core.repo.repository import Repository, UnsupportedLocation, open_storage  # noqa: E402
from kasirbackup.core.storage.s3 import S3LocationInvalid, S3Storage, parse_s3_url  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


# -- the server, a proxy in front of it, and the environment of the command line -------------

class Proxy:
    """TCP forwarder 127.0.0.1:port → the server. ``stop()``/``start()`` make the
    endpoint vanish and come back (connection refused meanwhile). ``trip_after(n, mode)``
    acts when the client starts its (n+1)-th upload of a pack (``PUT /bucket/prefix/data/``):
    ``close`` stops the proxy at that moment, ``freeze`` swallows that request and
    everything after it, so the client hangs mid-upload with exactly n packs stored."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tripped = threading.Event()
        self._pattern: bytes | None = None
        self._limit = 0
        self._seen = 0
        self._mode = ""
        self._frozen = False
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.start()

    def start(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            conns, self._conns = self._conns, []
        if listener is not None:
            listener.close()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def trip_after(self, pattern: bytes, n: int, mode: str) -> None:
        with self._lock:
            self._pattern, self._limit, self._seen, self._mode = pattern, n, 0, mode
            self._frozen = False
            self.tripped.clear()

    def reset(self) -> None:
        with self._lock:
            self._pattern, self._frozen = None, False

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, outbound: bool) -> None:
        carry = b""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if outbound and self._pattern is not None:
                    window = carry + data
                    with self._lock:
                        self._seen += window.count(self._pattern) - carry.count(self._pattern)
                        over = self._seen > self._limit
                        if over and self._mode == "freeze":
                            self._frozen = True
                    carry = window[-len(self._pattern):]
                    if over:
                        self.tripped.set()
                        if self._mode == "close":
                            self.stop()
                            return
                if self._frozen:
                    continue          # swallow: the server never sees the rest
                dst.sendall(data)
        except OSError:
            pass
        finally:
            if not self._frozen:
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = MotoServer(tmp_path_factory.mktemp("moto"))
    yield srv
    srv.stop()


_bucket_seq = iter(range(1, 10_000))


@pytest.fixture
def bucket(server) -> str:
    name = f"toko-{os.getpid()}-{next(_bucket_seq)}"
    server.client().create_bucket(Bucket=name)
    return name


def aws_env(endpoint: str, workdir: Path, key: str = "test", secret: str = "test") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
               AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="2", AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE=str(workdir / "no-aws-config"),
               AWS_SHARED_CREDENTIALS_FILE=str(workdir / "no-aws-credentials"))
    return env


def s3kb(tmp_path: Path, endpoint: str, **creds) -> KB:
    kb = make_kb(tmp_path)
    base = {k: v for k, v in kb.env.items() if not k.startswith("AWS_")}
    kb.env = {**base, **aws_env(endpoint, tmp_path, **creds)}
    return kb


@pytest.fixture
def in_process_env(server, tmp_path, monkeypatch):
    """The same environment for engine calls made inside the test process."""
    for k in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(k)
    for k, v in aws_env(server.url, tmp_path).items():
        if k.startswith("AWS_"):
            monkeypatch.setenv(k, v)


def keys(server, bucket: str, prefix: str = "") -> dict[str, str]:
    """Every key under ``prefix`` with its ETag."""
    out = {}
    for page in server.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", ()):
            out[obj["Key"]] = obj["ETag"]
    return out


def data_keys(server, bucket: str, prefix: str) -> dict[str, int]:
    out = {}
    for page in server.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix + "/data/"):
        for obj in page.get("Contents", ()):
            out[obj["Key"]] = obj["Size"]
    return out


def small_packs(server, bucket: str, prefix: str, kb: KB) -> None:
    """Create the repository and make its packs small (64 KiB), so that a backup of a few
    MB uploads many packs — room to interrupt it half-way."""
    kb.run("init", "--repo", f"s3://{bucket}/{prefix}", check=True)
    c = server.client()
    key = f"{prefix}/kasirbackup.json"
    cfg = json.loads(c.get_object(Bucket=bucket, Key=key)["Body"].read())
    cfg["pack_bytes"] = 65536
    c.put_object(Bucket=bucket, Key=key, Body=json.dumps(cfg).encode())


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.strip()
    assert "\n" not in err and "Traceback" not in err, err
    assert err.startswith("kasirbackup: "), err
    return err


def rows(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


# -- the backend itself ------------------------------------------------------------------------

def test_locations_and_names(server, in_process_env):
    assert parse_s3_url("s3://toko-backup/kasir/") == ("toko-backup", "kasir")
    assert parse_s3_url("S3://toko-backup") == ("toko-backup", "")
    for bad in ("s3://", "s3:///x", "s3://b/a/../c", "s3://b/a//c", "s3://b/./c", "s3://b/a\x01", "s3://b/a\\c"):
        with pytest.raises(S3LocationInvalid):
            parse_s3_url(bad)
    with pytest.raises(UnsupportedLocation):
        open_storage("sftp://nas/backup")
    st = open_storage("s3://toko-backup/kasir")
    assert isinstance(st, S3Storage) and st.location == "s3://toko-backup/kasir"
    for kind in ("config", "data", "index", "snapshots", "locks"):
        for name in ("../x", "..", ".", "", "a/b", "a\\b", "x\0y", "x\ny", "..json", "a..b", "/etc/passwd"):
            with pytest.raises(ValueError):
                st.save(kind, name, b"x")
            with pytest.raises(ValueError):
                st.load(kind, name)
            with pytest.raises(ValueError):
                st.remove(kind, name)
    assert st._key("data", "ab" + "0" * 62) == "kasir/data/ab/ab" + "0" * 62
    assert st._key("config", "kasirbackup.json") == "kasir/kasirbackup.json"
    assert st._key("locks", "exclusive") == "kasir/locks/exclusive"


def test_storage_verbs(server, bucket, in_process_env, monkeypatch):
    st = S3Storage.from_url(f"s3://{bucket}/shop")
    sent: list[dict] = []
    st._client.meta.events.register("before-send.s3.PutObject", lambda request, **_: sent.append(dict(request.headers)))
    blob = bytes(range(256)) * 40
    name = hashlib.sha256(blob).hexdigest()
    st.save("data", name, blob)
    md5 = base64.b64encode(hashlib.md5(blob).digest()).decode()
    assert sent and sent[-1]["Content-MD5"] in (md5, md5.encode()), "every PUT carries Content-MD5"
    assert st.load("data", name) == blob
    assert st.load("data", name, 100, 50) == blob[100:150]           # ranged GET
    assert st.load("data", name, 10_000) == blob[10_000:]
    assert st.load("data", name, len(blob) + 5, 10) == b""             # past the end, like a file
    assert st.size("data", name) == len(blob)
    assert list(st.list("data")) == [name]
    with pytest.raises(FileNotFoundError):
        st.load("snapshots", "missing.json")
    with pytest.raises(FileNotFoundError):
        st.load("data", "ab" * 32, 0, 10)
    with pytest.raises(FileNotFoundError):
        st.size("index", "cd" * 32)
    st.remove("index", "cd" * 32)                                      # missing: not an error
    # pagination: more objects than one page holds
    monkeypatch.setattr(storage_s3, "LIST_PAGE_SIZE", 7)
    names = {f"{i:032x}.json" for i in range(20)}
    for n in names:
        st.save("snapshots", n, b"{}")
    assert set(st.list("snapshots")) == names
    st.remove("data", name)
    assert list(st.list("data")) == [] and not st.exists("data", name)


def test_exclusive_create_conditional_and_fallback(server, bucket, in_process_env, monkeypatch):
    a = S3Storage.from_url(f"s3://{bucket}/shop")
    assert a._probe_conditional() is True        # moto honours If-None-Match: *
    assert a.create_exclusive("locks", "exclusive", b"A") is True
    assert a.create_exclusive("locks", "exclusive", b"B") is False
    assert a.load("locks", "exclusive") == b"A"
    assert not [k for k in keys(server, bucket) if "probe-" in k], "the probe object is removed"
    # a server without conditional writes: check, put, settle, re-read
    monkeypatch.setattr(storage_s3, "LOCK_SETTLE_S", 0.05)
    b = S3Storage.from_url(f"s3://{bucket}/other")
    b._conditional = False
    assert b.create_exclusive("locks", "exclusive", b"B1") is True
    assert b.create_exclusive("locks", "exclusive", b"B2") is False
    assert b.load("locks", "exclusive") == b"B1"


def test_init_needs_an_empty_prefix(server, bucket, in_process_env):
    c = server.client()
    c.put_object(Bucket=bucket, Key="busy/notes.txt", Body=b"someone else's")
    with pytest.raises(RepoNotEmpty):
        Repository.init(f"s3://{bucket}/busy")
    with pytest.raises(RepoNotEmpty):
        Repository.open(f"s3://{bucket}/busy", create=True)
    with pytest.raises(RepoNotFound):
        Repository.open(f"s3://{bucket}/nothing-here")
    repo = Repository.open(f"s3://{bucket}/fresh", create=True)
    assert Repository.open(f"s3://{bucket}/fresh").config.id == repo.config.id
    assert Repository.init(f"s3://{bucket}/fresh").config.id == repo.config.id   # already one: opened
    assert list(keys(server, bucket, "busy/")) == ["busy/notes.txt"]


# -- the command line end to end ----------------------------------------------------------------

def test_backup_list_verify_restore_diff_prune(server, bucket, tmp_path):
    kb = s3kb(tmp_path, server.url)
    repo = f"s3://{bucket}/kasir"
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 2_000_000, seed=3)
    first_bytes = db.read_bytes()

    r1 = kb.json("backup", "--db", db, "--repo", repo, "--label", "first")    # creates the repository
    assert r1["verified"] and keys(server, bucket, "kasir/kasirbackup.json")
    simulate_day_of_sales(str(db), 30, seed=5)
    r2 = kb.json("backup", "--db", db, "--repo", repo)
    assert r2["verified"]
    assert r2["added_bytes"] < r1["added_bytes"] / 4, (r1["added_bytes"], r2["added_bytes"])

    listed = kb.json("list", "--repo", repo)
    assert [s["id"] for s in listed] == [r2["id"], r1["id"]]
    for item in listed:
        assert {"id", "created_at", "kind", "label", "db_bytes", "added_bytes", "tables", "sha256",
                "verified"} <= item.keys() and item["verified"] is True
    assert listed[1]["label"] == "first" and listed[1]["db_bytes"] == len(first_bytes)

    ver = kb.json("verify", "--all", "--repo", repo)
    assert ver["ok"] and len(ver["snapshots"]) == 2 and all(s["ok"] for s in ver["snapshots"])

    out = tmp_path / "restored.db"
    kb.run("restore", "--repo", repo, "--snapshot", r1["id"][:8], "--to", out, check=True)
    assert out.read_bytes() == first_bytes

    diff = kb.json("diff", "--repo", repo, "--snapshot", r1["id"][:8], "--db", db)
    assert diff["same_database"] is True
    assert "transaksi" in json.dumps(diff)
    assert rows(db)["transaksi"] == r1["tables"]["transaksi"] + 30

    # a change of most pages, so that pruning the older backups frees whole packs
    conn = sqlite3.connect(db)
    conn.execute("UPDATE transaksi SET diskon = diskon + 1")
    conn.execute("UPDATE transaksi_detail SET harga = harga + 1")
    conn.commit()
    conn.close()
    r3 = kb.json("backup", "--db", db, "--repo", repo)
    assert r3["verified"]

    # live restore of the first backup into the database, with its safety snapshot
    kb.run("restore", "--repo", repo, "--snapshot", r1["id"][:8], "--to", db, "--yes", check=True)
    assert rows(db) == r1["tables"]
    listed = kb.json("list", "--repo", repo)
    assert listed[0]["kind"] == "before-restore" and len(listed) == 4

    data_before = data_keys(server, bucket, "kasir")
    pr = kb.json("prune", "--repo", repo, "--keep-last", "1")
    assert pr["removed"] == 3 and pr["packs_deleted"] >= 1, pr
    data_after = data_keys(server, bucket, "kasir")
    gone = data_before.keys() - data_after.keys()
    assert len(gone) >= pr["packs_deleted"] - pr["packs_written"] and gone, (pr, data_before, data_after)
    c = server.client()
    for key in gone:
        with pytest.raises(c.exceptions.ClientError):
            c.head_object(Bucket=bucket, Key=key)
    assert sum(data_after.values()) < sum(data_before.values())
    snap_keys = [k for k in keys(server, bucket, "kasir/snapshots/")]
    assert snap_keys == [f"kasir/snapshots/{listed[0]['id']}.json"]

    assert kb.json("verify", "--all", "--repo", repo)["ok"]
    again = tmp_path / "after-prune.db"
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--to", again, check=True)
    assert rows(again)["transaksi"] == r3["tables"]["transaksi"]
    assert not keys(server, bucket, "kasir/locks/"), "no lock left behind"


def test_missing_bucket_is_one_clear_line(server, tmp_path, pos_db):
    kb = s3kb(tmp_path, server.url)
    for args in (("backup", "--db", pos_db), ("list",), ("verify", "--all")):
        err = one_line_error(kb.run(*args, "--repo", "s3://no-such-bucket-here/kasir"))
        assert "no bucket named no-such-bucket-here" in err, err


def test_wrong_credentials_and_read_only_key(server, bucket, tmp_path, pos_db):
    repo = f"s3://{bucket}/kasir"
    s3kb(tmp_path, server.url).run("backup", "--db", pos_db, "--repo", repo, check=True)
    iam = server.client("iam")
    iam.create_user(UserName="kasir-rw")
    iam.create_user(UserName="kasir-ro")
    allow = lambda actions: json.dumps({"Version": "2012-10-17", "Statement": [  # noqa: E731
        {"Effect": "Allow", "Action": actions, "Resource": "*"}]})
    iam.put_user_policy(UserName="kasir-rw", PolicyName="rw", PolicyDocument=allow(["s3:*"]))
    iam.put_user_policy(UserName="kasir-ro", PolicyName="ro",
                        # AWS authorises ListObjectsV2 by s3:ListBucket; moto >= 5.2.6 checks it by
                        # the operation's own name, so a read-only key names both
                        PolicyDocument=allow(["s3:GetObject", "s3:ListBucket", "s3:ListObjectsV2",
                                              "s3:HeadObject"]))
    rw = iam.create_access_key(UserName="kasir-rw")["AccessKey"]
    ro = iam.create_access_key(UserName="kasir-ro")["AccessKey"]
    server.set_auth(True)
    try:
        wrong = s3kb(tmp_path, server.url, key="AKIAWRONGWRONGWRONG0", secret="not-the-secret")
        err = one_line_error(wrong.run("list", "--repo", repo))
        assert "does not accept the access key" in err, err
        bad_secret = s3kb(tmp_path, server.url, key=rw["AccessKeyId"], secret="not-the-secret")
        err = one_line_error(bad_secret.run("backup", "--db", pos_db, "--repo", repo))
        assert "does not accept the access key" in err, err

        good = s3kb(tmp_path, server.url, key=rw["AccessKeyId"], secret=rw["SecretAccessKey"])
        if good.run("list", "--repo", repo).returncode != 0:
            pytest.skip("this moto version does not authorise IAM keys for S3 in server mode")
        good.run("backup", "--db", pos_db, "--repo", repo, check=True)

        read_only = s3kb(tmp_path, server.url, key=ro["AccessKeyId"], secret=ro["SecretAccessKey"])
        err = one_line_error(read_only.run("backup", "--db", pos_db, "--repo", repo))
        assert "refused access (permission denied)" in err, err
        checked = read_only.run("verify", "--all", "--repo", repo)
        assert checked.returncode == 0 and "read-only" in checked.stdout, (checked.stdout, checked.stderr)
    finally:
        server.set_auth(False)


def test_retry_settings_bound_how_long_a_vanished_server_is_tried(monkeypatch):
    """How long a backup keeps trying a server that went away is set here, not timed:
    a few attempts with botocore's capped back-off, short connect timeouts; a user's own
    AWS_MAX_ATTEMPTS wins."""
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    cfg = storage_s3._client_config()
    assert cfg.retries == {"mode": "standard", "max_attempts": 5}
    assert cfg.connect_timeout == 10 and cfg.read_timeout == 60
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    assert "max_attempts" not in storage_s3._client_config().retries


def test_server_down_mid_backup_then_back(server, bucket, tmp_path):
    proxy = Proxy(server.port)
    try:
        kb = s3kb(tmp_path, proxy.url)
        repo = f"s3://{bucket}/kasir"
        db = tmp_path / "kasir.db"
        make_pos_db(str(db), 3_000_000, seed=4)
        small_packs(server, bucket, "kasir", kb)
        kb.run("backup", "--db", db, "--repo", repo, check=True)
        conn = sqlite3.connect(db)
        conn.execute("UPDATE transaksi SET diskon = diskon + 1")
        conn.commit()
        conn.close()

        proxy.trip_after(f"PUT /{bucket}/kasir/data/".encode(), 3, "close")    # the server goes away
        t0 = time.monotonic()
        proc = kb.run("backup", "--db", db, "--repo", repo, timeout=120)
        took = time.monotonic() - t0
        assert proxy.tripped.is_set()
        err = one_line_error(proc)
        assert "cannot be reached" in err and "check the internet connection" in err \
            and "local backup is not affected" in err, err
        print(f"gave up after {took:.1f} s")   # bounded by the retry settings (test_retry_settings), not timed here
        err = one_line_error(kb.run("list", "--repo", repo))     # still down
        assert "cannot be reached" in err

        proxy.reset()
        proxy.start()                                            # back again
        assert len(kb.json("list", "--repo", repo)) == 1
        again = kb.json("backup", "--db", db, "--repo", repo)
        assert again["verified"]
        ver = kb.json("verify", "--all", "--repo", repo)
        assert ver["ok"] and len(ver["snapshots"]) == 2
    finally:
        proxy.stop()


def test_killed_mid_upload_then_adopted_and_resumed(server, bucket, tmp_path, in_process_env, monkeypatch):
    from kasirbackup.core.snapshot import backup as backup_mod
    from kasirbackup.core.snapshot.backup import BackupRequest, backup
    from kasirbackup.core.repo.orphans import adopt_orphan_packs
    from kasirbackup.core.repo.repository import BlobSink

    proxy = Proxy(server.port)
    try:
        db = tmp_path / "kasir.db"
        make_pos_db(str(db), 3_000_000, seed=6)
        direct = s3kb(tmp_path, server.url)
        # what a complete backup of this database uploads
        small_packs(server, bucket, "full", direct)
        full = direct.json("backup", "--db", db, "--repo", f"s3://{bucket}/full")
        full_packs = data_keys(server, bucket, "full")
        assert len(full_packs) >= 10, len(full_packs)

        # the real run: killed (SIGKILL) while it uploads, half of its packs stored
        via_proxy = s3kb(tmp_path, proxy.url)
        small_packs(server, bucket, "kasir", direct)
        half = len(full_packs) // 2
        proxy.trip_after(f"PUT /{bucket}/kasir/data/".encode(), half, "freeze")
        proc = via_proxy.popen("backup", "--db", db, "--repo", f"s3://{bucket}/kasir")
        assert proxy.tripped.wait(60), "the backup never reached its upload"
        time.sleep(0.2)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        proxy.stop()
        orphans = data_keys(server, bucket, "kasir")
        assert len(orphans) == half
        assert not keys(server, bucket, "kasir/index/") and not keys(server, bucket, "kasir/snapshots/")
        assert keys(server, bucket, "kasir/locks/"), "the killed run's lock is still there"

        repo = Repository.open(f"s3://{bucket}/kasir")
        lock = repo.lock("adopt")            # the dead process's lock is taken over
        try:
            adopted = adopt_orphan_packs(repo)
        finally:
            lock.release()
        assert adopted
        index = keys(server, bucket, "kasir/index/")
        assert len(index) == 1
        assert adopt_orphan_packs(repo) == set(), "nothing left to adopt"

        # the next backup, with the adopted blobs known (as backup.py will do it), counting
        # what it writes
        monkeypatch.setattr(backup_mod, "BlobSink",
                            lambda writer, known, *a, **kw: BlobSink(writer, known | adopted, *a, **kw))
        written: dict[str, int] = {}
        save = repo.storage.save

        def counting_save(kind, name, data):
            written[kind] = written.get(kind, 0) + len(data)
            return save(kind, name, data)

        monkeypatch.setattr(repo.storage, "save", counting_save)
        res = backup(repo, BackupRequest(db_path=str(db)))
        assert res.snapshot.verified, res.snapshot.verification.detail
        resumed = res.snapshot.added_bytes
        full_data = sum(full_packs.values())
        orphan_data = sum(orphans.values())
        print(f"\nS3 resume: full backup added {full['added_bytes']} bytes ({full_data} in {len(full_packs)} packs); "
              f"killed run left {len(orphans)} packs ({orphan_data} bytes) adopted; resumed backup uploaded "
              f"{written.get('data', 0)} bytes of packs, added_bytes {resumed} "
              f"({100 * (1 - resumed / full['added_bytes']):.0f}% less)")
        assert written.get("data", 0) <= full_data - orphan_data + 65536 * 2
        assert resumed < full["added_bytes"] * 0.75

        monkeypatch.undo()
        ver = direct.json("verify", "--all", "--repo", f"s3://{bucket}/kasir")
        assert ver["ok"] and len(ver["snapshots"]) == 1
        out = tmp_path / "back.db"
        direct.run("restore", "--repo", f"s3://{bucket}/kasir", "--snapshot", "latest", "--to", out, check=True)
        assert out.read_bytes() == db.read_bytes()
    finally:
        proxy.stop()


def test_planted_traversal_names_are_ignored(server, bucket, tmp_path, pos_db):
    kb = s3kb(tmp_path, server.url)
    repo = f"s3://{bucket}/kasir"
    kb.run("backup", "--db", pos_db, "--repo", repo, check=True)
    c = server.client()
    pack = "ab" + "1" * 62
    planted = ["kasir/snapshots/../../outside.json", "kasir/snapshots/..", "kasir/snapshots/evil\x01.json",
               "kasir/index/../kasirbackup.json", "kasir/index/..", f"kasir/data/ab/../../../{pack}",
               "kasir/data/..", f"kasir/data/zz/{pack}", "kasir/data/ab/..", "kasir/locks/../../victim",
               "kasir/snapshots/sub/dir.json", "kasir/data/ab/sub/" + pack]
    outside = ["outside.json", "victim", pack, "other/kasirbackup.json", "kasir-sibling/data/ab/" + pack,
               "kasir-sibling/snapshots/x.json"]
    for key in planted + outside:
        c.put_object(Bucket=bucket, Key=key, Body=b"planted " + key.encode())
    before = keys(server, bucket)

    assert len(kb.json("list", "--repo", repo)) == 1
    assert kb.json("verify", "--all", "--repo", repo)["ok"]
    simulate_day_of_sales(str(pos_db), 10, seed=2)
    kb.run("backup", "--db", pos_db, "--repo", repo, check=True)
    pr = kb.json("prune", "--repo", repo, "--keep-last", "1")
    assert pr["removed"] == 1
    assert kb.json("verify", "--all", "--repo", repo)["ok"]

    after = keys(server, bucket)
    for key in planted + outside:
        assert after.get(key) == before[key], f"{key!r} was touched"
    assert {k for k in after if not k.startswith("kasir/")} == {k for k in before if not k.startswith("kasir/")}


def test_lock_held_by_another_process(server, bucket, tmp_path, pos_db):
    kb = s3kb(tmp_path, server.url)
    repo = f"s3://{bucket}/kasir"
    kb.run("backup", "--db", pos_db, "--repo", repo, check=True)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from kasirbackup.core.repo.repository import Repository\n"
         "lk = Repository.open(sys.argv[1]).lock('backup')\n"
         "print('READY', flush=True)\n"
         "time.sleep(120)\n", repo],
        env=kb.env, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "READY", holder.stderr.read()
        err = one_line_error(kb.run("backup", "--db", pos_db, "--repo", repo))
        assert "is in use by 'backup'" in err and f"process {holder.pid}" in err, err
        err = one_line_error(kb.run("prune", "--repo", repo, "--keep-last", "1"))
        assert "is in use by" in err
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
        holder.stderr.close()
    # the holder died without releasing: its lock is stale on this host and taken over
    kb.run("backup", "--db", pos_db, "--repo", repo, check=True)
    assert len(kb.json("list", "--repo", repo)) == 2


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_adopt_reads_only_pack_tails_and_refuses_damaged_packs(server, bucket, in_process_env, monkeypatch,
                                                               encrypted):
    from kasirbackup.core.repo.orphans import adopt_orphan_packs, indexed_pack_names
    from kasirbackup.core.repo.packs import BLOB_PAGE

    repo = Repository.init(f"s3://{bucket}/kasir", encrypt_with="kunci rahasia toko" if encrypted else None)
    blob_id = repo.codec.blob_id          # keyed (HMAC) ids in an encrypted repository
    pages = [os.urandom(1024) + bytes(3072) for _ in range(600)]        # ~2.4 MB of pages
    writer = repo.pack_writer()
    for p in pages:
        writer.add(blob_id(p), BLOB_PAGE, p)
    good = writer.finish()                                               # packs, no index: orphans
    assert good
    # damaged ones: a pack cut short, one with bytes inserted in the middle, one not a pack
    name0, _ = good[0]
    whole = repo.storage.load("data", name0)
    for bad in (whole[:-5], whole[:100] + b"x" * 10 + whole[100:], b"KBPACK01" + os.urandom(500)):
        repo.storage.save("data", hashlib.sha256(bad).hexdigest(), bad)
    reads: list[tuple[str, int, int | None]] = []
    load = repo.storage.load

    def recording_load(kind, name, offset=0, length=None):
        if kind == "data":
            reads.append((name, offset, length))
        return load(kind, name, offset, length)

    monkeypatch.setattr(repo.storage, "load", recording_load)
    adopted = adopt_orphan_packs(repo)
    assert adopted == {blob_id(p) for p in pages}
    assert indexed_pack_names(repo) == {name for name, _ in good}
    sizes = {name: repo.storage.size("data", name) for name, _ in good}
    for name, offset, length in reads:
        if name in sizes:
            assert length is not None and length < sizes[name] and (offset > 0 or length == 8), \
                "only the head magic and the tail of a pack are read"


def test_sampled_data_check_on_object_storage(server, bucket, tmp_path):
    """The periodic sampled verify of an off-site copy: groups 1/2 and 2/2 read back every
    pack between them; a damaged object is named."""
    kb = s3kb(tmp_path, server.url)
    repo = f"s3://{bucket}/kasir"
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 1_000_000, seed=8)
    kb.run("backup", "--db", db, "--repo", repo, check=True)
    a = kb.json("verify", "--repo", repo, "--read-data-subset", "1/2")
    b = kb.json("verify", "--repo", repo, "--read-data-subset", "2/2")
    assert a["ok"] and b["ok"] and a["packs_read"] + b["packs_read"] == a["packs_total"] >= 1
    s3 = server.client()
    key = next(k for k in keys(server, bucket, "kasir/data/"))
    body = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    body[len(body) // 2] ^= 0xFF
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(body))
    r = kb.run("verify", "--repo", repo, "--read-data-subset", "100%")
    assert r.returncode == 3 and "DAMAGED pack" in r.stdout and "Traceback" not in r.stderr


def test_attachments_go_off_site_and_come_back(server, bucket, tmp_path):
    """Photos backed up with the database into online storage: stored once, an unchanged
    folder sends nothing new, and they come back from the bucket alone (issue 17)."""
    import os

    kb = s3kb(tmp_path, server.url)
    repo = f"s3://{bucket}/lampiran"
    db = tmp_path / "kasir.db"
    make_pos_db(str(db), 300_000, seed=4)
    up = tmp_path / "uploads"
    (up / "produk").mkdir(parents=True)
    for i in range(40):
        (up / "produk" / f"{i}.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(20_000))
    (up / "scan.pdf").write_bytes(b"%PDF-" + os.urandom(6 * 1024 * 1024))
    first = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    assert first["verified"] and first["attachments"]["files"] == 41
    second = kb.json("backup", "--db", db, "--repo", repo, "--attach", up)
    assert second["attachments_read"] == 0 and second["added_bytes"] < 50_000
    out = tmp_path / "pc-baru"
    kb.run("restore", "--repo", repo, "--snapshot", "latest", "--attachments-to", out, check=True)
    for p in up.rglob("*"):
        if p.is_file():
            assert (out / "uploads" / p.relative_to(up)).read_bytes() == p.read_bytes()
