"""The repository: its configuration and keys (``repository``, ``crypto``), the pack and
index format with deduplication (``packs``), snapshot manifests (``manifest``), the
one-writer lock (``lock``), taking back packs of an interrupted upload (``orphans``) and
the sampled read-back check (``check``). Owns the on-disk format of docs/FORMAT.md.
Never opens the shop's database and never decides which snapshots to keep.
"""
