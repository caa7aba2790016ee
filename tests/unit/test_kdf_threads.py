"""Key derivations from several threads at once all finish (the desktop app opens an
encrypted repository on a worker while a scheduled backup opens it on another)."""

from __future__ import annotations

import os
import threading

from kasirbackup.core.repo.crypto import derive

KDF = {"name": "argon2id", "memory_kib": 16 * 1024, "iterations": 2, "lanes": 4}


def test_parallel_argon2id_derivations_finish():
    salt = os.urandom(16)
    results: dict[int, bytes] = {}

    def work(i: int) -> None:
        results[i] = derive("kata sandi toko", salt, KDF)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a key derivation never returned"
    assert len(set(results.values())) == 1 and len(results) == 4
