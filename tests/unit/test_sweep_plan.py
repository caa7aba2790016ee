"""The sweep's decisions (core/retention/prune.plan_sweep): which pack stays, which is
repacked, which goes — the space a prune gives back. Written from the rule, with packs
whose garbage share is on either side of the 25 % line."""

from __future__ import annotations

from kasirbackup.core.repo.packs import FrameEntry
from kasirbackup.core.retention.prune import REPACK_UNUSED_FRACTION, plan_sweep


def blob(n: int) -> bytes:
    return n.to_bytes(32, "big")


def frame(offset: int, length: int, *blobs: tuple[int, int]) -> FrameEntry:
    """A frame of ``length`` stored bytes holding blobs (number, raw size) back to back."""
    out, pos = [], 0
    for n, size in blobs:
        out.append((blob(n), 1, pos, size))
        pos += size
    return FrameEntry(offset, length, pos, out)


def four_frames(first: int) -> list[FrameEntry]:
    """Four frames of 100 stored bytes, one blob of 400 raw bytes each."""
    return [frame(i * 100, 100, (first + i, 400)) for i in range(4)]


def test_the_rule_is_a_quarter():
    assert REPACK_UNUSED_FRACTION == 0.25


def test_a_quarter_garbage_stays_more_is_repacked_none_used_goes():
    packs = {"a": four_frames(0), "b": four_frames(10), "c": four_frames(20), "d": four_frames(30)}
    used = {blob(n) for n in (0, 1, 2, 3)}            # a: all used
    used |= {blob(n) for n in (10, 11, 12)}           # b: 1 of 4 frames unused: exactly 25 %, stays
    used |= {blob(n) for n in (20, 21)}               # c: 2 of 4 unused: 50 %, repacked
    plan = plan_sweep(packs, set(packs) | {"leftover"}, used)  # d: nothing used, goes
    assert [p for p, _ in plan.keep_as_is] == ["a", "b"]
    assert [(p, fr.offset, [b[0] for b in blobs]) for p, fr, blobs in plan.to_repack] == \
        [("c", 0, [blob(20)]), ("c", 100, [blob(21)])]
    assert plan.drop == {"c", "d", "leftover"} and plan.unindexed == 1


def test_a_partly_used_frame_counts_its_unused_share():
    # one frame of 100 stored bytes holding 4 blobs of 100 raw bytes: 1 used is 75 bytes of
    # garbage, over a quarter of the pack's 100 + 300 bytes? 75 <= 100: stays; 2 frames gone more
    pack = [frame(0, 100, (1, 100), (2, 100), (3, 100), (4, 100)), frame(100, 300, (5, 1200))]
    keep = plan_sweep({"p": pack}, {"p"}, {blob(1), blob(5)})
    assert [p for p, _ in keep.keep_as_is] == ["p"] and not keep.to_repack       # 75 of 400: 18.75 %
    repack = plan_sweep({"p": pack}, {"p"}, {blob(1)})                         # 375 of 400
    assert [(fr.offset, [b[0] for b in blobs]) for _, fr, blobs in repack.to_repack] == [(0, [blob(1)])]
    assert repack.drop == {"p"}
    half = plan_sweep({"p": [frame(0, 100, (1, 100), (2, 100))]}, {"p"}, {blob(1)})   # 50 of 100
    assert half.to_repack and half.drop == {"p"}
    most = plan_sweep({"p": [frame(0, 100, (1, 300), (2, 100))]}, {"p"}, {blob(1)})   # 25 of 100: stays
    assert [p for p, _ in most.keep_as_is] == ["p"] and not most.to_repack


def test_a_blob_stored_twice_is_kept_once_the_other_copy_is_garbage():
    first = [frame(0, 100, (1, 400)), frame(100, 100, (2, 400))]
    second = [frame(0, 100, (1, 400)), frame(100, 100, (3, 400))]       # blob 1 again
    plan = plan_sweep({"x": first, "y": second}, {"x", "y"}, {blob(1), blob(2), blob(3)})
    assert [p for p, _ in plan.keep_as_is] == ["x"]                     # x holds blob 1: it stays whole
    assert [(p, [b[0] for b in blobs]) for p, _, blobs in plan.to_repack] == [("y", [blob(3)])]
    assert plan.drop == {"y"}
