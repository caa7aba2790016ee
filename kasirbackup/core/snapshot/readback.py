"""The check of a continuous snapshot: what it added, read back; what it lists, proven.

A continuous snapshot is taken a minute after a change, all day. Rebuilding the whole
database after each one (the restore drill) would cost more than the snapshot itself, so
such a snapshot is checked in two parts that together say the same thing — every page of
it can be read back exactly as captured:

1. *Read back*: every frame this backup wrote is loaded again from the repository,
   opened (decrypted), decompressed, and every blob in it hashed and matched against the
   id the capture computed from the live bytes. The index file naming those packs is read
   back and must list every one of those frames.
2. *Proven complete*: every page id of the snapshot, and every tree listing them (rebuilt
   here from the capture's page list, and the root compared with the manifest's), is either
   among the blobs just read back or among the blobs of the previous snapshot, which was
   itself checked (by a drill or by this check). Anything else — a page known only from a
   pack left by an interrupted backup, a previous snapshot never checked — is not proven,
   and the caller runs the whole drill instead.

What this check does not give: the whole image's SHA-256, SQLite's own check and the row
counts. The drill gives them; it runs on the newest snapshot at least once a day and on
any snapshot before it is restored (``Snapshot.drilled``).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from ..repo.manifest import READBACK, Verification
from ..repo.packs import BlobRef, FormatError, FrameEntry, FrameRef, decode_index
from ..repo.repository import Repository
from ..faults import reached


#: the detail of a successful readback (a window reads the numbers back: ``readback_facts``)
READBACK_DETAIL = ("{new} new blobs in {frames} frames read back and match their checksums, "
                   "all {pages} pages in checked data")
_READBACK = re.compile("^" + re.escape(READBACK_DETAIL).replace(r"\{new\}", r"(\d+)")
                       .replace(r"\{frames\}", r"(\d+)").replace(r"\{pages\}", r"(\d+)") + "$")


def readback_facts(detail: str) -> tuple[int, int] | None:
    """(new blobs read back, pages proven) from a successful readback's detail, or None."""
    m = _READBACK.match(detail or "")
    return (int(m.group(1)), int(m.group(3))) if m else None


@dataclass(slots=True)
class ReadbackResult:
    verification: Verification | None     # None: not proven; run the drill instead
    reason: str = ""                       # why not proven (for the log)


def readback_check(repo: Repository, packs: list[tuple[str, list[FrameEntry]]], index_name: str | None,
                   page_ids: list[bytes], root_hex: str, checked_before: set[bytes],
                   extra_ids: set[bytes] = frozenset()) -> ReadbackResult:
    """Check a snapshot that was just written (see the module's text). ``packs`` are the
    packs this backup wrote with their frames, ``index_name`` the index file naming them,
    ``page_ids`` the capture's page list, ``root_hex`` the manifest's root, and
    ``checked_before`` the blobs of the previous, checked snapshot that are present;
    ``extra_ids`` the other blobs the snapshot references (its attachments' lists and chunks),
    which must be proven the same way."""
    t0 = time.monotonic()
    codec = repo.codec
    problems: list[str] = []
    new: set[bytes] = set()
    cache = repo.frame_cache()
    frames = 0
    for pack, entries in packs:
        for fr in entries:
            frames += 1
            ref = FrameRef(pack, fr.offset, fr.length, fr.raw_length, fr.blobs[0][0])
            for bid, btype, off, ln in fr.blobs:
                try:
                    data = cache.blob(BlobRef(ref, off, ln, btype))
                except FormatError as exc:
                    problems.append(f"pack {pack[:12]} cannot be read back ({exc})")
                    break
                if len(data) != ln or codec.blob_id(data) != bid:
                    problems.append(f"pack {pack[:12]}: a blob read back does not match its checksum")
                    break
                new.add(bid)
    reached("readback.frames")
    if packs:
        problems += _index_lists(repo, index_name, packs)
    if problems:
        return ReadbackResult(_failed(problems, t0))
    # the trees, rebuilt from the page list exactly as build_trees stored them
    seg = repo.config.segment_pages
    segments = [codec.blob_id(b"".join(page_ids[i:i + seg])) for i in range(0, len(page_ids), seg)]
    root = codec.blob_id(b"".join(segments))
    if root.hex() != root_hex:
        return ReadbackResult(_failed(["the list of pages does not match the snapshot's root"], t0))
    unproven = 0
    for bid in (root, *segments, *page_ids, *extra_ids):
        if bid not in new and bid not in checked_before:
            unproven += 1
    if unproven:
        return ReadbackResult(None, f"{unproven} blobs are neither new nor in the previous checked snapshot")
    detail = READBACK_DETAIL.format(new=len(new), frames=frames, pages=len(page_ids))
    return ReadbackResult(Verification(ok=True, at=_now(), detail=detail, integrity="",
                                       duration_s=round(time.monotonic() - t0, 3), method=READBACK))


def _index_lists(repo: Repository, index_name: str | None, packs: list[tuple[str, list[FrameEntry]]]) -> list[str]:
    if index_name is None:
        return ["no index file names the new packs"]
    try:
        listed = {(pack, fr.offset, fr.length) for pack, frames in decode_index(repo.storage.load("index", index_name),
                                                                                repo.codec)
                  for fr in frames}
    except (FormatError, OSError) as exc:
        return [f"the new index file cannot be read back ({exc})"]
    missing = sum(1 for pack, frames in packs for fr in frames if (pack, fr.offset, fr.length) not in listed)
    return [f"the new index file does not list {missing} of the new frames"] if missing else []


def _failed(problems: list[str], t0: float) -> Verification:
    return Verification(ok=False, at=_now(), detail="; ".join(dict.fromkeys(problems)), integrity="",
                        duration_s=round(time.monotonic() - t0, 3), method=READBACK)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
