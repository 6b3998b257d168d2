"""Zero-shot emotion benchmarks for sentence-emo: the paper's suite and the user's own label sets.

* :mod:`eval_suite.data` — adapters (GoEmotions, SemEval-2018 E-c, ISEAR, EmoBank), reading a
  local mirror or the public sources of :mod:`eval_suite.hub_sources`;
* :func:`load_user_dataset` (:mod:`eval_suite.user_data`) for CSV/TSV/JSONL/Parquet/``datasets`` data;
* :mod:`eval_suite.metrics` — scikit-learn/scipy metrics, threshold tuning and the offline ``evaluate`` module;
* :mod:`eval_suite.rules` — decision rules (top-k, threshold, calibrated, dev-tuned,
  dev-tuned-per-label, +fallback);
* :func:`evaluate_dataset` — one classifier on one dataset; :func:`run_suite` — the whole suite
  with baseline, GPT-4 reference row, ``report.md``, ``results.json`` and plots.

>>> from eval_suite import run_suite                                       # doctest: +SKIP
>>> run_suite("emo-distill", out_dir="eval-out", max_rows=300).headline_values()   # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "EvalDataset": "eval_suite.data",
    "ReferencePredictions": "eval_suite.data",
    "load_goemotions": "eval_suite.data",
    "load_goemotions_gpt4": "eval_suite.data",
    "load_goemotions_teacher_dev": "eval_suite.data",
    "load_semeval": "eval_suite.data",
    "load_isear": "eval_suite.data",
    "load_emobank": "eval_suite.data",
    "load_user_dataset": "eval_suite.user_data",
    "resolve_data_dir": "eval_suite.data",
    "DecisionRule": "eval_suite.rules",
    "parse_rules": "eval_suite.rules",
    "DatasetSpec": "eval_suite.evaluation",
    "DatasetResult": "eval_suite.evaluation",
    "evaluate_dataset": "eval_suite.evaluation",
    "SuiteConfig": "eval_suite.suite",
    "SuiteResult": "eval_suite.suite",
    "run_suite": "eval_suite.suite",
    "evaluate_user_data": "eval_suite.suite",
    "load_results": "eval_suite.suite",
    "EMOTION_METRICS_PATH": "eval_suite.metrics",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'eval_suite' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
