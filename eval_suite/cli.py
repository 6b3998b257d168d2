"""``sentence-emo eval``: the paper's benchmark suite or the user's own labelled data.

Paper suite::

    sentence-emo eval --model emo-distill --suite paper [--data-dir ../shared/data] --out eval-out \\
        [--datasets goemotions,semeval,isear,emobank] [--baseline-model all-MiniLM-L6-v2|none] [--max-rows N]

Own data::

    sentence-emo eval --model emo-distill --data my.csv --text-column text --label-column label \\
        [--multi-label --sep ,] [--labels a,b,c] [--label-descriptions labels.json] --out eval-out
"""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from dataclasses import dataclass, fields
from typing import Any

from transformers.hf_argparser import HfArg

from sentence_emo.labels import split_list

logger = logging.getLogger(__name__)

#: SuiteConfig fields that only the paper suite reads
SUITE_ONLY = ("datasets", "data_dir", "goemotions_tuning", "semeval_tuning_rows", "semeval_test", "emobank_dimensions")


@dataclass
class OwnData:
    """``sentence-emo eval --data FILE``: the arguments of :func:`~eval_suite.user_data.load_user_dataset` and a
    dev file (the other flags are :class:`~eval_suite.config.SuiteConfig` fields)."""

    _argument_group_name = "own data (--data)"

    split: str | None = HfArg(default=None, help="split of a datasets folder / Hub dataset")
    name: str | None = HfArg(default=None, help="dataset name in the report (not given: file name)")
    text_column: str = HfArg(default="text", help="column holding the text")
    label_column: str | None = HfArg(default=None,
                                     help="column with the gold label(s), or the number with --regression")
    label_columns: list[str] | None = HfArg(default=None, metadata={"type": split_list},
                                            help="comma-separated one-hot (0/1) label columns")
    multi_label: bool = HfArg(default=False, help="--label-column holds several labels joined by --sep")
    sep: str = HfArg(default=",", help="separator of multi-label cells")
    labels: list[str] | None = HfArg(default=None, metadata={"type": split_list},
                                     help="comma-separated label set (not given: the labels found in the data)")
    label_ids: bool = HfArg(default=False, help="gold labels are 0-based indices into --labels")
    label_descriptions: str | None = HfArg(default=None,
                                           help="JSON file {label: description}; descriptions are embedded")
    regression: bool = HfArg(default=False, help=(
        "--label-column is a number (e.g. valence); scored with --positive/--negative anchors"))
    dev_data: str | None = HfArg(default=None,
                                 help="a labelled dev file in the same format, for the dev-tuned threshold")


def register(subparsers: Any) -> None:
    from eval_suite.suite import SuiteConfig

    parser = subparsers.add_parser(
        "eval",
        help="evaluate a model on the paper's benchmarks or on your own labelled data",
        description="Zero-shot evaluation with report.md, results.json and plots. Use --suite paper for "
                    "GoEmotions/SemEval/ISEAR/EmoBank, or --data FILE for your own label set.",
        dataclass_types=[SuiteConfig, OwnData], exclude=("command",),
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--suite", choices=["paper"], help="run the paper's benchmark suite")
    what.add_argument("--data", help="your data: .csv/.tsv/.jsonl/.parquet, a save_to_disk folder or a Hub id")
    parser.add_argument("--emobank-arousal", dest="emobank_dimensions", action="store_const",
                        const=("valence", "arousal"), default=argparse.SUPPRESS,
                        help="also score EmoBank arousal (--emobank-dimensions valence,arousal)")
    parser.add_argument("--quiet", dest="show_progress", action="store_false", default=argparse.SUPPRESS,
                        help="no progress bars (--no-show-progress)")
    parser.set_defaults(func=run)


def command_line(args: argparse.Namespace) -> str:
    """The invocation as a reproducible command (``--model`` and the options that differ from their defaults)."""
    from eval_suite.suite import SuiteConfig

    defaults = {f.name: f.default for config in (SuiteConfig, OwnData) for f in fields(config)}
    parts = ["sentence-emo", "eval"]
    for key, value in vars(args).items():
        if key in ("func", "command", "verbose") or value is None or (key != "model" and value == defaults.get(key)):
            continue
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            parts.append(flag if value else f"--no-{key.replace('_', '-')}")
        else:
            text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
            parts.append(f"{flag} {shlex.quote(text)}")
    return " ".join(parts)


def run(args: argparse.Namespace) -> int:
    from eval_suite.suite import SuiteConfig, SuiteResult, evaluate_user_data, run_suite

    if not args.suite and not args.data:
        raise ValueError("say what to evaluate: --suite paper (the benchmarks) or --data FILE (your own data)")
    from pathlib import Path

    if Path(args.out_dir).exists() and not Path(args.out_dir).is_dir():
        raise FileExistsError(f"--out {args.out_dir} is a file, not a folder; give a folder for report.md and "
                              f"results.json")
    options: dict[str, Any] = {f.name: getattr(args, f.name) for f in fields(SuiteConfig)
                               if f.name not in ("model", "out_dir", "command")}
    options.update(show_progress=args.show_progress and sys.stderr.isatty(), command=command_line(args))
    result: SuiteResult
    if args.suite:
        own_flags = [f for f in ("label_column", "label_columns", "labels", "label_descriptions", "dev_data")
                     if getattr(args, f)]
        if own_flags or args.regression or args.multi_label:
            raise ValueError(f"--{(own_flags or ['regression'])[0].replace('_', '-')} belongs to --data "
                             f"(own data), not --suite paper")
        result = run_suite(args.model, out_dir=args.out_dir, **options)
    else:
        from eval_suite.user_data import load_user_dataset

        load_kwargs = {f.name: getattr(args, f.name) for f in fields(OwnData) if f.name not in ("name", "dev_data")}
        dataset = load_user_dataset(args.data, name=args.name, **load_kwargs)
        tuning = None
        if args.dev_data:
            if dataset.task != "multi_label":
                raise ValueError("--dev-data tunes a multi-label threshold; this dataset is "
                                 f"{dataset.task.replace('_', '-')}")
            tuning = load_user_dataset(args.dev_data, **{**load_kwargs, "labels": dataset.labels})
            tuning.label_source = "labels of --dev-data"
        anchors = None
        if dataset.task == "regression" and (options["positive"] is not None or options["negative"] is not None):
            anchors = (options["positive"], options["negative"])
        options = {k: v for k, v in options.items() if k not in SUITE_ONLY}
        result = evaluate_user_data(args.model, dataset, out_dir=args.out_dir, tuning=tuning, anchors=anchors,
                                    **options)
    _print_summary(result, args.out_dir)
    return 0


def _print_summary(result: Any, out: str) -> None:
    from eval_suite.report import fmt, metric_label

    for h in result.headline:
        values = "  ".join(f"{system}={fmt(v['value'])}" + (f" [{v['rule']}]" if v.get("rule") else "")
                           for system, v in h["values"].items())
        print(f"{h['dataset']:<28} {metric_label(h['metric']):<16} {values}")
    print(f"report: {out}/report.md  results: {out}/results.json")
