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
import sys
from pathlib import Path

from sentence_emo.labels import read_labels

logger = logging.getLogger(__name__)


def _int_at_least(minimum: int):
    """An argparse type: an integer >= ``minimum``, with a message naming the bad value."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {value!r}")
        return number

    return parse


_positive_int = _int_at_least(1)
_non_negative_int = _int_at_least(0)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="INPUT",
                        help="texts to annotate: .csv, .tsv, .jsonl or .parquet; with --mode taxonomy an annotated "
                             "corpus (file, annotate --out directory, or 'llm-descriptors')")
    parser.add_argument("--text-column", default="text", help="column holding the text (default: text)")
    parser.add_argument("--id-column", default=None,
                        help="column holding unique row ids (default: '<file stem>:<line>')")
    parser.add_argument("--model", required=True, help="model name, e.g. gpt-4o-mini or a local model")
    parser.add_argument("--base-url", default=None,
                        help="OpenAI-compatible API base URL (default: $OPENAI_BASE_URL, else api.openai.com)")
    parser.add_argument("--api-key-env", default="OPENAI_API_KEY",
                        help="environment variable holding the API key (default: OPENAI_API_KEY)")
    parser.add_argument("--out", required=True, type=Path,
                        help="output directory: annotations.jsonl, corpus.jsonl, failed.jsonl, summary.json")
    parser.add_argument("--concurrency", type=_positive_int, default=8, help="requests in flight (default: 8)")
    parser.add_argument("--mode", choices=("descriptors", "labels", "taxonomy"), default=None,
                        help="free-form descriptors (default), labels chosen from --labels, or taxonomy: "
                             "families/valence/arousal of each distinct descriptor of a corpus")
    parser.add_argument("--labels", default=None,
                        help="comma-separated allowed labels, or a file with one label per line "
                        "(implies --mode labels)")
    parser.add_argument("--prompt", type=Path, default=None,
                        help="prompt file (name:/version:/=== system/=== user sections, or .json)")
    parser.add_argument("--max-retries", type=_non_negative_int, default=5,
                        help="the openai client's retries per request on 408/409/429/5xx, timeouts and connection "
                             "errors, with its exponential backoff and retry-after handling (default: 5)")
    parser.add_argument("--reply-retries", type=_non_negative_int, default=2,
                        help="follow-up instructions after an unusable reply before the row fails (default: 2)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default: 60)")
    parser.add_argument("--max-consecutive-failures", type=_positive_int, default=25,
                        help="stop after this many texts in a row fail transiently (default: 25)")
    parser.add_argument("--limit", type=_positive_int, default=None, help="annotate only the first N rows")
    parser.add_argument("--temperature", type=float, default=None, help="sampling temperature (default: server's)")
    parser.add_argument("--max-tokens", type=_positive_int, default=None, help="max reply tokens (default: server's)")
    parser.add_argument("--max-descriptors", type=_positive_int, default=10,
                        help="keep at most N descriptors per text (default: 10)")
    parser.add_argument("--max-words", type=_positive_int, default=4,
                        help="drop descriptors longer than N words as prose (default: 4)")
    parser.add_argument("--price-in", type=float, default=None, help="USD per 1M input tokens (cost estimate)")
    parser.add_argument("--price-out", type=float, default=None, help="USD per 1M output tokens (cost estimate)")
    parser.add_argument("--source", default=None, help="'source' field of corpus records (default: input file stem)")
    parser.add_argument("--retry-failed", action="store_true",
                        help="also re-ask texts whose stored answer failed validation (refusals etc.)")
    parser.add_argument("--batch", action="store_true", help="use the OpenAI Batch API (resumable; cheaper, slower)")
    parser.add_argument("--poll-interval", type=float, default=30.0, help="batch polling period in seconds")
    parser.add_argument("--batch-timeout", type=float, default=None,
                        help="stop waiting for the batch after S seconds (re-run resumes waiting)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "annotate",
        help="annotate texts with LLM emotion descriptors (resumable)",
        description=__doc__.split("\n\n")[0],
    )
    add_arguments(parser)
    parser.set_defaults(func=handler)


def _labels(value: str | None) -> list[str] | None:
    labels = read_labels(value)
    return None if labels is None else list(labels)


def config_from_args(args: argparse.Namespace):
    from sentence_emo.annotate.config import AnnotateConfig
    from sentence_emo.annotate.prompts import load_prompt

    labels = _labels(args.labels)
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
    return AnnotateConfig(
        model=args.model, base_url=args.base_url, api_key_env=args.api_key_env, prompt=prompt, labels=labels,
        concurrency=args.concurrency, max_retries=args.max_retries, reply_retries=args.reply_retries,
        timeout=args.timeout, max_consecutive_failures=args.max_consecutive_failures, temperature=args.temperature,
        max_tokens=args.max_tokens, max_descriptors=args.max_descriptors, max_words=args.max_words,
        price_in=args.price_in, price_out=args.price_out, progress=not args.no_progress,
        retry_failed=args.retry_failed, batch=args.batch, poll_interval=args.poll_interval,
        batch_timeout=args.batch_timeout,
    )


def handler(args: argparse.Namespace) -> int:
    from sentence_emo.annotate.jobs import annotate_file

    config = config_from_args(args)
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
    """Entry point of ``python -m sentence_emo.annotate``."""
    parser = argparse.ArgumentParser(prog="python -m sentence_emo.annotate", description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("sentence-emo annotate: interrupted; finished work is kept on disk", file=sys.stderr)
        return 130
    except Exception as exc:
        from sentence_emo.errors import report

        code = report(exc, prog="sentence-emo annotate", verbose=args.verbose)
        if code is None:
            raise
        return code
