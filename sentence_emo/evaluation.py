"""Zero-shot emotion recognition as a sentence-transformers evaluator.

:class:`EmotionZeroShotEvaluator` scores a labelled set with the code of
:class:`~sentence_emo.zero_shot.EmotionZeroShot` (``similarities`` for a label set, ``score`` for
positive/negative anchors) and reports, prefixed with its ``name``:

* multi-label targets (a texts x labels 0/1 matrix): ``macro_f1`` of a rule that needs no test labels
  (the ``top_k`` best labels per text, or with ``threshold`` the probability rule of
  ``EmotionZeroShot.predict``) and ``lrap`` of the cosine ranking;
* single-label targets (one class id per text): ``accuracy`` and ``macro_f1`` of the argmax;
* continuous targets (e.g. valence ratings) with ``positive``/``negative`` anchors: ``pearson`` and
  ``spearman`` of the anchor score.

``SentenceTransformerTrainer(evaluator=...)`` (or ``TrainConfig(evaluator=...)``) runs it at every
evaluation; it also takes an :class:`~sentence_emo.zero_shot.EmotionZeroShot` (e.g. from
``from_pretrained``), whose calibration and label side it then uses.

>>> evaluator = EmotionZeroShotEvaluator(["we won!", "i miss him"], ["joy", "sadness"], [0, 1],
...                                      name="toy")                              # doctest: +SKIP
>>> evaluator(model)                                                              # doctest: +SKIP
{'toy_accuracy': 1.0, 'toy_macro_f1': 1.0}
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sentence_transformers.base.evaluation.evaluator import BaseEvaluator

from sentence_emo import metrics as M
from sentence_emo.calibration import Calibration
from sentence_emo.label_calibration import apply_rule, neutral_index
from sentence_emo.zero_shot import EmotionZeroShot, Labels, decide, normalise_labels, validate_texts

logger = logging.getLogger(__name__)

MULTI_LABEL, SINGLE_LABEL, REGRESSION = "multi_label", "single_label", "regression"


def infer_task(targets: np.ndarray, anchored: bool) -> str:
    """``regression`` with anchors, else ``multi_label`` for a 2-D matrix and ``single_label`` for class ids."""
    if anchored:
        return REGRESSION
    if targets.ndim == 2:
        return MULTI_LABEL
    if targets.ndim == 1 and targets.size and np.issubdtype(targets.dtype, np.number) \
            and np.all(np.mod(targets, 1) == 0):
        return SINGLE_LABEL
    raise ValueError(f"targets must be a texts x labels 0/1 matrix (multi-label) or one class id per text "
                     f"(single-label), got shape {targets.shape} and dtype {targets.dtype}; for ratings such as "
                     f"valence pass positive=[...] (and negative=[...]) anchor words")


def emotion_metrics(task: str, targets: np.ndarray, scores: np.ndarray,
                    decisions: np.ndarray | None = None) -> dict[str, float]:
    """The evaluator's metrics from gold ``targets`` and model ``scores``, by :mod:`sentence_emo.metrics`.

    ``scores`` are cosines ``(n, L)`` for the label tasks and a score per text for regression;
    ``decisions`` are the multi-label choices (required there). F1 of a label with neither gold nor
    predicted positives counts 0; single-label macro-F1 averages over every label of the set.

    >>> emotion_metrics("single_label", np.array([0, 1, 1]), np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]]))
    {'accuracy': 0.6666666666666666, 'macro_f1': 0.6666666666666666}
    >>> emotion_metrics("multi_label", np.array([[0, 1], [1, 1]]), np.array([[0.9, 0.1], [0.2, 0.8]]),
    ...                 np.array([[True, False], [False, True]]))
    {'macro_f1': 0.3333333333333333, 'lrap': 0.75}
    """
    if task == REGRESSION:
        return M.regression_scores(targets, scores)
    if task == SINGLE_LABEL:
        scored = M.multiclass_scores(targets, scores.argmax(axis=1), n_labels=scores.shape[1])
        return {"accuracy": scored["accuracy"], "macro_f1": scored["macro_f1"]}
    if decisions is None:
        raise ValueError("multi-label metrics need the decisions (texts x labels booleans) of a decision rule")
    return {"macro_f1": M.multilabel_scores(targets, decisions)["macro_f1"],
            "lrap": M.label_ranking_average_precision(targets, scores)}


class EmotionZeroShotEvaluator(BaseEvaluator):
    """Zero-shot emotion recognition on a labelled set: macro-F1 / LRAP / Pearson r (see the module doc).

    Args:
        texts: the texts to classify.
        labels: the label set (names, or ``{name: description}``); ``None`` for anchored regression.
        targets: a texts x labels 0/1 matrix (multi-label), one class id per text (single-label), or one
            rating per text (regression, with ``positive`` anchors).
        positive, negative: anchor words; the score is mean cosine to ``positive`` minus mean to ``negative``.
        name: prefix of the metric names (``{name}_macro_f1``).
        top_k: multi-label rule without ``threshold``: the ``top_k`` best labels per text.
        threshold: multi-label rule: labels with probability >= ``threshold`` under ``calibration`` (the
            rule of ``EmotionZeroShot.predict``: never empty, ``neutral`` or the best label otherwise).
        calibration: a :class:`~sentence_emo.calibration.Calibration`, or a callable returning the current
            one (``train()`` binds the loss's learnt calibration when none is given).
        template, prototypes, prototype_vocabulary, batch_size: passed to ``EmotionZeroShot`` when the
            evaluator is called on a bare ``SentenceTransformer``.
        write_csv: append the metrics to ``{name}_emotion_zero_shot_results.csv`` in ``output_path``.
    """

    def __init__(self, texts: Sequence[str], labels: Labels | None, targets: Any, *,
                 positive: Sequence[str] = (), negative: Sequence[str] = (), name: str = "", top_k: int = 1,
                 threshold: float | None = None, calibration: Calibration | Callable[[], Calibration] | None = None,
                 template: str | Sequence[str] | None = None, prototypes: int | None = None,
                 prototype_vocabulary: Sequence[str] | None = None, batch_size: int = 64,
                 write_csv: bool = True) -> None:
        super().__init__()
        self.texts = validate_texts(texts)
        self.targets = np.asarray(targets)
        if len(self.targets) != len(self.texts):
            raise ValueError(f"got {len(self.texts)} texts but {len(self.targets)} targets; give one target row per text")
        if isinstance(positive, str) or isinstance(negative, str):
            raise TypeError("positive and negative must be lists of anchor words, not a single string")
        self.positive, self.negative = list(positive), list(negative)
        if self.negative and not self.positive:
            raise ValueError("negative anchors need positive ones too, e.g. positive=['happy', 'pleased']")
        self.task = infer_task(self.targets, anchored=bool(self.positive))
        self.labels = labels
        self.label_names: list[str] = []
        if self.task == REGRESSION:
            if labels is not None:
                raise ValueError("pass either a label set (classification) or positive/negative anchors "
                                 "(regression), not both")
            self.targets = self.targets.astype(np.float64).ravel()
        else:
            if labels is None:
                raise ValueError("classification targets need the label set, e.g. labels=['joy', 'anger']")
            self.label_names, _ = normalise_labels(labels)
            self._check_targets()
        if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= max(len(self.label_names), 1):
            raise ValueError(f"top_k must be an integer between 1 and the number of labels "
                             f"({len(self.label_names)}), got {top_k!r}")
        if threshold is not None and not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold is a probability strictly between 0 and 1, got {threshold!r}")
        self.name, self.top_k, self.threshold, self.calibration = name, top_k, threshold, calibration
        self.template, self.prototypes, self.batch_size = template, prototypes, batch_size
        self.prototype_vocabulary = None if prototype_vocabulary is None else list(prototype_vocabulary)
        self.write_csv = write_csv
        self.csv_file = f"{name + '_' if name else ''}emotion_zero_shot_results.csv"
        self.primary_metric = "pearson" if self.task == REGRESSION else "macro_f1"

    def _check_targets(self) -> None:
        n = len(self.label_names)
        if self.task == MULTI_LABEL:
            if self.targets.shape[1] != n:
                raise ValueError(f"targets have {self.targets.shape[1]} columns but the label set has {n} labels; "
                                 f"give one 0/1 column per label, in label order")
            if not np.isin(self.targets, (0, 1)).all():
                raise ValueError("multi-label targets must hold only 0/1 values")
            self.targets = self.targets.astype(bool)
        else:
            self.targets = self.targets.astype(np.int64)
            if self.targets.min() < 0 or self.targets.max() >= n:
                raise ValueError(f"single-label targets are class ids in [0, {n - 1}] (the label order), got "
                                 f"{int(self.targets.min())}..{int(self.targets.max())}")

    def classifier(self, model: Any) -> EmotionZeroShot:
        """``model`` itself when it is an ``EmotionZeroShot``, else one around the ``SentenceTransformer``."""
        if isinstance(model, EmotionZeroShot):
            return model
        if self.prototype_vocabulary is None and (self.prototypes is None or self.prototypes > 0):
            from sentence_emo.zero_shot import default_prototype_vocabulary

            self.prototype_vocabulary = default_prototype_vocabulary()  # read once, embedded per call
        return EmotionZeroShot(model, self._calibration(None), template=self.template, prototypes=self.prototypes,
                               prototype_vocabulary=self.prototype_vocabulary, centering=False,
                               batch_size=self.batch_size, show_progress_bar=False)

    def _calibration(self, clf: EmotionZeroShot | None) -> Calibration | None:
        calibration = self.calibration() if callable(self.calibration) else self.calibration
        if calibration is None and clf is not None:
            calibration = clf.calibration
        return calibration

    def compute_metrics(self, model: Any) -> dict[str, float]:
        """Unprefixed metrics of ``model`` (a ``SentenceTransformer`` or an ``EmotionZeroShot``)."""
        clf = self.classifier(model)
        if self.task == REGRESSION:
            return emotion_metrics(self.task, self.targets, clf.score(self.texts, self.positive, self.negative))
        sims = clf.similarities(self.texts, self.labels).astype(np.float64)
        decisions = None
        if self.task == MULTI_LABEL:
            if self.threshold is None:
                decisions = decide(sims, threshold=None, top_k=self.top_k)
            else:
                calibration = self._calibration(clf)
                if calibration is None or not calibration.trained:
                    raise ValueError(f"threshold={self.threshold} needs a trained calibration (emotion_calibration"
                                     f".json or calibration=...); without one use top_k")
                decisions, _ = apply_rule(sims, calibration.probabilities(sims), self.threshold, -1.0, 0.0,
                                          neutral_index(self.label_names))
        return emotion_metrics(self.task, self.targets, sims, decisions)

    def __call__(self, model: Any, output_path: str | None = None, epoch: int = -1,
                 steps: int = -1) -> dict[str, float]:
        metrics = self.compute_metrics(model)
        where = f" in epoch {epoch} after {steps} steps" if epoch != -1 else ""
        logger.info("%s emotion evaluation%s: %s", self.name or "zero-shot", where,
                    ", ".join(f"{k}={v:.4f}" for k, v in metrics.items()))
        if output_path is not None and self.write_csv:
            os.makedirs(output_path, exist_ok=True)
            path = os.path.join(output_path, self.csv_file)
            new = not os.path.isfile(path)
            with open(path, "a", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                if new:
                    writer.writerow(["epoch", "steps", *metrics])
                writer.writerow([epoch, steps, *metrics.values()])
        metrics = self.prefix_name_to_metrics(metrics, self.name)
        target = model.model if isinstance(model, EmotionZeroShot) else model
        if hasattr(target, "model_card_data"):
            self.store_metrics_in_model_card_data(target, metrics, epoch, steps)
        return metrics

    @property
    def description(self) -> str:
        return "Emotion Zero-Shot"

    def get_config_dict(self) -> dict[str, Any]:
        config: dict[str, Any] = {"task": self.task}
        if self.task == REGRESSION:
            config.update(positive=self.positive, negative=self.negative)
        else:
            config["labels"] = self.label_names
        if self.task == MULTI_LABEL:
            config.update({"threshold": self.threshold} if self.threshold is not None else {"top_k": self.top_k})
        return config
