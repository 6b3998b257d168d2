"""Zero-shot inference speed and quality: torch vs the project's ONNX export (float32 and int8).

Not a test. Takes the first N GoEmotions test texts and the 28 GoEmotions label names, runs
``EmotionZeroShot.predict_proba`` with each backend (same batch size, default thread settings of
torch and onnxruntime), and reports texts/s (median of timed runs after a warm-up run; the rounds
interleave the backends so background load hits them alike), the speed-up over torch, and
macro-F1 against the human labels for two decision rules:

* ``threshold``: every label with calibrated probability >= 0.5, the arg-max label when none passes;
* ``top1``: the arg-max label only.

The ONNX files are exported into ``<model>/onnx/`` if missing or older than the weights
(``--fresh-export`` re-exports and times it). Label embeddings are re-computed in every timed run.
Writes ``eval_suite/results/inference_speed.json`` and prints a markdown table.

    python benchmarks/inference_speed.py --model emo-distill
    python benchmarks/inference_speed.py --model emo-distill --n 500 --runs 1 --backends torch onnx-int8
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sentence_emo.onnx_export import ensure_onnx, export_onnx, onnx_path  # noqa: E402
from sentence_emo.zero_shot import EmotionZeroShot  # noqa: E402
from benchmarks.provenance import header  # noqa: E402

BACKENDS = ("torch", "onnx", "onnx-int8")
TARGET_SPEEDUP = 2.0
TARGET_MAX_F1_LOSS = 1.0  # points


def load_goemotions(data_dir: Path, n: int) -> tuple[list[str], list[str], np.ndarray]:
    """First ``n`` test texts, the 28 label names and the gold multi-hot matrix."""
    folder = data_dir / "goemotions"
    labels_file, test_file = folder / "labels.txt", folder / "test.tsv"
    for path in (labels_file, test_file):
        if not path.exists():
            raise SystemExit(f"{path} not found; pass --data-dir (or set SENTENCE_EMO_DATA_DIR) to the shared data folder")
    labels = [line.strip() for line in labels_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts: list[str] = []
    gold: list[list[int]] = []
    with test_file.open(encoding="utf-8", newline="") as f:
        for lineno, row in enumerate(csv.reader(f, delimiter="\t"), start=1):
            if len(texts) == n:
                break
            if len(row) < 2:
                raise SystemExit(f"{test_file}, line {lineno}: expected text<TAB>label ids<TAB>id, got {row!r}")
            ids = [int(i) for i in row[1].split(",") if i.strip()]
            if any(not 0 <= i < len(labels) for i in ids):
                raise SystemExit(f"{test_file}, line {lineno}: label id out of range in {row[1]!r}")
            texts.append(row[0])
            gold.append(ids)
    if len(texts) < n:
        print(f"note: only {len(texts)} test texts available (asked for {n})", file=sys.stderr)
    y = np.zeros((len(texts), len(labels)), dtype=int)
    for i, ids in enumerate(gold):
        y[i, ids] = 1
    return texts, labels, y


def decisions(probs: np.ndarray) -> dict[str, np.ndarray]:
    """``threshold``: p >= 0.5 with arg-max fallback; ``top1``: arg-max only."""
    top1 = np.zeros(probs.shape, dtype=int)
    top1[np.arange(len(probs)), probs.argmax(axis=1)] = 1
    threshold = (probs >= 0.5).astype(int)
    empty = threshold.sum(axis=1) == 0
    threshold[empty] = top1[empty]
    return {"threshold": threshold, "top1": top1}


def macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, predicted, average="macro", zero_division=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="trained model directory")
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("SENTENCE_EMO_DATA_DIR", "../shared/data")),
                        help="shared data folder (default: $SENTENCE_EMO_DATA_DIR or ../shared/data)")
    parser.add_argument("--n", type=int, default=2000, help="number of GoEmotions test texts (default: 2000)")
    parser.add_argument("--batch-size", type=int, default=64, help="texts per batch for every backend (default: 64)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per backend after the warm-up (default: 3)")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--fresh-export", action="store_true", help="re-export the ONNX files and time the export")
    parser.add_argument("--out", type=Path, default=REPO / "eval_suite" / "results" / "inference_speed.json")
    args = parser.parse_args(argv)
    if "torch" not in args.backends:
        parser.error("--backends must include torch (the reference for speed-up and F1 difference)")
    model_dir = Path(args.model)
    if not (model_dir / "modules.json").exists():
        parser.error(f"--model {args.model}: not a saved model directory (no modules.json)")

    texts, labels, gold = load_goemotions(args.data_dir, args.n)
    print(f"{len(texts)} GoEmotions test texts x {len(labels)} labels, batch size {args.batch_size}", file=sys.stderr)

    export: dict[str, object] = {}
    if any(b != "torch" for b in args.backends):
        started = time.perf_counter()
        if args.fresh_export:
            export_onnx(model_dir, quantize=True)
            export["fresh"] = True
        else:
            export["fresh"] = any(not onnx_path(model_dir, q).exists() for q in (False, True))
            ensure_onnx(model_dir, quantized=True)
        export["seconds"] = round(time.perf_counter() - started, 2)
        export["files_mb"] = {p.name: round(p.stat().st_size / 1e6, 1)
                              for p in (onnx_path(model_dir), onnx_path(model_dir, True))}

    classifiers = {}
    for backend in args.backends:
        classifiers[backend] = EmotionZeroShot.from_pretrained(str(model_dir), backend=backend,
                                                               batch_size=args.batch_size, show_progress_bar=False)
    probs: dict[str, np.ndarray] = {}
    times: dict[str, list[float]] = {b: [] for b in args.backends}
    for backend, clf in classifiers.items():  # warm-up
        started = time.perf_counter()
        probs[backend] = clf.predict_proba(texts, labels)
        print(f"warm-up {backend}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    for run in range(args.runs):
        for backend, clf in classifiers.items():
            clf._label_cache.clear()  # time the label embeddings too
            started = time.perf_counter()
            probs[backend] = clf.predict_proba(texts, labels)
            times[backend].append(time.perf_counter() - started)
            print(f"run {run + 1} {backend}: {times[backend][-1]:.2f}s", file=sys.stderr)

    reference = probs["torch"]
    ref_decisions = decisions(reference)
    torch_speed = len(texts) / statistics.median(times["torch"])
    rows = []
    for backend in args.backends:
        seconds = statistics.median(times[backend])
        decided = decisions(probs[backend])
        row: dict[str, object] = {
            "backend": backend,
            "seconds_median": round(seconds, 3),
            "seconds_runs": [round(t, 3) for t in times[backend]],
            "texts_per_second": round(len(texts) / seconds, 1),
            "speedup_vs_torch": round(len(texts) / seconds / torch_speed, 2),
            "max_abs_prob_diff_vs_torch": float(np.abs(probs[backend] - reference).max()),
        }
        for rule, predicted in decided.items():
            f1 = macro_f1(gold, predicted)
            row[f"macro_f1_{rule}"] = round(f1, 4)
            row[f"f1_{rule}_diff_points"] = round(100 * (f1 - macro_f1(gold, ref_decisions[rule])), 2)
            row[f"same_{rule}_decisions_as_torch"] = round(float((predicted == ref_decisions[rule]).all(axis=1).mean()), 4)
        if backend != "torch":
            row["meets_target"] = bool(row["speedup_vs_torch"] >= TARGET_SPEEDUP
                                       and row["f1_threshold_diff_points"] >= -TARGET_MAX_F1_LOSS
                                       and row["f1_top1_diff_points"] >= -TARGET_MAX_F1_LOSS)
        rows.append(row)

    result = {
        **header("zero-shot inference speed, torch vs ONNX export", "benchmarks/inference_speed.py", sys.argv[1:] if argv is None else argv),
        "model": str(model_dir.resolve()),
        "data": {"set": "GoEmotions test (first N rows)", "texts": len(texts), "labels": len(labels)},
        "settings": {"batch_size": args.batch_size, "timed_runs": args.runs, "warmup_runs": 1,
                     "decision_rules": {"threshold": "calibrated p >= 0.5, arg-max fallback", "top1": "arg-max"}},
        "target": {"speedup_at_least": TARGET_SPEEDUP, "macro_f1_loss_at_most_points": TARGET_MAX_F1_LOSS},
        "onnx_export": export,
        "results": rows,
        "note": "the 2 CPU cores may be shared with other jobs; compare ratios within one run",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"\nZero-shot prediction, {len(texts)} GoEmotions test texts x {len(labels)} labels, "
          f"batch {args.batch_size}, median of {args.runs} runs ({result['date']})\n")
    print("| backend | texts/s | speed-up | macro-F1 (p>=0.5) | ΔF1 pts | macro-F1 (top-1) | ΔF1 pts | same decisions |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['backend']} | {row['texts_per_second']:.1f} | {row['speedup_vs_torch']:.2f}x | "
              f"{row['macro_f1_threshold']:.4f} | {row['f1_threshold_diff_points']:+.2f} | "
              f"{row['macro_f1_top1']:.4f} | {row['f1_top1_diff_points']:+.2f} | "
              f"{100 * row['same_threshold_decisions_as_torch']:.1f}% |")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
