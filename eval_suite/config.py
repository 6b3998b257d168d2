"""The options of an evaluation run: :class:`SuiteConfig`, whose fields are ``sentence-emo eval``'s flags
(:class:`~sentence_emo.cli.ConfigArgumentParser`) and the keyword arguments of :func:`eval_suite.suite.run_suite`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from transformers.hf_argparser import HfArg

from eval_suite.rules import DEFAULT_RULES, DecisionRule, parse_rules
from sentence_emo.labels import split_list

logger = logging.getLogger(__name__)

__all__ = ["GOEMOTIONS_TUNING", "PAPER_DATASETS", "SuiteConfig"]

PAPER_DATASETS = ("goemotions", "semeval", "isear", "emobank")
GOEMOTIONS_TUNING = ("gpt4", "human", "none")


@dataclass
class SuiteConfig:
    """Options of an evaluation run (``sentence-emo eval`` has a flag per field but ``command``, its command line)."""

    model: Any = HfArg(default="emo-distill", metadata={"type": str}, help="model dir or Hub id")
    out_dir: str | None = HfArg(default=None, aliases=["--out"], metadata={"required": True},
                                help="output directory for report.md, results.json, plots")
    datasets: Sequence[str] = HfArg(default=PAPER_DATASETS, metadata={"type": split_list},
                                    help=f"--suite paper: comma-separated subset of {','.join(PAPER_DATASETS)}")
    data_dir: str | None = HfArg(default=None, help=(
        "--suite paper: local mirror of the benchmark files (not given: $SENTENCE_EMO_DATA_DIR, else the public "
        "Hub datasets; ISEAR needs the mirror)"))
    baseline_model: str | None = HfArg(default="all-MiniLM-L6-v2",
                                       help="base encoder evaluated under the same protocol ('none' to skip)")
    max_rows: int | None = HfArg(default=None, help="random subsample of at most N rows per set (quick runs)")
    seed: int = HfArg(default=0, help="subsampling seed")
    rules: str | Sequence[str] = HfArg(default=DEFAULT_RULES, metadata={"type": str}, help=(
        "decision rules for multi-label sets, comma-separated: top-K, threshold=P, calibrated, dev-tuned (one "
        "global threshold), dev-tuned-per-label (one threshold per label), each optionally +fallback"))
    primary_rule: str = HfArg(default="dev-tuned", help=(
        "rule whose multi-label numbers go to the summary table, e.g. dev-tuned-per-label (falls back to "
        "dev-tuned, calibrated, then top-1; single-label sets always use top-1, regression sets their anchors)"))
    goemotions_tuning: str = HfArg(default="gpt4", metadata={"choices": GOEMOTIONS_TUNING}, help=(
        "--suite paper: labels for the dev-tuned GoEmotions thresholds: gpt4 = GPT-4 teacher labels of dev "
        "(label-free), human = human dev labels, none = no dev-tuned rules"))
    semeval_tuning_rows: int = HfArg(default=1000,
                                     help="--suite paper: rows of the SemEval train split sampled to tune its threshold")
    semeval_test: str | None = HfArg(default=None,
                                     help="--suite paper: path of the SemEval-2018 E-c test gold (same format as dev)")
    emobank_dimensions: Sequence[str] = HfArg(default=("valence",), metadata={"type": split_list},
                                              help="--suite paper: EmoBank dimensions scored, comma-separated")
    positive: Sequence[str] | None = HfArg(default=None, metadata={"type": split_list}, help=(
        "comma-separated positive anchors for valence/regression (not given: positive,happy,pleased,content,"
        "delighted)"))
    negative: Sequence[str] | None = HfArg(default=None, metadata={"type": split_list}, help=(
        "comma-separated negative anchors (not given: negative,sad,upset,angry,miserable); a side you leave out "
        "keeps its default, an empty --negative '' means none"))
    corpus: str | None = HfArg(default=None, help=(
        "descriptor corpus (JSONL/CSV/...) whose frequent descriptors are drawn on the emotion-space map"))
    corpus_descriptors: int = HfArg(default=150, help="descriptors of --corpus drawn on the emotion-space map")
    template: str | None = HfArg(default=None, help="label template, e.g. 'This text expresses {}.'")
    batch_size: int = HfArg(default=64, help="texts per encoding batch")
    device: str | None = HfArg(default=None, help="torch device (not given: automatic)")
    plots: bool = HfArg(default=True, help="draw the PNG plots")
    cache: bool = HfArg(default=True, help=(
        "cache text embeddings in OUT/cache (the cache lets an interrupted run resume)"))
    show_progress: bool = HfArg(default=True, help="progress bars (when stderr is a terminal)")
    command: str | None = None
    model_name: str | None = HfArg(default=None, help="the model's name in the report (not given: its path)")

    def __post_init__(self) -> None:
        if isinstance(self.datasets, str):
            self.datasets = split_list(self.datasets)
        self.datasets = [d.strip().lower() for d in self.datasets]
        unknown = [d for d in self.datasets if d not in PAPER_DATASETS]
        if unknown:
            raise ValueError(f"unknown dataset {unknown[0]!r} in --datasets; choose from {', '.join(PAPER_DATASETS)}")
        if self.goemotions_tuning not in GOEMOTIONS_TUNING:
            raise ValueError(f"goemotions_tuning must be one of {GOEMOTIONS_TUNING}, got {self.goemotions_tuning!r}")
        if self.max_rows is not None and self.max_rows < 1:
            raise ValueError(f"--max-rows must be a positive number of rows, got {self.max_rows}")
        if self.batch_size < 1:
            raise ValueError(f"--batch-size must be >= 1, got {self.batch_size}")
        if isinstance(self.baseline_model, str) and self.baseline_model.strip().lower() in ("", "none", "no"):
            self.baseline_model = None
        if isinstance(self.emobank_dimensions, str):
            self.emobank_dimensions = split_list(self.emobank_dimensions)
        for dim in self.emobank_dimensions:
            if dim.lower() not in ("valence", "arousal", "v", "a"):
                raise ValueError(f"EmoBank dimension {dim!r}: use valence and/or arousal")
        self.parsed_rules = parse_rules(self.rules)
        try:
            self.primary_rule = DecisionRule.parse(self.primary_rule).name
        except ValueError as exc:
            raise ValueError(f"--primary-rule {self.primary_rule!r}: {exc}") from None
        if self.primary_rule not in [r.name for r in self.parsed_rules]:
            logger.info("primary rule %s is not among --rules (%s); multi-label headlines fall back to dev-tuned, "
                        "calibrated, then top-1", self.primary_rule, ",".join(r.name for r in self.parsed_rules))
