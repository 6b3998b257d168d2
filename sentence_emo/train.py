"""``python -m sentence_emo.train`` / ``accelerate launch -m sentence_emo.train``: same flags as ``sentence-emo train``."""

from __future__ import annotations

import argparse
import logging
import sys

from sentence_emo.training import _run, add_train_arguments


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sentence_emo.train", description=__doc__)
    add_train_arguments(parser)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    try:
        return _run(args)
    except Exception as exc:
        from sentence_emo.errors import report

        code = report(exc, prog="sentence_emo.train", verbose=args.verbose)
        if code is None:
            raise
        return code


if __name__ == "__main__":
    sys.exit(main())
