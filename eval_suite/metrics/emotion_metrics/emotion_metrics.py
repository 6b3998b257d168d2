# Copyright 2025 The sentence-emo authors. Licensed under the Apache License, Version 2.0.
"""Emotion-recognition metrics as an ``evaluate`` module (multi-label, single-label, regression, ranking).

Loads offline from its folder::

    import evaluate
    from eval_suite.metrics import EMOTION_METRICS_PATH
    metric = evaluate.load(EMOTION_METRICS_PATH, "multilabel")

The math is in :mod:`eval_suite.metrics.functional` (installed with ``pip install
'sentence-emo[eval]'``), shared with the ``sentence-emo eval`` reports.
"""

import datasets
import evaluate
import numpy as np

from eval_suite.metrics import functional  # From: sentence-emo[eval]
from hub_cards.formatting import PAPER_CITATION  # From: sentence-emo

_CITATION = PAPER_CITATION + """
@inproceedings{mohammad2018semeval,
  title     = {{SemEval}-2018 Task 1: Affect in Tweets},
  author    = {Mohammad, Saif M. and Bravo-Marquez, Felipe and Salameh, Mohammad and Kiritchenko, Svetlana},
  booktitle = {Proceedings of the 12th International Workshop on Semantic Evaluation},
  pages     = {1--17},
  year      = {2018}
}
@inproceedings{demszky2020goemotions,
  title     = {{GoEmotions}: A Dataset of Fine-Grained Emotions},
  author    = {Demszky, Dorottya and Movshovitz-Attias, Dana and Ko, Jeongwoo and Cowen, Alan and Nemade, Gaurav and Ravi, Sujith},
  booktitle = {Proceedings of ACL 2020},
  pages     = {4040--4054},
  year      = {2020}
}
"""

_DESCRIPTION = """\
Metrics used to evaluate zero-shot emotion recognition (GoEmotions, SemEval-2018 E-c, ISEAR, EmoBank
and user label sets). Pick the task with the configuration name:

- "multilabel" (default): predictions and references are 0/1 rows (texts x labels). Returns macro-,
  micro- and weighted-F1, sample Jaccard (the official "accuracy" of SemEval-2018 E-c: mean over texts of
  |gold & pred| / |gold | pred|, 1 when both are empty) and subset accuracy (exact match).
  F1 of a label with no gold and no predicted positive is `zero_division` (default 0), as scikit-learn.
- "multiclass": predictions and references are class indices. Returns accuracy, macro-F1 and weighted F1.
- "regression": predictions are continuous scores (e.g. a valence score), references the gold ratings.
  Returns Pearson's r and Spearman's rho (average ranks for ties).
- "ranking": threshold-free. Predictions are scores per label (texts x labels, e.g. cosine similarities or
  probabilities), references 0/1 rows. Returns label ranking average precision (LRAP; texts without gold
  labels count 1) and macro ROC AUC (mean over labels that have both positive and negative texts).
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: "multilabel": list of 0/1 lists (one per text, one entry per label);
        "multiclass": list of predicted class indices; "regression": list of floats;
        "ranking": list of score lists (one per text, one entry per label).
    references: "multilabel"/"ranking": list of 0/1 lists; "multiclass": list of gold class indices;
        "regression": list of gold floats.
    zero_division (`float`, default 0.0): F1 of a label whose precision and recall are undefined
        ("multilabel", "multiclass").
    label_names (`list[str]`, optional, "multilabel"): when given, the result also holds
        `per_label_f1` = {label name: F1}.
    num_labels (`int`, optional, "multiclass"): number of classes; a class never seen in either
        predictions or references then still counts (with F1 = zero_division) in the macro mean.
Returns:
    "multilabel": macro_f1, micro_f1, weighted_f1, jaccard, subset_accuracy (+ per_label_f1).
    "multiclass": accuracy, macro_f1, weighted_f1.
    "regression": pearson, spearman.
    "ranking": lrap, macro_auc.
Examples:
    >>> import evaluate
    >>> from eval_suite.metrics import EMOTION_METRICS_PATH
    >>> metric = evaluate.load(EMOTION_METRICS_PATH, "multilabel", keep_in_memory=True)
    >>> results = metric.compute(predictions=[[1, 0, 1], [0, 1, 0], [0, 0, 0]],
    ...                          references=[[1, 0, 0], [0, 1, 1], [0, 0, 0]],
    ...                          label_names=["joy", "anger", "fear"])
    >>> print({k: round(v, 4) for k, v in results.items() if k != "per_label_f1"})
    {'macro_f1': 0.6667, 'micro_f1': 0.6667, 'weighted_f1': 0.6667, 'jaccard': 0.6667, 'subset_accuracy': 0.3333}
    >>> results["per_label_f1"]
    {'joy': 1.0, 'anger': 1.0, 'fear': 0.0}

    >>> metric = evaluate.load(EMOTION_METRICS_PATH, "multiclass", keep_in_memory=True)
    >>> results = metric.compute(predictions=[0, 1, 2, 2], references=[0, 1, 1, 2])
    >>> print({k: round(v, 4) for k, v in results.items()})
    {'accuracy': 0.75, 'macro_f1': 0.7778, 'weighted_f1': 0.75}

    >>> metric = evaluate.load(EMOTION_METRICS_PATH, "regression", keep_in_memory=True)
    >>> results = metric.compute(predictions=[0.1, 0.4, 0.35, 0.8], references=[1.0, 2.0, 3.0, 4.0])
    >>> print({k: round(v, 4) for k, v in results.items()})
    {'pearson': 0.9134, 'spearman': 0.8}

    >>> metric = evaluate.load(EMOTION_METRICS_PATH, "ranking", keep_in_memory=True)
    >>> results = metric.compute(predictions=[[0.9, 0.1, 0.3], [0.2, 0.4, 0.8]],
    ...                          references=[[1, 0, 0], [0, 1, 0]])
    >>> print({k: round(v, 4) for k, v in results.items()})
    {'lrap': 0.75, 'macro_auc': 1.0}
"""

_CONFIGS = ("default", "multilabel", "multiclass", "regression", "ranking")


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class EmotionMetrics(evaluate.Metric):
    """Emotion-recognition metrics; the math lives in ``eval_suite.metrics.functional``."""

    def _info(self):
        if self.config_name not in _CONFIGS:
            raise KeyError(
                f"unknown configuration {self.config_name!r}; use one of "
                f"{', '.join(repr(c) for c in _CONFIGS[1:])}"
            )
        if self.config_name in ("default", "multilabel"):
            features = {"predictions": datasets.Sequence(datasets.Value("int32")),
                        "references": datasets.Sequence(datasets.Value("int32"))}
        elif self.config_name == "multiclass":
            features = {"predictions": datasets.Value("int64"), "references": datasets.Value("int64")}
        elif self.config_name == "regression":
            features = {"predictions": datasets.Value("float64"), "references": datasets.Value("float64")}
        else:
            features = {"predictions": datasets.Sequence(datasets.Value("float64")),
                        "references": datasets.Sequence(datasets.Value("int32"))}
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(features),
            reference_urls=[
                "https://competitions.codalab.org/competitions/17751",
                "https://scikit-learn.org/stable/modules/model_evaluation.html#multilabel-ranking-metrics",
            ],
        )

    def _compute(self, predictions, references, zero_division=0.0, label_names=None, num_labels=None):
        if self.config_name in ("default", "multilabel"):
            predictions = _stack(predictions, "predictions")
            references = _stack(references, "references")
            result = functional.multilabel_scores(references, predictions, zero_division=zero_division)
            if label_names is not None:
                label_names = list(label_names)
                if len(label_names) != references.shape[1]:
                    raise ValueError(f"label_names has {len(label_names)} names but the rows have "
                                     f"{references.shape[1]} labels; pass one name per column")
                f1 = functional.per_label_f1(references, predictions, zero_division=zero_division)
                result["per_label_f1"] = {name: float(v) for name, v in zip(label_names, f1)}
            return result
        if self.config_name == "multiclass":
            return functional.multiclass_scores(np.asarray(references), np.asarray(predictions), n_labels=num_labels,
                                                zero_division=zero_division)
        if self.config_name == "regression":
            return functional.regression_scores(references, predictions)
        return functional.ranking_scores(_stack(references, "references"), _stack(predictions, "predictions"))


def _stack(rows, name):
    rows = list(rows)
    lengths = {len(r) for r in rows}
    if len(lengths) > 1:
        raise ValueError(f"every row of {name} must have one entry per label; got row lengths {sorted(lengths)}")
    return np.asarray(np.stack([np.asarray(r) for r in rows]) if rows else np.zeros((0, 0)))
