"""The ``sentence-emo`` command line.

Each sub-command lives beside the code it drives and registers itself through a
``register(subparsers)`` function returning nothing; the function must call
``parser.set_defaults(func=handler)`` where ``handler(args) -> int`` is the exit code.
Sub-commands are imported lazily so that ``sentence-emo predict`` does not pay for
``openai`` or ``matplotlib`` imports.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

logger = logging.getLogger(__name__)

#: sub-command name -> module that defines ``register(subparsers)``
SUBCOMMANDS: dict[str, str] = {
    "train": "sentence_emo.training",
    "predict": "sentence_emo.predict_cli",
    "calibrate": "sentence_emo.label_calibration",
    "annotate": "sentence_emo.annotate.cli",
    "build-dataset": "sentence_emo.hub",
    "push-model": "sentence_emo.hub",
    "push-dataset": "sentence_emo.hub",
    "eval": "eval_suite.cli",
}


class CLIError(Exception):
    """An error the user can fix; printed without a traceback."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sentence-emo",
        description="Zero-shot emotion recognition distilled from LLM emotion descriptors.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    registered: set[str] = set()
    for name, module_name in SUBCOMMANDS.items():
        if only is not None and name != only:
            continue
        if module_name in registered:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # an optional extra is not installed
            missing = exc.name or str(exc)
            if only is not None:
                raise CLIError(
                    f"'sentence-emo {name}' needs the module {missing!r}: install it with "
                    f"pip install 'sentence-emo[all]'"
                ) from exc
            continue
        module.register(subparsers)
        registered.add(module_name)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    verbose = any(a in ("-v", "--verbose") for a in argv)
    try:
        parser = build_parser(only=command if command in SUBCOMMANDS else None)
        args = parser.parse_args(argv)
        logging.basicConfig(
            level=logging.INFO if args.verbose else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s",
        )
        if getattr(args, "func", None) is None:
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"sentence-emo: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sentence-emo: interrupted; finished work is kept on disk", file=sys.stderr)
        return 130
    except Exception as exc:
        # user-fixable errors (bad values, paths, unreachable servers, damaged files): one line, exit 2
        # (with -v also the traceback); anything else is a bug and keeps its traceback
        from sentence_emo.errors import report

        code = report(exc, verbose=verbose)
        if code is None:
            raise
        return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
