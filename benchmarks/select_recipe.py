"""Select the shipped recipe on validation sets, never on test splits (issue #9).

Every candidate (a trained student, optionally interpolated with its base model = WiSE-FT, times a
label-side choice) is scored with one protocol on six validation sets:

* unseen label sets, single-label, plain label names, top-1 macro-F1: ISEAR (3,000 rows, seed 0),
  EmpatheticDialogues test situations (32 labels), SemEval-2007 Affective Text headlines (6 labels);
* GoEmotions **dev** macro-F1 on the dev texts held out of the shipped LLM corpus (its ``validation``
  split; the other dev texts are training texts), per-label thresholds tuned on GPT-4's labels of the
  dev texts the student trained on (1,500 rows; no human label used for tuning), plus LRAP;
* SemEval-2018 E-c **dev** macro-F1, per-label thresholds tuned on 1,000 train rows, plus LRAP;
* EmoBank **dev** valence Pearson r (mean cos to pleasant anchors minus mean cos to unpleasant ones).

The selection score is the plain mean of the six headline numbers (three unseen sets, three in-domain),
fixed before any run. Test splits are not read here; ``paper_benchmark`` reports them for the winner.
Text embeddings are cached per model under ``--work`` so label-side variants cost nothing and an
interrupted run resumes. Output: ``eval_suite/results/recipe_selection.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import logging
import os
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.provenance import git_commit, machine, replace_readme_block, write_results
from sentence_emo.atomic import atomic_path

logger = logging.getLogger("select_recipe")
ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "eval_suite" / "results"
README_START, README_END = "<!-- RECIPE-TABLE:START -->", "<!-- RECIPE-TABLE:END -->"

UNSEEN = ("isear", "empathetic", "affective")
COLUMNS = [("isear", "ISEAR F1"), ("empathetic", "EmpDial F1"), ("affective", "AffText F1"),
           ("goemotions_dev", "GoEmo dev F1"), ("goemotions_dev_lrap", "GoEmo dev LRAP"),
           ("semeval_dev", "SemEval dev F1"), ("emobank_dev", "EmoBank dev r")]
SCORED = ("isear", "empathetic", "affective", "goemotions_dev", "semeval_dev", "emobank_dev")
CENTERING_TEXTS = 1000


@dataclass
class ValidationSets:
    sets: dict[str, Any]
    tuning: dict[str, Any]
    centering_texts: list[str]
    descriptors: list[str] = field(default_factory=list)
    #: GPT-4's released zero-shot labels of the GoEmotions dev rows scored here (reference row)
    gpt4_goemotions_dev: Any = None

    def all_texts(self) -> dict[str, list[str]]:
        out = {k: ds.texts for k, ds in self.sets.items()}
        out.update({f"{k}-tuning": ds.texts for k, ds in self.tuning.items()})
        out["centering"] = self.centering_texts
        return out


def load_validation_sets(data_dir: Path) -> ValidationSets:
    from eval_suite import data as D
    import pandas as pd

    shipped = ROOT / "sentence_emo" / "data" / "llm_descriptors" / "data"
    train = pd.read_parquet(shipped / "train-00000-of-00001.parquet")
    heldout = set(pd.read_parquet(shipped / "validation-00000-of-00001.parquet")["id"])
    dev = D.load_goemotions(data_dir, "dev")
    dev_ids = dev.ids or []
    sets = {
        "isear": D.load_isear(data_dir).subsample(3000, 0),
        "empathetic": D.load_empathetic_dialogues(data_dir),
        "affective": D.load_affective_text(data_dir),
        "goemotions_dev": dev.take([i for i, x in enumerate(dev_ids) if f"goemotions-dev:{x}" in heldout]),
        "semeval_dev": D.load_semeval(data_dir, "dev"),
        "emobank_dev": D.load_emobank(data_dir, "dev", dimension="valence"),
    }
    teacher = D.load_goemotions_teacher_dev(data_dir)
    tuning = {
        "goemotions_dev": teacher.take([i for i, x in enumerate(teacher.ids or [])
                                        if f"goemotions-dev:{x}" not in heldout]).subsample(1500, 0),
        "semeval_dev": D.load_semeval(data_dir, "train").subsample(1000, 0),
    }
    rng = np.random.default_rng(0)
    pick = rng.choice(len(train), size=min(CENTERING_TEXTS, len(train)), replace=False)
    descriptors = sorted({d for row in train["descriptors"] for d in row})
    gpt4 = D.load_goemotions_gpt4(data_dir, "dev").align(sets["goemotions_dev"].ids or [])
    return ValidationSets(sets, tuning, [train["text"].iloc[i] for i in sorted(pick)], descriptors, gpt4.predictions)


def gpt4_row(sets: ValidationSets) -> dict[str, Any]:
    """GPT-4's released labels scored like a model (GoEmotions dev only: the other sets have none)."""
    from sklearn.metrics import f1_score

    f1 = f1_score(sets.sets["goemotions_dev"].targets, sets.gpt4_goemotions_dev, average="macro", zero_division=0)
    return {"model": "GPT-4 zero-shot (released labels, reference)", "label_side": "–", "reference": True,
            "metrics": {"goemotions_dev": float(f1)}}


def embed_all(model_dir: str, texts: dict[str, list[str]], cache_dir: Path) -> dict[str, np.ndarray]:
    from sentence_transformers import SentenceTransformer

    cache_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, np.ndarray] = {}
    model = None
    for key, items in texts.items():
        digest = hashlib.sha1("\x1e".join(items).encode()).hexdigest()[:16]
        path = cache_dir / f"{key}-{digest}.npy"
        if path.exists():
            out[key] = np.load(path)
            continue
        if model is None:
            model = SentenceTransformer(model_dir, device="cpu")
            model.max_seq_length = 128
        logger.info("encoding %s (%d texts) with %s", key, len(items), model_dir)
        emb = model.encode(items, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        with atomic_path(path) as tmp:
            np.save(tmp, emb)
        out[key] = emb
    out["__model__"] = model  # type: ignore[assignment]
    return out


@dataclass
class LabelSide:
    """How label names become embeddings: an optional template, optional centering of text embeddings."""

    name: str
    template: str | None = None
    centering: bool = False
    #: prototype expansion: add the mean of the label's ``proto_k`` nearest corpus descriptors
    proto_k: int = 0
    #: also add the embedding of the bare name (a template+name ensemble)
    with_name: bool = False


LABEL_SIDES = [LabelSide("names"), LabelSide("names+centering", centering=True),
               LabelSide("I feel {}.", template="I feel {}."),
               LabelSide("I feel {}.+centering", template="I feel {}.", centering=True),
               LabelSide("names+proto5", proto_k=5),
               LabelSide("names+proto5+centering", centering=True, proto_k=5),
               LabelSide("names & I feel {}.", template="I feel {}.", with_name=True),
               LabelSide("names & I feel {}.+proto5", template="I feel {}.", with_name=True, proto_k=5)]


def score_variant(emb: dict[str, np.ndarray], encode, sets: ValidationSets, side: LabelSide) -> dict[str, float]:
    from sklearn.metrics import f1_score, label_ranking_average_precision_score
    from scipy.stats import pearsonr

    from sentence_emo.labels import VALENCE_NEGATIVE, VALENCE_POSITIVE
    from eval_suite.metrics.functional import tune_thresholds_per_label

    def label_emb(labels: list[str], template: str | None) -> np.ndarray:
        e = encode(labels, template)
        if side.with_name and template:
            e = e + encode(labels, None)
            e = e / np.linalg.norm(e, axis=1, keepdims=True)
        if not side.proto_k:
            return e
        d = encode(sets.descriptors, None)
        top = np.argsort(-(e @ d.T), axis=1)[:, : side.proto_k]
        out = e + d[top].mean(axis=1)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    mu = emb["centering"].mean(axis=0) if side.centering else np.zeros(emb["centering"].shape[1], dtype=np.float32)
    out: dict[str, float] = {}
    for key, ds in sets.sets.items():
        t = emb[key] - mu
        if ds.task == "regression":
            pos = label_emb(list(VALENCE_POSITIVE), side.template)
            neg = label_emb(list(VALENCE_NEGATIVE), side.template)
            score = (t @ pos.T).mean(axis=1) - (t @ neg.T).mean(axis=1)
            out[key] = float(pearsonr(ds.targets, score)[0])
            continue
        sims = t @ label_emb(list(ds.labels), side.template).T
        if ds.task == "single_label":
            out[key] = float(f1_score(ds.targets, sims.argmax(axis=1), average="macro",
                                      labels=list(range(len(ds.labels))), zero_division=0))
            continue
        tune = emb[f"{key}-tuning"] - mu
        tune_sims = tune @ label_emb(list(sets.tuning[key].labels), side.template).T
        thresholds = tune_thresholds_per_label(sets.tuning[key].targets, tune_sims)
        pred = sims >= thresholds[None, :]
        out[key] = float(f1_score(ds.targets, pred, average="macro", zero_division=0))
        out[f"{key}_lrap"] = float(label_ranking_average_precision_score(ds.targets, sims))
    out["unseen_mean"] = float(np.mean([out[k] for k in UNSEEN]))
    out["score"] = float(np.mean([out[k] for k in SCORED]))
    return out


def evaluate_model(name: str, model_dir: str, sets: ValidationSets, work: Path) -> list[dict[str, Any]]:
    emb = embed_all(model_dir, sets.all_texts(), work / "emb" / name)
    model = emb.pop("__model__")
    cache: dict[tuple[str, str | None], np.ndarray] = {}

    def label_emb(labels: list[str], template: str | None) -> np.ndarray:
        nonlocal model
        todo = [s for s in labels if (s, template) not in cache]
        if todo:
            if model is None:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(model_dir, device="cpu")
            strings = [template.format(s) if template else s for s in todo]
            for s, e in zip(todo, model.encode(strings, normalize_embeddings=True, convert_to_numpy=True)):
                cache[(s, template)] = e
        return np.stack([cache[(s, template)] for s in labels])

    return [{"model": name, "label_side": side.name, "template": side.template, "centering": side.centering,
             "proto_k": side.proto_k, "with_name": side.with_name, "metrics": score_variant(emb, label_emb, sets, side)} for side in LABEL_SIDES]


def wise_ft(trained: Path, base: str, alpha: float, out: Path) -> Path:
    """Save the WiSE-FT interpolation of ``trained`` with ``base`` at ``alpha`` to ``out`` (once)."""
    import shutil

    from sentence_transformers import SentenceTransformer

    from sentence_emo.wise_ft import apply_wise_ft

    if (out / "model.safetensors").exists():
        return out
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    model = SentenceTransformer(str(trained), device="cpu")
    apply_wise_ft(model, SentenceTransformer(base, device="cpu"), alpha)
    model.save(str(tmp))
    for extra in trained.glob("emotion_*.json"):
        shutil.copy2(extra, tmp / extra.name)
    tmp.replace(out)
    return out


def select(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The candidate row with the highest score (``--report`` rows and the GPT-4 reference are not candidates).

    >>> select([{"metrics": {"score": .4}}, {"metrics": {"score": .5}, "reported": True}])["metrics"]
    {'score': 0.4}
    """
    candidates = [r for r in rows if not r.get("reported") and not r.get("reference")]
    if not candidates:
        raise ValueError("no candidate rows to select from: pass --model or --wise (--report rows are not candidates)")
    return max(candidates, key=lambda r: r["metrics"]["score"])


def render_table(rows: list[dict[str, Any]], selected: dict[str, Any]) -> str:
    head = "| model | label side | " + " | ".join(c[1] for c in COLUMNS) + " | unseen mean | score |"
    lines = [head, "|---|---|" + "---:|" * (len(COLUMNS) + 2)]
    for r in sorted(rows, key=lambda r: -r["metrics"].get("score", 9.0)):
        m = r["metrics"]
        mark = " **(selected)**" if r is selected else " (reported, not a candidate)" if r.get("reported") else ""
        cells = " | ".join(f"{m[k]:.3f}" if k in m else "–" for k, _ in COLUMNS + [("unseen_mean", ""), ("score", "")])
        lines.append(f"| {r['model']}{mark} | {r['label_side']} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.select_recipe", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("SENTENCE_EMO_DATA_DIR", "../shared/data"))
    parser.add_argument("--work", default="runs/select", help="embedding cache and WiSE-FT models (not committed)")
    parser.add_argument("--model", nargs=2, action="append", metavar=("NAME", "DIR"), default=[],
                        help="a candidate model dir (repeatable)")
    parser.add_argument("--wise", nargs=3, action="append", metavar=("NAME", "DIR", "BASE"), default=[],
                        help="a trained student and its base: adds WiSE-FT interpolations at --alphas")
    parser.add_argument("--report", nargs=2, action="append", metavar=("NAME", "DIR"), default=[],
                        help="a model scored and shown like the candidates but not eligible for selection (e.g. another "
                             "base encoder trained with the selected recipe; repeatable)")
    parser.add_argument("--alphas", type=float, nargs="+", default=[0.5])
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    from sentence_emo.models import resolve_base_model

    data_dir, work = Path(args.data_dir), Path(args.work)
    if os.environ.get("HF_HUB_OFFLINE") == "1":  # fail before minutes of loading, naming the bad folder
        for name, path in [(n, p) for n, p in args.model + args.report] + [(n, p) for n, p, _ in args.wise]:
            if not Path(resolve_base_model(path)).exists():
                parser.error(f"{name}: no model folder {path!r} (offline); train it first, e.g. "
                             "'python -m benchmarks.recipe_candidates NAME'")
    started = time.perf_counter()
    sets = load_validation_sets(data_dir)
    candidates = [(name, resolve_base_model(path)) for name, path in args.model]
    for name, path, base in args.wise:
        candidates.append((name, path))
        for alpha in args.alphas:
            out = wise_ft(Path(path), resolve_base_model(base), alpha, work / "wise" / f"{name}-a{alpha:g}")
            candidates.append((f"{name} WiSE-FT a={alpha:g}", str(out)))
    rows: list[dict[str, Any]] = []
    for name, path in candidates:
        rows.extend(evaluate_model(name, path, sets, work))
        logger.info("%s done", name)
    for name, path in args.report:
        rows.extend({**row, "reported": True} for row in evaluate_model(name, resolve_base_model(path), sets, work))
        logger.info("%s done (reported)", name)
    selected = select(rows)
    rows.append(gpt4_row(sets))
    table = render_table(rows, selected)
    meta = {"command": "python -m benchmarks.select_recipe " + shlex.join(sys.argv[1:] if argv is None else argv),
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
            "git_commit": git_commit()["commit"], "criterion": "mean of " + ", ".join(SCORED),
            "wall_seconds": time.perf_counter() - started,
            "sets": {k: {"rows": len(ds), "labels": len(ds.labels) if ds.task != "regression" else None}
                     for k, ds in sets.sets.items()},
            "selected": {k: selected[k] for k in ("model", "label_side", "template", "centering", "proto_k", "with_name")}}
    write_results(args.results_dir, "recipe_selection", meta, rows, table)
    if args.update_readme:
        replace_readme_block(README_START, README_END,
                             f"_Generated by `{meta['command']}` on {meta['date'][:10]} (commit "
                             f"`{meta['git_commit'][:12]}`); selection score = {meta['criterion']}._\n\n{table}",
                             readme=ROOT / "README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
