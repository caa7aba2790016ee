"""What every verb of the command line shares: exit codes, ``--json`` printing, the
progress bar, times and sizes for people, the yes/no confirmation, and opening a
repository with its passphrase. Every verb module imports this one; it imports no verb.
"""

from __future__ import annotations

import json
import re
import sys
import time
from datetime import datetime

from ..app.credentials import passphrase_source
from ..app.history import OpKind, Origin
from ..core.errors import KasirBackupError
from ..core.repo.repository import Repository

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_DAMAGED = 3
EXIT_INTERRUPTED = 130


def human_bytes(n: int | None) -> str:
    if n is None:
        return "?"
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


class ProgressBar:
    """A one-line progress bar on standard error, only when it is a terminal."""

    LABELS = {"copy": "Copying", "catch-up": "Catching up", "verify": "Verifying"}

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._last = 0.0
        self._shown = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        frac = done / total if total else 1.0
        width = 30
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        err = raw_stream(sys.stderr)
        err.write(f"\r{self.LABELS.get(phase, phase):<12} [{bar}] {frac * 100:5.1f}%")
        err.flush()
        self._shown = True

    def done(self) -> None:
        if self._shown:
            err = raw_stream(sys.stderr)
            err.write("\r" + " " * 60 + "\r")
            err.flush()
            self._shown = False


def progress_bar(args) -> ProgressBar:
    return ProgressBar(sys.stderr.isatty() and not getattr(args, "quiet", False))


# -- inert output: text from repositories, databases and import files is data, never a
# terminal command (an ESC[1A ESC[2K in a planted label could erase the DAMAGED line above)
_ESCAPED = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A)}
_ESCAPED.update({c: f"\\u{c:04x}" for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})
#: what JSON leaves raw with ensure_ascii=False (it escapes only U+0000..U+001F itself)
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """``text`` with every control character (but tab and newline) and every bidirectional
    override written as a visible escape such as ``\\x1b``."""
    return text.translate(_ESCAPED)


class InertStream:
    """A text stream that writes everything through ``inert``; ``raw`` is the stream
    itself, for the progress bar's own carriage returns."""

    def __init__(self, stream) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        return self.raw.write(inert(text))

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


def raw_stream(stream):
    return getattr(stream, "raw", stream)


def print_json(obj) -> None:
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    text = _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    out = raw_stream(sys.stdout)
    out.write(text + "\n")


def local_time(dt: datetime) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def shell_word(text: str) -> str:
    """``text`` as one word of a command line the user can paste (cmd.exe or a POSIX shell)."""
    if sys.platform == "win32":
        return f'"{text}"' if any(c in text for c in ' \t&()^|<>') else text
    import shlex

    return shlex.quote(text)


def undo_command(db, repo_location: str) -> str:
    return f"kasirbackup undo --db {shell_word(str(db))} --repo {shell_word(repo_location)}"


def open_repo(args, create: bool = False, location: str | None = None) -> Repository:
    """Open ``location`` (default ``args.repo``); an encrypted repository gets its passphrase
    from the environment, --passphrase-file, the credential store or a prompt (in that order)."""
    return Repository.open(location or args.repo, create=create,
                           passphrase=passphrase_source(getattr(args, "passphrase_file", None)))


def recorded(kind: OpKind, **known):
    """``with recorded(OpKind.X, database=…) as op:`` — the operation done in the block is
    recorded in the per-user run history (app/oplog.py); the block fills ``op`` from its result."""
    from ..app.oplog import history_writer, recording

    return recording(kind, history_writer(), Origin.CLI, **known)


def warn_problems(repo) -> None:
    for problem in repo.problems:
        print(f"kasirbackup: warning: {problem}", file=sys.stderr)


def confirm(question: str, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        raise NotConfirmed()
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in ("y", "yes", "ya")


class NotConfirmed(KasirBackupError):
    code = "not-confirmed"
    template = "Refusing to change the database without confirmation."
    hint = "Run it on a terminal to answer the question, or add --yes."
