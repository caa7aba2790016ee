"""Is this snapshot a backup of *this* database? (Not of another shop, not of another
application's file.) Judged from the application id in the header, the digests of the
oldest rows (a shop's first product and first sale rarely change) and the schema."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import KasirBackupError
from ..repo.manifest import Snapshot


class OtherDatabase(KasirBackupError):
    code = "other-database"
    template = "Backup {snapshot} was taken from a different database than {path}: {differences}."
    hint = ("Check that you picked the right backup and the right database. To restore it anyway, "
            "confirm explicitly (--force-other-database).")


@dataclass(slots=True)
class DatabaseFacts:
    path: str
    application_id: int
    schema_fingerprint: str
    first_rows: dict[str, str]
    tables: dict[str, int | None]
    empty: bool = False             # none of its own tables holds a row: it is nobody's yet


@dataclass(slots=True)
class IdentityCheck:
    same: bool
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def compare(snap: Snapshot, live: DatabaseFacts) -> IdentityCheck:
    diffs: list[str] = []
    notes: list[str] = []
    db = snap.database
    if not live.tables or live.empty:
        return IdentityCheck(True, [], ["the database holds no rows yet, so there is nothing to compare"])
    if db.application_id and live.application_id and db.application_id != live.application_id:
        diffs.append(f"it belongs to another application (application id {db.application_id:#x} in the "
                     f"backup, {live.application_id:#x} here)")
    common = sorted(set(db.first_rows) & set(live.first_rows))
    same_rows = [t for t in common if db.first_rows[t] == live.first_rows[t]]
    if common and not same_rows:
        shown = ", ".join(common[:4]) + ("…" if len(common) > 4 else "")
        diffs.append(f"the oldest rows of {shown} are different (another shop's data?)")
    snap_tables = {t for t in snap.tables if not t.startswith("sqlite_")}
    live_tables = {t for t in live.tables if not t.startswith("sqlite_")}
    if db.schema_fingerprint != live.schema_fingerprint:
        added = sorted(live_tables - snap_tables)
        removed = sorted(snap_tables - live_tables)
        what = []
        if added:
            what.append("tables added since: " + ", ".join(added[:5]))
        if removed:
            what.append("tables removed since: " + ", ".join(removed[:5]))
        desc = "; ".join(what) or "columns, indexes or triggers changed"
        if not same_rows and not (snap_tables & live_tables):
            diffs.append(f"it has entirely different tables ({desc})")
        elif not same_rows and not common:
            diffs.append(f"its structure differs ({desc}) and no rows can be matched")
        else:
            notes.append(f"the structure of the database changed since the backup ({desc})")
    return IdentityCheck(not diffs, diffs, notes)
