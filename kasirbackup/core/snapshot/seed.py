"""What the last capture of a database saw, kept beside the user's data so that the next
capture re-hashes only what changed.

A capture reads the whole file and fingerprints each 64 KiB block (xxh3-128); each page
gets its id (SHA-256, or the repository's keyed hash). The next capture of the same
database into the same repository starts from that state: a block whose fingerprint is
unchanged keeps its page ids without hashing them again, so a continuous snapshot after
one sale costs one read of the file and a fingerprint per block, plus the ids of the few
pages that changed. Nothing here is trusted for content: a block is reused only when its
bytes fingerprint the same as when its pages were hashed, and only when every page id of
the seed is in the repository's checked data (``usable``); a seed that is damaged, stale
or from another database costs time only. It also remembers which packs held that snapshot
(all still listed: its blobs are still stored, with no index file read) and which packs each
index file names (packs no index names are adopted without decoding every index again).

File format (``SEED_MAGIC``, then a JSON line, then raw arrays)::

    KBSEED01\\n{"page_size": 4096, "pages": N, "blocks": B, "id_len": 32, "snapshot": "…",
              "packs": [packs holding every blob of that snapshot], "indexed": {index file: [its packs]}}\\n
    page 1 (page_size bytes) | N ids (id_len bytes each) | B fingerprints (16 bytes each)

A block fingerprint of 16 zero bytes means "unknown" (a partial last block).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path

from ..scratch import write_private

SEED_MAGIC = b"KBSEED01\n"
FP_LEN = 16
MAX_HEADER = 16 * 1024 * 1024


@dataclass(slots=True)
class Seed:
    page_size: int
    page1: bytes
    ids: list[bytes]
    blocks: list[bytes]
    snapshot: str = ""
    #: the packs holding every blob of that snapshot (pages and trees): when all are still
    #: there, its blobs are too (a pack never changes: its name is its hash)
    packs: list[str] = field(default_factory=list)
    #: index file → the packs it names (index files never change either)
    indexed: dict[str, list[str]] = field(default_factory=dict)

    def usable(self, checked: set[bytes], page_size: int) -> bool:
        """Only a seed whose every page is in data the repository holds and checked."""
        return self.page_size == page_size and checked.issuperset(self.ids)


def save_seed(path: Path, seed: Seed) -> None:
    """Write ``seed`` atomically, readable by this user only."""
    id_len = len(seed.ids[0]) if seed.ids else 32
    head = json.dumps({"page_size": seed.page_size, "pages": len(seed.ids), "blocks": len(seed.blocks),
                       "id_len": id_len, "snapshot": seed.snapshot, "packs": sorted(seed.packs),
                       "indexed": seed.indexed}).encode()
    write_private(path, b"".join([
        SEED_MAGIC, head, b"\n", seed.page1.ljust(seed.page_size, b"\0")[:seed.page_size], *seed.ids,
        *(fp if len(fp) == FP_LEN else bytes(FP_LEN) for fp in seed.blocks)]))


def _split(raw: bytes, size: int) -> list[bytes]:
    """``raw`` cut into ``size``-byte pieces (in C, a thousand at a time: a quarter of a
    million ids are split in a third of the time of a slicing loop)."""
    group = struct.Struct(f"{size}s" * 1024)
    out: list[bytes] = []
    whole = len(raw) - len(raw) % group.size
    for off in range(0, whole, group.size):
        out.extend(group.unpack_from(raw, off))
    out.extend(raw[i:i + size] for i in range(whole, len(raw), size))
    return out


def load_seed(path: Path) -> Seed | None:
    """The seed at ``path``, or None when there is none or it does not read back whole."""
    try:
        with open(path, "rb") as fh:
            if fh.read(len(SEED_MAGIC)) != SEED_MAGIC:
                return None
            head = json.loads(fh.readline(MAX_HEADER))
            ps, n, b, id_len = (int(head["page_size"]), int(head["pages"]), int(head["blocks"]),
                                int(head["id_len"]))
            if ps not in {512 << i for i in range(8)} or not 0 <= n < 1 << 32 or not 0 <= b <= n or \
                    id_len not in (32,):
                return None
            page1 = fh.read(ps)
            ids_raw = fh.read(n * id_len)
            fps_raw = fh.read(b * FP_LEN)
            if len(page1) != ps or len(ids_raw) != n * id_len or len(fps_raw) != b * FP_LEN or fh.read(1):
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    ids = _split(ids_raw, id_len)
    blocks = _split(fps_raw, FP_LEN)
    blocks = [b"" if fp == bytes(FP_LEN) else fp for fp in blocks]
    packs = head.get("packs", [])
    indexed = head.get("indexed", {})
    if not isinstance(packs, list) or not all(isinstance(p, str) for p in packs) or not isinstance(indexed, dict) \
            or not all(isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
                       for k, v in indexed.items()):
        packs, indexed = [], {}
    return Seed(ps, page1, ids, blocks, str(head.get("snapshot", "")), packs, indexed)
