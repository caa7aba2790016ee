"""The periodic sampled verify of off-site copies: once a week (by default) after a backup,
one group of the repository's packs is read back and checked (``core.check``), cycling
through the groups so that every pack of the copy is read back once in ``GROUPS`` weeks,
like ``restic check --read-data-subset n/t``. The state (when, which group next) is kept per
repository in the user's data folder, not in the repository."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timedelta, timezone

from ..core.repo.check import DataCheckReport, Subset, check_data
from ..core.progress import CancelToken, Progress, no_progress
from ..core.repo.repository import Repository
from .paths import data_dir

log = logging.getLogger("kasirbackup.sampling")

EVERY = timedelta(days=7)
GROUPS = 8          # every pack read back once in eight checks


def _state_path():
    return data_dir() / "sampled-checks.json"


def _load() -> dict:
    try:
        d = json.loads(_state_path().read_text(encoding="utf-8"))
        return d if isinstance(d, dict) else {}
    except (OSError, ValueError, RecursionError):
        return {}


def _save(state: dict) -> None:
    path = _state_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=1)
    os.replace(tmp, path)


def sampled_check_if_due(repo: Repository, progress: Progress = no_progress, cancel: CancelToken | None = None,
                         now: datetime | None = None, every: timedelta = EVERY) -> DataCheckReport | None:
    """Run the next group's check when the last one is older than ``every``; else None."""
    now = now or datetime.now(timezone.utc)
    state = _load()
    entry = state.get(repo.config.id) or {}
    try:
        last = datetime.fromisoformat(entry["at"]) if entry.get("at") else None
    except (TypeError, ValueError):
        last = None
    if last is not None and now - last < every:
        return None
    group = int(entry.get("next", 1)) if str(entry.get("next", 1)).isdigit() else 1
    group = group if 1 <= group <= GROUPS else 1
    report = check_data(repo, Subset(group=(group, GROUPS)), progress, cancel)
    if not report.snapshots or not report.packs_total:
        # it runs right after a backup was stored there: finding nothing is not a success
        report.problems.append(f"nothing was found to read back at {repo.location} "
                               f"({report.snapshots} backups, {report.packs_total} pack files)")
    log.info("sampled check of %s (group %d/%d): %d packs read, %s", repo.location, group, GROUPS,
             report.packs_read, "ok" if report.ok else "; ".join(report.problems))
    state[repo.config.id] = {"at": now.isoformat(), "next": group % GROUPS + 1, "location": repo.location,
                             "ok": report.ok}
    try:
        _save(state)
    except OSError as exc:
        log.warning("could not record the sampled check: %s", exc)
    return report
