"""Named points where the test suite can stop the program dead, as a power cut would.

``KASIRBACKUP_TEST_KILL_AT=POINT`` (or ``POINT:N``) makes the process send itself SIGKILL
the first (or N-th) time it reaches ``POINT``: a kill placed exactly, instead of a kill
timed by sleeping that a fast or busy machine moves elsewhere. The variable is read once
at start-up and ignored by the frozen application we ship; the points cost one
comparison when it is not set.

The points (see where :func:`reached` is called):

``backup.locked``       the repository lock is taken, nothing written yet
``backup.packed``       the new pages are in pack files, no index names them yet
``backup.indexed``      the index is saved, the restore drill has not run
``rebuild.chunk``       one more MiB of a rebuilt image was written (drill, restore, verify)
``backup.recorded``     the snapshot's manifest is saved, the plain copy not yet published
``attachments.file``    one more attachment file was read into the backup
``attachments.restored`` one more attachment file was written by a restore
``restore.safety``      the live restore's safety backup is stored, the database unchanged
``restore.copying``     a step of the copy into the live database is written, not committed
``restore.copied``      the copy is committed, its check has not run
"""

from __future__ import annotations

import os
import signal
import sys

ENV = "KASIRBACKUP_TEST_KILL_AT"


def _parse(spec: str) -> tuple[str | None, int]:
    if not spec or getattr(sys, "frozen", False):
        return None, 0
    name, _, count = spec.partition(":")
    return name, int(count) if count.isdigit() and int(count) > 0 else 1


_POINT, _AT = _parse(os.environ.get(ENV, ""))
_seen = 0


def reached(point: str) -> None:
    """Called by the engine at ``point``; kills this process when the tests asked for it."""
    global _seen
    if _POINT is None or point != _POINT:
        return
    _seen += 1
    if _seen == _AT:
        sys.stdout.flush()
        sys.stderr.flush()
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
