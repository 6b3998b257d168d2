"""Evaluation results for the model card: :class:`EvalResultEntry` rows and the results-JSON parser.

:func:`results_to_entries` converts the JSON an evaluation writes::

    {
      "goemotions": {                                  # one mapping per dataset
        "macro_f1": 0.4123,                            # metric -> value, or
        "micro_f1": {"value": 0.52, "rule": "threshold@0.5", "name": "Micro F1"},
        "dataset_id": "google-research-datasets/go_emotions",   # optional (default: the key)
        "dataset_name": "GoEmotions",                  # optional display name (default: the key)
        "split": "test",                               # optional (default: "test")
        "task": "zero-shot-classification",            # optional (default: the function argument)
        "rules": {"macro_f1": "threshold@0.5"}         # optional metric -> decision rule
      },
      "rules": {"accuracy": "argmax"}                  # optional, for every dataset
    }

or ``{"results": [entry, ...]}`` / ``[entry, ...]`` where each entry has the
:class:`EvalResultEntry` fields, or the ``results.json`` of ``sentence-emo eval`` (format
``sentence-emo/eval-results``), whose headline rows for the model become entries. The *rule* is
the decision rule that turned scores into labels (``argmax``, ``threshold@0.5``, ``top-2``...); it
is stored as the metric ``config`` in the ``model-index`` and shown in the results table.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hub_cards.formatting import CardError, is_number, metric_display_name

logger = logging.getLogger(__name__)

DEFAULT_TASK = "zero-shot-classification"
TASK_NAMES = {
    "zero-shot-classification": "Zero-Shot Emotion Classification",
    "text-classification": "Emotion Classification",
    "text-regression": "Emotion Dimension Regression",
    "sentence-similarity": "Descriptor Retrieval",
}
RESERVED_DATASET_KEYS = ("dataset_id", "dataset_name", "split", "task", "rules", "config")

#: ``results.json`` of ``sentence-emo eval`` (eval_suite): its headline rows become card entries
EVAL_SUITE_FORMAT = "sentence-emo/eval-results"
#: eval_suite task -> model-index task type (regression heads are "text-classification" on the Hub)
EVAL_SUITE_TASKS = {"multi_label": "zero-shot-classification", "single_label": "zero-shot-classification",
                    "regression": "text-classification"}
#: benchmark keys with a dataset on the Hub (others keep their key as the dataset type)
KNOWN_DATASET_IDS = {"goemotions": "google-research-datasets/go_emotions"}


@dataclass(frozen=True)
class EvalResultEntry:
    """One evaluation number for the model card and its ``model-index``.

    Args:
        task: task type, e.g. ``"zero-shot-classification"`` (model-index ``task.type``).
        dataset_name: display name, e.g. ``"GoEmotions"``.
        dataset_id: Hub id or short identifier, e.g. ``"google-research-datasets/go_emotions"``
            (model-index ``dataset.type``).
        split: evaluated split, e.g. ``"test"``.
        metric_type: metric identifier, e.g. ``"macro_f1"`` (model-index ``metric.type``).
        metric_name: display name, e.g. ``"Macro F1"``.
        value: the score (a finite number).
        rule: decision rule that produced the labels (``"argmax"``, ``"threshold@0.5"``...), or None.
    """

    task: str
    dataset_name: str
    dataset_id: str
    split: str
    metric_type: str
    metric_name: str
    value: float
    rule: str | None = None

    def __post_init__(self) -> None:
        for name in ("task", "dataset_name", "dataset_id", "split", "metric_type", "metric_name"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise CardError(f"EvalResultEntry.{name} must be a non-empty string, got {value!r}")
        if not is_number(self.value) or not math.isfinite(self.value):
            raise CardError(f"result {self.dataset_name}/{self.metric_type} must be a finite number, got "
                            f"{self.value!r}; fix the evaluation output or drop that metric")
        if self.rule is not None and (not isinstance(self.rule, str) or not self.rule.strip()):
            raise CardError(f"EvalResultEntry.rule must be a non-empty string or None, got {self.rule!r}")

    @property
    def task_name(self) -> str:
        return TASK_NAMES.get(self.task, self.task.replace("-", " ").title())

    def to_eval_result(self):
        from huggingface_hub import EvalResult

        return EvalResult(task_type=self.task, task_name=self.task_name, dataset_type=self.dataset_id,
                          dataset_name=self.dataset_name, dataset_split=self.split, metric_type=self.metric_type,
                          metric_name=self.metric_name, metric_value=float(self.value), metric_config=self.rule)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entry_from_mapping(data: Mapping[str, Any], where: str, default_task: str) -> EvalResultEntry:
    required = ("dataset_name", "metric_type", "value")
    missing = [k for k in required if k not in data]
    if missing:
        raise CardError(f"{where}: result entry lacks {missing} (an entry needs {list(required)}, optionally "
                        f"task, dataset_id, split, metric_name, rule)")
    unknown = sorted(set(data) - set(EvalResultEntry.__dataclass_fields__))
    if unknown:
        raise CardError(f"{where}: unknown result entry field(s) {unknown}; "
                        f"known: {sorted(EvalResultEntry.__dataclass_fields__)}")
    return EvalResultEntry(
        task=data.get("task") or default_task, dataset_name=data["dataset_name"],
        dataset_id=data.get("dataset_id") or data["dataset_name"], split=data.get("split") or "test",
        metric_type=data["metric_type"], metric_name=data.get("metric_name") or metric_display_name(data["metric_type"]),
        value=data["value"], rule=data.get("rule"),
    )


def results_to_entries(results: Mapping[str, Any] | Sequence[Mapping[str, Any]] | str | os.PathLike[str], *,
                       task: str = DEFAULT_TASK, split: str = "test", dataset_ids: Mapping[str, str] | None = None,
                       dataset_names: Mapping[str, str] | None = None, rules: Mapping[str, str] | None = None
                       ) -> list[EvalResultEntry]:
    """Convert an evaluation results dict/JSON file (format in the module docstring) to entries.

    ``rules`` maps metric -> decision rule for every dataset (the JSON's own ``rules`` win);
    ``dataset_ids``/``dataset_names`` map a dataset key to its Hub id / display name.

    >>> [(e.dataset_name, e.metric_name, e.value, e.rule) for e in results_to_entries(
    ...     {"goemotions": {"macro_f1": 0.41, "accuracy": {"value": 0.5, "rule": "argmax"}}})]
    [('goemotions', 'Macro F1', 0.41, None), ('goemotions', 'Accuracy', 0.5, 'argmax')]
    """
    where = "results"
    if isinstance(results, (str, os.PathLike)):
        path = Path(results)
        if not path.is_file():
            raise FileNotFoundError(f"results file not found: {path}")
        try:
            results = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CardError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno}); fix the results file") from exc
        where = str(path)
    if isinstance(results, Mapping) and results.get("format") == EVAL_SUITE_FORMAT:
        return _entries_from_eval_suite(results, where, split=split, dataset_ids=dataset_ids)
    if isinstance(results, Mapping) and "results" in results and isinstance(results["results"], list):
        results = results["results"]
    if isinstance(results, Sequence) and not isinstance(results, (str, bytes)):
        entries = []
        for i, item in enumerate(results):
            if not isinstance(item, Mapping):
                raise CardError(f"{where}: result #{i} must be an object, got {type(item).__name__}")
            entries.append(_entry_from_mapping(item, f"{where}: result #{i}", task))
        return entries
    if not isinstance(results, Mapping):
        raise CardError(f"{where}: expected {{dataset: {{metric: value}}}} or a list of entries, "
                        f"got {type(results).__name__}")
    global_rules = dict(rules or {})
    top_rules = results.get("rules") or {}
    if not isinstance(top_rules, Mapping):
        raise CardError(f"{where}: 'rules' must map metric names to decision rules, got {type(top_rules).__name__}")
    global_rules.update(top_rules)
    entries = []
    for dataset_key, block in results.items():
        if dataset_key == "rules":
            continue
        if is_number(block):
            raise CardError(f"{where}: {dataset_key!r} is a number at the top level; results are grouped by "
                            f"dataset: {{\"<dataset>\": {{\"{dataset_key}\": {block}}}}}")
        if not isinstance(block, Mapping):
            logger.debug("%s: skipping top-level %r (not a dataset block)", where, dataset_key)
            continue
        block_rules = {**global_rules, **(block.get("rules") or {})}
        dataset_id = block.get("dataset_id") or (dataset_ids or {}).get(dataset_key) or dataset_key
        dataset_name = block.get("dataset_name") or (dataset_names or {}).get(dataset_key) or dataset_key
        block_split = block.get("split") or split
        block_task = block.get("task") or task
        for metric, value in block.items():
            if metric in RESERVED_DATASET_KEYS:
                continue
            name, rule = metric_display_name(metric), block_rules.get(metric)
            if isinstance(value, Mapping):
                if "value" not in value:
                    logger.debug("%s: skipping %s/%s (no 'value'; nested results are not card metrics)",
                                 where, dataset_key, metric)
                    continue
                name, rule, value = value.get("name") or name, value.get("rule") or rule, value["value"]
            elif isinstance(value, (list, tuple)) or value is None:
                logger.debug("%s: skipping %s/%s (not a single number)", where, dataset_key, metric)
                continue
            if not is_number(value):
                raise CardError(f"{where}: {dataset_key}/{metric} must be a number, got {value!r}")
            entries.append(EvalResultEntry(task=block_task, dataset_name=dataset_name, dataset_id=dataset_id,
                                           split=block_split, metric_type=metric, metric_name=name,
                                           value=float(value), rule=rule))
    return entries


def _entries_from_eval_suite(results: Mapping[str, Any], where: str, *, split: str,
                             dataset_ids: Mapping[str, str] | None) -> list[EvalResultEntry]:
    """The model's headline numbers of an eval_suite ``results.json`` (one entry per dataset and metric)."""
    rows = {r.get("key"): r for r in results.get("results") or [] if isinstance(r, Mapping) and r.get("role") == "model"}
    entries = []
    for i, row in enumerate(results.get("headline") or []):
        try:
            key, metric, values = row["key"], row["metric"], row["values"]
        except (KeyError, TypeError) as exc:
            raise CardError(f"{where}: headline row #{i} lacks {exc}; re-run 'sentence-emo eval'") from None
        value = next((v for v in values.values() if isinstance(v, Mapping) and v.get("role") == "model"), None)
        if value is None or value.get("value") is None:
            continue
        result = rows.get(key) or {}
        entries.append(EvalResultEntry(
            task=EVAL_SUITE_TASKS.get(result.get("task"), DEFAULT_TASK), dataset_name=row.get("dataset") or key,
            dataset_id=(dataset_ids or {}).get(key) or KNOWN_DATASET_IDS.get(key, key),
            split=result.get("split") or split, metric_type=metric, metric_name=metric_display_name(metric),
            value=value["value"], rule=value.get("rule"),
        ))
    if not entries:
        logger.warning("%s: the evaluation results hold no numbers for the model; the card gets no results", where)
    return entries


def coerce_entries(results: Any) -> list[EvalResultEntry]:
    if results is None:
        return []
    if isinstance(results, (list, tuple)) and all(isinstance(r, EvalResultEntry) for r in results):
        return list(results)
    return results_to_entries(results)
