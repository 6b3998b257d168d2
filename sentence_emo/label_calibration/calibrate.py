"""Label-membership calibration: "does this emotion word apply to this text?", learnt from teacher data only.

The training-time calibration (:mod:`sentence_emo.calibration`, ``sigmoid(s * cos + b)``) answers
"is this one of the text's ~2 descriptors among the hundreds in a training batch?", so a fitting
label name rarely reaches 0.5. This module fits, after training, what a user needs instead:

1. **Probability** ``p = sigmoid(a * cos + c)`` (Platt scaling) that an emotion word applies to a
   text, fitted on held-out teacher texts: candidate labels are the corpus's frequent descriptors
   and the taxonomy families, positives are the text's own descriptors (and their families). It is
   per label: one label's probability never depends on the other labels.
2. **Default decision rule**, chosen on the same texts by simulating label sets (random sets of 6-28
   candidate words, half of them with ``neutral``) and maximising the mean of macro-F1 and
   sample-F1 against the teacher's descriptors::

       keep label j  iff  p_j >= threshold
                      or (cos_best - cos_j <= margin and p_j >= min_probability)

   then, for a text with no label kept: ``neutral`` if the label set has it, else the best label,
   flagged ``low_confidence``. The margin part is label-set aware on purpose: positives are rare
   among candidate words, so the F1-optimal probability threshold is low (about F1*/2) and a fixed
   threshold either floods texts or leaves them empty; "close to this text's best label" adapts to
   how strongly the text is emotional.

Stored in ``emotion_label_calibration.json`` beside (not instead of) ``emotion_calibration.json``,
with its provenance (texts, candidate labels, fit method) and fit quality (held-out log-loss,
ECE, AUC, teacher F1). ``emotion_centering.npy`` (+ ``emotion_centering.json``) holds the mean text
embedding that ``centering=True`` subtracts before the cosine.

>>> cal = LabelCalibration(scale=10.0, bias=-5.0, threshold=0.5, margin=0.05, min_probability=0.1)
>>> mask, low = cal.decide(np.array([[0.62, 0.58, 0.1], [0.2, 0.1, 0.05]]), ["joy", "anger", "fear"])
>>> mask.astype(int).tolist(), low.tolist()
([[1, 1, 0], [1, 0, 0]], [False, True])
>>> cal.decide(np.array([[0.2, 0.1, 0.05]]), ["joy", "anger", "Neutral"])[0].astype(int).tolist()
[[0, 0, 1]]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import shutil
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit
from transformers.hf_argparser import HfArg

from sentence_emo.atomic import atomic_write
from sentence_emo.corpus import TAXONOMY_FAMILIES
from sentence_emo.files import CENTERING_FILE, CENTERING_INFO_FILE, LABEL_CALIBRATION_FILE, sha256_file
from sentence_emo.label_calibration.fitting import (RuleSearch, _auc, expected_calibration_error, fit_decision_rule,
                                                    fit_platt)
from sentence_emo.label_calibration.rule import LabelCalibration

logger = logging.getLogger(__name__)

_DATA = Path(__file__).resolve().parents[1] / "data" / "llm_descriptors"
DEFAULT_FIT_CORPUS = _DATA / "data" / "validation-00000-of-00001.parquet"
DEFAULT_CENTERING_CORPUS = _DATA / "data" / "train-00000-of-00001.parquet"
#: the shipped corpus's taxonomy config (:func:`sentence_emo.corpus.load_taxonomy`)
DEFAULT_TAXONOMY = "llm-descriptors"


# -- teacher data ---------------------------------------------------------------------------------
def load_taxonomy(path: str | os.PathLike[str] | None) -> dict[str, list[str]]:
    """``descriptor -> families`` from a taxonomy (shipped name, JSONL/Parquet file or dataset folder); {} for None."""
    if path is None:
        return {}
    from sentence_emo.corpus import load_taxonomy as load_taxonomy_records

    return {d: [f for f in (row.get("families") or []) if isinstance(f, str)]
            for d, row in load_taxonomy_records(path).items()}


def candidate_labels(descriptor_lists: Sequence[Sequence[str]], taxonomy: Mapping[str, Sequence[str]], *,
                     max_descriptors: int = 150, min_count: int = 3) -> list[str]:
    """The frequent single-word descriptors (plus ``neutral``) and the taxonomy families present."""
    counts = Counter(d for ds in descriptor_lists for d in ds if " " not in d)
    words = [d for d, n in counts.most_common() if n >= min_count][:max_descriptors]
    families = sorted({f for fams in taxonomy.values() for f in fams} & set(TAXONOMY_FAMILIES)) if taxonomy else []
    return list(dict.fromkeys(words + families))


def teacher_targets(descriptor_lists: Sequence[Sequence[str]], labels: Sequence[str],
                    taxonomy: Mapping[str, Sequence[str]]) -> np.ndarray:
    """Multi-hot ``(texts, labels)``: a label applies when it is one of the text's descriptors, the head
    (last) word of one (``mild amusement`` -> ``amusement``), or a taxonomy family of one."""
    index = {name: j for j, name in enumerate(labels)}
    out = np.zeros((len(descriptor_lists), len(labels)), dtype=bool)
    for i, ds in enumerate(descriptor_lists):
        for d in ds:
            for word in {d, d.split()[-1] if d.split() else d, *taxonomy.get(d, ())}:
                j = index.get(word)
                if j is not None:
                    out[i, j] = True
    return out


def read_descriptor_texts(path: str | os.PathLike[str]) -> tuple[list[str], list[list[str]]]:
    from sentence_emo.corpus import load_corpus

    records = load_corpus([str(path)])
    return [r.text for r in records], [list(r.descriptors) for r in records]


def _describe_source(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(__file__).resolve().parents[2]))
    except ValueError:
        return str(path)


def compute_centering(clf: Any, texts: Sequence[str], *, max_texts: int = 2000, seed: int = 0) -> tuple[np.ndarray, int]:
    """Mean of the (uncentred, normalised) embeddings of up to ``max_texts`` texts."""
    texts = list(texts)
    if len(texts) > max_texts:
        idx = np.sort(np.random.default_rng(seed).choice(len(texts), size=max_texts, replace=False))
        texts = [texts[i] for i in idx]
    emb = clf._encode(texts)
    return emb.mean(axis=0).astype(np.float32), len(texts)


@dataclass
class CalibrateConfig:
    """Options of ``sentence-emo calibrate``: an argument per field but ``exclude_texts``, ``search`` (Python only)."""

    model: str = HfArg(help="local model directory (the files are written into it)", metadata={"positional": True})
    corpus: str | None = HfArg(default=None, help="held-out teacher texts with descriptors (not given: the "
                                                  "validation split of the shipped LLM descriptor corpus)")
    exclude_texts: Sequence[str] = ()  # fit texts to drop, e.g. those seen in training
    taxonomy: str | None = HfArg(default=None, help="taxonomy JSONL (descriptor -> families); 'none' to use "
                                                    "descriptors only (not given: the shipped taxonomy)")
    centering: bool | None = HfArg(default=None, metadata={"switch": True}, help="subtract the mean text embedding "
                                   "before the cosine (not given: the module setting)")
    centering_corpus: str | None = HfArg(default=None, help="texts for the mean embedding (not given: train split)")
    centering_texts: int = HfArg(default=2000, help="at most this many texts averaged for the mean embedding")
    template: str | tuple[str, ...] | None = HfArg(default=None, metadata={"type": list[str]}, help=(
        "label template(s) used when fitting, e.g. 'This text expresses {}.'; several are averaged, e.g. "
        "--template '{}' 'I feel {}.' (not given: the recipe's label side, the name and 'I feel {}.' averaged)"))
    prototypes: int | None = HfArg(default=None, help="prototype expansion: k nearest corpus descriptors added to "
                                                      "each label (not given: the recipe's 5; 0 = off)")
    max_descriptors: int = HfArg(default=150, help="candidate labels: at most this many frequent descriptors")
    force: bool = HfArg(default=False, help="refit an existing file (kept as .bak)")
    seed: int = HfArg(default=0, help="random seed (centering texts, held-out halves, simulated label sets)")
    batch_size: int = HfArg(default=64, help="texts per encoding batch")
    search: RuleSearch = field(default_factory=RuleSearch)  # the decision-rule search


def calibrate_model(config: CalibrateConfig) -> LabelCalibration:
    """Fit and save ``emotion_label_calibration.json`` (and the centering vector) into a local model dir."""
    from sentence_emo.zero_shot import DEFAULT_CENTERING, DEFAULT_LABEL_TEMPLATE, DEFAULT_PROTOTYPES, EmotionZeroShot

    model_dir = Path(config.model)
    if not (model_dir / "modules.json").is_file() and not (model_dir / "config.json").is_file():
        raise FileNotFoundError(f"{model_dir} is not a local model directory; calibrate writes files into the model, "
                                f"so download it first (e.g. huggingface-cli download REPO --local-dir DIR)")
    target = model_dir / LABEL_CALIBRATION_FILE
    if target.exists() and not config.force:
        raise ValueError(f"{target} exists; pass --force to refit it (the old file is kept as {target.name}.bak)")
    corpus = Path(config.corpus) if config.corpus else DEFAULT_FIT_CORPUS
    if not corpus.exists():
        raise FileNotFoundError(f"teacher corpus not found: {corpus}; pass --corpus FILE (held-out texts with "
                                f"descriptors: JSONL/CSV/Parquet)")
    taxonomy_path = config.taxonomy if config.taxonomy is not None else DEFAULT_TAXONOMY
    if taxonomy_path in ("", "none"):
        taxonomy_path = None
    taxonomy = load_taxonomy(taxonomy_path)
    centering = DEFAULT_CENTERING if config.centering is None else bool(config.centering)
    template = config.template if config.template is not None else DEFAULT_LABEL_TEMPLATE
    if template is not None and not isinstance(template, str):  # the command line gives a list
        template = template[0] if len(template) == 1 else tuple(template)

    texts, descriptors = read_descriptor_texts(corpus)
    excluded = set(config.exclude_texts)
    if excluded:
        keep = [i for i, t in enumerate(texts) if t not in excluded]
        logger.info("dropping %d fit texts seen in training", len(texts) - len(keep))
        texts, descriptors = [texts[i] for i in keep], [descriptors[i] for i in keep]
    labels = candidate_labels(descriptors, taxonomy, max_descriptors=config.max_descriptors)
    gold = teacher_targets(descriptors, labels, taxonomy)
    has_gold = gold.any(axis=1)
    texts, descriptors, gold = ([t for t, k in zip(texts, has_gold) if k], [d for d, k in zip(descriptors, has_gold) if k],
                                gold[has_gold])
    if len(texts) < 50 or len(labels) < 8:
        raise ValueError(f"{corpus}: {len(texts)} texts with a candidate label and {len(labels)} candidate labels; "
                         f"label calibration needs at least 50 texts and 8 frequent descriptors")

    clf = EmotionZeroShot.from_pretrained(str(model_dir), centering=False, label_calibration=False,
                                          show_progress_bar=False, batch_size=config.batch_size)
    centering_info: dict[str, Any] | None = None
    if centering or config.centering_corpus:
        source = Path(config.centering_corpus) if config.centering_corpus else (
            DEFAULT_CENTERING_CORPUS if DEFAULT_CENTERING_CORPUS.exists() else corpus)
        mean, n_mean = compute_centering(clf, read_descriptor_texts(source)[0], max_texts=config.centering_texts,
                                         seed=config.seed)
        np.save(model_dir / CENTERING_FILE, mean)
        centering_info = {"texts": n_mean, "source": _describe_source(source), "seed": config.seed,
                          "norm": float(np.linalg.norm(mean)), "file": CENTERING_FILE,
                          "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        atomic_write(model_dir / CENTERING_INFO_FILE, json.dumps(centering_info, indent=2) + "\n")
        clf.centering_vector = mean
    clf.centering = centering
    clf.template = template
    clf.prototypes = prototypes = DEFAULT_PROTOTYPES if config.prototypes is None else int(config.prototypes)

    sims = clf.similarities(texts, labels).astype(np.float64)
    # fit quality on held-out texts: fit on one half, score the other, both ways
    order = np.random.default_rng(config.seed).permutation(len(texts))
    halves = (order[: len(order) // 2], order[len(order) // 2:])
    heldout_p = np.empty_like(sims)
    for fit_rows, test_rows in (halves, halves[::-1]):
        a_half, c_half = fit_platt(sims[fit_rows], gold[fit_rows])
        heldout_p[test_rows] = expit(a_half * sims[test_rows] + c_half)
    eps = 1e-7
    log_loss = float(-np.mean(gold * np.log(heldout_p + eps) + (~gold) * np.log(1 - heldout_p + eps)))
    ece, _ = expected_calibration_error(heldout_p, gold)
    a, c = fit_platt(sims, gold)
    if a <= 0:
        raise ValueError(f"{model_dir}: the cosine does not rise with the teacher's descriptors on {corpus} (Platt slope "
                         f"{a:.3f} <= 0, AUC {_auc(sims, gold):.2f}); is the model trained? Label calibration needs a "
                         f"distilled encoder")
    rule, rule_report = fit_decision_rule(sims, gold, labels, a, c, config.search)
    quality = {"heldout": "2-fold over texts (fit on one half, scored on the other)",
               "heldout_log_loss": log_loss, "heldout_brier": float(np.mean((heldout_p - gold) ** 2)),
               "heldout_ece": ece, "auc": _auc(sims, gold), "positive_rate": float(gold.mean()),
               "decision_rule": rule_report}
    provenance = {"corpus": _describe_source(corpus), "corpus_sha256": sha256_file(corpus), "texts": len(texts),
                  "texts_excluded_as_seen_in_training": len(excluded & set(read_descriptor_texts(corpus)[0]))
                  if excluded else 0,
                  "candidate_labels": labels, "positives": "the text's own descriptors, their head words and taxonomy "
                                                           "families",
                  "taxonomy": _describe_source(Path(taxonomy_path)) if taxonomy_path else None,
                  "centering": centering_info, "human_labels_used": False, "seed": config.seed,
                  "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    try:
        from sentence_emo import __version__

        provenance["sentence_emo_version"] = __version__
    except ImportError:  # pragma: no cover
        pass
    cal = LabelCalibration(scale=a, bias=c, centering=centering, template=template, prototypes=prototypes,
                           method="platt",
                           provenance=provenance, fit_quality=quality, **rule)
    if target.exists():
        shutil.copy2(target, target.with_name(target.name + ".bak"))
    cal.save(model_dir)
    logger.info("label calibration of %s: p = sigmoid(%.2f cos %+.2f), rule %s (teacher macro-F1 %.3f)", model_dir,
                a, c, rule, rule_report["teacher_macro_f1"])
    return cal


# -- CLI ------------------------------------------------------------------------------------------
def _run(args: argparse.Namespace) -> int:
    from sentence_emo.cli import config_from_args

    cal = calibrate_model(config_from_args(CalibrateConfig, args))
    q = cal.fit_quality
    print(f"wrote {Path(args.model) / LABEL_CALIBRATION_FILE}: p = sigmoid({cal.scale:.2f} * cos {cal.bias:+.2f}); "
          f"rule: p >= {cal.threshold:.3f} or within {cal.margin:.3f} cos of the best label (p >= "
          f"{cal.min_probability:.3f}); teacher macro-F1 {q['decision_rule']['teacher_macro_f1']:.3f}, "
          f"held-out ECE {q['heldout_ece']:.3f} on {cal.provenance['texts']} texts")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "calibrate", help="fit label probabilities and the default decision rule on held-out teacher texts",
        description=__doc__, dataclass_types=CalibrateConfig, exclude=("exclude_texts", "search"))
    parser.set_defaults(func=_run)
