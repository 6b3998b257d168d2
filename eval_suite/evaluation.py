"""Evaluate one zero-shot classifier on one dataset under several decision rules.

>>> spec = DatasetSpec(dataset)                                    # doctest: +SKIP
>>> result = evaluate_dataset(EmotionZeroShot.from_pretrained("emo-distill"), spec,
...                           parse_rules("top-1,dev-tuned"))      # doctest: +SKIP
>>> result.metrics["top-1"]["macro_f1"]                            # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eval_suite.data import EvalDataset, ReferencePredictions
from sentence_emo import metrics as F
from eval_suite.rules import DecisionRule, RuleNotApplicable
from sentence_emo.atomic import atomic_path
from sentence_emo.labels import DEFAULT_ANCHORS

logger = logging.getLogger(__name__)


THRESHOLD_FREE = "threshold-free"
ARGMAX = "top-1"
ANCHORS = "anchors"


@dataclass
class DatasetSpec:
    """A dataset to evaluate, plus what its rules need.

    ``tuning``: a multi-label set with the same labels for the ``dev-tuned`` rules (never the test split).
    ``anchors``: ``(positive, negative)`` words for regression sets (default: by ``dataset.dimension``).
    ``reference``: fixed predictions of another system (e.g. GPT-4) reported as their own row.
    """

    dataset: EvalDataset
    tuning: EvalDataset | None = None
    anchors: tuple[Sequence[str], Sequence[str]] | None = None
    reference: ReferencePredictions | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        if self.tuning is not None:
            if self.dataset.task != "multi_label":
                raise ValueError(f"{self.dataset.name}: dev-tuned thresholds apply to multi-label sets only")
            if self.tuning.labels != self.dataset.labels or self.tuning.task != "multi_label":
                raise ValueError(f"the tuning set {self.tuning.display_name} must be multi-label with the same labels "
                                 f"as {self.dataset.display_name}")
        if self.key is None:
            self.key = _slug(self.dataset.display_name)

    def resolved_anchors(self) -> tuple[list[str], list[str]]:
        # one rule for the paper suite and user data: a side given (even empty) replaces that side of the
        # dimension's default anchors (valence for unknown dimensions); a side left out (None) keeps it
        pos, neg = DEFAULT_ANCHORS.get((self.dataset.dimension or "valence").lower(), DEFAULT_ANCHORS["valence"])
        if self.anchors is not None:
            given_pos, given_neg = self.anchors
            pos = pos if given_pos is None else given_pos
            neg = neg if given_neg is None else given_neg
        pos, neg = [str(a).strip() for a in pos if str(a).strip()], [str(a).strip() for a in neg if str(a).strip()]
        if not pos:
            raise ValueError("a regression set needs at least one positive anchor word, e.g. --positive happy,pleased")
        return pos, neg


@dataclass
class DatasetResult:
    """Metrics of one system on one dataset; ``metrics[rule][metric] = value``."""

    key: str
    dataset: str
    split: str | None
    task: str
    system: str
    role: str  # "model" | "baseline" | "reference"
    labels: list[str]
    n_rows: int
    n_total: int
    subsample_seed: int | None
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    rule_notes: dict[str, str] = field(default_factory=dict)
    skipped_rules: dict[str, str] = field(default_factory=dict)
    per_label_f1: dict[str, dict[str, float]] = field(default_factory=dict)
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)  # rule -> {label: cosine} (per-label rules)
    confusion: list[list[int]] | None = None
    primary_rule: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_subsample(self) -> bool:
        return self.n_rows < self.n_total

    def value(self, metric: str, rule: str | None = None) -> float | None:
        """``metric`` under ``rule`` (default: the primary rule, then the threshold-free row)."""
        found = self.rule_for(metric, rule)
        return None if found is None else self.metrics[found][metric]

    def rule_for(self, metric: str, rule: str | None = None) -> str | None:
        for candidate in ([rule] if rule else [self.primary_rule, THRESHOLD_FREE, ANCHORS, ARGMAX]):
            if candidate and metric in self.metrics.get(candidate, {}):
                return candidate
        return None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatasetResult:
        return cls(**data)


# -- embeddings with an on-disk cache ------------------------------------------------------------
class EmbeddingCache:
    """Text embeddings stored as ``<dir>/<model key>/<hash of texts>.npy`` so an interrupted run resumes."""

    def __init__(self, directory: str | os.PathLike[str] | None, model_key: str | None) -> None:
        self.directory = Path(directory) / model_key if directory and model_key else None

    def _path(self, texts: Sequence[str]) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha1("\x1e".join(texts).encode("utf-8")).hexdigest()[:20]
        return self.directory / f"{digest}.npy"

    def get(self, texts: Sequence[str]) -> np.ndarray | None:
        path = self._path(texts)
        if path is None or not path.exists():
            return None
        try:
            emb = np.load(path)
        except (OSError, ValueError):
            logger.warning("ignoring unreadable embedding cache %s", path)
            return None
        return emb if emb.shape[0] == len(texts) else None

    def put(self, texts: Sequence[str], embeddings: np.ndarray) -> None:
        path = self._path(texts)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            np.save(tmp, embeddings)


def model_fingerprint(model_path: str | os.PathLike[str]) -> str:
    """A short key for a model directory: its path plus weight file sizes and mtimes."""
    path = Path(str(model_path))
    parts = [str(path.resolve()) if path.exists() else str(model_path)]
    if path.is_dir():
        for file in sorted(path.rglob("*")):
            if file.suffix in (".safetensors", ".bin", ".json", ".onnx") and file.is_file():
                stat = file.stat()
                parts.append(f"{file.relative_to(path)}:{stat.st_size}:{int(stat.st_mtime)}")
    slug = _slug(path.name or "model")[:40]
    return f"{slug}-{hashlib.sha1('|'.join(parts).encode()).hexdigest()[:12]}"


def encode_texts(clf: Any, texts: Sequence[str], cache: EmbeddingCache | None = None, desc: str = "") -> np.ndarray:
    if cache is not None:
        hit = cache.get(texts)
        if hit is not None:
            logger.info("embeddings of %s loaded from cache (%d texts)", desc or "texts", len(texts))
            return hit
    logger.info("encoding %s (%d texts)", desc or "texts", len(texts))
    emb = clf.encode_texts(list(texts))
    if cache is not None:
        cache.put(texts, emb)
    return emb


# -- the evaluation -------------------------------------------------------------------------------
def evaluate_dataset(clf: Any, spec: DatasetSpec | EvalDataset, rules: Sequence[DecisionRule] = (), *,
                     system: str = "model", role: str = "model", cache: EmbeddingCache | None = None,
                     primary_rule: str | None = None, template: str | None = None) -> DatasetResult:
    """Score ``spec.dataset`` with ``clf`` (an :class:`~sentence_emo.zero_shot.EmotionZeroShot`).

    * multi-label: threshold-free LRAP and macro AUC, then every rule in ``rules`` (rules that
      cannot run, e.g. ``calibrated`` on an uncalibrated encoder, are listed in ``skipped_rules``);
    * single-label: argmax accuracy/macro-F1, confusion matrix, LRAP/AUC of the one-hot gold;
    * regression: Pearson/Spearman of mean cos to positive anchors minus mean cos to negative ones.
    """
    if isinstance(spec, EvalDataset):
        spec = DatasetSpec(spec)
    ds = spec.dataset
    result = _empty_result(spec, system, role, notes=list(ds.notes))
    text_emb = encode_texts(clf, ds.texts, cache, f"{ds.display_name} for {system}")

    if ds.task == "regression":
        positive, negative = spec.resolved_anchors()
        score = clf.score(ds.texts, positive, negative, template, text_embeddings=text_emb)
        scores = F.regression_scores(ds.targets, score)
        dim = ds.dimension or "score"
        result.metrics[ANCHORS] = {f"{dim}_pearson": scores["pearson"], f"{dim}_spearman": scores["spearman"]}
        result.rule_notes[ANCHORS] = (f"mean cos to ({', '.join(positive)})"
                                      + (f" minus mean cos to ({', '.join(negative)})" if negative else ""))
        result.primary_rule = ANCHORS
        return result

    sims = clf.similarities(ds.texts, ds.label_set(), template, text_emb)
    calibration = clf.calibration

    if ds.task == "single_label":
        pred = sims.argmax(axis=1)
        result.metrics[ARGMAX] = F.multiclass_scores(ds.targets, pred, n_labels=len(ds.labels))
        eye = np.eye(len(ds.labels), dtype=np.int8)  # one-hot rows
        onehot = eye[ds.targets]
        result.metrics[ARGMAX].update(F.ranking_scores(onehot, sims))
        result.rule_notes[ARGMAX] = "argmax of cosine similarity (one label per text)"
        result.per_label_f1[ARGMAX] = dict(zip(ds.labels, map(float, F.per_label_f1(onehot, eye[pred]))))
        result.confusion = F.confusion_matrix(ds.targets, pred, len(ds.labels)).tolist()
        result.primary_rule = ARGMAX
        return result

    # multi-label
    result.metrics[THRESHOLD_FREE] = F.ranking_scores(ds.targets, sims)
    result.rule_notes[THRESHOLD_FREE] = "ranking of cosine similarities (no decision rule)"
    tuned: dict[bool, tuple[float, float]] = {}
    per_label: np.ndarray | None = None
    tuning_sims: np.ndarray | None = None
    for rule in rules:
        try:
            threshold = None
            if rule.needs_tuning:
                if spec.tuning is None:
                    raise RuleNotApplicable(f"{rule.name}: no tuning split for {ds.display_name}")
                if tuning_sims is None:
                    tune_emb = encode_texts(clf, spec.tuning.texts, cache,
                                            f"{spec.tuning.display_name} (tuning) for {system}")
                    tuning_sims = clf.similarities(spec.tuning.texts, spec.tuning.label_set(), template, tune_emb)
                # per-label thresholds are tuned without the fallback; labels without a positive in the
                # tuning split get the plain global threshold
                key = False if rule.kind == "dev_tuned_per_label" else rule.at_least_one
                if key not in tuned:
                    tuned[key] = F.tune_threshold(spec.tuning.targets, tuning_sims, at_least_one=key)
                threshold = tuned[key][0]
                if rule.kind == "dev_tuned_per_label":
                    if per_label is None:
                        per_label = F.tune_thresholds_per_label(spec.tuning.targets, tuning_sims, fallback=threshold)
                    threshold = per_label
            decisions = rule.decide(sims, calibration, threshold)
        except RuleNotApplicable as exc:
            result.skipped_rules[rule.name] = str(exc)
            logger.info("%s on %s: rule %s skipped (%s)", system, ds.display_name, rule.name, exc)
            continue
        result.metrics[rule.name] = F.multilabel_scores(ds.targets, decisions)
        result.metrics[rule.name]["labels_per_text"] = float(decisions.sum(axis=1).mean())
        result.per_label_f1[rule.name] = dict(zip(ds.labels, map(float, F.per_label_f1(ds.targets, decisions))))
        if rule.kind == "dev_tuned_per_label":
            result.thresholds[rule.name] = dict(zip(ds.labels, map(float, per_label)))  # type: ignore[arg-type]
            result.rule_notes[rule.name] = _per_label_note(rule, per_label, tuned[False][0], spec.tuning,
                                                           tuning_sims)  # type: ignore[arg-type]
        else:
            result.rule_notes[rule.name] = _rule_note(rule, calibration, threshold,
                                                      tuned.get(rule.at_least_one), spec.tuning)
    result.primary_rule = choose_primary(result, primary_rule)
    return result


def evaluate_reference(spec: DatasetSpec) -> DatasetResult | None:
    """The reference system's row (e.g. GPT-4 zero-shot) on the same rows as ``spec.dataset``."""
    if spec.reference is None:
        return None
    ds = spec.dataset
    ref = spec.reference.align(ds.ids or [])
    result = _empty_result(spec, ref.name, "reference")
    rule = "released labels"
    result.metrics[rule] = F.multilabel_scores(ds.targets, ref.predictions)
    result.metrics[rule]["labels_per_text"] = float(ref.predictions.sum(axis=1).mean())
    result.per_label_f1[rule] = dict(zip(ds.labels, map(float, F.per_label_f1(ds.targets, ref.predictions))))
    result.rule_notes[rule] = f"{ref.rule}; {int(ref.failed.sum())} of {len(ref.failed)} rows failed"
    result.primary_rule = rule
    return result


def _empty_result(spec: DatasetSpec, system: str, role: str, **fields: Any) -> DatasetResult:
    ds = spec.dataset
    return DatasetResult(key=spec.key or _slug(ds.display_name), dataset=ds.name, split=ds.split, task=ds.task,
                         system=system, role=role, labels=list(ds.labels), n_rows=len(ds),
                         n_total=int(ds.n_total or len(ds)), subsample_seed=ds.subsample_seed, **fields)


def choose_primary(result: DatasetResult, preferred: str | None) -> str | None:
    """The rule whose numbers headline a multi-label dataset: ``preferred`` (e.g. ``dev-tuned-per-label``)
    if it ran, else dev-tuned, calibrated, top-1 (in that order). Single-label sets headline top-1,
    regression sets their anchors."""
    for name in ([preferred] if preferred else []) + ["dev-tuned", "calibrated", ARGMAX]:
        if name in result.metrics:
            return name
    ran = [r for r in result.metrics if r != THRESHOLD_FREE]
    return ran[0] if ran else None


def _rule_note(rule: DecisionRule, calibration: Any, threshold: float | None, tuned: tuple[float, float] | None,
               tuning: EvalDataset | None) -> str:
    if rule.kind == "top_k":
        return f"the {rule.k} best label{'s' if rule.k != 1 else ''} per text"
    fallback = "; at least one label per text (argmax fallback)" if rule.at_least_one else ""
    if rule.kind == "dev_tuned" and tuned is not None and tuning is not None:
        prob = ""
        if calibration.trained:
            prob = f" = p {float(calibration.probabilities(np.array([tuned[0]]))[0]):.3f}"
        return (f"cos >= {tuned[0]:.4f}{prob}, maximising macro-F1 ({tuned[1]:.3f}) on {tuning.display_name}, "
                f"{tuning.label_source}, {tuning.describe()}{fallback}")
    cos = rule.cosine_threshold(calibration, threshold)
    p = 0.5 if rule.kind == "calibrated" else rule.threshold
    return (f"p >= {p:g} under the model's calibration (s={calibration.scale:.3g}, b={calibration.bias:.3g}; "
            f"cos >= {cos:.4f}){fallback}")


def _per_label_note(rule: DecisionRule, thresholds: np.ndarray, global_threshold: float, tuning: EvalDataset,
                    tuning_sims: np.ndarray) -> str:
    fallback = "; at least one label per text (argmax fallback)" if rule.at_least_one else ""
    tuned_f1 = float(F.per_label_f1(tuning.targets, tuning_sims >= thresholds).mean())
    missing = [name for name, has in zip(tuning.labels, np.asarray(tuning.targets).any(axis=0)) if not has]
    note = (f"cos >= one threshold per label ({thresholds.min():.4f} to {thresholds.max():.4f}, median "
            f"{float(np.median(thresholds)):.4f}), each maximising that label's F1 on {tuning.display_name}, "
            f"{tuning.label_source}, {tuning.describe()} (macro-F1 there {tuned_f1:.3f})")
    if missing:
        note += (f"; {len(missing)} label{'s' if len(missing) != 1 else ''} without a positive there "
                 f"({', '.join(missing[:6])}{', ...' if len(missing) > 6 else ''}) use the global dev-tuned "
                 f"cos >= {global_threshold:.4f}")
    return note + fallback


def _slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-") or "dataset"
