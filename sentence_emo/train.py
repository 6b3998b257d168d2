"""``python -m sentence_emo.train`` / ``accelerate launch -m sentence_emo.train``: ``sentence-emo train`` (same flags)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from sentence_emo.cli import run_command

    return run_command("train", argv)


if __name__ == "__main__":
    sys.exit(main())
