"""Errors a user can meet.

Every error carries an English message template and a hint ("what to do next"), both
plain-language and translatable: the templates are literal class attributes so that the
translation tools of the GUI and CLI can collect them, and the parameters are filled in
only after translation (never format before translating).
"""

from __future__ import annotations


class KasirBackupError(Exception):
    """Base class of every error the user may see. ``str(err)`` is the English text."""

    code = "error"
    template = "Something went wrong."
    hint = ""

    def __init__(self, **params: object) -> None:
        self.params = params
        super().__init__(self.message())

    def message(self, translate=None) -> str:
        """The message, optionally passed through ``translate(text) -> text`` first."""
        t = translate or (lambda s: s)
        text = t(self.template).format(**self.params)
        if self.hint:
            text = f"{text} {t(self.hint).format(**self.params)}"
        return text


# --- the source database -------------------------------------------------------------

class SourceMissing(KasirBackupError):
    code = "source-missing"
    template = "The database file {path} does not exist."
    hint = "Check the path, or pick the database again."


class SourceIsDirectory(KasirBackupError):
    code = "source-is-directory"
    template = "{path} is a folder, not a database file."
    hint = "Pick the database file itself (for example kasir.db)."


class SourceUnreadable(KasirBackupError):
    code = "source-unreadable"
    template = "Cannot read the database file {path}: {reason}."
    hint = "Check that your user may read the file."


class SourceEmpty(KasirBackupError):
    code = "source-empty"
    template = "The file {path} is empty (0 bytes), so it holds no database."
    hint = "Pick the database your application really uses."


class NotADatabase(KasirBackupError):
    code = "not-a-database"
    template = "The file {path} is not an SQLite database (or it is encrypted, for example with SQLCipher)."
    hint = "Pick the database file your application uses; encrypted databases cannot be backed up by reading them."


class DatabaseCorrupt(KasirBackupError):
    code = "database-corrupt"
    template = "The database {path} is damaged: {reason}."
    hint = "Do not write to it any more; restore the newest good backup."


class DatabaseBusy(KasirBackupError):
    code = "database-busy"
    template = "The database {path} stayed locked by another program for {seconds} seconds."
    hint = "Close the POS application (or wait until it is idle) and try again."


class DatabaseTooBusy(KasirBackupError):
    code = "database-too-busy"
    template = "The database {path} changed too often to take a consistent copy without making the POS wait."
    hint = "The backup was not taken and nothing was changed; try again when the shop is quieter."


# --- the repository -------------------------------------------------------------------

class RepoIsFile(KasirBackupError):
    code = "repo-is-file"
    template = "The backup location {path} is a file, not a folder."
    hint = "Choose a folder for the backups."


class RepoNotFound(KasirBackupError):
    code = "repo-not-found"
    template = "There is no backup repository at {path}."
    hint = "Check the path, or make a backup there first to create one."


class RepoNotEmpty(KasirBackupError):
    code = "repo-not-empty"
    template = "The folder {path} is not empty and is not a KasirBackup repository."
    hint = "Choose an empty folder, or the folder that already holds your backups."


class RepoReadOnly(KasirBackupError):
    code = "repo-read-only"
    template = "Cannot write to the backup folder {path} (permission denied)."
    hint = "Choose a folder you can write to, or ask for write permission."


class RepoWriteProtected(KasirBackupError):
    code = "repo-write-protected"
    template = "The backup location {path} is read-only (a write-protected disk or a read-only share)."
    hint = "Use a writable disk or folder; the backups on it can still be listed, checked and restored."


class DiskFull(KasirBackupError):
    code = "disk-full"
    template = "The disk holding {path} is full."
    hint = "Free some space or choose another backup location; the existing backups are unchanged."


class RepoFormatUnsupported(KasirBackupError):
    code = "repo-format"
    template = "The repository at {path} uses format version {version}, which this version of KasirBackup cannot read."
    hint = "Update KasirBackup."


class RepoDamaged(KasirBackupError):
    code = "repo-damaged"
    template = "The backup repository is damaged: {detail}."
    hint = "Run 'kasirbackup verify --all' to see which backups are affected, and use another copy for those."


class RepoLocked(KasirBackupError):
    code = "repo-locked"
    template = "The backup repository is in use by {owner} since {since}."
    hint = "Wait for that backup to finish. If no backup is running, the lock is left over from a crash and is removed automatically after {stale_after} minutes."


class RepoEncrypted(KasirBackupError):
    code = "repo-encrypted"
    template = "The repository at {path} is encrypted, and this version cannot decrypt it."
    hint = "Update KasirBackup."


class IoFailure(KasirBackupError):
    code = "io-failure"
    template = "Could not write {path}: {reason}."
    hint = "Check the disk and try again; the existing backups are unchanged."


# --- snapshots ------------------------------------------------------------------------

class SnapshotNotFound(KasirBackupError):
    code = "snapshot-not-found"
    template = "No backup with id {ref} in this repository."
    hint = "Run 'kasirbackup list' to see the backup ids."


class SnapshotAmbiguous(KasirBackupError):
    code = "snapshot-ambiguous"
    template = "The id {ref} matches {count} backups."
    hint = "Type more characters of the id."


class NoSnapshots(KasirBackupError):
    code = "no-snapshots"
    template = "The repository has no backups yet."
    hint = "Make a backup first."


class VerificationFailed(KasirBackupError):
    code = "verification-failed"
    template = "Backup {snapshot} failed verification: {detail}."
    hint = "It will not be restored. Choose an older backup that verifies."


# --- restore target -------------------------------------------------------------------

class TargetExists(KasirBackupError):
    code = "target-exists"
    template = "{path} already exists."
    hint = "Choose a new file name; restoring into an existing database is a separate, confirmed step."


class AttachFolderMissing(KasirBackupError):
    code = "attach-folder-missing"
    template = "{path} is not a folder."
    hint = "Give the folder that holds the database's files (for example static/uploads next to the database)."


class AttachmentsTargetExists(KasirBackupError):
    code = "attachments-target-exists"
    template = "{path} already exists."
    hint = "Choose a new folder for the attachment files (or an empty one); nothing was written."


class NoAttachments(KasirBackupError):
    code = "no-attachments"
    template = "Backup {snapshot} holds no attachment folders."
    hint = "Only backups taken with attachment folders (--attach DIR, or set in the profile) hold files to restore."


class AttachmentNotFound(KasirBackupError):
    code = "attachment-not-found"
    template = "{path} is not among the attachment files of backup {snapshot}."
    hint = ("Give the path inside the attachment folder (for example uploads/photo.jpg) or the file's original "
            "full path; 'kasirbackup list --json' names each backup's folders.")


class TargetIsDirectory(KasirBackupError):
    code = "target-is-directory"
    template = "{path} is a folder."
    hint = "Give the path of the database file to create, for example {path}/kasir.db."


class TargetFolderMissing(KasirBackupError):
    code = "target-folder-missing"
    template = "The folder {path} does not exist."
    hint = "Create the folder first or choose another location."


class Cancelled(KasirBackupError):
    code = "cancelled"
    template = "Cancelled; nothing was changed."


def os_error_to_user(exc: OSError, path: str) -> KasirBackupError:
    """Translate an OSError met while writing into the repository into a user error."""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(path=path)
    if exc.errno == errno.EROFS:
        return RepoWriteProtected(path=path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return RepoReadOnly(path=path)
    return IoFailure(path=path, reason=exc.strerror or str(exc))
