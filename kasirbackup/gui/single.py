"""One running KasirBackup per user: a ``QLockFile`` decides who is first; the first one
listens on a ``QLocalServer``; a second launch sends it "show" (and any database file it was
opened with) and exits."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ..app.paths import data_dir

log = logging.getLogger("kasirbackup.gui")


def server_name() -> str:
    """Per user and per data folder (tests and portable setups get their own instance)."""
    key = f"{os.getuid() if hasattr(os, 'getuid') else os.environ.get('USERNAME', '')}:{data_dir()}"
    return "kasirbackup-" + hashlib.sha256(key.encode()).hexdigest()[:16]


class SingleInstance(QObject):
    message = Signal(dict)      # {"action": "show", "file": "..."}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.lock = QLockFile(str(Path(folder) / "instance.lock"))
        self.lock.setStaleLockTime(0)      # stale only when its process is gone
        self.server: QLocalServer | None = None

    def claim(self) -> bool:
        """True when this process is the first one (then it starts listening)."""
        if not self.lock.tryLock(100):
            self.lock.removeStaleLockFile()
            if not self.lock.tryLock(100):
                return False
        name = server_name()
        QLocalServer.removeServer(name)    # a socket left by a crashed instance
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(name):
            log.warning("single-instance server could not listen: %s", self.server.errorString())
        else:
            log.info("first instance: listening for later launches")
        self.server.newConnection.connect(self._accept)
        return True

    def _accept(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(sock.deleteLater)

    def _read(self, sock: QLocalSocket) -> None:
        data = bytes(sock.readAll().data())
        for line in data.splitlines():
            try:
                msg = json.loads(line.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(msg, dict) and msg.get("action") == "show":
                self.message.emit({"action": "show", "file": str(msg.get("file") or "")})
        sock.write(b"ok\n")
        sock.flush()

    @staticmethod
    def send(file: str | None = None, timeout_ms: int = 3000) -> bool:
        """From a second launch: ask the running instance to come forward."""
        sock = QLocalSocket()
        sock.connectToServer(server_name())
        if not sock.waitForConnected(timeout_ms):
            return False
        sock.write(json.dumps({"action": "show", "file": file or ""}).encode() + b"\n")
        sock.flush()
        sock.waitForBytesWritten(timeout_ms)
        ok = sock.waitForReadyRead(timeout_ms)
        sock.disconnectFromServer()
        return ok

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
        self.lock.unlock()
