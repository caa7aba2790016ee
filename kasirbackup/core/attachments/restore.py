"""Restoring a snapshot's attachment folders (all, one folder, or one file) into a new
folder: each attachment folder goes to ``DEST/<its name>``; nothing is written unless every
target is new, and nothing outside ``DEST`` is written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import AttachmentNotFound, AttachmentsTargetExists, NoAttachments
from ..progress import CancelToken, Progress, no_progress
from ..repo.manifest import AttachmentSet, Snapshot
from ..repo.repository import Repository
from .listing import read_listing
from .rebuild import FilesReport, attachment_refs, restore_files, selected


@dataclass(slots=True)
class RestoredFolder:
    folder: str          # the attachment folder as backed up
    target: Path         # where its files went
    report: FilesReport

    def to_json(self) -> dict:
        r = self.report
        return {"folder": self.folder, "to": str(self.target), "files": r.files, "bytes": r.bytes,
                "links": r.links, "folders": r.folders, "problems": r.problems}


def targets(snap: Snapshot, dest: str | os.PathLike) -> list[tuple[AttachmentSet, Path]]:
    """Where each attachment folder of ``snap`` goes inside ``dest`` (two folders of the same
    name get ``name-2``, ``name-3``…)."""
    root = Path(dest).expanduser().absolute()
    out, used = [], set()
    for aset in snap.attachments:
        if not aset.captured:
            continue
        name, n = aset.name, 1
        while name in used:
            n += 1
            name = f"{aset.name}-{n}"
        used.add(name)
        out.append((aset, root / name))
    return out


def resolve(snap: Snapshot, path: str) -> tuple[AttachmentSet, str]:
    """The attachment folder and the path inside it that ``path`` names: the original full
    path, ``<folder name>/inside``, or (with one folder) a path inside it."""
    sets = [a for a in snap.attachments if a.captured]
    text = path.replace("\\", "/")
    for aset in sets:
        folder = aset.folder.replace("\\", "/").rstrip("/")
        if text == folder or text.startswith(folder + "/"):
            return aset, text[len(folder):].strip("/")
    for aset in sets:
        if text == aset.name or text.startswith(aset.name + "/"):
            return aset, text[len(aset.name):].strip("/")
    if len(sets) == 1:
        return sets[0], text.strip("/")
    raise AttachmentNotFound(path=path, snapshot=snap.short_id)


def restore_attachments(repo: Repository, snap: Snapshot, dest: str | os.PathLike, only: str | None = None,
                        progress: Progress = no_progress, cancel: CancelToken | None = None) -> list[RestoredFolder]:
    """Restore the attachment folders of ``snap`` (or only the file or folder ``only``) into
    ``dest``. Refuses before writing anything when a target exists or ``only`` names nothing."""
    if not any(a.captured for a in snap.attachments):
        raise NoAttachments(snapshot=snap.short_id)
    plan = targets(snap, dest)
    refs = attachment_refs(repo)
    if only:
        aset, inside = resolve(snap, only)
        cache = repo.frame_cache()
        if inside and not selected(read_listing(repo, aset, refs, cache), inside):
            raise AttachmentNotFound(path=only, snapshot=snap.short_id)
        plan = [(a, t) for a, t in plan if a is aset]
    else:
        inside = None
    for _, target in plan:
        if os.path.lexists(target):
            raise AttachmentsTargetExists(path=str(target))
    root = Path(dest).expanduser().absolute()
    if os.path.exists(root) and not root.is_dir():      # (the folder the user names may be a link)
        raise AttachmentsTargetExists(path=str(root))
    return [RestoredFolder(aset.folder, target,
                           restore_files(repo, aset, target, inside, progress, cancel, refs)) for aset, target in plan]
