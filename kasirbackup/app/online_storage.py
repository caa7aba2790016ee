"""Online storage (an S3-compatible bucket) as a backup place, set up from the desktop app.

A place is kept in a profile as its location, ``s3://BUCKET/FOLDER``, which holds no secret.
How to reach it — the provider's address, region, access key and secret key — is one entry in
the OS credential store (``keyring``, service "kasirbackup", user ``online-storage:LOCATION``),
never in settings.json. ``install()`` (run when ``kasirbackup.app`` is imported) lets the
engine find that entry whenever it opens the place, so the command line, the scheduler and the
desktop app all use what the app saved; a place without an entry is reached through boto3's
standard chain (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID`` …), as before.

``check_connection`` is the "Test connection" button: list, write, read back and delete a
small object, and say in one ``Problem`` what went wrong. No widgets here; no text either —
the desktop app words each problem in the user's language.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import ssl
import socket
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from ..core.storage import access as _access
from ..core.storage.access import S3Access
from .credentials import store_delete, store_get, store_set

log = logging.getLogger("kasirbackup.s3")

USER_PREFIX = "online-storage:"
MAX_FIELD = 512                 # an address, a key: far below the Windows store's ~2.5 KB entry
TEST_PREFIX = "probe-"          # the test object, in the place's locks/ folder (a name the backend accepts)

_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,62}")
_REGION = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


class Problem(Enum):
    WRONG_SECRET = "wrong-secret"          # the access key exists, the secret key does not match it
    UNKNOWN_KEY = "unknown-key"            # the provider does not know the access key
    NO_BUCKET = "no-bucket"
    DENIED = "denied"                      # the keys work but may not list, write, read or delete here
    NO_SUCH_HOST = "no-such-host"          # the address's name cannot be looked up (typo, or no network)
    REFUSED = "refused"                    # nothing answers at that address
    NO_NETWORK = "no-network"              # no answer in time, or the connection broke
    TLS = "tls"                            # no secure connection (certificate, or not an https server)
    NOT_READ_BACK = "not-read-back"        # written, but something else came back
    INVALID = "invalid"                    # the place's address is not usable
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ConnectionCheck:
    problem: Problem | None                # None: listed, written, read back and deleted
    holds_backups: bool = False            # KasirBackup backups are there already
    holds_other_files: bool = False        # other files there: the first backup would refuse the folder
    detail: str = ""                       # for the log and a helper (the provider's error code)

    @property
    def ok(self) -> bool:
        return self.problem is None


# -- the fields of the "Add online storage" dialog ------------------------------------------------

def valid_address(url: str) -> bool:
    """``https://host[:port]`` (``http://`` too, for a server on the local network)."""
    if not url or len(url) > MAX_FIELD or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port                        # raises on a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment


def valid_bucket(name: str) -> bool:
    return bool(_BUCKET.fullmatch(name)) and ".." not in name


def valid_folder(folder: str) -> bool:
    """Empty (the bucket itself), or names separated by '/' without '.', '..' or odd characters."""
    folder = folder.strip("/")
    if not folder:
        return True
    return len(folder) <= MAX_FIELD and all(
        part not in ("", ".", "..") and "\\" not in part and not any(ord(c) < 32 or ord(c) == 127 for c in part)
        for part in folder.split("/"))


def valid_region(region: str) -> bool:
    return not region or bool(_REGION.fullmatch(region))


_REGION_IN_ADDRESS = re.compile(r"s3[.-]([a-z]{2}(?:-[a-z]+)+-\d{1,3})\."
                                r"(?:amazonaws\.com|backblazeb2\.com|wasabisys\.com)")


def region_for(address: str) -> str:
    """The region an address of a well-known provider names ("" when it names none): the
    signature of a request must name the bucket's region at these providers."""
    host = (urlsplit(address).hostname or "").lower()
    if host.endswith(".r2.cloudflarestorage.com"):
        return "auto"
    m = _REGION_IN_ADDRESS.match(host)
    return m.group(1) if m else ""


def location_of(bucket: str, folder: str = "") -> str:
    """The place as the profile and the command line write it: ``s3://BUCKET/FOLDER``."""
    folder = folder.strip().strip("/")
    return f"s3://{bucket.strip()}/{folder}" if folder else f"s3://{bucket.strip()}"


def is_online(location: str) -> bool:
    return location[:5].lower() == "s3://"


def split_location(location: str) -> tuple[str, str]:
    """(bucket, folder) of ``s3://BUCKET/FOLDER``, for showing it."""
    bucket, _, folder = location[5:].partition("/")
    return bucket, folder.strip("/")


# -- the credential store ----------------------------------------------------------------------------

def _user(location: str) -> str:
    return USER_PREFIX + location


def save_access(location: str, acc: S3Access) -> None:
    """Keep the place's access in the credential store (``NoSecureStore`` when there is none)."""
    store_set(_user(location), json.dumps({"v": 1, "endpoint": acc.endpoint, "region": acc.region,
                                           "access_key": acc.access_key, "secret_key": acc.secret_key}))


def saved_access(location: str) -> S3Access | None:
    """The place's saved access; None when none is saved (or the entry is not ours)."""
    raw = store_get(_user(location))
    if not raw or len(raw) > 8 * MAX_FIELD:
        return None
    try:
        d = json.loads(raw)
    except ValueError:
        log.warning("the saved access of %s is not readable; ignored", location)
        return None
    fields = ("endpoint", "region", "access_key", "secret_key")
    if not isinstance(d, dict) or d.get("v") != 1 or not all(isinstance(d.get(k), str) for k in fields) \
            or not d["access_key"] or not d["secret_key"]:
        log.warning("the saved access of %s is not readable; ignored", location)
        return None
    return S3Access(d["endpoint"], d["access_key"], d["secret_key"], d["region"])


def forget_access(location: str) -> None:
    store_delete(_user(location))


def _lookup(location: str) -> S3Access | None:
    return saved_access(location)


def install() -> None:
    """Let the engine find the saved access of a place when it opens it, and keep copies of
    online places' manifests and index files in the user's cache folder (storage/s3_cache.py)."""
    from ..core.storage import s3_cache
    from .paths import cache_dir

    _access.set_lookup(_lookup)
    s3_cache.set_cache_root(lambda: cache_dir() / "online")


# -- Test connection ----------------------------------------------------------------------------

def classify(exc: BaseException) -> Problem:
    """One plain problem for what the backend raised (its errors keep the provider's as cause)."""
    from ..core.storage import s3

    if isinstance(exc, s3.S3BucketMissing):
        return Problem.NO_BUCKET
    if isinstance(exc, s3.S3BadCredentials):
        code = _provider_code(exc)
        return Problem.WRONG_SECRET if code == "SignatureDoesNotMatch" else Problem.UNKNOWN_KEY
    if isinstance(exc, s3.S3NoCredentials):
        return Problem.UNKNOWN_KEY
    if isinstance(exc, s3.S3AccessDenied):
        return Problem.DENIED
    if isinstance(exc, s3.S3LocationInvalid):
        return Problem.INVALID
    if isinstance(exc, s3.S3Unreachable):
        return _network_problem(exc)
    return Problem.OTHER


def _provider_code(exc: BaseException) -> str:
    cause = exc.__cause__
    response = getattr(cause, "response", None)
    if isinstance(response, dict):
        return str((response.get("Error") or {}).get("Code") or "")
    return ""


def _chain(exc: BaseException):
    """The exception, what caused it, and what the HTTP library kept inside (once each)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        inner = getattr(e, "kwargs", {}).get("error") if isinstance(getattr(e, "kwargs", None), dict) else None
        todo += [x for x in (e.__cause__, e.__context__, inner, getattr(e, "reason", None))
                 if isinstance(x, BaseException)]


def _network_problem(exc: BaseException) -> Problem:
    names = set()
    for e in _chain(exc):
        if isinstance(e, ssl.SSLError) or type(e).__name__ == "SSLError":
            return Problem.TLS
        if isinstance(e, socket.gaierror):
            return Problem.NO_SUCH_HOST
        if isinstance(e, ConnectionRefusedError):
            return Problem.REFUSED
        names.add(type(e).__name__)
    if "NameResolutionError" in names:
        return Problem.NO_SUCH_HOST
    return Problem.NO_NETWORK


def check_connection(location: str, acc: S3Access) -> ConnectionCheck:
    """List the place, write a small object, read it back and delete it (on a worker).
    Tries each request at most twice with a short connect timeout, so a wrong address is
    reported in seconds, not after a backup's patient retries."""
    from ..core.repo.repository import CONFIG_NAME
    from ..core.storage.s3 import S3Storage, make_client, parse_s3_url

    try:
        bucket, prefix = parse_s3_url(location)
        storage = S3Storage(bucket, prefix, client=make_client(acc, max_attempts=2, connect_timeout=5))
        empty = storage.is_empty()
        holds_backups = not empty and storage.exists("config", CONFIG_NAME)
        name = TEST_PREFIX + secrets.token_hex(8)
        payload = b"KasirBackup connection test " + secrets.token_hex(16).encode()
        storage.save("locks", name, payload)
        try:
            back = storage.load("locks", name)
        finally:
            storage.remove("locks", name)
    except Exception as exc:
        problem = classify(exc)
        detail = _provider_code(exc) or type(exc).__name__
        log.info("connection test of %s failed: %s (%s)", location, problem.value, detail)
        if problem is Problem.OTHER and not hasattr(exc, "template"):
            log.warning("connection test of %s: unexpected %r", location, exc, exc_info=True)
        return ConnectionCheck(problem, detail=detail)
    if back != payload:
        return ConnectionCheck(Problem.NOT_READ_BACK, detail="different bytes came back")
    log.info("connection test of %s passed", location)
    return ConnectionCheck(None, holds_backups=holds_backups, holds_other_files=not empty and not holds_backups)


def add_place(location: str, acc: S3Access) -> str:
    """Check the address and keep the access (on a worker). Returns the location."""
    from ..core.storage.s3 import parse_s3_url

    parse_s3_url(location)          # S3LocationInvalid, in the user's words, before anything is kept
    save_access(location, acc)
    return location
