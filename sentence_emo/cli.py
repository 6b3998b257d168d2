"""The ``sentence-emo`` command line.

Each sub-command lives beside the code it drives and registers itself through a
``register(subparsers)`` function returning nothing; the function must call
``parser.set_defaults(func=handler)`` where ``handler(args) -> int`` is the exit code.
Sub-commands are imported lazily so that ``sentence-emo predict`` does not pay for
``openai`` or ``matplotlib`` imports.

Sub-command parsers are :class:`ConfigArgumentParser`: ``train``, ``annotate``, ``eval``, ``calibrate``,
``build-dataset`` and ``push-dataset`` get their arguments from their config dataclasses
(``subparsers.add_parser(name, dataclass_types=...)``), so each default and help text lives in the dataclass field.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import logging
import sys
import typing
from collections.abc import Callable, Collection, Iterable
from typing import Any

from transformers.hf_argparser import HfArgumentParser

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


class DefaultsHelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """``--help`` shows each flag's default and keeps the description's line breaks."""


class _Switch(argparse.Action):
    """A flag without a value that stores ``const`` (argparse's ``store_const``), whatever else it is given."""

    def __init__(self, option_strings, dest, const=True, default=None, help=None, **_ignored) -> None:
        super().__init__(option_strings, dest, nargs=0, const=const, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        setattr(namespace, self.dest, self.const)


def _command_line_fields(config: type, exclude: Collection[str]) -> type:
    """``config``'s fields as HfArgumentParser should see them: ``metadata["type"]`` (the type the command line
    parses, e.g. a comma-separated string) replaces the annotation, ``exclude`` fields are left out, and a bool
    that defaults to False, or a field with ``metadata["switch"]``, is a :class:`_Switch` (HfArgumentParser's
    takes an optional value, which would swallow a positional argument after it: ``annotate --batch in.csv``)."""
    hints = typing.get_type_hints(config)
    specs = []
    for f in dataclasses.fields(config):
        if not f.init or f.name in exclude:
            continue
        metadata = dict(f.metadata)
        kind = metadata.pop("type", hints[f.name])
        if metadata.pop("switch", False) or (kind is bool and f.default is False):
            metadata.setdefault("action", _Switch)
        specs.append((f.name, kind, dataclasses.field(default=f.default, default_factory=f.default_factory,
                                                      metadata=metadata)))
    namespace = {"_argument_group_name": config._argument_group_name} \
        if hasattr(config, "_argument_group_name") else {}
    return dataclasses.make_dataclass(config.__name__, specs, namespace=namespace, kw_only=True)


class ConfigArgumentParser(HfArgumentParser):
    """The parser of every sub-command: transformers' :class:`HfArgumentParser`, which gives each field of
    ``dataclass_types`` a flag (``--field-name``; type from the annotation, default from the field, ``help``,
    ``aliases``, ``choices``, ``metavar``, ``required`` from ``field(metadata=...)``; a ``--no-x`` switch for a
    bool defaulting to True; a dataclass's ``_argument_group_name`` is its ``--help`` section).

    Additions: ``exclude`` names Python-only fields (no flag); ``metadata["type"]`` is the type parsed from the
    command line when the field holds something else (see :func:`_command_line_fields`); ``metadata["positional"]``
    makes it a positional argument; ``metadata["switch"]`` on a ``bool | None`` field defaulting to None gives
    ``--x`` (True) and ``--no-x`` (False), neither meaning None; ``config_file`` reads the file of a ``--config
    FILE`` flag into ``{field: value}``, which become the defaults, so flags override the file. Without
    ``dataclass_types`` it is a plain :class:`argparse.ArgumentParser`.
    """

    def __init__(self, dataclass_types: type | Iterable[type] = (), *, exclude: Collection[str] = (),
                 config_file: Callable[[str], dict[str, Any]] | None = None, **kwargs: Any) -> None:
        types = [dataclass_types] if dataclasses.is_dataclass(dataclass_types) else list(dataclass_types)
        kwargs.setdefault("formatter_class", DefaultsHelpFormatter if types else argparse.HelpFormatter)
        super().__init__([_command_line_fields(t, exclude) for t in types], **kwargs)
        self.config_file = config_file
        if config_file is not None:
            self.add_argument("--config", help="JSON or YAML file of options; flags override it")

    @staticmethod
    def _parse_dataclass_field(parser, field: dataclasses.Field) -> None:
        kwargs = dict(field.metadata)
        if kwargs.pop("positional", False):
            parser.add_argument(field.name, type=field.type, **kwargs)
        else:
            HfArgumentParser._parse_dataclass_field(parser, field)
        if kwargs.get("action") is _Switch and field.default is None:  # the --no-x of a three-way switch
            parser.add_argument(f"--no-{field.name.replace('_', '-')}", dest=field.name, action=_Switch, const=False,
                                default=argparse.SUPPRESS)

    def parse_known_args(self, args=None, namespace=None):
        if self.config_file is not None:
            early = argparse.ArgumentParser(add_help=False)
            early.add_argument("--config")
            path = early.parse_known_args(args)[0].config
            if path:
                self.set_defaults(**self.config_file(path))
        return super().parse_known_args(args, namespace)


def config_from_args(config: type, args: argparse.Namespace, **values: Any) -> Any:
    """``config(**values)`` with every other field of ``config`` taken from the parsed ``args``."""
    names = [f.name for f in dataclasses.fields(config) if f.init and f.name not in values and hasattr(args, f.name)]
    return config(**{name: getattr(args, name) for name in names}, **values)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sentence-emo",
        description="Zero-shot emotion recognition distilled from LLM emotion descriptors.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ConfigArgumentParser)
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


def run_command(command: str, argv: list[str] | None = None) -> int:
    """``main([command, *argv])`` for a ``python -m`` entry point, where ``-v`` may come anywhere in ``argv``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    verbose = [a for a in argv if a in ("-v", "--verbose")]
    return main([*verbose[:1], command, *(a for a in argv if a not in verbose)])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
