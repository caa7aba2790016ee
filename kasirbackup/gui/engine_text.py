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

from ..core.errors import KasirBackupError
from .i18n import fmt_number, fmt_size

translate = QCoreApplication.translate

_FIELD = re.compile(r"\{(\w+)\}")
_VERIFIED = re.compile(r"^backup (?P<id>[0-9a-f]{8}) verified, (?P<bytes>\d+) bytes added"
                       r"(?:, (?P<pruned>\d+) old backups removed)?"
                       r"(?:, (?P<read>\d+) stored files read back and intact)?$")
_DRILL_FAILED = re.compile(r"^backup (?P<id>[0-9a-f]{8}) failed its restore drill: (?P<detail>.*)$")
_PENDING = "off-site copy pending: "


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


def _part_text(part: str) -> str:
    m = _VERIFIED.match(part)
    if m:
        said = translate("history", "backup {id} checked by a test restore, {size} added").format(
            id=m["id"], size=fmt_size(int(m["bytes"])))
        if m["pruned"]:
            said += translate("history", ", {n} old backups removed").format(n=fmt_number(int(m["pruned"])))
        if m["read"]:
            said += translate("history", ", {n} stored files read back and intact").format(
                n=fmt_number(int(m["read"])))
        return said
    m = _DRILL_FAILED.match(part)
    if m:
        return translate("history", "backup {id} failed its test restore: {detail}").format(
            id=m["id"], detail=m["detail"])
    if part == "cancelled by the user; nothing was changed":
        return translate("history", "cancelled; nothing was changed")
    # "<place>: <message>" of a place that failed
    place, sep, rest = part.partition(": ")
    if sep and ("/" in place or "\\" in place or "://" in place):
        return f"{place}: {error_message_text(rest)}"
    return error_message_text(part)


def run_message_text(message: str) -> str:
    """A backup run's stored message ("; "-separated parts, one per place and note)."""
    if not message:
        return message
    if message == "cancelled by the user; nothing was changed":
        return _part_text(message)
    prefix = ""
    if message.startswith(_PENDING):
        prefix, message = translate("history", "off-site copy pending: "), message[len(_PENDING):]
    whole = error_message_text(message)
    if whole != message:
        return prefix + whole
    return prefix + "; ".join(_part_text(p) for p in message.split("; "))
