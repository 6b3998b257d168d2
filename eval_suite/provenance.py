"""Which code produced a number: the git commit of the checkout, recorded in every results JSON."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def git_commit(path: str | os.PathLike[str] | None = None) -> dict[str, object]:
    """``{"commit": sha, "dirty": bool}`` of the git checkout holding ``path`` (default: this repository).

    ``commit`` is ``"unknown"`` when git or a commit is unavailable; ``dirty`` means tracked files differ
    from that commit.
    """

    def git(*args: str) -> str | None:
        try:
            return subprocess.run(["git", "-C", str(path or REPO), *args], capture_output=True, text=True,
                                  timeout=10, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit or "unknown", "dirty": bool(status)}


def commit_label(info: dict[str, object] | None = None) -> str:
    """``<sha12>[+dirty]`` for reports (``info`` from :func:`git_commit`, computed when omitted).

    >>> commit_label({"commit": "0123456789abcdef", "dirty": True}), commit_label({"commit": "unknown", "dirty": False})
    ('0123456789ab+dirty', 'unknown')
    """
    info = git_commit() if info is None else info
    return str(info["commit"])[:12] + ("+dirty" if info["dirty"] else "")


def replace_readme_block(start: str, end: str, body: str, readme: Path = REPO / "README.md") -> None:
    """Replace what stands between the ``start`` and ``end`` markers of the README with ``body``."""
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise ValueError(f"{readme.name} lacks the markers {start} ... {end}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{body}\n{end}{tail}", encoding="utf-8")
