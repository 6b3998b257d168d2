"""``sentence-emo predict``: zero-shot labels (and/or an anchor score) for texts from the command line.

    sentence-emo predict --model emo-distill --labels joy,anger,fear "I can't believe it!"
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sentence_emo.labels import Labels, check_template, read_label_file, split_list
from sentence_emo.zero_shot import EmotionZeroShot


def _parse_labels(args: argparse.Namespace) -> Labels | None:
    if args.label_file:
        return read_label_file(args.label_file)
    return split_list(args.labels)


def _read_texts(args: argparse.Namespace) -> list[str]:
    texts = list(args.texts)
    if args.file:
        from sentence_emo.textfiles import read_texts_file

        texts.extend(read_texts_file(args.file, text_column=args.text_column,
                                     file_format=getattr(args, "file_format", None)))
    if not texts and not sys.stdin.isatty():
        texts = [line for line in sys.stdin.read().splitlines() if line.strip()]
    if not texts:
        raise ValueError("no texts: pass them as arguments, with --file, or on standard input")
    return texts


def _run(args: argparse.Namespace) -> int:
    labels = _parse_labels(args)
    if labels is None and not args.positive:
        raise ValueError("give a label set with --labels a,b,c or --label-file, and/or --positive/--negative anchors")
    if args.template is not None:
        check_template(args.template)  # before loading the model
    texts = _read_texts(args)
    clf = EmotionZeroShot.from_pretrained(args.model, template=args.template, show_progress_bar=False,
                                          centering=args.centering)
    predictions = (clf.predict(texts, labels, multi_label=not args.single_label, threshold=args.threshold,
                               top_k=args.top_k) if labels is not None else None)
    valence = clf.score(texts, split_list(args.positive), split_list(args.negative) or []) \
        if args.positive else None
    for i, text in enumerate(texts):
        row: dict[str, Any] = {"text": text}
        if predictions is not None:
            row["labels"] = predictions[i].labels
            row["scores"] = {k: round(v, 4) for k, v in predictions[i].scores.items()}
            row["low_confidence"] = predictions[i].low_confidence
        if valence is not None:
            row["score"] = round(float(valence[i]), 4)
        if args.format == "jsonl":
            print(json.dumps(row, ensure_ascii=False))
        else:
            parts = []
            if predictions is not None:
                best = sorted(predictions[i].scores.items(), key=lambda kv: -kv[1])[:3]
                parts.append(f"labels={','.join(row['labels']) or '-'}" + (" (low confidence)" if row["low_confidence"]
                                                                             else ""))
                parts.append("top=" + " ".join(f"{k}:{v:.2f}" for k, v in best))
            if valence is not None:
                parts.append(f"score={row['score']:+.3f}")
            print(f"{text[:60]!r:64} " + "  ".join(parts))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("predict", help="zero-shot emotion prediction with any label set")
    parser.add_argument("texts", nargs="*", help="texts to classify (or use --file / standard input)")
    parser.add_argument("--model", default="emo-distill", help="model dir or Hub repo id (default: emo-distill)")
    parser.add_argument("--labels", help="comma-separated label names, e.g. joy,anger,fear")
    parser.add_argument("--label-file", help="labels: .txt (one per line) or .json (list, or {name: description})")
    parser.add_argument("--single-label", action="store_true", help="pick exactly one label per text (argmax)")
    parser.add_argument("--threshold", type=float,
                        help="probability threshold for multi-label (default: the model's calibrated rule)")
    parser.add_argument("--top-k", type=int, help="keep at most K labels per text")
    parser.add_argument("--template", help="label template, e.g. 'This text expresses {}.'")
    parser.add_argument("--centering", dest="centering", action="store_const", const=True,
                        help="subtract the stored mean text embedding (default: as the label calibration was fitted)")
    parser.add_argument("--no-centering", dest="centering", action="store_const", const=False)
    parser.add_argument("--file", help="read texts from .txt (one per line), .csv/.tsv, .jsonl or a .json array")
    parser.add_argument("--file-format", choices=["auto", "lines", "csv", "tsv", "jsonl", "json"], default="auto",
                        help="how to read --file (default: from its extension; other extensions need this)")
    parser.add_argument("--text-column", default="text", help="column holding the text in --file (default: text)")
    parser.add_argument("--positive", help="comma-separated positive anchors for a continuous score (e.g. valence)")
    parser.add_argument("--negative", help="comma-separated negative anchors for the continuous score")
    parser.add_argument("--format", choices=["table", "jsonl"], default="table")
    parser.set_defaults(func=_run)
