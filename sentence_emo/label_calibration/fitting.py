"""Fitting a label calibration: Platt scaling (:func:`fit_platt`), its quality (ECE, AUC) and the search
for the default decision rule over simulated label sets (:func:`fit_decision_rule`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.metrics import roc_auc_score

from sentence_emo.label_calibration.rule import neutral_index

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
        p = expit(a * x + c)
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
    counts = np.bincount(idx, minlength=n_bins)
    conf, acc = (np.bincount(idx, weights=w, minlength=n_bins) / np.maximum(counts, 1) for w in (p, g))
    ece = float(np.sum(counts / len(p) * np.abs(conf - acc)))
    bins = [{"lo": float(edges[b]), "hi": float(edges[b + 1]), "count": int(counts[b]), "confidence": float(conf[b]),
             "frequency": float(acc[b])} for b in np.flatnonzero(counts)]
    return float(ece), bins


def _auc(scores: np.ndarray, gold: np.ndarray) -> float:
    """ROC AUC over all (text, label) pairs (``sklearn.metrics.roc_auc_score``); NaN without both classes."""
    g = np.asarray(gold).ravel().astype(bool)
    return float(roc_auc_score(g, np.asarray(scores).ravel())) if 0 < g.sum() < g.size else float("nan")


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
    probs = expit(sims * cal_scale + cal_bias)
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
