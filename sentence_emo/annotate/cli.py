"""``sentence-emo annotate``: annotate a table of texts with an LLM.

    sentence-emo annotate INPUT --text-column text [--id-column id] --model MODEL [--base-url URL]
        --out DIR [--concurrency N] [--mode descriptors|labels|taxonomy --labels a,b,c] [--prompt FILE]
        [--max-retries N] [--reply-retries N] [--timeout S] [--limit N]
        [--price-in X --price-out Y] [--batch]

INPUT is CSV/TSV/JSONL/Parquet. With ``--mode taxonomy`` INPUT is an annotated corpus (corpus file,
``annotate`` output directory, or ``llm-descriptors`` for the shipped corpus) and each *distinct
descriptor* is asked once for its emotion families, valence and arousal (``DIR/taxonomy.jsonl``). The API key is read from the environment variable named by
``--api-key-env`` (default ``OPENAI_API_KEY``), never from the command line, so it does not end
up in shell history or process listings.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from transformers.hf_argparser import HfArg

from sentence_emo.labels import read_labels

logger = logging.getLogger(__name__)


@dataclass
class AnnotateJob:
    """Where ``sentence-emo annotate`` writes, and how it reads INPUT (the run's settings are
    :class:`~sentence_emo.annotate.config.AnnotateConfig`); a flag per field."""

    out: Path = HfArg(help="output directory: annotations.jsonl, corpus.jsonl, failed.jsonl, summary.json")
    text_column: str = HfArg(default="text", help="column holding the text")
    id_column: str | None = HfArg(default=None, help="column holding unique row ids (not given: '<file stem>:<line>')")
    mode: Literal["descriptors", "labels", "taxonomy"] | None = HfArg(default=None, help=(
        "free-form descriptors (not given, unless --labels), labels chosen from --labels, or taxonomy: "
        "families/valence/arousal of each distinct descriptor of a corpus"))
    limit: int | None = HfArg(default=None, help="annotate only the first N rows")
    source: str | None = HfArg(default=None, help="'source' field of corpus records (not given: input file stem)")


def register(subparsers: argparse._SubParsersAction) -> None:
    from sentence_emo.annotate.config import AnnotateConfig

    parser = subparsers.add_parser(
        "annotate",
        help="annotate texts with LLM emotion descriptors (resumable)",
        description=__doc__.split("\n\n")[0],
        dataclass_types=[AnnotateJob, AnnotateConfig],
        exclude=("api_key",),
    )
    parser.add_argument("input", metavar="INPUT",
                        help="texts to annotate: .csv, .tsv, .jsonl or .parquet; with --mode taxonomy an annotated "
                             "corpus (file, annotate --out directory, or 'llm-descriptors')")
    parser.set_defaults(func=handler)


def annotate_config(args: argparse.Namespace):
    """The :class:`~sentence_emo.annotate.config.AnnotateConfig` of parsed flags (``--labels``, ``--prompt`` and
    ``--mode`` read and checked)."""
    from sentence_emo.annotate.config import AnnotateConfig
    from sentence_emo.annotate.prompts import load_prompt
    from sentence_emo.cli import config_from_args

    labels = read_labels(args.labels)
    labels = None if labels is None else list(labels)
    if args.mode == "labels" and labels is None:
        raise ValueError("--mode labels needs the allowed labels: add --labels joy,anger,sadness (or a file)")
    if args.mode == "descriptors" and labels is not None:
        raise ValueError("--labels only applies to --mode labels; drop --labels or use --mode labels")
    prompt = load_prompt(args.prompt) if args.prompt is not None else None
    if args.mode == "taxonomy":
        from dataclasses import replace

        from sentence_emo.annotate.prompts import TAXONOMY_PROMPT

        if labels is not None:
            raise ValueError("--labels does not apply to --mode taxonomy; drop --labels")
        prompt = TAXONOMY_PROMPT if prompt is None else replace(prompt, kind="taxonomy")
    elif prompt is not None and prompt.kind == "taxonomy":
        raise ValueError(f"--prompt {args.prompt} is a taxonomy prompt; add --mode taxonomy")
    return config_from_args(AnnotateConfig, args, prompt=prompt, labels=labels)


def handler(args: argparse.Namespace) -> int:
    from sentence_emo.annotate.jobs import annotate_file

    config = annotate_config(args)
    if config.mode == "taxonomy":
        from sentence_emo.annotate.jobs import annotate_taxonomy

        summary = annotate_taxonomy([args.input], args.out, config, limit=args.limit)
        print(summary.format().replace(" rows ", " descriptors ", 1))
        print(f"outputs in {args.out}/ (taxonomy.jsonl, failed.jsonl, summary.json, annotations.jsonl); train with "
              f"sentence-emo train --taxonomy {args.out}/taxonomy.jsonl")
        return 0
    summary = annotate_file(args.input, args.out, config, text_column=args.text_column, id_column=args.id_column,
                            limit=args.limit, source=args.source)
    print(summary.format())
    print(f"outputs in {args.out}/ (corpus.jsonl, failed.jsonl, summary.json, annotations.jsonl)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m sentence_emo.annotate``: ``sentence-emo annotate`` (``-v`` may come anywhere)."""
    from sentence_emo.cli import run_command

    return run_command("annotate", argv)
