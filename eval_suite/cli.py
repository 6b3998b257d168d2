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
from typing import Any

from sentence_emo.labels import split_list

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="evaluate a model on the paper's benchmarks or on your own labelled data",
        description="Zero-shot evaluation with report.md, results.json and plots. Use --suite paper for "
                    "GoEmotions/SemEval/ISEAR/EmoBank, or --data FILE for your own label set.",
    )
    parser.add_argument("--model", default="emo-distill", help="model dir or Hub id (default: emo-distill)")
    parser.add_argument("--out", required=True, help="output directory for report.md, results.json, plots")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--suite", choices=["paper"], help="run the paper's benchmark suite")
    what.add_argument("--data", help="your data: .csv/.tsv/.jsonl/.parquet, a save_to_disk folder or a Hub id")

    common = parser.add_argument_group("common options")
    common.add_argument("--baseline-model", default="all-MiniLM-L6-v2",
                        help="base encoder evaluated under the same protocol ('none' to skip; default all-MiniLM-L6-v2)")
    common.add_argument("--rules", default=None,
                        help="decision rules for multi-label sets, comma-separated: top-K, threshold=P, calibrated, "
                             "dev-tuned (one global threshold), dev-tuned-per-label (one threshold per label), "
                             "each optionally +fallback (default: top-1,calibrated,calibrated+fallback,dev-tuned,"
                             "dev-tuned+fallback,dev-tuned-per-label,dev-tuned-per-label+fallback)")
    common.add_argument("--primary-rule", default="dev-tuned",
                        help="rule whose multi-label numbers go to the summary table, e.g. dev-tuned-per-label "
                             "(default dev-tuned; falls back to dev-tuned, calibrated, then top-1; single-label "
                             "sets always use top-1, regression sets their anchors)")
    common.add_argument("--max-rows", type=int, help="random subsample of at most N rows per set (quick runs)")
    common.add_argument("--seed", type=int, default=0, help="subsampling seed (default 0)")
    common.add_argument("--template", help="label template, e.g. 'This text expresses {}.'")
    common.add_argument("--positive", help="comma-separated positive anchors for valence/regression "
                                           "(default positive,happy,pleased,content,delighted)")
    common.add_argument("--negative", help="comma-separated negative anchors "
                                           "(default negative,sad,upset,angry,miserable); a side you leave out "
                                           "keeps its default, an empty --negative '' means none")
    common.add_argument("--corpus", help="descriptor corpus (JSONL/CSV/...) whose frequent descriptors are drawn "
                                         "on the emotion-space map")
    common.add_argument("--batch-size", type=int, default=64)
    common.add_argument("--device", help="torch device (default: automatic)")
    common.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    common.add_argument("--no-cache", action="store_true",
                        help="do not cache text embeddings in OUT/cache (the cache lets an interrupted run resume)")
    common.add_argument("--quiet", action="store_true", help="no progress bars")

    suite = parser.add_argument_group("paper suite (--suite paper)")
    suite.add_argument("--data-dir", help="local mirror of the benchmark files (default: $SENTENCE_EMO_DATA_DIR, "
                                          "else the public Hub datasets; ISEAR needs the mirror)")
    suite.add_argument("--datasets", default="goemotions,semeval,isear,emobank",
                       help="comma-separated subset of goemotions,semeval,isear,emobank")
    suite.add_argument("--goemotions-tuning", choices=["gpt4", "human", "none"], default="gpt4",
                       help="labels for the dev-tuned GoEmotions thresholds: gpt4 = GPT-4 teacher labels of dev "
                            "(label-free, default), human = human dev labels, none = no dev-tuned rules")
    suite.add_argument("--semeval-tuning-rows", type=int, default=1000,
                       help="rows of the SemEval train split sampled to tune its threshold (default 1000)")
    suite.add_argument("--semeval-test", help="path of the SemEval-2018 E-c test gold (same format as dev)")
    suite.add_argument("--emobank-arousal", action="store_true", help="also score EmoBank arousal")

    own = parser.add_argument_group("own data (--data)")
    own.add_argument("--split", help="split of a datasets folder / Hub dataset")
    own.add_argument("--name", help="dataset name in the report (default: file name)")
    own.add_argument("--text-column", default="text")
    own.add_argument("--label-column", help="column with the gold label(s), or the number with --regression")
    own.add_argument("--label-columns", help="comma-separated one-hot (0/1) label columns")
    own.add_argument("--multi-label", action="store_true", help="--label-column holds several labels joined by --sep")
    own.add_argument("--sep", default=",", help="separator of multi-label cells (default ',')")
    own.add_argument("--labels", help="comma-separated label set (default: the labels found in the data)")
    own.add_argument("--label-ids", action="store_true", help="gold labels are 0-based indices into --labels")
    own.add_argument("--label-descriptions", help="JSON file {label: description}; descriptions are embedded")
    own.add_argument("--regression", action="store_true",
                     help="--label-column is a number (e.g. valence); scored with --positive/--negative anchors")
    own.add_argument("--dev-data", help="a labelled dev file in the same format, for the dev-tuned threshold")
    parser.set_defaults(func=run)


def command_line(args: argparse.Namespace) -> str:
    """The invocation as a reproducible command (options that differ from their defaults)."""
    defaults = {"model": "emo-distill", "baseline_model": "all-MiniLM-L6-v2", "primary_rule": "dev-tuned", "seed": 0,
                "batch_size": 64, "datasets": "goemotions,semeval,isear,emobank", "goemotions_tuning": "gpt4",
                "semeval_tuning_rows": 1000, "text_column": "text", "sep": ","}
    parts = ["sentence-emo", "eval"]
    skip = {"func", "command", "verbose"}
    for key, value in vars(args).items():
        if key in skip or value is None or value is False:
            continue
        if key in defaults and value == defaults[key] and key != "model":
            continue
        flag = "--" + key.replace("_", "-")
        parts.append(flag if value is True else f"{flag} {shlex.quote(str(value))}")
    return " ".join(parts)


def run(args: argparse.Namespace) -> int:
    from eval_suite.rules import DEFAULT_RULES
    from eval_suite.suite import SuiteResult, evaluate_user_data, run_suite

    if not args.suite and not args.data:
        raise ValueError("say what to evaluate: --suite paper (the benchmarks) or --data FILE (your own data)")
    from pathlib import Path

    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise FileExistsError(f"--out {args.out} is a file, not a folder; give a folder for report.md and results.json")
    options: dict[str, Any] = dict(
        baseline_model=args.baseline_model,
        max_rows=args.max_rows,
        seed=args.seed,
        rules=args.rules or DEFAULT_RULES,
        primary_rule=args.primary_rule,
        template=args.template,
        positive=split_list(args.positive),
        negative=split_list(args.negative),
        corpus=args.corpus,
        batch_size=args.batch_size,
        device=args.device,
        plots=not args.no_plots,
        cache=not args.no_cache,
        show_progress=not args.quiet and sys.stderr.isatty(),
        command=command_line(args),
    )
    result: SuiteResult
    if args.suite:
        own_flags = [f for f in ("label_column", "label_columns", "labels", "label_descriptions", "dev_data")
                     if getattr(args, f)]
        if own_flags or args.regression or args.multi_label:
            raise ValueError(f"--{(own_flags or ['regression'])[0].replace('_', '-')} belongs to --data "
                             f"(own data), not --suite paper")
        result = run_suite(args.model, out_dir=args.out, datasets=args.datasets, data_dir=args.data_dir,
                           goemotions_tuning=args.goemotions_tuning, semeval_tuning_rows=args.semeval_tuning_rows,
                           semeval_test=args.semeval_test,
                           emobank_dimensions=("valence", "arousal") if args.emobank_arousal else ("valence",),
                           **options)
    else:
        from eval_suite.user_data import load_user_dataset

        load_kwargs = dict(text_column=args.text_column, label_column=args.label_column,
                           label_columns=split_list(args.label_columns), multi_label=args.multi_label, sep=args.sep,
                           labels=split_list(args.labels), label_ids=args.label_ids,
                           label_descriptions=args.label_descriptions, regression=args.regression,
                           split=args.split)
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
        result = evaluate_user_data(args.model, dataset, out_dir=args.out, tuning=tuning, anchors=anchors, **options)
    _print_summary(result, args.out)
    return 0


def _print_summary(result: Any, out: str) -> None:
    from eval_suite.report import fmt, metric_label

    for h in result.headline:
        values = "  ".join(f"{system}={fmt(v['value'])}" + (f" [{v['rule']}]" if v.get("rule") else "")
                           for system, v in h["values"].items())
        print(f"{h['dataset']:<28} {metric_label(h['metric']):<16} {values}")
    print(f"report: {out}/report.md  results: {out}/results.json")
