"""Emotion-recognition metrics as small numpy functions.

Both the library (:mod:`eval_suite.evaluation`) and the ``evaluate`` module
(``eval_suite/metrics/emotion_metrics``) call these, so a number in a report and a number from
``evaluate.load(...).compute(...)`` come from the same code. Conventions follow scikit-learn
(tests compare against it):

* F1 of a label with neither gold nor predicted positives is ``zero_division`` (default 0.0),
  as ``sklearn.metrics.f1_score(..., zero_division=0)``; macro = unweighted mean over labels,
  weighted = mean weighted by gold support, micro = F1 of the pooled counts.
* Sample Jaccard is SemEval-2018 E-c's official "accuracy": mean over texts of
  ``|gold ∩ pred| / |gold ∪ pred|``, a text with no gold and no predicted label scoring 1
  (the official script's ``jaccard_similarity_score``; ``jaccard_score(average="samples",
  zero_division=1)`` in current scikit-learn).
* LRAP counts a text without gold labels as 1.0 (scikit-learn's convention); macro AUC averages
  one-vs-rest ROC AUC over the labels that have both gold positives and negatives.
* Spearman uses average ranks for ties (``scipy.stats.spearmanr``).

>>> import numpy as np
>>> y_true = np.array([[1, 0, 1], [0, 1, 0]])
>>> y_pred = np.array([[1, 0, 0], [0, 1, 0]])
>>> round(multilabel_scores(y_true, y_pred)["macro_f1"], 4)
0.6667
>>> sample_jaccard(y_true, y_pred)
0.75
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "as_indicator",
    "binary_counts",
    "confusion_matrix",
    "f1_from_counts",
    "label_ranking_average_precision",
    "macro_roc_auc",
    "multiclass_scores",
    "multilabel_scores",
    "pearson",
    "per_label_f1",
    "ranking_scores",
    "rankdata",
    "regression_scores",
    "roc_auc",
    "sample_jaccard",
    "spearman",
    "subset_accuracy",
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


def _as_scores(scores: object, name: str = "scores") -> np.ndarray:
    arr = np.asarray(scores, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D matrix (texts x labels), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contain NaN or infinite values; check the model's outputs")
    return arr


# -- counts and F1 --------------------------------------------------------------------------------
def binary_counts(y_true: object, y_pred: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-label ``(tp, fp, fn)`` counts of two indicator matrices."""
    t = as_indicator(y_true, "references")
    p = as_indicator(y_pred, "predictions")
    _same_shape(p, t)
    tp = (t & p).sum(axis=0)
    fp = (~t & p).sum(axis=0)
    fn = (t & ~p).sum(axis=0)
    return tp, fp, fn


def f1_from_counts(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, zero_division: float = 0.0) -> np.ndarray:
    """``2tp / (2tp + fp + fn)`` elementwise; ``zero_division`` where the denominator is 0."""
    tp, fp, fn = (np.asarray(x, dtype=np.float64) for x in (tp, fp, fn))
    denom = 2 * tp + fp + fn
    out = np.full(denom.shape, float(zero_division))
    np.divide(2 * tp, denom, out=out, where=denom > 0)
    return out


def per_label_f1(y_true: object, y_pred: object, zero_division: float = 0.0) -> np.ndarray:
    """F1 of each label (column), shape ``(n_labels,)``."""
    return f1_from_counts(*binary_counts(y_true, y_pred), zero_division=zero_division)


def sample_jaccard(y_true: object, y_pred: object, empty_score: float = 1.0) -> float:
    """Mean per-text Jaccard index; a text with empty gold and empty prediction scores ``empty_score``."""
    t = as_indicator(y_true, "references")
    p = as_indicator(y_pred, "predictions")
    _same_shape(p, t)
    inter = (t & p).sum(axis=1).astype(np.float64)
    union = (t | p).sum(axis=1).astype(np.float64)
    per_text = np.full(len(t), float(empty_score))
    np.divide(inter, union, out=per_text, where=union > 0)
    return float(per_text.mean())


def subset_accuracy(y_true: object, y_pred: object) -> float:
    """Share of texts whose predicted label set equals the gold set exactly."""
    t = as_indicator(y_true, "references")
    p = as_indicator(y_pred, "predictions")
    _same_shape(p, t)
    return float((t == p).all(axis=1).mean())


def multilabel_scores(y_true: object, y_pred: object, zero_division: float = 0.0) -> dict[str, float]:
    """Macro/micro/weighted F1, sample Jaccard and subset accuracy of indicator matrices."""
    tp, fp, fn = binary_counts(y_true, y_pred)
    f1 = f1_from_counts(tp, fp, fn, zero_division)
    support = tp + fn
    weighted = float((f1 * support).sum() / support.sum()) if support.sum() > 0 else float(zero_division)
    micro = float(f1_from_counts(tp.sum(), fp.sum(), fn.sum(), zero_division))
    return {
        "macro_f1": float(f1.mean()),
        "micro_f1": micro,
        "weighted_f1": weighted,
        "jaccard": sample_jaccard(y_true, y_pred),
        "subset_accuracy": subset_accuracy(y_true, y_pred),
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
    return arr.astype(np.int64)


def confusion_matrix(y_true: object, y_pred: object, n_labels: int | None = None) -> np.ndarray:
    """``C[i, j]`` = number of texts with gold class ``i`` predicted as ``j``."""
    t = _as_classes(y_true, n_labels, "references")
    p = _as_classes(y_pred, n_labels, "predictions")
    _same_shape(p, t)
    n = n_labels if n_labels is not None else int(max(t.max(), p.max())) + 1
    out = np.zeros((n, n), dtype=np.int64)
    np.add.at(out, (t, p), 1)
    return out


def multiclass_scores(y_true: object, y_pred: object, n_labels: int | None = None,
                      zero_division: float = 0.0) -> dict[str, float]:
    """Accuracy, macro-F1 and weighted F1 of single-label predictions (class indices).

    Labels are ``range(n_labels)`` when given (a label never seen still counts in the macro
    mean), else the classes that occur in gold or predictions (scikit-learn's default).
    """
    cm = confusion_matrix(y_true, y_pred, n_labels)
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    present = np.ones(len(cm), dtype=bool) if n_labels is not None else (tp + fp + fn) > 0
    f1 = f1_from_counts(tp, fp, fn, zero_division)[present]
    support = (tp + fn)[present]
    return {
        "accuracy": float(tp.sum() / cm.sum()),
        "macro_f1": float(f1.mean()),
        "weighted_f1": float((f1 * support).sum() / support.sum()),
    }


# -- regression -----------------------------------------------------------------------------------
def rankdata(x: object) -> np.ndarray:
    """1-based ranks with ties given their average rank (``scipy.stats.rankdata(method="average")``)."""
    arr = np.asarray(x, dtype=np.float64).ravel()
    order = np.argsort(arr, kind="mergesort")
    sorted_vals = arr[order]
    # start index of each run of equal values
    new_run = np.r_[True, sorted_vals[1:] != sorted_vals[:-1]]
    run_id = np.cumsum(new_run) - 1
    starts = np.flatnonzero(new_run)
    ends = np.r_[starts[1:], len(arr)]
    avg_rank = (starts + ends + 1) / 2.0  # mean of ranks start+1 .. end
    ranks = np.empty(len(arr))
    ranks[order] = avg_rank[run_id]
    return ranks


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


def pearson(y_true: object, y_score: object) -> float:
    """Pearson's r; NaN when either side is constant."""
    t, s = _as_vectors(y_true, y_score)
    t = t - t.mean()
    s = s - s.mean()
    denom = np.sqrt((t * t).sum() * (s * s).sum())
    return float((t * s).sum() / denom) if denom > 0 else float("nan")


def spearman(y_true: object, y_score: object) -> float:
    """Spearman's rho = Pearson's r of average ranks."""
    t, s = _as_vectors(y_true, y_score)
    return pearson(rankdata(t), rankdata(s))


def regression_scores(y_true: object, y_score: object) -> dict[str, float]:
    return {"pearson": pearson(y_true, y_score), "spearman": spearman(y_true, y_score)}


# -- threshold-free ranking metrics ---------------------------------------------------------------
def label_ranking_average_precision(y_true: object, scores: object) -> float:
    """LRAP: for each gold label of a text, the share of labels ranked at or above it that are gold.

    Ties count pessimistically (a label tied with a gold label counts as ranked above it), as in
    ``sklearn.metrics.label_ranking_average_precision_score``; texts with no gold label, or
    with every label gold, score 1.
    """
    t = as_indicator(y_true, "references")
    s = _as_scores(scores)
    _same_shape(s, t.astype(np.float64), "scores and references")
    total = 0.0
    for truth, row in zip(t, s):
        n_pos = int(truth.sum())
        if n_pos == 0 or n_pos == len(truth):
            total += 1.0
            continue
        gold_scores = row[truth]
        # rank among all labels (labels scoring >= the gold label), and among gold labels
        rank_all = (row[None, :] >= gold_scores[:, None]).sum(axis=1)
        rank_gold = (gold_scores[None, :] >= gold_scores[:, None]).sum(axis=1)
        total += float((rank_gold / rank_all).mean())
    return total / len(t)


def roc_auc(y_true: object, score: object) -> float:
    """Binary ROC AUC via the Mann-Whitney statistic (ties count 1/2); NaN with a single class."""
    t = np.asarray(y_true).astype(bool).ravel()
    s = np.asarray(score, dtype=np.float64).ravel()
    n_pos = int(t.sum())
    n_neg = len(t) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(s)
    return float((ranks[t].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def macro_roc_auc(y_true: object, scores: object) -> float:
    """Unweighted mean of per-label ROC AUC over labels with both gold positives and negatives."""
    t = as_indicator(y_true, "references")
    s = _as_scores(scores)
    _same_shape(s, t.astype(np.float64), "scores and references")
    aucs = np.array([roc_auc(t[:, j], s[:, j]) for j in range(t.shape[1])])
    valid = ~np.isnan(aucs)
    return float(aucs[valid].mean()) if valid.any() else float("nan")


def ranking_scores(y_true: object, scores: object) -> dict[str, float]:
    return {"lrap": label_ranking_average_precision(y_true, scores), "macro_auc": macro_roc_auc(y_true, scores)}


# -- decision threshold ---------------------------------------------------------------------------
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
    t = as_indicator(y_true, "references")
    s = _as_scores(scores)
    _same_shape(s, t.astype(np.float64), "scores and references")
    if candidates is None:
        candidates = np.unique(np.quantile(s, np.linspace(0.0, 1.0, n_candidates)))
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
        f1 = float(f1_from_counts(*binary_counts(t, pred), zero_division=zero_division).mean())
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
    t = as_indicator(y_true, "references")
    s = _as_scores(scores)
    _same_shape(s, t.astype(np.float64), "scores and references")
    grid = None
    if candidates is not None:
        grid = np.unique(np.asarray(candidates, dtype=np.float64).ravel())
        if grid.size == 0:
            raise ValueError("tune_thresholds_per_label needs at least one candidate threshold")
    has_positive = t.any(axis=0)
    thresholds = np.empty(s.shape[1], dtype=np.float64)
    for j in np.flatnonzero(has_positive):
        col, gold = s[:, j], t[:, j]
        cands = grid if grid is not None else np.unique(np.quantile(col, np.linspace(0.0, 1.0, n_candidates)))
        pred = col[:, None] >= cands[None, :]
        tp = (pred & gold[:, None]).sum(axis=0)
        f1 = f1_from_counts(tp, pred.sum(axis=0) - tp, gold.sum() - tp)
        thresholds[j] = cands[int(np.argmax(f1))]  # first maximum = smallest threshold
    if not has_positive.all():
        if fallback is None:
            fallback = tune_threshold(t, s, candidates=candidates, n_candidates=n_candidates)[0]
        thresholds[~has_positive] = float(fallback)
    return thresholds
