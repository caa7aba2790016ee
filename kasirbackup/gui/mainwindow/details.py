"""The details pane of the main window: one backup in the shop's words first — when, what
kind, checked or not, its tables and rows — and the technical facts (id, fingerprint, what
the drill compared) behind a "Technical details" link."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from ...core.repo.manifest import Snapshot
from ...core.repo.manifest import READBACK
from ...core.snapshot.readback import readback_facts
from ...core.snapshot.verify import checked_facts
from ..i18n import fmt_datetime, fmt_number, fmt_seconds, fmt_size
from ..models import kind_text, label_text
from ..richtext import details_table

# the link in the pane that shows or hides the technical facts
TECHNICAL_LINK = "kasirbackup:technical"


translate = QCoreApplication.translate


def checked_text(s: Snapshot) -> str:
    """Checked or not, in one plain sentence."""
    if s.verified and s.verification.method == READBACK:
        return translate("BackupDetails", "Yes: what this backup added was read back and matches, and every other page "
                         "is in backups already checked. A test restore checks it whole before it is restored.")
    if s.verified:
        when = s.verification.at
        return translate("BackupDetails", "Yes: a test restore rebuilt this backup and found the database sound.") if not when else \
            translate("BackupDetails", "Yes: a test restore rebuilt this backup and found the database sound ({when}).").format(
                when=fmt_datetime(_parse(when)))
    if s.verification.ok is False:
        return translate("BackupDetails", "No: the test restore failed. Do not rely on this backup; choose another one.")
    return translate("BackupDetails", "Not checked yet.")


def drill_text(s: Snapshot) -> str:
    """What the drill compared, in the window's language when the drill succeeded; a
    failed drill's own words otherwise (they name pages and packs for support)."""
    facts = checked_facts(s.verification.detail)
    read = readback_facts(s.verification.detail) if s.verification.ok else None
    if read is not None:
        return translate("BackupDetails", "{new} new pieces read back and matching their checksums; all {pages} pages "
                         "in checked data").format(new=fmt_number(read[0]), pages=fmt_number(read[1]))
    if facts is None:
        return s.verification.detail or "–"
    check = translate("BackupDetails", "SQLite's full integrity check") if facts.integrity == "integrity_check" else \
        translate("BackupDetails", "SQLite's quick check")
    sha = translate("BackupDetails", "the fingerprint matches") if facts.sha256_compared else translate("BackupDetails", "the fingerprint was recorded")
    text = translate("BackupDetails", "{pages} pages match their checksums, {sha}, {check} passed, the rows of {tables} tables "
               "counted").format(pages=fmt_number(facts.pages), sha=sha, check=check,
                                 tables=fmt_number(facts.tables))
    if facts.files is not None:
        text += translate("BackupDetails", "; {files} photos and files match ({rebuilt} rebuilt, the others in the "
                                           "backup before)").format(files=fmt_number(facts.files),
                                                                    rebuilt=fmt_number(facts.rebuilt or 0))
    return text


def _parse(iso: str):
    from datetime import datetime
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None


def details_html(s: Snapshot, snapshots: list[Snapshot], technical: bool = False) -> str:
    """The pane's HTML for ``s`` (``snapshots``: the listing, to name restored backups)."""
    label = label_text(s, snapshots)
    rows = [
        (translate("BackupDetails", "Taken"), fmt_datetime(s.created_at, seconds=True)),
        (translate("BackupDetails", "Kind"), kind_text(s.kind) + (f" — {label}" if label else "")),
        (translate("BackupDetails", "Checked"), checked_text(s)),
        (translate("BackupDetails", "Database"), s.source_name or s.source_path),
        (translate("BackupDetails", "Size"), fmt_size(s.image_bytes)),
    ]
    for a in s.attachments:
        rows.append((translate("BackupDetails", "Photos and files"),
                     translate("BackupDetails", "{folder}: {files} files, {size}").format(
                         folder=a.folder, files=fmt_number(a.files), size=fmt_size(a.bytes))
                     if a.captured else translate("BackupDetails", "{folder}: missing when this backup was made").format(
                         folder=a.folder)))
    html = [details_table(rows)]
    if s.tables:
        heading = translate("BackupDetails", "Tables and rows")
        html.append(f"<p><b>{escape(heading)}</b></p><table cellspacing='2'>")
        for t, n in sorted(s.tables.items()):
            if t.startswith("sqlite_"):
                continue
            html.append(f"<tr><td>{escape(t)}&nbsp;&nbsp;</td><td align='right'>"
                        f"{escape(fmt_number(n) if n is not None else '?')}</td></tr>")
        html.append("</table>")
    link = translate("BackupDetails", "Hide technical details") if technical else translate("BackupDetails", "Technical details")
    html.append(f"<p><a href='{TECHNICAL_LINK}'>{escape(link)}</a></p>")
    if technical:
        tech = [
            (translate("BackupDetails", "Backup number"), s.id),
            (translate("BackupDetails", "Database file"), s.source_path),
            (translate("BackupDetails", "Computer"), s.hostname),
            (translate("BackupDetails", "Added to the backup folder"), fmt_size(s.added_bytes)),
            (translate("BackupDetails", "Test restore"), drill_text(s)),
            (translate("BackupDetails", "Test restore took"), fmt_seconds(s.verification.duration_s)),
            (translate("BackupDetails", "Fingerprint (SHA-256)"), s.image_sha256 or "–"),
        ]
        html.append(details_table(tech))
    return "".join(html)
