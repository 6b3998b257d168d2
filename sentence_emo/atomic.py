"""Write a file so that readers see the old content or the new one, never a torn half.

One recipe for every artefact (corpus JSONL, reports, calibration, ONNX, plots, state files):
write to a uniquely named temporary file in the target's folder (same file system, so the rename
is atomic; unique, so concurrent writers do not clobber each other's temp file), ``fsync`` it, then
``os.replace`` it onto the target. On an error the temporary file is removed and the target is
left as it was.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.json"
>>> atomic_write(target, '{"ok": true}\\n').read_text()
'{"ok": true}\\n'
>>> with atomic_path(target) as tmp:     # for writers that want a file name (np.save, savefig, ...)
...     _ = tmp.write_text("[]")
>>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
('[]', ['out.json'])
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["TEMP_MARKER", "atomic_path", "atomic_write"]

#: every temporary file name contains this (``.<name>.<pid>.<random>.tmp<suffix>``)
TEMP_MARKER = ".tmp"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block succeeds, fsync it and move it onto ``path``.

    The temporary name keeps ``path``'s suffix (``.npy``, ``.png``, ``.onnx`` ...), so writers that
    infer the format from the name, or append a missing suffix, write exactly that file.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TEMP_MARKER}{path.suffix}")
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text is encoded with ``encoding``) to ``path`` atomically; returns ``path`` as a Path."""
    if not isinstance(data, (str, bytes)):
        raise TypeError(f"atomic_write writes str or bytes, got {type(data).__name__}; serialise it first")
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return Path(path)
