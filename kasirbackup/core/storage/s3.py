"""S3-compatible object storage as a repository: ``s3://BUCKET/PREFIX``.

The same logical layout as a folder (docs/FORMAT.md, "S3-compatible object storage"):

    PREFIX/kasirbackup.json    PREFIX/snapshots/ID.json    PREFIX/index/NAME
    PREFIX/data/xx/NAME        PREFIX/locks/exclusive

Endpoint, region and credentials: the place's saved access (``access.py``: set up in the
desktop app, kept in the OS credential store by the application layer) when there is one,
else boto3's standard chain (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
``~/.aws/config`` and ``credentials``, ``AWS_PROFILE`` …); nothing here stores or logs a secret.

* ``save`` is one PUT, which S3 makes visible whole or not at all (no temporary object
  and no rename needed). The request carries ``Content-MD5``, so a server that received
  different bytes refuses to store them (``BadDigest``) instead of keeping a damaged copy.
* ``load`` of part of an object is a ranged GET, so a restore reads only the frames it needs.
* ``list`` pages through ListObjectsV2; names that come back are untrusted (someone else
  may have written into the bucket): anything that is not a plain object name is ignored.
* ``create_exclusive`` is a conditional PUT (``If-None-Match: *``) where the server honours
  it — probed once per process, because some S3-compatible servers silently ignore the
  header — and otherwise a check-then-put followed by a re-read (see the method).
* Requests are retried by botocore's ``standard`` retry mode with bounded timeouts; what
  is left after the retries becomes a plain-language :class:`KasirBackupError`, and a
  missing object is ``FileNotFoundError``, as the engine expects of every backend.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import logging
import os
import re
import secrets
import time
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import (BotoCoreError, ClientError, ConnectionError as BotoConnectionError,
                                 HTTPClientError, IncompleteReadError, NoCredentialsError,
                                 ParamValidationError, PartialCredentialsError)

from ..errors import KasirBackupError, RepoReadOnly
from .s3_cache import CACHED_KINDS, ObjectCache, shared_client
from .access import S3Access, lookup
from .base import KINDS, Storage

log = logging.getLogger("kasirbackup.s3")

CONNECT_TIMEOUT_S = 10
READ_TIMEOUT_S = 60            # per socket read; a 16 MiB pack is sent in many reads
DEFAULT_MAX_ATTEMPTS = 5       # botocore "standard" mode: exponential back-off, max 20 s
BODY_READ_ATTEMPTS = 3         # a connection dropped while the body streams is retried here
LOCK_SETTLE_S = 1.0            # see create_exclusive (fallback without conditional writes)
LIST_PAGE_SIZE = 1000          # keys per ListObjectsV2 page (S3's maximum)

# Our object names are hex ids, "ID.json", "kasirbackup.json", "exclusive", "probe-…".
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,254}")
_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,254}")

_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}
_BAD_CREDENTIALS = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
                    "TokenRefreshRequired", "InvalidClientTokenId", "UnrecognizedClientException",
                    "AuthFailure", "InvalidSecurity"}
_ACCESS_DENIED = {"AccessDenied", "403", "Forbidden", "AllAccessDisabled", "AccountProblem"}
_DAMAGED_UPLOAD = {"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch", "IncompleteBody"}
_CONDITION_FAILED = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}


# --- errors a user can meet (same style as errors.py: literal template + hint) ----------

class S3LocationInvalid(KasirBackupError):
    code = "s3-location-invalid"
    template = "{location} is not a valid off-site storage address: {reason}."
    hint = "Write it as s3://BUCKET/FOLDER, for example s3://toko-backup/kasir."


class S3BucketMissing(KasirBackupError):
    code = "s3-bucket-missing"
    template = "The off-site storage has no bucket named {bucket}."
    hint = "Check the bucket name in {location}, or create the bucket in the storage provider's console first."


class S3BadCredentials(KasirBackupError):
    code = "s3-bad-credentials"
    template = "The off-site storage {location} does not accept the access key."
    hint = ("Enter the keys from your provider again (Settings, Backup places, Add online storage); the "
            "command line also reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")


class S3NoCredentials(KasirBackupError):
    code = "s3-no-credentials"
    template = "No access key is set up for the off-site storage {location}."
    hint = ("Enter the keys from your provider (Settings, Backup places, Add online storage); the command line "
            "also reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")


class S3AccessDenied(RepoReadOnly):
    # a RepoReadOnly, so that 'verify' with a read-only key still checks (without recording)
    code = "s3-access-denied"
    template = "The off-site storage {location} refused access (permission denied)."
    hint = "Check that the access key may read, write and delete objects in this bucket and folder."


class S3Unreachable(KasirBackupError):
    code = "s3-unreachable"
    template = "The off-site storage cannot be reached ({endpoint}): check the internet connection."
    hint = "The local backup is not affected; try again later."


class S3ServiceError(KasirBackupError):
    code = "s3-service-error"
    template = "The off-site storage {location} answered with an error ({code_}) while working on {what}."
    hint = "Try again later; the local backup is not affected."


class S3UploadDamaged(KasirBackupError):
    code = "s3-upload-damaged"
    template = "The off-site storage {location} received a damaged copy of {what}."
    hint = "Nothing damaged was kept; check the connection and try again."


# --- the backend ------------------------------------------------------------------------------

def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://BUCKET/PREFIX`` → (bucket, prefix without surrounding slashes)."""
    if url[:5].lower() != "s3://":
        raise S3LocationInvalid(location=url, reason="it does not start with s3://")
    bucket, _, prefix = url[5:].partition("/")
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise S3LocationInvalid(location=url, reason="the bucket name is missing or has characters buckets cannot have")
    prefix = prefix.strip("/")
    if prefix:
        for part in prefix.split("/"):
            if part in ("", ".", "..") or "\\" in part or any(ord(c) < 32 or ord(c) == 127 for c in part):
                raise S3LocationInvalid(location=url, reason="the folder part has an empty, '.' or '..' "
                                                             "component or a control character")
    return bucket, prefix


def _client_config(max_attempts: int | None = None, connect_timeout: float = CONNECT_TIMEOUT_S,
                   **extra) -> Config:
    retries: dict = {"mode": "standard"}
    if max_attempts is not None:
        retries["max_attempts"] = max_attempts
    elif not os.environ.get("AWS_MAX_ATTEMPTS"):      # the user's own setting wins
        retries["max_attempts"] = DEFAULT_MAX_ATTEMPTS
    return Config(connect_timeout=connect_timeout, read_timeout=READ_TIMEOUT_S, retries=retries,
                  tcp_keepalive=True, **extra)


def make_client(access: S3Access | None = None, **config):
    """An S3 client: with ``access`` its endpoint, region and keys (they win over the AWS
    variables and files); without, boto3's standard chain. ``config``: see _client_config."""
    kwargs: dict = {}
    if access is not None:
        kwargs.update(aws_access_key_id=access.access_key, aws_secret_access_key=access.secret_key)
        if access.endpoint:
            kwargs["endpoint_url"] = access.endpoint
        if access.region:
            kwargs["region_name"] = access.region
    # one client per access and settings in this process (making one costs ~0.2 s); without
    # saved access, boto3's chain reads the AWS variables, which are part of the key too
    env = tuple(os.environ.get(v, "") for v in _CHAIN_VARIABLES) if access is None else ()
    key = (tuple(sorted(kwargs.items())), tuple(sorted(config.items())), env)
    return shared_client(key, lambda: boto3.session.Session().client("s3", config=_client_config(**config),
                                                                      **kwargs))


#: (endpoint, bucket) → does the server honour If-None-Match (probed once per process)
_CONDITIONAL: dict[tuple[str, str], bool] = {}

_CHAIN_VARIABLES = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                    "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_REGION", "AWS_REGION",
                    "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")


def valid_name(name: object) -> bool:
    """A plain object name: no '/', no '..', no control or other odd characters."""
    return isinstance(name, str) and bool(_NAME.fullmatch(name)) and ".." not in name


class S3Storage(Storage):
    def __init__(self, bucket: str, prefix: str = "", client=None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.location = f"s3://{bucket}/{self.prefix}" if self.prefix else f"s3://{bucket}"
        self._client = client if client is not None else make_client(lookup(self.location))
        self._conditional: bool | None = None     # does the server honour If-None-Match? (probed)
        self._cache = ObjectCache(self.location)  # manifests and index files read before (s3_cache.py)
        self._memo: dict[str, list[str]] | None = None     # listings while remembering()

    @classmethod
    def from_url(cls, url: str, client=None) -> "S3Storage":
        bucket, prefix = parse_s3_url(url)
        return cls(bucket, prefix, client)

    def __repr__(self) -> str:
        return f"S3Storage({self.location!r})"

    # -- keys ------------------------------------------------------------------------------------
    def _base(self, kind: str) -> str:
        """The key prefix (ending in '/', or '' for the bucket root) of a kind's objects."""
        top = self.prefix + "/" if self.prefix else ""
        return top if kind == "config" else f"{top}{kind}/"

    def _key(self, kind: str, name: str) -> str:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        # names may come from objects someone else wrote; a '../' in a key is not resolved
        # by S3 itself, but HTTP libraries and some servers normalise such paths, so a
        # name like that could reach an object outside the prefix: refuse it.
        if not valid_name(name) or (kind == "data" and len(name) < 2):
            raise ValueError(f"invalid object name {name!r}")
        if kind == "data":
            return f"{self._base(kind)}{name[:2]}/{name}"
        return self._base(kind) + name

    # -- error translation -------------------------------------------------------------------
    def _endpoint(self) -> str:
        url = getattr(self._client.meta, "endpoint_url", "") or "?"
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.hostname}{':%d' % parts.port if parts.port else ''}" if parts.hostname else url

    @contextmanager
    def _translate(self, what: str, missing_ok: bool = False):
        """Turn botocore's exceptions into the engine's: FileNotFoundError for a missing
        object, a KasirBackupError for everything a user has to act on."""
        try:
            yield
        except ClientError as exc:
            err = exc.response.get("Error", {}) or {}
            code = str(err.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or "?")
            log.info("S3 %s on %s failed: %s %s", code, what, err.get("Message", ""),
                     exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
            if code == "NoSuchBucket":
                raise S3BucketMissing(bucket=self.bucket, location=self.location) from exc
            if code in _NOT_FOUND:
                if missing_ok:
                    return
                raise FileNotFoundError(errno.ENOENT, "no such object", what) from exc
            if code in _BAD_CREDENTIALS:
                raise S3BadCredentials(location=self.location) from exc
            if code in _ACCESS_DENIED:
                raise S3AccessDenied(location=self.location, path=self.location) from exc
            if code in _DAMAGED_UPLOAD:
                raise S3UploadDamaged(location=self.location, what=what) from exc
            raise S3ServiceError(location=self.location, code_=code, what=what) from exc
        except (NoCredentialsError, PartialCredentialsError) as exc:
            raise S3NoCredentials(location=self.location) from exc
        except (BotoConnectionError, HTTPClientError, IncompleteReadError) as exc:
            log.info("S3 endpoint %s unreachable while working on %s: %s", self._endpoint(), what, exc)
            raise S3Unreachable(endpoint=self._endpoint(), location=self.location) from exc
        except ParamValidationError:
            raise                   # a programming error, not the user's
        except BotoCoreError as exc:
            log.info("S3 client error on %s: %s", what, exc)
            raise S3ServiceError(location=self.location, code_=type(exc).__name__, what=what) from exc

    # -- the interface -----------------------------------------------------------------------
    def save(self, kind: str, name: str, data: bytes) -> None:
        self._forget_listing(kind)
        key = self._key(kind, name)
        with self._translate(key):
            resp = self._put(key, data)
        if kind in CACHED_KINDS:
            self._cache.put(kind, name, bytes(data), resp.get("ETag"))

    def _put(self, key: str, data: bytes, **extra) -> dict:
        md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode("ascii")
        return self._client.put_object(Bucket=self.bucket, Key=key, Body=bytes(data), ContentMD5=md5,
                                       ContentType="application/octet-stream", **extra)

    def load(self, kind: str, name: str, offset: int = 0, length: int | None = None) -> bytes:
        key = self._key(kind, name)
        if offset < 0 or (length is not None and length < 0):
            raise ValueError("negative offset or length")
        if length == 0:
            self.size(kind, name)          # still FileNotFoundError when missing
            return b""
        whole = not offset and length is None
        if whole and kind in CACHED_KINDS:
            kept = self._cache.get(kind, name)
            if kept is not None:
                return kept
        args = {"Bucket": self.bucket, "Key": key}
        if offset or length is not None:
            args["Range"] = f"bytes={offset}-" + ("" if length is None else str(offset + length - 1))
        for attempt in range(BODY_READ_ATTEMPTS):
            with self._translate(key):
                try:
                    resp = self._client.get_object(**args)     # retried by botocore itself
                except ClientError as exc:
                    if (exc.response.get("Error", {}) or {}).get("Code") == "InvalidRange":
                        return b""         # offset past the end: like reading past a file's end
                    raise
                try:
                    data = resp["Body"].read()
                except (HTTPClientError, IncompleteReadError):
                    # the connection dropped while the body streamed: botocore does not
                    # retry that part, so ask again (then report it as unreachable)
                    if attempt + 1 < BODY_READ_ATTEMPTS:
                        time.sleep(0.5 * (attempt + 1))
                        continue
                    raise
            if "Range" in args and resp.get("ResponseMetadata", {}).get("HTTPStatusCode") == 200:
                # a server that ignores Range sends the whole object
                data = data[offset:] if length is None else data[offset:offset + length]
            if whole and kind in CACHED_KINDS:
                self._cache.put(kind, name, data, resp.get("ETag"))
            return data
        raise AssertionError("not reached")

    @contextmanager
    def remembering(self):
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None

    def list(self, kind: str) -> Iterator[str]:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        memo = getattr(self, "_memo", None)
        if memo is not None and kind in ("data", "index"):
            if kind not in memo:
                memo[kind] = list(self._list(kind))
            return iter(memo[kind])
        if kind in CACHED_KINDS:
            # the whole listing first: its ETags tell which kept copies are current while the
            # caller reads the objects one by one
            return iter(list(self._list(kind)))
        return self._list(kind)

    def _forget_listing(self, kind: str) -> None:
        memo = getattr(self, "_memo", None)
        if memo is not None:
            memo.pop(kind, None)

    def _list(self, kind: str) -> Iterator[str]:
        base = self._base(kind)
        args = {"Bucket": self.bucket, "Prefix": base}
        if kind != "data":
            args["Delimiter"] = "/"     # deeper keys come back as CommonPrefixes: ignored
        etags: dict[str, str] = {}
        with self._translate(base or "/"):
            pages = self._client.get_paginator("list_objects_v2").paginate(
                **args, PaginationConfig={"PageSize": LIST_PAGE_SIZE})
            for page in pages:
                for obj in page.get("Contents", ()) or ():
                    key = obj.get("Key")
                    name = self._name_from_key(kind, base, key)
                    if name is not None:
                        if isinstance(obj.get("ETag"), str):
                            etags[name] = obj["ETag"]
                        yield name
        self._cache.listed(kind, etags)     # (only after a complete listing)

    def _name_from_key(self, kind: str, base: str, key: object) -> str | None:
        if not isinstance(key, str) or not key.startswith(base):
            log.warning("ignoring object %r: outside %s", key, self.location)
            return None
        rel = key[len(base):]
        if rel == "":
            return None            # a "folder" marker some tools create
        if kind == "data":
            sub, sep, name = rel.partition("/")
            if not sep or len(sub) != 2 or not valid_name(name) or name[:2] != sub:
                log.warning("ignoring object %r in %s: not a pack name", key, self.location)
                return None
            return name
        if not valid_name(rel):
            log.warning("ignoring object %r in %s: not a valid object name", key, self.location)
            return None
        return rel

    def remove(self, kind: str, name: str) -> None:
        self._forget_listing(kind)
        self._cache.forget(kind, name)
        key = self._key(kind, name)
        with self._translate(key, missing_ok=True):
            self._client.delete_object(Bucket=self.bucket, Key=key)

    def size(self, kind: str, name: str) -> int:
        key = self._key(kind, name)
        with self._translate(key):
            return int(self._client.head_object(Bucket=self.bucket, Key=key)["ContentLength"])

    def create_exclusive(self, kind: str, name: str, data: bytes) -> bool:
        key = self._key(kind, name)
        if self._conditional is None:
            # (asked once per server and bucket in a process: the daemon snapshots every minute)
            place = (self._endpoint(), self.bucket)
            known = _CONDITIONAL.get(place)
            self._conditional = known if known is not None else self._probe_conditional()
            _CONDITIONAL[place] = self._conditional
        if self._conditional:
            with self._translate(key):
                try:
                    self._put(key, data, IfNoneMatch="*")
                except ClientError as exc:
                    if (exc.response.get("Error", {}) or {}).get("Code") in _CONDITION_FAILED or \
                            exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in (409, 412):
                        return False      # it exists (or another conditional write is racing us)
                    raise
            return True
        # Fallback for servers without conditional writes: look, put, wait, look again.
        # The re-read after LOCK_SETTLE_S catches a competitor whose PUT landed after ours
        # (last writer wins, and the loser sees the winner's bytes). Residual race: if a
        # competitor's HEAD ran before our PUT but its PUT only lands after our re-read —
        # i.e. its HEAD→PUT gap exceeded LOCK_SETTLE_S (a stalled connection) — both
        # re-reads see their own bytes and both believe they hold the lock. The lock
        # guards against accidents (two scheduled runs), not against adversaries; a
        # server with If-None-Match support has no such window.
        if self.exists(kind, name):
            return False
        with self._translate(key):
            self._put(key, data)
        time.sleep(LOCK_SETTLE_S)
        try:
            return self.load(kind, name) == bytes(data)
        except FileNotFoundError:
            return False

    def _probe_conditional(self) -> bool:
        """Does the server refuse a second ``If-None-Match: *`` PUT? Some S3-compatible
        servers ignore the header (and would overwrite), older botocore cannot send it."""
        key = self._key("locks", "probe-" + secrets.token_hex(8))
        supported = False
        with self._translate(key):
            try:
                self._put(key, b"probe", IfNoneMatch="*")
                try:
                    self._put(key, b"probe", IfNoneMatch="*")
                except ClientError as exc:
                    supported = (exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 412
                                 or (exc.response.get("Error", {}) or {}).get("Code") == "PreconditionFailed")
                    if not supported:
                        raise
            except ParamValidationError:
                supported = False          # botocore too old for IfNoneMatch
            except ClientError as exc:
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                code = (exc.response.get("Error", {}) or {}).get("Code")
                if status not in (400, 501) and code not in ("NotImplemented", "InvalidArgument", "InvalidRequest"):
                    raise
                supported = False
            finally:
                try:
                    self._client.delete_object(Bucket=self.bucket, Key=key)
                except (ClientError, BotoCoreError):
                    pass
        log.info("S3 %s: conditional writes %s", self.location, "supported" if supported else "not supported")
        return supported

    # -- object-store helpers (not part of the Storage interface) -------------------------
    def is_empty(self) -> bool:
        """No object at all under the prefix (whatever its name)."""
        base = self._base("config")
        with self._translate(base or "/"):
            resp = self._client.list_objects_v2(Bucket=self.bucket, Prefix=base, MaxKeys=1)
        return not resp.get("Contents")
