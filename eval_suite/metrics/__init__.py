"""Emotion metrics: the scikit-learn/scipy functions of :mod:`sentence_emo.metrics` and an ``evaluate`` module.

>>> import evaluate                                                          # doctest: +SKIP
>>> metric = evaluate.load(EMOTION_METRICS_PATH, "multilabel")               # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from sentence_emo.metrics import (
    confusion_matrix,
    label_ranking_average_precision,
    macro_roc_auc,
    multiclass_scores,
    multilabel_scores,
    per_label_f1,
    ranking_scores,
    regression_scores,
    sample_jaccard,
    tune_threshold,
    tune_thresholds_per_label,
)

#: folder of the ``evaluate`` module; ``evaluate.load(EMOTION_METRICS_PATH, config)`` works offline
EMOTION_METRICS_PATH = str(Path(__file__).resolve().parent / "emotion_metrics")

__all__ = [
    "EMOTION_METRICS_PATH",
    "confusion_matrix",
    "label_ranking_average_precision",
    "macro_roc_auc",
    "multiclass_scores",
    "multilabel_scores",
    "per_label_f1",
    "ranking_scores",
    "regression_scores",
    "sample_jaccard",
    "tune_threshold",
    "tune_thresholds_per_label",
]
