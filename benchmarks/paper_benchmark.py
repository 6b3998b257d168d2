"""Benchmarks on the paper's four datasets (test splits, same eval-suite protocol for every row).

``make benchmark`` (``--recipe minilm-recipe --recipe mpnet-recipe``): trains the shipped recipe's students
(``benchmarks/recipe_candidates.py``) on the LLM corpus shipped in the package, so training needs nothing
from ``../shared``; evaluates each beside its untrained encoder and GPT-4's released labels; writes
``eval_suite/results/benchmark_recipe.{json,md}`` and the README's RECIPE-BENCHMARK block.

``make benchmark-ablation`` (no ``--recipe``): the data ablation of the paper, with teacher corpora built
from ``../shared/data``. Stages (each skipped when its output exists, so an interrupted run resumes; training itself
resumes from its last checkpoint):

1. teacher corpora from ``../shared/data`` (``benchmarks/teacher_corpora.py``; no human labels);
2. students: (a) MiniLM on LLM descriptors, (b) MiniLM on GPT-4 labels, (c) MiniLM on both,
   (d) all-mpnet-base-v2 on the data choice that scored best for MiniLM on GoEmotions macro-F1;
3. evaluation with the eval suite (same protocol for every row) of every student, of the untrained
   base encoders, and the GPT-4 zero-shot reference on GoEmotions test;
4. ``eval_suite/results/benchmark.{json,md}`` with command, date, machine and git commit, the
   README table (``--update-readme``), and the best student's model card.

Thresholds never see test labels: multi-label sets use ``dev-tuned-per-label`` (one threshold per label;
GoEmotions tunes them on GPT-4's labels of GoEmotions dev, so no human label; SemEval on a sample of its
train split),
ISEAR is single-label (argmax), EmoBank a continuous score (no threshold).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import shlex
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.provenance import git_commit, machine, replace_readme_block, write_results
from sentence_emo.files import CALIBRATION_FILE, CARD_FILE, TRAINING_INFO_FILE

logger = logging.getLogger("benchmark")
ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "eval_suite" / "results"
README_START, README_END = "<!-- BENCHMARK-TABLE:START -->", "<!-- BENCHMARK-TABLE:END -->"
RECIPE_START, RECIPE_END = "<!-- RECIPE-BENCHMARK:START -->", "<!-- RECIPE-BENCHMARK:END -->"

PRIMARY_RULE = "dev-tuned-per-label"
MINILM = "all-MiniLM-L6-v2"
MPNET = "all-mpnet-base-v2"
#: hyper-parameters of the benchmark students (fixed before looking at any test number)
MINILM_HPARAMS = dict(epochs=2.0, batch_size=64, learning_rate=5e-5, calibration_learning_rate=1e-2,
                      extra_negatives=64, max_seq_length=128, save_steps=100)
#: mpnet trains at ~1.3-2.6 texts/s on 2 CPU cores (benchmarks/training_throughput.py): a capped run of
#: 100 steps of 32 texts (~30% of an epoch) is what fits in a CPU session
MPNET_HPARAMS = dict(epochs=1.0, max_steps=100, batch_size=32, learning_rate=5e-5, calibration_learning_rate=1e-2,
                     extra_negatives=16, max_seq_length=64, save_steps=25)


@dataclass
class Student:
    name: str
    base: str
    corpus: str
    hparams: dict[str, Any] = field(default_factory=dict)


def minilm_students() -> list[Student]:
    return [Student(f"minilm-{kind}", MINILM, kind, MINILM_HPARAMS) for kind in ("descriptors", "gpt4-labels", "both")]


def train_student(student: Student, work: Path, data_dir: Path) -> Path:
    from benchmarks.teacher_corpora import write as write_corpus
    from sentence_emo.training import TrainConfig, train

    out = work / student.name
    if (out / CALIBRATION_FILE).exists() and (out / TRAINING_INFO_FILE).exists():
        logger.info("%s: trained already", student.name)
        return out
    corpus = write_corpus(student.corpus, data_dir, work)
    logger.info("%s: training %s on %s", student.name, student.base, corpus)
    train(TrainConfig(corpus=[str(corpus)], base_model=student.base, output=str(out), resume="auto",
                      seed=42, disable_tqdm=not sys.stderr.isatty(), **student.hparams))
    return out


def evaluate(name: str, model: str, work: Path, data_dir: Path, max_rows: int | None) -> dict[str, Any]:
    from eval_suite.evaluation import model_fingerprint
    from eval_suite.suite import RESULTS_FILE, run_suite

    out = work / f"eval-{name}"
    if (out / RESULTS_FILE).exists():
        previous = json.loads((out / RESULTS_FILE).read_text())
        meta = previous.get("meta", {})
        # an interrupted eval (complete=false) runs again, reusing its embedding cache; so does the eval of a
        # model retrained (or re-saved) in place since
        if meta.get("complete", True) and meta.get("model_fingerprint") == model_fingerprint(model):
            return previous
        logger.info("%s: earlier results are incomplete or of another version of %s; evaluating again", name, model)
    logger.info("evaluating %s", name)
    started = time.perf_counter()
    result = run_suite(model, out_dir=out, data_dir=str(data_dir), baseline_model=None, max_rows=max_rows,
                       model_name=name, show_progress=sys.stderr.isatty(), primary_rule=PRIMARY_RULE)
    logger.info("evaluated %s in %.0f s", name, time.perf_counter() - started)
    return result.to_dict()


def headline(results: dict[str, Any], role: str = "model") -> dict[str, dict[str, Any]]:
    """``{"goemotions.macro_f1": {"value": .., "rule": ..}}`` for one system of a results.json."""
    out = {}
    for h in results["headline"]:
        entry = next((v for v in h["values"].values() if v["role"] == role), None)
        if entry is not None:
            out[f"{h['key']}.{h['metric']}"] = {"value": entry["value"], "rule": entry.get("rule")}
    return out


COLUMNS = [("goemotions.macro_f1", "GoEmotions macro-F1"), ("goemotions.lrap", "GoEmotions LRAP"),
           ("semeval.macro_f1", "SemEval macro-F1"), ("semeval.jaccard", "SemEval Jaccard"),
           ("isear.macro_f1", "ISEAR macro-F1"), ("isear.accuracy", "ISEAR acc."),
           ("emobank.valence_pearson", "EmoBank valence r")]


def render_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| system | params | teacher data | " + " | ".join(c[1] for c in COLUMNS) + " |",
             "|---|---:|---|" + "---:|" * len(COLUMNS)]
    for row in rows:
        cells = []
        for key, _ in COLUMNS:
            v = row["metrics"].get(key, {}).get("value")
            cells.append("–" if v is None else f"{v:.3f}")
        lines.append(f"| {row['system']} | {row['params']} | {row['data']} | " + " | ".join(cells) + " |")
    rules = sorted({f"{k}: {m['rule']}" for r in rows for k, m in r["metrics"].items() if m.get("rule")})
    lines.append("")
    lines.append("Decision rules behind the numbers: " + "; ".join(rules) + ".")
    return "\n".join(lines)


def count_params(model_dir: str) -> str:
    from safetensors import safe_open

    path = Path(model_dir) / "model.safetensors"
    if not path.exists():
        return "?"
    with safe_open(str(path), "pt") as f:
        n = sum(f.get_slice(k).get_shape().numel() if hasattr(f.get_slice(k).get_shape(), "numel")
                else _prod(f.get_slice(k).get_shape()) for k in f.keys())
    return f"{n / 1e6:.0f}M"


def _prod(shape) -> int:
    out = 1
    for s in shape:
        out *= int(s)
    return out


def update_readme(table: str, meta: dict[str, Any], markers: tuple[str, str] = (README_START, README_END)) -> None:
    replace_readme_block(*markers, f"_Generated by `{meta['command']}` on {meta['date'][:10]} "
                         f"({meta['machine']['cpu_count']} CPU cores, commit `{meta['git_commit'][:12]}`)._\n\n{table}",
                         readme=ROOT / "README.md")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.paper_benchmark", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("SENTENCE_EMO_DATA_DIR", "../shared/data"))
    parser.add_argument("--work", default="runs/benchmark", help="models, corpora and eval outputs (not committed)")
    parser.add_argument("--max-rows", type=int, default=None, help="subsample every eval set (quick check only)")
    parser.add_argument("--skip-mpnet", action="store_true", help="leave out student (d) and the mpnet baseline")
    parser.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    parser.add_argument("--recipe", action="append", default=[], metavar="NAME",
                        help="train candidate NAME of benchmarks/recipe_candidates (e.g. minilm-recipe, mpnet-recipe) on "
                             "the shipped LLM corpus into WORK_RECIPES/NAME (resumable; skipped when trained), then "
                             "evaluate it like --recipe-model; repeatable. Training needs no ../shared data")
    parser.add_argument("--recipe-work", default="runs/recipe", help="where --recipe trains (WORK_RECIPES)")
    parser.add_argument("--recipe-model", action="append", default=[], metavar="DIR",
                        help="only evaluate this already trained student of the shipped recipe (made by "
                             "'python -m benchmarks.recipe_candidates minilm-recipe') beside its untrained encoder and "
                             "GPT-4; repeatable; writes benchmark_recipe.{json,md} and the README's RECIPE-BENCHMARK block")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    data_dir, work = Path(args.data_dir), Path(args.work)
    if not (data_dir / "goemotions" / "test.tsv").exists():
        raise SystemExit(f"benchmark data not found in {data_dir}; pass --data-dir or set SENTENCE_EMO_DATA_DIR")
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    from sentence_emo.models import resolve_base_model

    if args.recipe or args.recipe_model:
        return recipe_benchmark(args, argv, data_dir, work, started)
    rows: list[dict[str, Any]] = []
    timings: dict[str, float] = {}

    minilm_base = resolve_base_model(MINILM)
    base_results = evaluate("minilm-untrained", minilm_base, work, data_dir, args.max_rows)
    gpt4 = headline(base_results, role="reference")
    rows.append({"system": "GPT-4 zero-shot (released labels)", "params": "undisclosed", "data": "–", "metrics": gpt4})
    rows.append({"system": "MiniLM-L6 untrained", "params": count_params(minilm_base), "data": "–",
                 "metrics": headline(base_results)})

    students = minilm_students()
    scores: dict[str, float] = {}
    for student in students:
        t0 = time.perf_counter()
        model = train_student(student, work, data_dir)
        timings[f"train:{student.name}"] = time.perf_counter() - t0
        res = evaluate(student.name, str(model), work, data_dir, args.max_rows)
        metrics = headline(res)
        scores[student.corpus] = metrics.get("goemotions.macro_f1", {}).get("value") or 0.0
        rows.append({"system": f"MiniLM-L6 student ({student.name.split('-', 1)[1]})", "params": count_params(str(model)),
                     "data": student.corpus, "metrics": metrics, "model": str(model), "student": student.name})

    if not args.skip_mpnet:
        best = max(scores, key=scores.get)
        mpnet_base = resolve_base_model(MPNET)
        rows.append({"system": "mpnet-base untrained", "params": count_params(mpnet_base), "data": "–",
                     "metrics": headline(evaluate("mpnet-untrained", mpnet_base, work, data_dir, args.max_rows))})
        student = Student(f"mpnet-{best}", MPNET, best, MPNET_HPARAMS)
        t0 = time.perf_counter()
        model = train_student(student, work, data_dir)
        timings[f"train:{student.name}"] = time.perf_counter() - t0
        res = evaluate(student.name, str(model), work, data_dir, args.max_rows)
        rows.append({"system": f"mpnet-base student ({best})", "params": count_params(str(model)), "data": best,
                     "metrics": headline(res), "model": str(model), "student": student.name})

    for row in rows:
        if row.get("model"):
            info = json.loads((Path(row["model"]) / TRAINING_INFO_FILE).read_text())
            row["training"] = {k: info["train"].get(k) for k in ("train_runtime", "train_samples_per_second",
                                                                   "global_step", "epoch", "wall_seconds")
                               if k in info["train"]}
            row["hparams"] = {k: info["config"][k] for k in ("epochs", "batch_size", "learning_rate",
                                                             "calibration_learning_rate", "extra_negatives",
                                                             "max_seq_length")}
    students_rows = [r for r in rows if r.get("student")]
    best_row = max(students_rows, key=lambda r: r["metrics"].get("goemotions.macro_f1", {}).get("value") or 0.0)
    meta = {
        "command": "make benchmark" if os.environ.get("MAKELEVEL") else "python -m benchmarks.paper_benchmark "
                   + " ".join(sys.argv[1:] if argv is None else argv),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "git_commit": "{commit}{suffix}".format(suffix="-dirty" if (g := git_commit())["dirty"] else "", **g),
        "data_dir": str(data_dir.resolve()),
        "max_rows": args.max_rows,
        "wall_seconds_this_invocation": time.perf_counter() - started,
        "stage_seconds_this_invocation": timings,
        "best_student": best_row["student"],
    }
    table = render_table(rows)
    write_results(args.results_dir, "benchmark", meta, rows, table)
    write_best_model_card(best_row, rows, work, meta)
    if args.update_readme:
        update_readme(table, meta)
    return 0


def train_recipes(names: list[str], recipe_work: Path) -> list[Path]:
    """Train (or resume, or reuse) the named recipe candidates on the shipped corpus; their output folders."""
    from benchmarks.recipe_candidates import config_for
    from sentence_emo.training import train

    out = []
    for name in names:
        config = config_for(name, recipe_work)
        if not (Path(config.output) / TRAINING_INFO_FILE).exists():
            logger.info("training recipe candidate %s -> %s", name, config.output)
            train(config)
        out.append(Path(config.output))
    return out


def recipe_benchmark(args: argparse.Namespace, argv: list[str] | None, data_dir: Path, work: Path,
                     started: float) -> int:
    """Test-split numbers of the shipped recipe's students, each next to its untrained base, and GPT-4."""
    from sentence_emo.models import resolve_base_model

    models = train_recipes(args.recipe, Path(args.recipe_work)) + [Path(m) for m in args.recipe_model]
    for model in models:
        if not (model / "model.safetensors").exists():
            raise SystemExit(f"{model}: no trained model; run 'python -m benchmarks.recipe_candidates "
                             f"{model.name}' first or pass --recipe {model.name}")
    rows: list[dict[str, Any]] = []
    for model in models:
        info = json.loads((model / TRAINING_INFO_FILE).read_text())
        base_name = info["config"]["base_model"]
        base = resolve_base_model(base_name)
        base_results = evaluate(f"{Path(base_name).name}-untrained", base, work, data_dir, args.max_rows)
        student = evaluate(f"recipe-{model.name}", str(model), work, data_dir, args.max_rows)
        label = "MiniLM-L6" if "MiniLM" in base_name else Path(base_name).name
        if not rows:
            rows.append({"system": "GPT-4 zero-shot (released labels)", "params": "undisclosed", "data": "–",
                         "metrics": headline(base_results, role="reference")})
        if not any(r["system"] == f"{label} untrained" for r in rows):  # once per base encoder
            rows.append({"system": f"{label} untrained", "params": count_params(base), "data": "–",
                         "metrics": headline(base_results)})
        rows.append({"system": f"{label} shipped recipe (selected on validation sets)", "params": count_params(str(model)),
                     "data": ", ".join(info["config"]["corpus"]), "metrics": headline(student), "model": str(model),
                     "hparams": {k: info["config"].get(k) for k in (
                         "epochs", "batch_size", "learning_rate", "extra_negatives", "max_seq_length", "taxonomy",
                         "taxonomy_weight", "wise_ft_alpha")}})
    g = git_commit()
    meta = {"command": "python -m benchmarks.paper_benchmark " + shlex.join(sys.argv[1:] if argv is None else argv),
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
            "git_commit": g["commit"] + ("-dirty" if g["dirty"] else ""), "data_dir": str(data_dir.resolve()),
            "max_rows": args.max_rows, "wall_seconds_this_invocation": time.perf_counter() - started}
    table = render_table(rows)
    write_results(args.results_dir, "benchmark_recipe", meta, rows, table)
    if args.update_readme:
        update_readme(table, meta, (RECIPE_START, RECIPE_END))
    return 0


def write_best_model_card(best_row: dict[str, Any], rows: list[dict[str, Any]], work: Path, meta: dict[str, Any]) -> None:
    """Copy the best student to ``WORK/best`` with its model card (results filled in)."""
    best = work / "best"
    if best.exists():
        shutil.rmtree(best)
    shutil.copytree(best_row["model"], best, ignore=shutil.ignore_patterns("*-checkpoints"))
    eval_results = work / f"eval-{best_row['student']}" / "results.json"
    from sentence_emo.model_card import model_card_for

    model_card_for(best, results=str(eval_results), model_name="emo-distill").save(str(best / CARD_FILE))
    logger.info("best student %s -> %s (model card written)", best_row["student"], best)


if __name__ == "__main__":
    sys.exit(main())
