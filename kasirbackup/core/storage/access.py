"""How an S3-compatible place is reached: its address (endpoint), region and keys.

The engine keeps none of it. A place set up in the desktop app has an ``S3Access`` kept by the
application layer in the OS credential store; the application installs a *lookup* here
(``set_lookup``) and ``S3Storage`` asks it, by location (``s3://BUCKET/FOLDER``), when it makes
its client. No lookup, or nothing found for a location: boto3's standard chain
(``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, ``~/.aws`` files …).

Imports no client library, so installing the lookup costs nothing until a place is used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger("kasirbackup.s3")


@dataclass(frozen=True, slots=True)
class S3Access:
    endpoint: str             # https://… of the provider; "" = boto3's own (AWS, or AWS_ENDPOINT_URL)
    access_key: str
    secret_key: str
    region: str = ""          # "" = the provider's default

    def __repr__(self) -> str:          # never the secret, not even in a traceback or a log
        return f"S3Access(endpoint={self.endpoint!r}, region={self.region!r}, access_key={self.access_key!r})"


#: location → the saved access of that place, or None
AccessLookup = Callable[[str], "S3Access | None"]

_lookup: AccessLookup | None = None


def set_lookup(fn: AccessLookup | None) -> None:
    """Where ``S3Storage`` finds a place's saved access (the application's credential store)."""
    global _lookup
    _lookup = fn


def lookup(location: str) -> S3Access | None:
    """The saved access of ``location``; None when there is none or it cannot be read (then
    boto3's standard chain applies, and a missing key is reported as such by the backend)."""
    fn = _lookup
    if fn is None:
        return None
    try:
        return fn(location)
    except Exception as exc:          # a broken store must not look like a wrong key
        log.warning("the saved access of %s could not be read: %s", location, type(exc).__name__)
        return None
