"""The history in the user's language: what kind of entry a row is (a backup run, a restore, an
import …), who started it, and one plain sentence saying what an operation other than a backup
did ("Restored the backup of 4 Dec 16:32 into kasir.db", "Checked 14 backups: all restore").
Texts in context "history"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from ..app.history import Entry, Operation, OpKind, Origin, Result, Run
from .engine_text import error_message_text, run_message_text
from .i18n import fmt_datetime, fmt_number, fmt_size

translate = QCoreApplication.translate      # translate("history", "literal"): lupdate reads it

BACKUP = "backup"        # the kind of a backup run (an OpKind value for the others)


def entry_kind(entry: Entry) -> str:
    return BACKUP if isinstance(entry, Run) else entry.kind.value


def kind_text(kind: str) -> str:
    """The "What" of a row."""
    return {
        BACKUP: translate("history", "Backup"),
        OpKind.RESTORE.value: translate("history", "Restore"),
        OpKind.RESTORE_FILE.value: translate("history", "Restore to a file"),
        OpKind.UNDO.value: translate("history", "Undo"),
        OpKind.IMPORT.value: translate("history", "Import"),
        OpKind.EXPORT.value: translate("history", "Export"),
        OpKind.CHECK.value: translate("history", "Check"),
        OpKind.PRUNE.value: translate("history", "Old backups removed"),
    }.get(kind, kind)


def origin_text(op: Operation) -> str:
    """Who started an operation: the user in this app, or the command line."""
    if op.origin == Origin.CLI:
        return translate("history", "Command line")
    return translate("trigger", "You")


def _name(path: str) -> str:
    return Path(path).name if path else translate("history", "the database")


def operation_text(op: Operation) -> str:
    """What the operation did, in one sentence (or that it failed)."""
    name, when = _name(op.database), fmt_datetime(op.snapshot_time)
    if op.result == Result.FAILED and not (op.kind == OpKind.CHECK and op.checked):
        return translate("history", "{what} failed: {reason}").format(what=kind_text(op.kind.value),
                                                                     reason=error_message_text(op.message) or "–")
    if op.kind == OpKind.RESTORE:
        if op.mode == "merge":
            return translate("history", "Merged the backup of {when} into {name}: {n} rows brought back").format(
                when=when, name=name, n=fmt_number(op.rows))
        if op.mode == "tables":
            return translate("history", "Restored {n} tables from the backup of {when} into {name}").format(
                n=fmt_number(op.tables), when=when, name=name)
        return translate("history", "Restored the backup of {when} into {name}").format(when=when, name=name)
    if op.kind == OpKind.RESTORE_FILE:
        return translate("history", "Restored the backup of {when} as a new file: {path}").format(
            when=when, path=op.target)
    if op.kind == OpKind.UNDO:
        if op.mode == "import":
            return translate("history", "Undid the import: {name} is back as it was at {when}").format(
                name=name, when=when)
        return translate("history", "Undid the restore: {name} is back as it was at {when}").format(
            name=name, when=when)
    if op.kind == OpKind.IMPORT:
        return translate("history", "Imported {file} into {name}: {new} new rows, {changed} changed, {removed} "
                                    "removed").format(file=Path(op.source).name, name=name,
                                                      new=fmt_number(op.inserted), changed=fmt_number(op.updated),
                                                      removed=fmt_number(op.removed))
    if op.kind == OpKind.EXPORT:
        if op.snapshot_id:
            return translate("history", "Exported {tables} tables ({rows} rows) of the backup of {when} to "
                                        "{path}").format(tables=fmt_number(op.tables), rows=fmt_number(op.rows),
                                                         when=when, path=op.target)
        return translate("history", "Exported {tables} tables ({rows} rows) of {name} to {path}").format(
            tables=fmt_number(op.tables), rows=fmt_number(op.rows), name=name, path=op.target)
    if op.kind == OpKind.CHECK:
        return _check_text(op, when)
    if op.kind == OpKind.PRUNE:
        return translate("history", "Removed {n} of {total} backups, {size} freed").format(
            n=fmt_number(op.removed), total=fmt_number(op.checked), size=fmt_size(op.bytes))
    return kind_text(op.kind.value)


def _check_text(op: Operation, when: str) -> str:
    good = op.result == Result.SUCCESS
    if op.mode == "data":
        if good:
            return translate("history", "Read back {read} stored files of {n} backups: all intact").format(
                read=fmt_number(op.read), n=fmt_number(op.checked))
        return translate("history", "Read back {read} stored files of {n} backups: {problems} problems "
                                    "found").format(read=fmt_number(op.read), n=fmt_number(op.checked),
                                                    problems=fmt_number(op.damaged))
    if op.checked == 1 and op.snapshot_id:
        if good:
            return translate("history", "Checked the backup of {when}: it restores").format(when=when)
        return translate("history", "Checked the backup of {when}: it is damaged").format(when=when)
    if good:
        return translate("history", "Checked {n} backups: all restore").format(n=fmt_number(op.checked))
    return translate("history", "Checked {n} backups: {bad} damaged").format(n=fmt_number(op.checked),
                                                                            bad=fmt_number(op.damaged))


def entry_text(entry: Entry) -> str:
    """The "Message" column: a backup run's own message, an operation's sentence."""
    return run_message_text(entry.message) if isinstance(entry, Run) else operation_text(entry)
