"""Fewer requests to online storage (core/storage/s3_cache.py), against a real S3-compatible
server on loopback: manifests and index files read once are kept locally and used only while
the listing shows the same object; a continuous snapshot costs a fixed number of requests."""

from __future__ import annotations

import collections
import json
from pathlib import Path


import kasirbackup.app  # noqa: F401  (installs the cache folder and the access lookup)
from kasirbackup.core.repo.manifest import Kind, READBACK
from kasirbackup.core.repo.repository import Repository
from kasirbackup.core.restore.to_file import restore_to_new_file
from kasirbackup.core.snapshot.backup import BackupRequest, backup
from tests.integration.test_s3 import bucket, in_process_env, server  # noqa: F401  (fixtures)
from tests.support.dbgen import simulate_day_of_sales


def count_requests(repo: Repository) -> collections.Counter:
    ops: collections.Counter = collections.Counter()
    repo.storage._client.meta.events.register("before-call.s3.*", lambda model, **kw: ops.update([model.name]))
    return ops


def test_a_continuous_snapshot_costs_the_same_requests_however_many_backups(bucket, in_process_env, pos_db,
                                                                              tmp_path):
    loc = f"s3://{bucket}/toko"
    seed = tmp_path / "seed"
    backup(Repository.open(loc, create=True), BackupRequest(str(pos_db), seed_file=seed))
    per_run = []
    for i in range(4):
        simulate_day_of_sales(str(pos_db), 1, seed=60 + i)
        repo = Repository.open(loc)
        ops = count_requests(repo)
        res = backup(repo, BackupRequest(str(pos_db), kind=Kind.CONTINUOUS, check=READBACK, seed_file=seed))
        assert res.snapshot.verified
        per_run.append(sum(ops.values()))
        ops.clear()
    # (a manifest and an index file more each time, but read from the kept copies)
    assert len(set(per_run[1:])) == 1 and per_run[-1] <= 14, per_run
    repo = Repository.open(loc)
    out = restore_to_new_file(repo, repo.snapshots()[0], tmp_path / "back.db")
    assert out.path.read_bytes() == pos_db.read_bytes()


def test_a_manifest_changed_elsewhere_is_read_again(bucket, in_process_env, server, pos_db):
    loc = f"s3://{bucket}/toko"
    snap = backup(Repository.open(loc, create=True), BackupRequest(str(pos_db))).snapshot
    assert Repository.open(loc).find(snap.id).label == ""
    # another computer relabels it (a new object under the same name: another ETag)
    key = f"toko/snapshots/{snap.id}.json"
    body = json.loads(server.client().get_object(Bucket=bucket, Key=key)["Body"].read())
    body["label"] = "diubah di komputer lain"
    server.client().put_object(Bucket=bucket, Key=key, Body=json.dumps(body).encode())
    assert Repository.open(loc).find(snap.id).label == "diubah di komputer lain"


def test_a_damaged_kept_index_copy_is_fetched_again(bucket, in_process_env, pos_db, tmp_path):
    loc = f"s3://{bucket}/toko"
    snap = backup(Repository.open(loc, create=True), BackupRequest(str(pos_db))).snapshot
    repo = Repository.open(loc)
    list(repo.index_entries())                         # reads (and keeps) the index files
    kept = [p for p in Path(repo.storage._cache.folder, "index").iterdir()]
    assert kept
    for p in kept:
        p.write_bytes(b"not an index file")
    repo = Repository.open(loc)
    assert not repo.problems
    out = restore_to_new_file(repo, repo.find(snap.id), tmp_path / "back.db")
    assert out.path.read_bytes() == pos_db.read_bytes()
    assert not repo.problems


def test_one_client_per_place_and_settings(in_process_env, bucket):
    a, b = Repository.open(f"s3://{bucket}/a", create=True), Repository.open(f"s3://{bucket}/b", create=True)
    assert a.storage._client is b.storage._client
