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
import hashlib
import json
import logging
import math
import os
import shutil
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sentence_emo.atomic import atomic_write
from sentence_emo.files import CENTERING_FILE, CENTERING_INFO_FILE, LABEL_CALIBRATION_FILE

logger = logging.getLogger(__name__)

FORMAT = "sentence-emo/label-calibration"
FORMAT_VERSION = 1
#: label names treated as "no emotion" by the default rule's fallback (compared case-insensitively)
NEUTRAL_NAMES = ("neutral", "no emotion", "none")
#: the taxonomy families used as candidate labels (same words as the training taxonomy term)
FAMILY_WORDS = ("joy", "love", "surprise", "anger", "sadness", "fear", "disgust", "trust", "anticipation",
                "shame", "guilt")

_DATA = Path(__file__).resolve().parent / "data" / "llm_descriptors"
DEFAULT_FIT_CORPUS = _DATA / "data" / "validation-00000-of-00001.parquet"
DEFAULT_CENTERING_CORPUS = _DATA / "data" / "train-00000-of-00001.parquet"
#: the shipped corpus's taxonomy config (:func:`sentence_emo.corpus.load_taxonomy`)
DEFAULT_TAXONOMY = "llm-descriptors"


def neutral_index(names: Sequence[str]) -> int | None:
    """Index of the first neutral-like label (``neutral``, ``no emotion``, ``none``), or None."""
    for j, name in enumerate(names):
        if name.strip().casefold() in NEUTRAL_NAMES:
            return j
    return None


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0)))


@dataclass(frozen=True)
class LabelCalibration:
    """``p = sigmoid(scale * cos + bias)`` per label, plus the default multi-label decision rule."""

    scale: float
    bias: float
    threshold: float = 0.5
    margin: float = -1.0  # cosine units; < 0 disables the relative-to-best part
    min_probability: float = 0.0
    #: how the similarities were computed when this was fitted (the predictor must use the same)
    centering: bool = False
    template: str | tuple[str, ...] | None = None
    #: prototype expansion (:class:`~sentence_emo.zero_shot.EmotionZeroShot` ``prototypes``); None = unknown (old files)
    prototypes: int | None = None
    method: str = "platt"
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)
    fit_quality: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for name in ("scale", "bias", "threshold", "margin", "min_probability"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"label calibration {name} must be a finite number, got {value!r}")
        if self.scale <= 0:
            raise ValueError(f"label calibration scale must be > 0 (probability rises with cosine), got {self.scale!r}")
        if not 0.0 <= self.threshold <= 1.0 + 1e-9 or not 0.0 <= self.min_probability <= 1.0:
            raise ValueError(f"threshold and min_probability are probabilities in [0, 1], got {self.threshold!r} "
                             f"and {self.min_probability!r}")

    # -- scores and decisions --------------------------------------------------------------------
    def probabilities(self, similarities: Any) -> np.ndarray:
        """Per-label probability that the label applies; independent of the other labels."""
        return _sigmoid(np.asarray(similarities, dtype=np.float64) * self.scale + self.bias)

    def decide(self, similarities: Any, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(keep (n, L) bool, low_confidence (n,) bool)`` under the default rule (see module doc)."""
        sims = np.asarray(similarities, dtype=np.float64)
        if sims.ndim != 2 or sims.shape[1] != len(names):
            raise ValueError(f"similarities must be (texts x {len(names)} labels), got shape {sims.shape}")
        return apply_rule(sims, self.probabilities(sims), self.threshold, self.margin, self.min_probability,
                          neutral_index(names))

    def cosine_at(self, p: float) -> float:
        """The cosine at which the probability equals ``p``."""
        return (math.log(p / (1.0 - p)) - self.bias) / self.scale

    # -- files -----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "method": data.pop("method"),
            "probability": {"formula": "sigmoid(scale * cos + bias)", "scale": self.scale, "bias": self.bias,
                            "cosine_at_p_0.5": -self.bias / self.scale},
            "decision_rule": {
                "formula": "keep j iff p_j >= threshold or (cos_best - cos_j <= margin and p_j >= min_probability); "
                           "nothing kept -> neutral label if the set has one, else the best label (low_confidence)",
                "threshold": self.threshold, "margin": self.margin, "min_probability": self.min_probability,
                "neutral_names": list(NEUTRAL_NAMES),
            },
            "similarity": {"measure": "cosine", "centering": self.centering,
                           "template": list(self.template) if isinstance(self.template, tuple) else self.template,
                           "prototypes": self.prototypes},
            "provenance": self.provenance,
            "fit_quality": self.fit_quality,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "<dict>") -> LabelCalibration:
        if data.get("format") != FORMAT:
            raise ValueError(f"{where}: not a sentence-emo label calibration file (format={data.get('format')!r})")
        if int(data.get("format_version", 1)) > FORMAT_VERSION:
            raise ValueError(f"{where}: label calibration format_version {data['format_version']} is newer than this "
                             f"sentence-emo understands ({FORMAT_VERSION}); upgrade sentence-emo")
        try:
            prob, rule, sim = data["probability"], data["decision_rule"], data.get("similarity", {})
            return cls(scale=float(prob["scale"]), bias=float(prob["bias"]), threshold=float(rule["threshold"]),
                       margin=float(rule["margin"]), min_probability=float(rule.get("min_probability", 0.0)),
                       centering=bool(sim.get("centering", False)),
                       template=tuple(sim["template"]) if isinstance(sim.get("template"), list) else sim.get("template"),
                       prototypes=None if sim.get("prototypes") is None else int(sim["prototypes"]),
                       method=str(data.get("method", "platt")), provenance=dict(data.get("provenance") or {}),
                       fit_quality=dict(data.get("fit_quality") or {}))
        except KeyError as exc:
            raise ValueError(f"{where}: label calibration file lacks field {exc.args[0]!r}; refit it with "
                             f"'sentence-emo calibrate MODEL --force'") from exc

    def save(self, directory: str | os.PathLike[str]) -> Path:
        path = Path(directory) / LABEL_CALIBRATION_FILE
        atomic_write(path, json.dumps(self.to_dict(), indent=2) + "\n")
        return path

    @classmethod
    def load(cls, model_path: str | os.PathLike[str], *, revision: str | None = None,
             token: str | bool | None = None) -> LabelCalibration | None:
        """Read ``emotion_label_calibration.json`` from a model dir or Hub repo; None when it has none."""
        path = optional_model_file(model_path, LABEL_CALIBRATION_FILE, revision=revision, token=token)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: invalid JSON ({exc.msg}); refit with 'sentence-emo calibrate MODEL --force'") \
                from exc
        return cls.from_dict(data, where=str(path))


def apply_rule(sims: np.ndarray, probs: np.ndarray, threshold: float, margin: float, min_probability: float,
               neutral: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The default rule on precomputed probabilities (see the module doc)."""
    keep = probs >= threshold
    if margin >= 0:
        keep |= ((sims.max(axis=1, keepdims=True) - sims) <= margin) & (probs >= min_probability)
    low = np.zeros(len(sims), dtype=bool)
    empty = np.flatnonzero(~keep.any(axis=1))
    if empty.size:
        if neutral is not None:
            keep[empty, neutral] = True
        else:
            keep[empty, sims[empty].argmax(axis=1)] = True
            low[empty] = True
    return keep, low


def optional_model_file(model_path: str | os.PathLike[str], filename: str, *, revision: str | None = None,
                        token: str | bool | None = None) -> Path | None:
    """``model_path/filename`` for a local dir, or the Hub copy; None when the model has no such file."""
    local = Path(model_path)
    if local.is_dir():
        path = local / filename
        return path if path.is_file() else None
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError, LocalEntryNotFoundError

    try:
        return Path(hf_hub_download(str(model_path), filename, revision=revision, token=token))
    except EntryNotFoundError:
        return None
    except LocalEntryNotFoundError:
        logger.warning("could not fetch %s for %s (offline?)", filename, model_path)
        return None


def load_centering(model_path: str | os.PathLike[str], *, revision: str | None = None,
                   token: str | bool | None = None) -> np.ndarray | None:
    """The stored mean text embedding (``emotion_centering.npy``), or None."""
    path = optional_model_file(model_path, CENTERING_FILE, revision=revision, token=token)
    if path is None:
        return None
    vector = np.load(path)
    if vector.ndim != 1 or not np.all(np.isfinite(vector)):
        raise ValueError(f"{path}: expected a finite 1-D mean embedding, got shape {vector.shape}; refit with "
                         f"'sentence-emo calibrate MODEL --force'")
    return vector.astype(np.float32)


# -- fitting --------------------------------------------------------------------------------------
def fit_platt(x: np.ndarray, y: np.ndarray, *, iterations: int = 100) -> tuple[float, float]:
    """Logistic regression ``y ~ sigmoid(a * x + c)`` by Newton's method, with Platt's smoothed targets.

    >>> rng = np.random.default_rng(0); x = rng.normal(size=5000)
    >>> a, c = fit_platt(x, (rng.random(5000) < 1 / (1 + np.exp(-(4 * x - 1)))).astype(float))
    >>> round(a), round(c)
    (4, -1)
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    n_pos, n_neg = float(y.sum()), float(len(y) - y.sum())
    if n_pos == 0 or n_neg == 0:
        raise ValueError(f"Platt scaling needs positive and negative examples, got {n_pos:.0f} positives and "
                         f"{n_neg:.0f} negatives; use more texts or more candidate labels")
    target = np.where(y > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, c = 1.0, math.log((n_pos + 1) / (n_neg + 1))
    for _ in range(iterations):
        p = _sigmoid(a * x + c)
        g = np.array([np.dot(p - target, x), np.sum(p - target)])
        w = p * (1 - p) + 1e-12
        h = np.array([[np.dot(w, x * x), np.dot(w, x)], [np.dot(w, x), w.sum()]]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, c = a - step[0], c - step[1]
        if np.abs(step).max() < 1e-10:
            break
    return float(a), float(c)


def expected_calibration_error(probs: np.ndarray, gold: np.ndarray, n_bins: int = 15) -> tuple[float, list[dict]]:
    """ECE over all (text, label) pairs with equal-width bins; returns ``(ece, bins)`` for a reliability diagram.

    >>> round(expected_calibration_error(np.array([0.1, 0.9]), np.array([0, 1]))[0], 3)
    0.1
    """
    p = np.asarray(probs, dtype=np.float64).ravel()
    g = np.asarray(gold, dtype=np.float64).ravel()
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, n_bins - 1)
    ece, bins = 0.0, []
    for b in range(n_bins):
        sel = idx == b
        count = int(sel.sum())
        if not count:
            continue
        conf, acc = float(p[sel].mean()), float(g[sel].mean())
        ece += count / len(p) * abs(conf - acc)
        bins.append({"lo": float(edges[b]), "hi": float(edges[b + 1]), "count": count, "confidence": conf,
                     "frequency": acc})
    return float(ece), bins


def _auc(scores: np.ndarray, gold: np.ndarray) -> float:
    s, g = np.asarray(scores).ravel(), np.asarray(gold).ravel().astype(bool)
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    ranks[order] = np.arange(1, len(s) + 1)
    n_pos, n_neg = g.sum(), (~g).sum()
    if not n_pos or not n_neg:
        return float("nan")
    return float((ranks[g].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _f1s_stack(pred: np.ndarray, gold: np.ndarray, min_support: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_f1s` for a stack of decisions ``(T, n, L)`` against one gold ``(n, L)``; arrays of shape (T,)."""
    hit = pred & gold[None]
    tp = np.count_nonzero(hit, axis=1)
    n_gold = np.count_nonzero(gold, axis=0)
    denom = np.count_nonzero(pred, axis=1) + n_gold[None]
    f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
    support = n_gold >= min_support
    macro = f1[:, support].mean(axis=1) if support.any() else np.zeros(len(pred))
    tp_r = np.count_nonzero(hit, axis=2)
    denom_r = np.count_nonzero(pred, axis=2) + np.count_nonzero(gold, axis=1)[None]
    sample = np.where(denom_r > 0, 2 * tp_r / np.maximum(denom_r, 1), 1.0).mean(axis=1)
    return macro, sample


@dataclass
class RuleSearch:
    """Grid and label-set simulation for :func:`fit_decision_rule`."""

    episodes: int = 48
    min_labels: int = 6
    max_labels: int = 28
    neutral_share: float = 0.5
    min_support: int = 3
    margins: tuple[float, ...] = (-1.0, 0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.10, 0.12, 0.15)
    n_thresholds: int = 40
    n_min_probabilities: int = 6
    seed: int = 0


def fit_decision_rule(sims: np.ndarray, gold: np.ndarray, names: Sequence[str], cal_scale: float, cal_bias: float,
                      search: RuleSearch | None = None) -> tuple[dict[str, float], dict[str, Any]]:
    """Choose ``threshold``, ``margin``, ``min_probability`` maximising (macro-F1 + sample-F1) / 2 over
    simulated label sets (random subsets of the candidate labels); texts with no gold label in a set
    are left out of that set's score, as in benchmarks where annotators pick from the given labels."""
    search = search or RuleSearch()
    rng = np.random.default_rng(search.seed)
    probs = _sigmoid(sims * cal_scale + cal_bias)
    neutral = neutral_index(names)
    others = np.array([j for j in range(len(names)) if j != neutral])
    hi = min(search.max_labels, len(others))
    lo = min(search.min_labels, hi)
    episodes = []
    for _ in range(search.episodes):
        k = int(rng.integers(lo, hi + 1))
        cols = list(rng.choice(others, size=k, replace=False))
        if neutral is not None and rng.random() < search.neutral_share:
            cols.append(neutral)
        cols = np.array(cols)
        rows = np.flatnonzero(gold[:, cols].any(axis=1))
        if len(rows) < 10:
            continue
        sub_neutral = int(np.flatnonzero(cols == neutral)[0]) if neutral is not None and neutral in cols else None
        episodes.append((sims[np.ix_(rows, cols)], probs[np.ix_(rows, cols)], gold[np.ix_(rows, cols)], sub_neutral))
    if not episodes:
        raise ValueError("no simulated label set had 10 texts with a gold label; use more texts or candidate labels")
    pos_probs = probs[gold]
    thresholds = np.unique(np.concatenate([np.quantile(pos_probs, np.linspace(0.02, 0.98, search.n_thresholds)),
                                           [0.5, 1.0 + 1e-9]]))
    min_probs = np.unique(np.concatenate([[0.0], np.quantile(pos_probs, np.linspace(0.0, 0.5, search.n_min_probabilities))]))
    results: dict[tuple[float, float, float], list[tuple[float, float, float]]] = {}
    for s, p, g, nj in episodes:
        delta = s.max(axis=1, keepdims=True) - s
        best = s.argmax(axis=1)
        above = p[None] >= thresholds[:, None, None]  # (T, n, K)
        for m in search.margins:
            for f in (min_probs if m >= 0 else [0.0]):
                near = (delta <= m) & (p >= f) if m >= 0 else np.zeros_like(p, dtype=bool)
                keep = above | near[None]
                empty = ~keep.any(axis=2)  # (T, n)
                if empty.any():
                    ti, ri = np.nonzero(empty)
                    keep[ti, ri, nj if nj is not None else best[ri]] = True
                macro, sample = _f1s_stack(keep, g, search.min_support)
                covered = keep.any(axis=2).mean(axis=1)
                for ti, t in enumerate(thresholds):
                    results.setdefault((float(t), float(m), float(f)), []).append(
                        (float(macro[ti]), float(sample[ti]), float(covered[ti])))
    scored = {key: np.mean(np.array(v), axis=0) for key, v in results.items()}
    best_key = max(scored, key=lambda k: (scored[k][0] + scored[k][1]) / 2)
    t, m, f = best_key
    macro, sample, _ = scored[best_key]
    pure = max((k for k in scored if k[1] < 0), key=lambda k: (scored[k][0] + scored[k][1]) / 2)
    report = {"objective": "mean of macro-F1 and sample-F1 against the teacher's descriptors, averaged over "
                           "simulated label sets",
              "episodes": len(episodes), "label_set_sizes": [lo, hi], "neutral_share": search.neutral_share,
              "teacher_macro_f1": float(macro), "teacher_sample_f1": float(sample),
              "best_threshold_only_rule": {"threshold": pure[0], "teacher_macro_f1": float(scored[pure][0]),
                                           "teacher_sample_f1": float(scored[pure][1])},
              "p_0_5_rule": _nearest_report(scored, 0.5)}
    return {"threshold": float(t), "margin": float(m), "min_probability": float(f)}, report


def _nearest_report(scored: Mapping[tuple[float, float, float], np.ndarray], p: float) -> dict[str, float]:
    key = (p, -1.0, 0.0)
    if key not in scored:
        return {}
    return {"threshold": p, "teacher_macro_f1": float(scored[key][0]), "teacher_sample_f1": float(scored[key][1])}


# -- teacher data ---------------------------------------------------------------------------------
def load_taxonomy(path: str | os.PathLike[str] | None) -> dict[str, list[str]]:
    """``descriptor -> families`` from a taxonomy (shipped name, JSONL/Parquet file or dataset folder); {} for None."""
    if path is None:
        return {}
    from sentence_emo.data_collator import load_taxonomy_file

    return {d: [f for f in (row.get("families") or []) if isinstance(f, str)]
            for d, row in load_taxonomy_file(path).items()}


def candidate_labels(descriptor_lists: Sequence[Sequence[str]], taxonomy: Mapping[str, Sequence[str]], *,
                     max_descriptors: int = 150, min_count: int = 3) -> list[str]:
    """The frequent single-word descriptors (plus ``neutral``) and the taxonomy families present."""
    counts = Counter(d for ds in descriptor_lists for d in ds if " " not in d)
    words = [d for d, n in counts.most_common() if n >= min_count][:max_descriptors]
    families = sorted({f for fams in taxonomy.values() for f in fams} & set(FAMILY_WORDS)) if taxonomy else []
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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _describe_source(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(__file__).resolve().parents[1]))
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
    """Options of ``sentence-emo calibrate``."""

    model: str
    corpus: str | None = None
    exclude_texts: Sequence[str] = ()
    taxonomy: str | None = None
    centering: bool | None = None
    centering_corpus: str | None = None
    centering_texts: int = 2000
    template: str | tuple[str, ...] | None = None
    prototypes: int | None = None
    max_descriptors: int = 150
    force: bool = False
    seed: int = 0
    batch_size: int = 64
    search: RuleSearch = field(default_factory=RuleSearch)


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
        heldout_p[test_rows] = _sigmoid(a_half * sims[test_rows] + c_half)
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
    provenance = {"corpus": _describe_source(corpus), "corpus_sha256": _sha256(corpus), "texts": len(texts),
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
    config = CalibrateConfig(model=args.model, corpus=args.corpus, taxonomy=args.taxonomy, centering=args.centering,
                             centering_corpus=args.centering_corpus, template=args.template, prototypes=args.prototypes, force=args.force,
                             seed=args.seed)
    cal = calibrate_model(config)
    q = cal.fit_quality
    print(f"wrote {Path(args.model) / LABEL_CALIBRATION_FILE}: p = sigmoid({cal.scale:.2f} * cos {cal.bias:+.2f}); "
          f"rule: p >= {cal.threshold:.3f} or within {cal.margin:.3f} cos of the best label (p >= "
          f"{cal.min_probability:.3f}); teacher macro-F1 {q['decision_rule']['teacher_macro_f1']:.3f}, "
          f"held-out ECE {q['heldout_ece']:.3f} on {cal.provenance['texts']} texts")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "calibrate", help="fit label probabilities and the default decision rule on held-out teacher texts",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="local model directory (the files are written into it)")
    parser.add_argument("--corpus", help="held-out teacher texts with descriptors (default: the validation split "
                                         "of the shipped LLM descriptor corpus)")
    parser.add_argument("--taxonomy", help="taxonomy JSONL (descriptor -> families); 'none' to use descriptors only")
    parser.add_argument("--centering", dest="centering", action="store_const", const=True,
                        help="subtract the mean text embedding before the cosine (default: the module setting)")
    parser.add_argument("--no-centering", dest="centering", action="store_const", const=False)
    parser.add_argument("--centering-corpus", help="texts for the mean embedding (default: shipped train split)")
    parser.add_argument("--template", help="label template used when fitting, e.g. 'This text expresses {}.' "
                        "(default: the recipe's ensemble of the name and 'I feel {}.')")
    parser.add_argument("--prototypes", type=int, help="prototype expansion: k nearest corpus descriptors added to "
                        "each label (default: the recipe's 5; 0 = off)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="refit an existing file (kept as .bak)")
    parser.set_defaults(func=_run)
