"""Engine text that was stored in English (a run's message in the history, written by the
command line or the scheduler) shown in the window's language.

The engine's errors are templates with named values (core/errors.py); a stored message is
matched back against every template (and its hint) and, when one matches, the template's
translation is filled with the same values. A backup run's own summary ("backup 1a2b3c4d
verified, 3696 bytes added") is said again from its parts. Text that matches nothing is
shown as it was stored: nothing is ever hidden.
"""

from __future__ import annotations

import functools
import re

from PySide6.QtCore import QCoreApplication

from ..app import runner
from ..core.errors import KasirBackupError
from .i18n import fmt_number, fmt_size

translate = QCoreApplication.translate

_FIELD = re.compile(r"\{(\w+)\}")


def _classes(cls=KasirBackupError):
    for sub in cls.__subclasses__():
        yield sub
        yield from _classes(sub)


def _pattern(text: str, seen: set[str]) -> str:
    """``text`` as a regex: each value a group, a value named again the same text."""
    out, pos = [], 0
    for m in _FIELD.finditer(text):
        out.append(re.escape(text[pos:m.start()]))
        name = m.group(1)
        out.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        pos = m.end()
    out.append(re.escape(text[pos:]))
    return "".join(out)


def _whole(template: str, tail: str = "") -> re.Pattern:
    return re.compile("^" + _pattern(template, set()) + tail + "$", re.DOTALL)


# a run's own summary, from the templates the runner writes it with
_VERIFIED = _whole(runner.MSG_VERIFIED, f"(?:{_pattern(runner.MSG_PRUNED, set())})?"
                                        f"(?:{_pattern(runner.MSG_NOT_ATTACHED, set())})?"
                                        f"(?:{_pattern(runner.MSG_READ_BACK, set())})?")
_READ_BACK = _whole(runner.MSG_READ_BACK_SNAPSHOT, f"(?:{_pattern(runner.MSG_PRUNED, set())})?"
                                                   f"(?:{_pattern(runner.MSG_NOT_ATTACHED, set())})?")


def _unattached(m: re.Match) -> str:
    return translate("history", ", {n} attachment files or folders not backed up (see the backup's details)").format(
        n=fmt_number(int(m["unattached"]))) if m["unattached"] else ""
_DRILL_FAILED = _whole(runner.MSG_DRILL_FAILED)


@functools.lru_cache(maxsize=1)
def _templates() -> list[tuple[re.Pattern, str, str]]:
    """(pattern of the English message, template, hint), longest templates first so that a
    specific message wins over a general one."""
    seen, out = set(), []
    for cls in _classes():
        template, hint = getattr(cls, "template", ""), getattr(cls, "hint", "") or ""
        if not template or (template, hint) in seen:
            continue
        seen.add((template, hint))
        names: set[str] = set()
        full = _pattern(template, names) + (r"\s" + _pattern(hint, names) if hint else "")
        try:
            out.append((re.compile("^" + full + "$", re.DOTALL), template, hint))
        except re.error:
            continue
    out.sort(key=lambda t: -len(t[1] + t[2]))
    return out


def error_message_text(text: str) -> str:
    """One engine error message in the window's language, or ``text`` as it is."""
    for pattern, template, hint in _templates():
        m = pattern.match(text)
        if m is None:
            continue
        values = m.groupdict()
        try:
            said = translate("errors", template).format(**values)
            if hint:
                said += " " + translate("errors", hint).format(**values)
            return said
        except (KeyError, IndexError, ValueError):
            return text
    return text


def _summary(m: re.Match) -> str:
    said = translate("history", "backup {id} checked by a test restore, {size} added").format(
        id=m["id"], size=fmt_size(int(m["bytes"])))
    if m["pruned"]:
        said += translate("history", ", {n} old backups removed").format(n=fmt_number(int(m["pruned"])))
    said += _unattached(m)
    if m["read"]:
        said += translate("history", ", {n} stored files read back and intact").format(n=fmt_number(int(m["read"])))
    return said


def _part_text(part: str) -> str:
    m = _READ_BACK.match(part)
    if m:
        try:
            said = translate("history", "backup {id} checked by reading back what it added, {size} added").format(
                id=m["id"], size=fmt_size(int(m["bytes"])))
            if m["pruned"]:
                said += translate("history", ", {n} old backups removed").format(n=fmt_number(int(m["pruned"])))
            return said + _unattached(m)
        except ValueError:
            return part
    m = _VERIFIED.match(part)
    if m:
        try:
            return _summary(m)
        except ValueError:          # not the runner's numbers after all: shown as stored
            return part
    m = _DRILL_FAILED.match(part)
    if m:
        return translate("history", "backup {id} failed its test restore: {detail}").format(
            id=m["id"], detail=m["detail"])
    # "<place>: <message>" of a place that failed
    place, sep, rest = part.partition(": ")
    if sep and ("/" in place or "\\" in place or "://" in place):
        return f"{place}: {error_message_text(rest)}"
    return error_message_text(part)


def run_message_text(message: str) -> str:
    """A backup run's stored message ("; "-separated parts, one per place and note)."""
    if not message:
        return message
    if message == runner.MSG_CANCELLED:
        return translate("history", "cancelled; nothing was changed")
    prefix = ""
    if message.startswith(runner.MSG_OFFSITE_PENDING):
        prefix = translate("history", "off-site copy pending: ")
        message = message[len(runner.MSG_OFFSITE_PENDING):]
    whole = error_message_text(message)
    if whole != message:
        return prefix + whole
    return prefix + "; ".join(_part_text(p) for p in message.split("; "))
