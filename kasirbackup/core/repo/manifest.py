"""Snapshot manifests: the typed description of one backup (see docs/FORMAT.md)."""

from __future__ import annotations

import json
import posixpath
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from enum import Enum

MANIFEST_VERSION = 1


def _hex(text: str, length: int) -> bool:
    return len(text) == length and all(c in "0123456789abcdef" for c in text)


class Kind(str, Enum):
    MANUAL = "manual"
    SCHEDULED = "scheduled"
    CATCH_UP = "catch-up"
    BEFORE_RESTORE = "before-restore"
    IMPORTED = "imported"
    CONTINUOUS = "continuous"     # taken by continuous protection a minute after a change


#: the labels of the ``before-restore`` safety snapshots a live restore and an import take
#: (the window names the restored backup, or the imported file, from them)
RESTORE_SAFETY_LABEL = "before restoring {id}"
IMPORT_SAFETY_LABEL = "before import of {file}"


@dataclass(slots=True)
class DatabaseInfo:
    """What identifies the database a snapshot was taken from."""

    page_size: int
    page_count: int
    user_version: int
    application_id: int
    text_encoding: str
    journal_mode: str             # "wal" or "rollback", as read from the header
    schema_fingerprint: str       # sha256 of the normalised schema
    first_rows: dict[str, str] = field(default_factory=dict)  # table -> digest of its oldest row


@dataclass(slots=True)
class Verification:
    ok: bool | None = None        # None: not verified yet
    at: str | None = None         # ISO 8601 UTC
    detail: str = ""              # what failed, or what was checked
    integrity: str = ""           # "quick_check" or "integrity_check"
    duration_s: float = 0.0
    #: how it was checked: "drill" (rebuilt whole: every page, the image's SHA-256, SQLite's
    #: check, row counts) or "readback" (a continuous snapshot: the data it added read back
    #: and matched against the capture's hashes, and every page it lists proven to be in data
    #: already checked; the drill follows before any restore). Manifests before this field: drill.
    method: str = "drill"


@dataclass(slots=True)
class Problem:
    path: str          # relative to the folder ('' for the folder itself)
    reason: str        # one line, English

    def to_json(self) -> dict:
        return {"path": self.path, "reason": self.reason}


@dataclass(slots=True)
class AttachmentSet:
    """One attachment folder of a snapshot (the manifest's ``attachments`` items)."""
    folder: str               # the folder as backed up (absolute)
    root: str                 # hex id of the tree listing the file-list pieces
    files: int = 0
    bytes: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def captured(self) -> bool:
        """False when the folder itself was missing or unreadable at backup time: then the
        snapshot says nothing about its files (a restore leaves such a folder alone)."""
        return not any(p.path == "" for p in self.problems)

    @property
    def name(self) -> str:
        """The folder's last name (where it goes inside ``--attachments-to``)."""
        return posixpath.basename(self.folder.replace("\\", "/").rstrip("/")) or "attachments"

    def to_json(self) -> dict:
        return {"folder": self.folder, "root": self.root, "files": self.files, "bytes": self.bytes,
                "problems": [p.to_json() for p in self.problems]}

    @classmethod
    def from_json(cls, d: dict) -> "AttachmentSet":
        a = cls(folder=str(d["folder"]), root=str(d["root"]), files=int(d.get("files", 0)),
                bytes=int(d.get("bytes", 0)),
                problems=[Problem(str(p["path"]), str(p["reason"])) for p in d.get("problems", [])])
        if not _hex(a.root, 64):
            raise ValueError("malformed attachment root")
        return a


#: Verification.method values
DRILL = "drill"
READBACK = "readback"


@dataclass(slots=True)
class Snapshot:
    id: str
    created_at: datetime          # aware, in the local time zone of the machine that took it
    kind: Kind
    label: str
    tool_version: str
    hostname: str
    source_path: str
    source_name: str
    database: DatabaseInfo
    image_bytes: int
    image_sha256: str
    root: str                     # tree blob listing the segment trees
    segment_pages: int
    tables: dict[str, int | None]
    added_bytes: int
    capture: dict = field(default_factory=dict)   # how the copy was taken (method, passes, lock times)
    verification: Verification = field(default_factory=Verification)
    #: the attachment folders stored with the database (core/attachments); [] for none
    attachments: list[AttachmentSet] = field(default_factory=list)

    # -- views -------------------------------------------------------------------------
    @property
    def created_utc(self) -> datetime:
        return self.created_at.astimezone(timezone.utc)

    @property
    def verified(self) -> bool:
        return bool(self.verification.ok)

    @property
    def drilled(self) -> bool:
        """Checked by a whole restore drill (its image SHA-256, row counts and schema are known)."""
        return bool(self.verification.ok) and self.verification.method == DRILL and bool(self.image_sha256)

    @property
    def short_id(self) -> str:
        return self.id[:8]

    # -- JSON --------------------------------------------------------------------------
    def to_json(self) -> dict:
        d = asdict(self)
        d["format"] = MANIFEST_VERSION
        d["kind"] = self.kind.value
        d["created_at"] = self.created_at.isoformat()     # seconds, or microseconds when there are any
        d["created_utc"] = self.created_utc.isoformat().replace("+00:00", "Z")
        if not self.attachments:
            del d["attachments"]          # (manifests without attachments read as before)
        return d

    def dumps(self) -> bytes:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, d: dict) -> "Snapshot":
        """Parse a manifest; any malformed content raises ValueError (a manifest is input
        from a folder someone else may have written)."""
        try:
            snap = cls._from_json(d)
        except (AttributeError, TypeError, KeyError, OverflowError) as exc:
            raise ValueError(f"malformed manifest ({type(exc).__name__}: {exc})") from None
        if not _hex(snap.id, 32):
            raise ValueError("malformed snapshot id")
        if not _hex(snap.root, 64) or not (snap.image_sha256 == "" or _hex(snap.image_sha256, 64)):
            raise ValueError("malformed root or image hash")
        if snap.image_bytes < 0 or snap.segment_pages < 1:
            raise ValueError("invalid sizes")
        if not isinstance(snap.database.page_size, int) or snap.database.page_size not in \
                {512 << i for i in range(8)}:
            raise ValueError("invalid page size")
        return snap

    @classmethod
    def _from_json(cls, d: dict) -> "Snapshot":
        if not isinstance(d, dict) or d.get("format") != MANIFEST_VERSION:
            raise ValueError(f"unsupported manifest format {d.get('format') if isinstance(d, dict) else d!r}")
        created = datetime.fromisoformat(d["created_at"])
        if created.tzinfo is None:
            raise ValueError("created_at has no time zone offset")
        return cls(
            id=str(d["id"]),
            created_at=created,
            kind=Kind(d["kind"]),
            label=str(d.get("label") or ""),
            tool_version=str(d.get("tool_version", "")),
            hostname=str(d.get("hostname", "")),
            source_path=str(d["source_path"]),
            source_name=str(d["source_name"]),
            database=DatabaseInfo(**d["database"]),
            image_bytes=int(d["image_bytes"]),
            image_sha256=str(d["image_sha256"]),
            root=str(d["root"]),
            segment_pages=int(d["segment_pages"]),
            tables={str(k): (None if v is None else int(v)) for k, v in d.get("tables", {}).items()},
            added_bytes=int(d.get("added_bytes", 0)),
            capture=dict(d.get("capture") or {}),
            verification=_verification(d.get("verification") or {}),
            attachments=[AttachmentSet.from_json(a) for a in d.get("attachments") or []],
        )

    @classmethod
    def loads(cls, data: bytes) -> "Snapshot":
        try:
            d = json.loads(data.decode("utf-8"))
        except RecursionError:
            raise ValueError("malformed manifest (nested too deeply)") from None
        except UnicodeDecodeError:
            raise ValueError("malformed manifest (not UTF-8 text)") from None
        return cls.from_json(d)

    def summary_json(self) -> dict:
        """The item printed by ``list --json`` (the command-line contract)."""
        return {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "kind": self.kind.value,
            "label": self.label,
            "source": self.source_path,
            "db_bytes": self.image_bytes,
            "added_bytes": self.added_bytes,
            "tables": self.tables,
            "sha256": self.image_sha256,
            "verified": self.verified,
            "verification": asdict(self.verification),
            "check": self.verification.method if self.verification.ok is not None else None,
            "page_size": self.database.page_size,
            "user_version": self.database.user_version,
            "application_id": self.database.application_id,
            "schema_fingerprint": self.database.schema_fingerprint,
            "tool_version": self.tool_version,
            "attachments": {"files": sum(a.files for a in self.attachments),
                            "bytes": sum(a.bytes for a in self.attachments),
                            "folders": [a.folder for a in self.attachments]},
        }


def _verification(d: dict) -> Verification:
    known = {k: d[k] for k in Verification.__dataclass_fields__ if k in d}   # newer fields: ignored
    v = Verification(**known)
    if v.method not in (DRILL, READBACK):
        raise ValueError(f"unknown check method {v.method!r}")
    return v
