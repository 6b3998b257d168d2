"""Emotion-recognition metrics: scikit-learn/scipy calls behind input checks, plus threshold tuning.

The one copy of the headline metrics (macro-F1 of thresholded decisions, LRAP, Pearson/Spearman):
the training-time evaluator (:mod:`sentence_emo.evaluation`), the eval suite
(:mod:`eval_suite.evaluation`) and the ``evaluate`` module (``eval_suite/metrics/emotion_metrics``)
all call these, so a number logged in training, in a report and from
``evaluate.load(...).compute(...)`` comes from the same code. The math is scikit-learn's and scipy's;
this module only fixes the conventions and turns bad input into a ValueError naming the problem:

* F1 of a label with neither gold nor predicted positives is ``zero_division`` (default 0.0);
  macro = unweighted mean over labels, weighted = mean weighted by gold support, micro = F1 of
  the pooled counts (``sklearn.metrics.f1_score``).
* Sample Jaccard is SemEval-2018 E-c's official "accuracy": mean over texts of
  ``|gold ∩ pred| / |gold ∪ pred|``, a text with no gold and no predicted label scoring 1
  (``jaccard_score(average="samples", zero_division=1)``).
* LRAP counts a text without gold labels as 1.0 (scikit-learn's convention); macro AUC averages
  one-vs-rest ROC AUC over the labels that have both gold positives and negatives.
* Pearson / Spearman are ``scipy.stats.pearsonr`` / ``spearmanr`` (average ranks for ties), NaN
  when a side is constant.

What is new here is the decision-threshold search (:func:`tune_threshold`,
:func:`tune_thresholds_per_label`).

>>> import numpy as np
>>> y_true = np.array([[1, 0, 1], [0, 1, 0]])
>>> y_pred = np.array([[1, 0, 0], [0, 1, 0]])
>>> round(multilabel_scores(y_true, y_pred)["macro_f1"], 4)
0.6667
>>> sample_jaccard(y_true, y_pred)
0.75
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats
from sklearn import metrics as skm

__all__ = [
    "as_indicator",
    "confusion_matrix",
    "label_ranking_average_precision",
    "macro_roc_auc",
    "multiclass_scores",
    "multilabel_scores",
    "pearson",
    "per_label_f1",
    "ranking_scores",
    "regression_scores",
    "sample_jaccard",
    "spearman",
    "tune_threshold",
    "tune_thresholds_per_label",
]


# -- input checks ---------------------------------------------------------------------------------
def as_indicator(y: object, name: str = "y") -> np.ndarray:
    """A 2-D 0/1 matrix ``(n_texts, n_labels)`` as a boolean array, or a ValueError naming ``name``."""
    arr = np.asarray(y)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D 0/1 matrix (texts x labels), got shape {arr.shape}")
    if arr.dtype != bool:
        if not np.issubdtype(arr.dtype, np.number):
            raise ValueError(f"{name} must hold 0/1 values, got dtype {arr.dtype}")
        bad = ~np.isin(arr, (0, 1))
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ValueError(f"{name} must hold only 0/1 values; row {i}, column {j} is {arr[i, j]!r}")
    return arr.astype(bool)


def _same_shape(a: np.ndarray, b: np.ndarray, what: str = "predictions and references") -> None:
    if a.shape != b.shape:
        raise ValueError(f"{what} must have the same shape, got {a.shape} and {b.shape}")
    if a.shape[0] == 0:
        raise ValueError(f"{what} are empty; pass at least one text")


def _indicators(y_true: object, y_pred: object) -> tuple[np.ndarray, np.ndarray]:
    t = as_indicator(y_true, "references")
    p = as_indicator(y_pred, "predictions")
    _same_shape(p, t)
    return t, p


def _indicator_and_scores(y_true: object, scores: object) -> tuple[np.ndarray, np.ndarray]:
    t = as_indicator(y_true, "references")
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 2:
        raise ValueError(f"scores must be a 2-D matrix (texts x labels), got shape {s.shape}")
    if not np.isfinite(s).all():
        raise ValueError("scores contain NaN or infinite values; check the model's outputs")
    _same_shape(s, t, "scores and references")
    return t, s


# -- multi-label ----------------------------------------------------------------------------------
def per_label_f1(y_true: object, y_pred: object, zero_division: float = 0.0) -> np.ndarray:
    """F1 of each label (column), shape ``(n_labels,)``."""
    t, p = _indicators(y_true, y_pred)
    return skm.f1_score(t, p, average=None, zero_division=zero_division)


def sample_jaccard(y_true: object, y_pred: object, empty_score: float = 1.0) -> float:
    """Mean per-text Jaccard index; a text with empty gold and empty prediction scores ``empty_score``."""
    t, p = _indicators(y_true, y_pred)
    return float(skm.jaccard_score(t, p, average="samples", zero_division=empty_score))


def multilabel_scores(y_true: object, y_pred: object, zero_division: float = 0.0) -> dict[str, float]:
    """Macro/micro/weighted F1, sample Jaccard and subset accuracy of indicator matrices."""
    t, p = _indicators(y_true, y_pred)
    f1 = {avg: float(skm.f1_score(t, p, average=avg, zero_division=zero_division))
          for avg in ("macro", "micro", "weighted")}
    if not t.any():  # no gold support at all: the support-weighted mean is undefined
        f1["weighted"] = float(zero_division)
    return {
        "macro_f1": f1["macro"],
        "micro_f1": f1["micro"],
        "weighted_f1": f1["weighted"],
        "jaccard": sample_jaccard(t, p),
        "subset_accuracy": float(skm.accuracy_score(t, p)),
    }


# -- single-label ---------------------------------------------------------------------------------
def _as_classes(y: object, n_labels: int | None, name: str) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class indices, got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.number) or not np.all(np.mod(arr, 1) == 0):
            raise ValueError(f"{name} must hold integer class indices, got dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} holds a negative class index {int(arr.min())}")
    if n_labels is not None and arr.size and arr.max() >= n_labels:
        raise ValueError(f"{name} holds class index {int(arr.max())} but there are only {n_labels} labels")
    return arr


def _classes(y_true: object, y_pred: object, n_labels: int | None) -> tuple[np.ndarray, np.ndarray]:
    t = _as_classes(y_true, n_labels, "references")
    p = _as_classes(y_pred, n_labels, "predictions")
    _same_shape(p, t)
    return t, p


def confusion_matrix(y_true: object, y_pred: object, n_labels: int | None = None) -> np.ndarray:
    """``C[i, j]`` = number of texts with gold class ``i`` predicted as ``j`` (classes ``0..n-1``)."""
    t, p = _classes(y_true, y_pred, n_labels)
    n = n_labels if n_labels is not None else int(max(t.max(), p.max())) + 1
    return skm.confusion_matrix(t, p, labels=np.arange(n))


def multiclass_scores(y_true: object, y_pred: object, n_labels: int | None = None,
                      zero_division: float = 0.0) -> dict[str, float]:
    """Accuracy, macro-F1 and weighted F1 of single-label predictions (class indices).

    Labels are ``range(n_labels)`` when given (a label never seen still counts in the macro
    mean), else the classes that occur in gold or predictions (scikit-learn's default).
    """
    t, p = _classes(y_true, y_pred, n_labels)
    labels = None if n_labels is None else np.arange(n_labels)
    return {
        "accuracy": float(skm.accuracy_score(t, p)),
        "macro_f1": float(skm.f1_score(t, p, labels=labels, average="macro", zero_division=zero_division)),
        "weighted_f1": float(skm.f1_score(t, p, labels=labels, average="weighted", zero_division=zero_division)),
    }


# -- regression -----------------------------------------------------------------------------------
def _as_vectors(y_true: object, y_score: object) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(y_true, dtype=np.float64).ravel()
    s = np.asarray(y_score, dtype=np.float64).ravel()
    if t.shape != s.shape:
        raise ValueError(f"predictions and references must have the same length, got {s.shape[0]} and {t.shape[0]}")
    if len(t) < 2:
        raise ValueError(f"a correlation needs at least 2 texts, got {len(t)}")
    if not (np.isfinite(t).all() and np.isfinite(s).all()):
        raise ValueError("predictions and references must be finite numbers (no NaN)")
    return t, s


def _correlation(fn, y_true: object, y_score: object) -> float:
    t, s = _as_vectors(y_true, y_score)
    with warnings.catch_warnings():  # constant input: scipy warns and returns NaN, which is the answer
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        return float(fn(t, s)[0])


def pearson(y_true: object, y_score: object) -> float:
    """Pearson's r (``scipy.stats.pearsonr``); NaN when either side is constant."""
    return _correlation(stats.pearsonr, y_true, y_score)


def spearman(y_true: object, y_score: object) -> float:
    """Spearman's rho (``scipy.stats.spearmanr``, average ranks for ties); NaN when a side is constant."""
    return _correlation(stats.spearmanr, y_true, y_score)


def regression_scores(y_true: object, y_score: object) -> dict[str, float]:
    return {"pearson": pearson(y_true, y_score), "spearman": spearman(y_true, y_score)}


# -- threshold-free ranking metrics ---------------------------------------------------------------
def label_ranking_average_precision(y_true: object, scores: object) -> float:
    """LRAP (``sklearn.metrics.label_ranking_average_precision_score``); texts without gold score 1."""
    t, s = _indicator_and_scores(y_true, scores)
    return float(skm.label_ranking_average_precision_score(t, s))


def macro_roc_auc(y_true: object, scores: object) -> float:
    """Unweighted mean of per-label ROC AUC over labels with both gold positives and negatives (else NaN)."""
    t, s = _indicator_and_scores(y_true, scores)
    n_pos = t.sum(axis=0)
    valid = (n_pos > 0) & (n_pos < len(t))
    if not valid.any():
        return float("nan")
    return float(skm.roc_auc_score(t[:, valid], s[:, valid], average="macro"))


def ranking_scores(y_true: object, scores: object) -> dict[str, float]:
    return {"lrap": label_ranking_average_precision(y_true, scores), "macro_auc": macro_roc_auc(y_true, scores)}


# -- decision threshold ---------------------------------------------------------------------------
def _quantile_grid(scores: np.ndarray, n_candidates: int) -> np.ndarray:
    return np.unique(np.quantile(scores, np.linspace(0.0, 1.0, n_candidates)))


def tune_threshold(y_true: object, scores: object, *, candidates: object | None = None, n_candidates: int = 201,
                   at_least_one: bool = False, zero_division: float = 0.0) -> tuple[float, float]:
    """One global threshold maximising macro-F1 of ``scores >= t``; returns ``(t, macro_f1)``.

    Candidates default to ``n_candidates`` quantiles of the scores, so the search works for
    cosine similarities and probabilities alike. With ``at_least_one`` every text whose scores
    all fall below ``t`` gets its best label. Ties keep the smallest threshold.

    >>> t, f1 = tune_threshold([[1, 0], [0, 1], [1, 0]], [[0.9, 0.2], [0.3, 0.6], [0.7, 0.4]])
    >>> (t > 0.4 and t <= 0.6, f1)
    (True, 1.0)
    """
    t, s = _indicator_and_scores(y_true, scores)
    candidates = _quantile_grid(s, n_candidates) if candidates is None else candidates
    candidates = np.asarray(candidates, dtype=np.float64).ravel()
    if candidates.size == 0:
        raise ValueError("tune_threshold needs at least one candidate threshold")
    best_index = np.zeros_like(t)
    best_index[np.arange(len(s)), s.argmax(axis=1)] = True
    best_t, best_f1 = float(candidates[0]), -1.0
    for cand in candidates:
        pred = s >= cand
        if at_least_one:
            pred = pred | (best_index & ~pred.any(axis=1, keepdims=True))
        f1 = float(skm.f1_score(t, pred, average="macro", zero_division=zero_division))
        if f1 > best_f1 + 1e-12:
            best_t, best_f1 = float(cand), f1
    return best_t, best_f1


def tune_thresholds_per_label(y_true: object, scores: object, *, candidates: object | None = None,
                              n_candidates: int = 201, fallback: float | None = None) -> np.ndarray:
    """One threshold per label, each maximising that label's F1 of ``scores[:, j] >= t``; shape ``(n_labels,)``.

    Candidates default to ``n_candidates`` quantiles of each label's own scores. A label without a
    gold positive has no F1 to maximise; it gets ``fallback`` (default: the global
    :func:`tune_threshold` threshold). Ties keep the smallest threshold. Since the labels are
    tuned independently, macro-F1 on the tuning data is at least that of any single threshold
    among the candidates.

    >>> tune_thresholds_per_label([[1, 0, 0], [0, 1, 0], [1, 1, 0]],
    ...                           [[0.9, 0.2, 0.1], [0.3, 0.6, 0.2], [0.7, 0.4, 0.3]],
    ...                           candidates=[0.25, 0.5, 0.75], fallback=0.6).tolist()
    [0.5, 0.25, 0.6]
    """
    t, s = _indicator_and_scores(y_true, scores)
    grid = None
    if candidates is not None:
        grid = np.unique(np.asarray(candidates, dtype=np.float64).ravel())
        if grid.size == 0:
            raise ValueError("tune_thresholds_per_label needs at least one candidate threshold")
    has_positive = t.any(axis=0)
    thresholds = np.empty(s.shape[1], dtype=np.float64)
    for j in np.flatnonzero(has_positive):
        col, gold = s[:, j], t[:, j]
        cands = grid if grid is not None else _quantile_grid(col, n_candidates)
        pred = col[:, None] >= cands[None, :]  # one column per candidate: F1 of every candidate at once
        f1 = skm.f1_score(np.broadcast_to(gold[:, None], pred.shape), pred, average=None, zero_division=0)
        thresholds[j] = cands[int(np.argmax(f1))]  # first maximum = smallest threshold
    if not has_positive.all():
        if fallback is None:
            fallback = tune_threshold(t, s, candidates=candidates, n_candidates=n_candidates)[0]
        thresholds[~has_positive] = float(fallback)
    return thresholds
