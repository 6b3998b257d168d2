"""Append-only JSONL store of annotation answers, safe against being killed at any moment.

One line per answer, keyed by ``(model, prompt_version, text_sha256)``. The store holds the
*final* outcome of every text the API answered: ``status="ok"`` with descriptors, or
``status="failed"`` with a content reason (refusal, empty/invalid reply, labels out of set)
after all follow-ups. Transient failures (rate limits, 5xx, timeouts, connection errors) are not
stored, so a re-run asks again for exactly those texts.

Crash safety:

* every record is one ``os.write`` of a complete line on an ``O_APPEND`` descriptor, followed
  by ``os.fsync`` (records queued together share one fsync: group commit);
* a partial last line (the process was killed inside ``write``) is cut off when the store is
  opened, with a warning; a damaged line elsewhere raises :class:`StoreError` naming the line;
* one writer at a time: the store takes an exclusive ``flock`` on open (released by the kernel
  even on SIGKILL); a second process gets a clear error instead of interleaving lines;
* when a key appears more than once (only after ``retry_failed``) the last record wins.

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> with AnnotationStore(os.path.join(d, "a.jsonl")) as store:
...     store.append_many([{"model": "m", "prompt_version": "p@1", "text_sha256": text_sha256("hi"),
...                         "status": "ok", "descriptors": ["joy"]}])
...     store.get(("m", "p@1", text_sha256("hi")))["descriptors"]
['joy']
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

try:  # POSIX advisory lock; absent on Windows
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

STORE_FILE = "annotations.jsonl"

Key = tuple[str, str, str]


class StoreError(ValueError):
    """The store cannot be used; the message names the file, the line and the fix."""


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the exact UTF-8 text (the text part of the store key)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_key(record: dict[str, Any]) -> Key:
    return (record["model"], record["prompt_version"], record["text_sha256"])


class AnnotationStore:
    """The JSONL answer store (``path=None`` keeps it in memory only).

    Use as a context manager or call :meth:`close`; opening repairs a torn last line and takes
    the single-writer lock.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._index: dict[Key, dict[str, Any]] = {}
        self._fd: int | None = None
        self.repaired_bytes = 0
        self.lines = 0
        self._write_lock = threading.Lock()  # serialises writer threads within this process
        if self.path is not None:
            self._open()

    # -- opening -----------------------------------------------------------------------------
    def _open(self) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise StoreError(
                        f"{self.path} is in use by another annotation run (single writer); wait for it to "
                        f"finish, or give another --out directory"
                    ) from None
            self._repair_and_load(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def _repair_and_load(self, fd: int) -> None:
        size = os.fstat(fd).st_size
        data = os.pread(fd, size, 0) if size else b""
        if data and not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            self.repaired_bytes = len(data) - keep
            logger.warning(
                "%s: dropping a partial last line of %d bytes (an earlier run was killed while writing); "
                "that text will be annotated again",
                self.path,
                self.repaired_bytes,
            )
            os.ftruncate(fd, keep)
            os.fsync(fd)
            data = data[:keep]
        for lineno, line in enumerate(data.split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                key = record_key(record)
            except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
                raise StoreError(
                    f"{self.path}, line {lineno}: not a valid annotation record ({type(exc).__name__}: {exc}); "
                    f"the file was edited by hand - delete that line and re-run to annotate the text again"
                ) from exc
            self._index[key] = record
            self.lines += 1

    # -- access ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def get(self, key: Key) -> dict[str, Any] | None:
        return self._index.get(key)

    def records(self) -> Iterator[dict[str, Any]]:
        """Latest record per key, in first-written order."""
        return iter(list(self._index.values()))

    def prompt_hashes(self) -> dict[str, set[str]]:
        """prompt_version -> the prompt content hashes stored under it."""
        out: dict[str, set[str]] = {}
        for record in self._index.values():
            if record.get("prompt_sha"):
                out.setdefault(record["prompt_version"], set()).add(record["prompt_sha"])
        return out

    # -- writing -----------------------------------------------------------------------------
    def append_many(self, records: Iterable[dict[str, Any]]) -> None:
        """Append records, one ``write`` of a full line each, then one ``fsync``."""
        records = list(records)
        if not records:
            return
        for record in records:
            record_key(record)  # KeyError early for a malformed record
        with self._write_lock:
            self._append_locked(records)

    def _append_locked(self, records: list[dict[str, Any]]) -> None:
        if self._fd is not None:
            for record in records:
                line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
                offset = os.lseek(self._fd, 0, os.SEEK_END)
                written = os.write(self._fd, line)
                if written != len(line):  # disk full or similar: never leave a torn line behind
                    os.ftruncate(self._fd, offset)
                    raise OSError(f"short write to {self.path} ({written} of {len(line)} bytes); free disk space")
            os.fsync(self._fd)
        for record in records:
            self._index[record_key(record)] = record
            self.lines += 1

    def append(self, record: dict[str, Any]) -> None:
        self.append_many([record])

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the flock
            self._fd = None

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # pragma: no cover - safety net
        try:
            self.close()
        except Exception:
            pass
