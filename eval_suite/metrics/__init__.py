"""Emotion metrics: the scikit-learn/scipy functions of :mod:`sentence_emo.metrics` and an ``evaluate`` module.

>>> import evaluate                                                          # doctest: +SKIP
>>> metric = evaluate.load(EMOTION_METRICS_PATH, "multilabel")               # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from sentence_emo import metrics as _metrics
from sentence_emo.metrics import *  # noqa: F403  (the functions, one copy shared with training)

#: folder of the ``evaluate`` module; ``evaluate.load(EMOTION_METRICS_PATH, config)`` works offline
EMOTION_METRICS_PATH = str(Path(__file__).resolve().parent / "emotion_metrics")

__all__ = ["EMOTION_METRICS_PATH", *_metrics.__all__]
