"""The repository: configuration, snapshots, index and blob access (docs/FORMAT.md)."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .crypto import (SEALED_MAGIC, Codec, PassphraseNeeded, SealBroken, WrongPassphrase, new_encryption, unlock,
                     wrap)
from ..errors import (KasirBackupError, NoSnapshots, RepoDamaged, RepoFormatUnsupported,
                     RepoIsFile, RepoNotEmpty, RepoNotFound, RepoReadOnly, SnapshotAmbiguous,
                     SnapshotNotFound, os_error_to_user)
from .lock import RepoLock
from .manifest import Snapshot
from .packs import (BLOB_PAGE, BLOB_TREE, PLAIN, ZSTD_LEVEL, BlobRef, FormatError, FrameCache, FrameEntry, FrameRef,
                    PackWriter, decode_index, encode_index)
from ..storage.base import Storage
from ..storage.local import LocalStorage

CONFIG_NAME = "kasirbackup.json"
FORMAT_NAME = "kasirbackup-repository"
FORMAT_VERSION = 1
HASH_LEN = 32
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class PlainCopyNotFolder(KasirBackupError):
    code = "plain-copy-not-folder"
    template = "The plain copy of the database can only be kept in a folder repository, not at {location}."
    hint = "Leave the plain-copy option off for this backup location."


class PlainCopyEncrypted(KasirBackupError):
    code = "plain-copy-encrypted"
    template = "An encrypted repository cannot keep a plain (unencrypted) copy of the database."
    hint = "Leave the plain-copy option off for encrypted backups."


class UnsupportedLocation(KasirBackupError):
    code = "unsupported-location"
    template = "The backup location {location} is not supported by this version."
    hint = "Use a folder (local disk, USB disk, network share or cloud-sync folder) or s3://BUCKET/FOLDER."


@dataclass(slots=True)
class RepoConfig:
    id: str
    created_at: str
    version: int = FORMAT_VERSION
    format: str = FORMAT_NAME
    hash: str = "sha256"
    compression: str = "zstd"
    encryption: dict | None = None
    segment_pages: int = 128
    frame_bytes: int = 128 * 1024
    pack_bytes: int = 16 * 1024 * 1024
    plain_copy: bool = False
    extra: dict = field(default_factory=dict)   # settings of later versions, kept untouched

    def dumps(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def loads(cls, data: bytes, location: str) -> "RepoConfig":
        if len(data) > 1024 * 1024:
            raise RepoDamaged(detail=f"the configuration file {CONFIG_NAME} is far too large")
        try:
            d = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise RepoDamaged(detail=f"the configuration file {CONFIG_NAME} is unreadable") from None
        if not isinstance(d, dict) or d.get("format") != FORMAT_NAME:
            raise RepoDamaged(detail=f"{CONFIG_NAME} is not a KasirBackup configuration")
        if d.get("version") != FORMAT_VERSION:
            raise RepoFormatUnsupported(path=location, version=d.get("version"))
        known = {f for f in cls.__dataclass_fields__}
        extra = {k: v for k, v in d.items() if k not in known}
        try:
            cfg = cls(**{k: v for k, v in d.items() if k in known})
        except TypeError:
            raise RepoDamaged(detail=f"{CONFIG_NAME} lacks required fields") from None
        if not isinstance(cfg.extra, dict) or not isinstance(cfg.id, str) or not isinstance(cfg.created_at, str) \
                or not isinstance(cfg.plain_copy, bool):
            raise RepoDamaged(detail=f"{CONFIG_NAME} has fields of the wrong type")
        cfg.extra.update(extra)
        for name, lo, hi in (("segment_pages", 1, 1 << 16), ("frame_bytes", 512, 1 << 24),
                             ("pack_bytes", 1 << 16, 1 << 30)):
            v = getattr(cfg, name)
            if not isinstance(v, int) or not lo <= v <= hi:
                raise RepoDamaged(detail=f"{CONFIG_NAME} has an invalid {name}")
        if cfg.encryption is not None and not isinstance(cfg.encryption, dict):
            raise RepoDamaged(detail=f"{CONFIG_NAME} has an invalid encryption header")
        return cfg


def open_storage(location: str | os.PathLike) -> Storage:
    loc = str(location)
    if loc[:5].lower() == "s3://":
        from ..storage.s3 import S3Storage    # imported only when needed (boto3 is slow to import)
        return S3Storage.from_url(loc)
    if "://" in loc:
        raise UnsupportedLocation(location=loc)
    return LocalStorage(Path(loc).expanduser())


#: how an encrypted repository gets its passphrase: called with the configuration
PassphraseSource = Callable[[RepoConfig, str], str]


def _is_empty(storage: Storage) -> bool:
    probe = getattr(storage, "is_empty", None)    # an object store: any object under the prefix
    if probe is not None:
        return probe()
    return not any(True for kind in ("config", "data", "index", "snapshots", "locks") for _ in storage.list(kind))


class Repository:
    def __init__(self, storage: Storage, config: RepoConfig, codec: Codec = PLAIN) -> None:
        self.storage = storage
        self.config = config
        self.codec = codec
        self.location = storage.location
        self.problems: list[str] = []   # damaged manifests / index files met while reading
        self._decoded: dict[str, list] = {}     # index files decoded whole (index_file)

    def _problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def _save(self, kind: str, name: str, data: bytes) -> None:
        """Save through the backend; any backend's OSError becomes a user error."""
        try:
            self.storage.save(kind, name, data)
        except OSError as exc:
            raise os_error_to_user(exc, self.location) from exc

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def open(cls, location: str | os.PathLike, create: bool = False,
             passphrase: PassphraseSource | None = None) -> "Repository":
        storage = open_storage(location)
        if isinstance(storage, LocalStorage):
            root = storage.root
            if root.exists() and not root.is_dir():
                raise RepoIsFile(path=str(root))
            if not root.exists() or not (root / CONFIG_NAME).exists():
                if root.exists():
                    try:
                        entries = [p for p in root.iterdir()]
                    except PermissionError:
                        raise RepoReadOnly(path=str(root)) from None
                    if entries:
                        if (root / "snapshots").is_dir() or (root / "data").is_dir():
                            raise RepoDamaged(detail=f"{CONFIG_NAME} is missing from {root}")
                        raise RepoNotEmpty(path=str(root)) if create else RepoNotFound(path=str(root))
                if not create:
                    raise RepoNotFound(path=str(root))
                return cls.init(location)
        try:
            data = storage.load("config", CONFIG_NAME)
        except FileNotFoundError:
            if create:
                return cls.init(location)
            raise RepoNotFound(path=storage.location) from None
        except PermissionError:
            raise RepoReadOnly(path=storage.location) from None
        cfg = RepoConfig.loads(data, storage.location)
        codec: Codec = PLAIN
        if cfg.encryption:
            if passphrase is None:
                raise PassphraseNeeded(path=storage.location)
            try:
                codec, _, _ = unlock(cfg.encryption, passphrase(cfg, storage.location), storage.location)
            except WrongPassphrase as exc:
                exc.params.setdefault("repo_id", cfg.id)    # lets the desktop app ask again
                raise
        return cls(storage, cfg, codec)

    @classmethod
    def init(cls, location: str | os.PathLike, plain_copy: bool = False,
             encrypt_with: str | None = None) -> "Repository":
        """Create a repository; with ``encrypt_with`` (a passphrase) an encrypted one."""
        storage = open_storage(location)
        if isinstance(storage, LocalStorage):
            root = storage.root
            if root.exists() and not root.is_dir():
                raise RepoIsFile(path=str(root))
            if root.exists() and any(root.iterdir()):
                if (root / CONFIG_NAME).exists() and encrypt_with is None:
                    return cls.open(location)
                raise RepoNotEmpty(path=str(root))
            try:
                root.mkdir(parents=True, exist_ok=True)
                if os.name != "nt":
                    os.chmod(root, 0o700)
            except OSError as exc:
                raise os_error_to_user(exc, str(root)) from exc
        else:
            # an object store has no folder to create; "empty" means no configuration and
            # no object at all under the prefix
            if storage.exists("config", CONFIG_NAME) and encrypt_with is None:
                return cls.open(location)
            if not _is_empty(storage):
                raise RepoNotEmpty(path=storage.location)
        if plain_copy and not isinstance(storage, LocalStorage):
            raise PlainCopyNotFolder(location=storage.location)
        codec: Codec = PLAIN
        header = None
        if encrypt_with is not None:
            if plain_copy:
                raise PlainCopyEncrypted()
            header, codec = new_encryption(encrypt_with)
        cfg = RepoConfig(id=secrets.token_hex(16),
                         created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                         plain_copy=plain_copy, encryption=header)
        try:
            storage.save("config", CONFIG_NAME, cfg.dumps())
        except OSError as exc:
            raise os_error_to_user(exc, storage.location) from exc
        return cls(storage, cfg, codec)

    def save_config(self) -> None:
        self._save("config", CONFIG_NAME, self.config.dumps())

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the keys of an encrypted repository under ``new``: only the configuration
        file changes (same key-derivation settings, a new salt), under the writer lock."""
        _, data_key, id_key = unlock(self.config.encryption, old, self.location)
        lock = self.lock("passphrase change")
        try:
            enc = dict(self.config.encryption)
            kdf = {k: v for k, v in enc["kdf"].items() if k != "salt"}
            enc.update(wrap(data_key, id_key, new, kdf))
            self.config.encryption = enc
            self.save_config()
        finally:
            lock.release()

    def lock(self, command: str, wait_s: float = 0.0) -> RepoLock:
        lk = RepoLock(self.storage, command)
        lk.acquire(wait_s)
        return lk

    def clean_temp(self) -> None:
        if isinstance(self.storage, LocalStorage):
            self.storage.clean_temp()

    def temp_dir(self) -> Path | None:
        return self.storage.temp_dir() if isinstance(self.storage, LocalStorage) else None

    # -- snapshots ------------------------------------------------------------------------
    def snapshots(self) -> list[Snapshot]:
        """All readable snapshots, newest first. Damaged manifests go to ``problems``."""
        out = []
        for name in self.storage.list("snapshots"):
            if not name.endswith(".json"):
                continue
            try:
                raw = self.storage.load("snapshots", name)
                if len(raw) > MAX_MANIFEST_BYTES:
                    raise ValueError("far too large")
                if not self.codec.encrypted and raw.startswith(SEALED_MAGIC):
                    # encrypted data under a configuration that says "not encrypted": the
                    # configuration was replaced. Never write plaintext next to it.
                    raise RepoDamaged(detail=f"the backups are encrypted but {CONFIG_NAME} says they are not "
                                             f"(the configuration was replaced); restore it from the recovery sheet")
                try:
                    raw = self.codec.open(raw, b"KBS1" + name[:-5].encode("ascii", "replace"))
                except SealBroken as exc:
                    raise ValueError(str(exc)) from None
                snap = Snapshot.loads(raw)
                if snap.id + ".json" != name:
                    raise ValueError("the id inside does not match the file name")
                out.append(snap)
            except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
                self._problem(f"snapshot manifest {name} is unreadable ({exc})")
            except FileNotFoundError:
                continue
        out.sort(key=lambda s: s.created_utc, reverse=True)
        return out

    def find(self, ref: str) -> Snapshot:
        snaps = self.snapshots()
        if not snaps:
            raise NoSnapshots()
        if ref == "latest":
            return snaps[0]
        ref_l = ref.lower()
        matches = [s for s in snaps if s.id.startswith(ref_l)] if ref_l else []
        if not matches:
            raise SnapshotNotFound(ref=ref)
        if len(matches) > 1:
            raise SnapshotAmbiguous(ref=ref, count=len(matches))
        return matches[0]

    def save_snapshot(self, snap: Snapshot) -> int:
        data = self.codec.seal(snap.dumps(), b"KBS1" + snap.id.encode("ascii"))
        self._save("snapshots", snap.id + ".json", data)
        return len(data)

    # -- index ------------------------------------------------------------------------------
    def save_index(self, packs: list[tuple[str, list[FrameEntry]]]) -> tuple[str, int]:
        """Write an index file naming ``packs``; returns its name and size."""
        data = encode_index(packs, self.codec)
        name = hashlib.sha256(data).hexdigest()
        self._save("index", name, data)
        return name, len(data)

    def index_file(self, name: str) -> tuple[list[tuple[str, list[FrameEntry]]], str | None]:
        """The (pack, frames) of one index file and what is wrong with it (None: nothing). An
        index file never changes (its name is its hash), so a whole one is decoded once per
        ``Repository``: a backup reads every index file twice (what is stored, which packs
        no index names)."""
        cached = self._decoded.get(name)
        if cached is not None:
            return cached, None
        got: list[tuple[str, list[FrameEntry]]] = []
        try:
            data = self.storage.load("index", name)
            if hashlib.sha256(data).hexdigest() != name:
                raise FormatError("its contents do not match its name")
            for entry in decode_index(data, self.codec):
                got.append(entry)
        except (FormatError, OSError) as exc:
            return got, str(exc)
        self._decoded[name] = got
        return got, None

    def forget_decoded(self) -> None:
        """Let go of the decoded index files (memory, before a restore drill)."""
        self._decoded.clear()

    def index_entries(self) -> Iterator[tuple[str, list[FrameEntry]]]:
        """(pack, frames) from every index file; a damaged file is recorded in ``problems``
        (with what it gave before the damage)."""
        for name in self.storage.list("index"):
            entries, problem = self.index_file(name)
            yield from entries
            if problem is not None:
                self._problem(f"index file {name[:12]} is damaged ({problem})")

    def present_packs(self) -> set[str]:
        """Names of the packs that are really there (one listing). An index can name packs
        that are gone — a sync client or a restored disk image brought old index files back
        after a prune — and such an entry is never trusted."""
        return set(self.storage.list("data"))

    def scan_index(self, keep: Callable[[bytes, int], bool], present: set[str] | None = None) -> dict[bytes, BlobRef]:
        """Locations of every indexed blob for which ``keep(id, type)`` is true, in packs
        that are present (``present``: their names, listed now when not given)."""
        present = self.present_packs() if present is None else present
        found: dict[bytes, BlobRef] = {}
        for pack, frames in self.index_entries():
            if pack not in present:
                continue
            for fr in frames:
                ref = None
                for bid, btype, off, ln in fr.blobs:
                    if keep(bid, btype) and bid not in found:
                        if ref is None:
                            ref = FrameRef(pack, fr.offset, fr.length, fr.raw_length, fr.blobs[0][0])
                        found[bid] = BlobRef(ref, off, ln, btype)
        return found

    def pack_writer(self) -> PackWriter:
        return PackWriter(lambda name, data: self._save("data", name, data),
                          frame_bytes=self.config.frame_bytes, pack_bytes=self.config.pack_bytes, codec=self.codec)

    def remove_packs(self, names: Iterable[str]) -> None:
        for name in names:
            self.storage.remove("data", name)

    def frame_cache(self) -> FrameCache:
        def load(fr: FrameRef) -> bytes:
            try:
                return self.storage.load("data", fr.pack, fr.offset, fr.length)
            except FileNotFoundError:
                raise FormatError(f"pack {fr.pack[:12]} is missing") from None
        # a frame closes once it holds frame_bytes, so it is at most that plus one blob (a page
        # of up to 64 KiB, or a tree of up to 65,536 ids)
        return FrameCache(load, codec=self.codec, limit=self.config.frame_bytes + 4 * 1024 * 1024)

    # -- trees --------------------------------------------------------------------------------
    def read_tree(self, tree_id: bytes, refs: dict[bytes, BlobRef], cache: FrameCache) -> list[bytes]:
        ref = refs.get(tree_id)
        if ref is None:
            raise FormatError(f"tree {tree_id.hex()[:12]} is not in the index, or its pack is missing")
        data = cache.blob(ref)
        if self.codec.blob_id(data) != tree_id:
            raise FormatError(f"tree {tree_id.hex()[:12]} in pack {ref.frame.pack[:12]} is damaged")
        if len(data) % HASH_LEN:
            raise FormatError(f"tree {tree_id.hex()[:12]} has a wrong length")
        return [data[i:i + HASH_LEN] for i in range(0, len(data), HASH_LEN)]

    def page_ids(self, snap: Snapshot, tree_refs: dict[bytes, BlobRef] | None = None,
                 cache: FrameCache | None = None) -> list[bytes]:
        """The ordered page ids of a snapshot, read through its root and segment trees."""
        refs = tree_refs if tree_refs is not None else self.scan_index(lambda b, t: t == BLOB_TREE)
        cache = cache or self.frame_cache()
        ids: list[bytes] = []
        for seg in self.read_tree(bytes.fromhex(snap.root), refs, cache):
            ids.extend(self.read_tree(seg, refs, cache))
        expected = snap.image_bytes // snap.database.page_size
        if len(ids) != expected:
            raise FormatError(f"snapshot lists {len(ids)} pages, its manifest says {expected}")
        return ids

    def available(self, ids: set[bytes]) -> set[bytes]:
        """The ``ids`` an index places in a pack that is present: what a backup may skip
        storing again. A blob named only by an index entry whose pack is gone is stored again."""
        return self.available_in(ids)[0]

    def available_in(self, ids: set[bytes]) -> tuple[set[bytes], set[str]]:
        """``available``, and the present packs that hold them."""
        present = self.present_packs()
        out: set[bytes] = set()
        holding: set[str] = set()
        for pack, frames in self.index_entries():
            if pack in present:
                before = len(out)
                for fr in frames:
                    out.update(bid for bid, _, _, _ in fr.blobs if bid in ids)
                if len(out) != before:
                    holding.add(pack)
        return out, holding

    def blob_ids_of(self, snap: Snapshot) -> set[bytes]:
        """Every blob a snapshot references (used to skip storing them again)."""
        refs = self.scan_index(lambda b, t: t == BLOB_TREE)
        cache = self.frame_cache()
        root = bytes.fromhex(snap.root)
        segs = self.read_tree(root, refs, cache)
        out = {root, *segs}
        for seg in segs:
            out.update(self.read_tree(seg, refs, cache))
        return out


class BlobSink:
    """Adds blobs the repository does not have yet; skips the ones it has."""

    def __init__(self, writer: PackWriter, known: set[bytes], codec: Codec = PLAIN) -> None:
        self.writer = writer
        self.known = known
        self.codec = codec

    def put(self, blob_id: bytes, data: bytes, index: int = 0) -> None:
        if blob_id not in self.known:
            self.known.add(blob_id)
            self.writer.add(blob_id, BLOB_PAGE, data)

    def put_blob(self, blob_id: bytes, blob_type: int, data: bytes, level: int = ZSTD_LEVEL) -> bool:
        """Add a blob of any type unless the repository has it; True if it was added."""
        if blob_id in self.known:
            return False
        self.known.add(blob_id)
        self.writer.add(blob_id, blob_type, data, level)
        return True

    def put_tree(self, ids: list[bytes]) -> bytes:
        data = b"".join(ids)
        tid = self.codec.blob_id(data)
        if tid not in self.known:
            self.known.add(tid)
            self.writer.add(tid, BLOB_TREE, data)
        return tid


def build_trees(page_ids: list[bytes], segment_pages: int, sink: BlobSink) -> str:
    segments = [sink.put_tree(page_ids[i:i + segment_pages]) for i in range(0, len(page_ids), segment_pages)]
    return sink.put_tree(segments).hex()
