"""Training throughput (texts/s) of a short real distillation run per base encoder.

Not a test. For each base model runs ``sentence_emo.training.build_training(config).train()``
(what ``train(config)`` runs, plus a step-timer callback) for ``--steps`` optimiser steps (real
data, real loss, real optimiser; the model is saved into a temporary folder and discarded) and
reports

* ``examples_per_second``: texts per second over steps 2..N, timed from the end of step 1 to the
  end of step N with a trainer callback, so the first (warm-up) step is excluded;
* ``trainer_samples_per_second``: the trainer's own ``train_samples_per_second`` (all steps).

Each step also encodes the batch's descriptor vocabulary (every distinct descriptor of the batch,
plus ``--extra-negatives`` sampled ones), so the work per text is that of the real training.
Corpus: ``runs/benchmark/teacher-descriptors.jsonl`` when present, else the shipped ``llm-descriptors`` corpus.
Writes ``eval_suite/results/training_throughput.json`` and prints a markdown table.

    python benchmarks/training_throughput.py --models all-MiniLM-L6-v2 all-mpnet-base-v2 --steps 8 --batch-size 32
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from transformers import TrainerCallback  # noqa: E402

from sentence_emo import training  # noqa: E402
from sentence_emo.corpus import load_corpus  # noqa: E402
from sentence_emo.files import TRAINING_INFO_FILE  # noqa: E402

from benchmarks.provenance import header  # noqa: E402

DEFAULT_CORPUS = REPO / "runs" / "benchmark" / "teacher-descriptors.jsonl"


class StepTimer(TrainerCallback):
    """Wall-clock time at the end of every optimiser step."""

    def __init__(self) -> None:
        self.step_ends: list[float] = []

    def on_step_end(self, args, state, control, **kwargs):
        self.step_ends.append(time.perf_counter())


def batch_sizes(n_rows: int, batch_size: int, steps: int) -> list[int]:
    """Rows in each of the first ``steps`` batches (the last batch of an epoch may be short; no drop_last)."""
    per_epoch = math.ceil(n_rows / batch_size)
    last = n_rows - (per_epoch - 1) * batch_size
    return [last if step % per_epoch == per_epoch - 1 else batch_size for step in range(steps)]


def run_one(base_model: str, corpus: str, steps: int, batch_size: int, extra_negatives: int,
            max_seq_length: int) -> dict[str, object]:
    timer = StepTimer()
    with tempfile.TemporaryDirectory(prefix="sentence-emo-throughput-") as tmp:
        config = training.TrainConfig(
            corpus=[corpus], base_model=base_model, output=str(Path(tmp) / "model"), max_steps=steps,
            batch_size=batch_size, extra_negatives=extra_negatives, max_seq_length=max_seq_length,
            save_steps=10 * steps, logging_steps=steps, disable_tqdm=True, seed=0,
        )
        started = time.perf_counter()
        run = training.build_training(config)  # what train(config) runs, with the step timer added
        run.trainer.add_callback(timer)
        output = run.train()
        wall = time.perf_counter() - started
        info = json.loads((Path(output) / TRAINING_INFO_FILE).read_text(encoding="utf-8"))
    if len(timer.step_ends) != steps:
        raise RuntimeError(f"expected {steps} steps, the callback saw {len(timer.step_ends)}")
    sizes = batch_sizes(info["corpus"]["texts"], batch_size, steps)
    timed = timer.step_ends[-1] - timer.step_ends[0]
    metrics = info["train"]
    return {
        "base_model": base_model,
        "steps": steps,
        "batch_size": batch_size,
        "examples_per_second": round(sum(sizes[1:]) / timed, 2) if steps > 1 else None,
        "seconds_per_step": round(timed / (steps - 1), 3) if steps > 1 else None,
        "trainer_samples_per_second": metrics.get("train_samples_per_second"),
        "trainer_runtime_seconds": metrics.get("train_runtime"),
        "wall_seconds_including_load": round(wall, 1),
        "final_loss": metrics.get("train_loss"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["all-MiniLM-L6-v2", "all-mpnet-base-v2"],
                        help="base encoders (names resolved by sentence_emo.models, or local paths)")
    parser.add_argument("--steps", type=int, default=8, help="optimiser steps per model (default: 8)")
    parser.add_argument("--batch-size", type=int, default=32, help="texts per step (default: 32)")
    parser.add_argument("--extra-negatives", type=int, default=0, help="sampled negative descriptors per batch")
    parser.add_argument("--max-seq-length", type=int, default=128)
    parser.add_argument("--corpus", help=f"descriptor corpus (default: {DEFAULT_CORPUS.relative_to(REPO)} if present, "
                                         "else the shipped llm-descriptors corpus)")
    parser.add_argument("--out", type=Path, default=REPO / "eval_suite" / "results" / "training_throughput.json")
    args = parser.parse_args(argv)
    if args.steps < 2:
        parser.error("--steps must be >= 2 (the first step is the warm-up)")
    corpus = args.corpus or (str(DEFAULT_CORPUS) if DEFAULT_CORPUS.exists() else "llm-descriptors")
    n_texts = len(load_corpus(corpus))

    rows = []
    for name in args.models:
        print(f"training {name} for {args.steps} steps of {args.batch_size} on {corpus} ...", file=sys.stderr)
        rows.append(run_one(name, corpus, args.steps, args.batch_size, args.extra_negatives, args.max_seq_length))
        print(f"  {rows[-1]['examples_per_second']} texts/s", file=sys.stderr)

    result = {
        **header("training throughput (sentence_emo.training.train)", "benchmarks/training_throughput.py", sys.argv[1:] if argv is None else argv),
        "corpus": {"path": corpus, "texts": n_texts},
        "settings": {"steps": args.steps, "batch_size": args.batch_size, "extra_negatives": args.extra_negatives,
                     "max_seq_length": args.max_seq_length, "warmup_steps_excluded": 1},
        "results": rows,
        "note": "the 2 CPU cores may be shared with other jobs",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"\nTraining throughput, {args.steps} steps x batch {args.batch_size}, {corpus} ({result['date']})\n")
    print("| base model | texts/s (steps 2..N) | s/step | trainer samples/s (all steps) |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print(f"| {row['base_model']} | {row['examples_per_second']} | {row['seconds_per_step']} | "
              f"{row['trainer_samples_per_second']} |")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
