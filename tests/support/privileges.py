"""What this test run may do, found out by trying, not by asking who we are.

Two kinds of reliability test need opposite powers: a read-only folder is only read-only
when file permissions bind us (root ignores them), and a real small or read-only disk
needs the right to mount a tmpfs (root, or root in a user namespace). ``scripts/test.sh``
runs the suite so that both hold in one run: as root without the capabilities that
override permissions (``setpriv --bounding-set=-dac_override,-dac_read_search``), as an
ordinary user inside a user and mount namespace (``unshare --user --map-root-user
--mount``) with the same capabilities dropped. It then sets ``KASIRBACKUP_TESTS_EVERYTHING=1``,
and a test whose power is missing fails instead of skipping.
"""

from __future__ import annotations

import functools
import os
import sys
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

EVERYTHING = "KASIRBACKUP_TESTS_EVERYTHING"


@functools.cache
def permissions_bind() -> bool:
    """A folder with mode 0500 really refuses us a new file."""
    if os.name != "posix":
        return False
    d = Path(tempfile.mkdtemp(prefix="kb-perm-probe-"))
    try:
        os.chmod(d, 0o500)
        try:
            (d / "probe").write_bytes(b"")
        except PermissionError:
            return True
        return False
    finally:
        os.chmod(d, 0o700)
        shutil.rmtree(d, ignore_errors=True)


@functools.cache
def mount_problem() -> str:
    """Why a small tmpfs cannot be mounted here ("" when it can)."""
    if not sys.platform.startswith("linux") or not shutil.which("mount"):
        return "mounting a tmpfs needs Linux and mount(8)"
    d = Path(tempfile.mkdtemp(prefix="kb-mount-probe-"))
    try:
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(d)], capture_output=True,
                           text=True)
        if r.returncode != 0:
            return f"mount -t tmpfs is not permitted here: {r.stderr.strip()}"
        subprocess.run(["umount", str(d)], capture_output=True)
        return ""
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _missing(why: str) -> None:
    if os.environ.get(EVERYTHING) == "1":
        pytest.fail(f"{why}; scripts/test.sh promises this run can do it (see tests/support/privileges.py)")
    pytest.skip(f"{why} (scripts/test.sh runs it)")


def need_binding_permissions() -> None:
    if os.name != "posix":
        pytest.skip("POSIX file permissions")
    if not permissions_bind():
        _missing("file permissions do not bind this process (root with CAP_DAC_OVERRIDE)")


def need_mounts() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("tmpfs mounts are Linux-only")
    why = mount_problem()
    if why:
        _missing(why)


def describe() -> str:
    return (f"file permissions bind: {'yes' if permissions_bind() else 'no'}; "
            f"tmpfs mounts: {'yes' if not mount_problem() else 'no'}")


def remount(path, read_only: bool) -> subprocess.CompletedProcess:
    """Make a mount read-only (or writable again), as an unplugged-write-protect USB disk.
    ``remount,bind`` changes the mount point's own flag, which root of a user namespace may
    do; a plain ``remount,ro`` of the filesystem is refused there ("bad option")."""
    return subprocess.run(["mount", "-o", "remount,bind," + ("ro" if read_only else "rw"), str(path)],
                          capture_output=True, text=True)
