"""Model and dataset cards for sentence-emo artefacts (SetFit style: card data + Jinja templates).

Two card-data dataclasses collect what a card shows and two functions render them with
:mod:`huggingface_hub` (``ModelCard.from_template`` / ``DatasetCard.from_template``):

* :class:`EmotionModelCardData` (usually :meth:`EmotionModelCardData.from_model_dir`, which reads
  ``sentence_emo_training.json`` and ``emotion_calibration.json`` in a trained model directory)
  -> :func:`render_model_card` -> ``ModelCard`` rendered from ``model_card.md.j2``;
* :class:`DatasetCardInfo` (usually :meth:`DatasetCardInfo.from_statistics`) ->
  :func:`render_dataset_card` -> ``DatasetCard`` rendered from ``dataset_card.md.j2``.

Evaluation results enter the model card as :class:`EvalResultEntry` rows, which become the
``model-index`` metadata (``huggingface_hub.EvalResult``) and a results table. A card without
results has neither: no ``model-index`` and no evaluation section. :func:`results_to_entries`
converts the JSON an evaluation writes::

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
``sentence-emo/eval-results``), whose headline rows for the model become entries. The *rule* is the decision rule that turned scores into labels
(``argmax``, ``threshold@0.5``, ``top-2``...); it is stored as the metric ``config`` in the
``model-index`` and shown in the results table.
"""

from __future__ import annotations

import json
import logging
import math
import os
import platform
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
MODEL_CARD_TEMPLATE = HERE / "model_card.md.j2"
DATASET_CARD_TEMPLATE = HERE / "dataset_card.md.j2"

#: written by ``sentence_emo.training.train`` into the model directory
TRAINING_INFO_FILE = "sentence_emo_training.json"
CALIBRATION_FILE = "emotion_calibration.json"

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

PAPER_TITLE = "Contrastive Distillation of Emotion Knowledge from LLMs for Zero-Shot Emotion Recognition"
PAPER_CITATION = """@inproceedings{niu2025contrastive,
  title     = {Contrastive Distillation of Emotion Knowledge from LLMs for Zero-Shot Emotion Recognition},
  author    = {Niu, Minxue and Mower Provost, Emily},
  year      = {2025}
}"""

#: friendly base-model names (``sentence_emo.models``) -> Hub ids for the ``base_model`` metadata
BASE_MODEL_IDS = {
    "all-minilm-l6-v2": "sentence-transformers/all-MiniLM-L6-v2",
    "minilm": "sentence-transformers/all-MiniLM-L6-v2",
    "sentence-transformers/all-minilm-l6-v2": "sentence-transformers/all-MiniLM-L6-v2",
    "all-mpnet-base-v2": "sentence-transformers/all-mpnet-base-v2",
    "mpnet": "sentence-transformers/all-mpnet-base-v2",
    "sentence-transformers/all-mpnet-base-v2": "sentence-transformers/all-mpnet-base-v2",
}

#: hyper-parameters shown in the model card, in this order (keys of ``TrainConfig``)
HYPERPARAMETERS = (
    ("epochs", "Epochs"), ("max_steps", "Max steps"), ("batch_size", "Batch size (per device)"),
    ("learning_rate", "Encoder learning rate"), ("calibration_learning_rate", "Scale/bias learning rate"),
    ("weight_decay", "Weight decay"), ("warmup_ratio", "Warm-up ratio"), ("max_seq_length", "Max sequence length"),
    ("init_scale", "Initial scale"), ("init_bias", "Initial bias"), ("extra_negatives", "Extra negatives per batch"),
    ("eval_fraction", "Held-out fraction"), ("seed", "Seed"),
)
TRAIN_METRICS = (
    ("train_loss", "Final training loss"), ("epoch", "Epochs completed"), ("train_runtime", "Runtime (s)"),
    ("train_samples_per_second", "Texts per second"), ("world_size", "Processes"),
)
FRAMEWORKS = (("Python", None), ("sentence-emo", "sentence-emo"), ("Sentence Transformers", "sentence-transformers"),
              ("Transformers", "transformers"), ("PyTorch", "torch"), ("Datasets", "datasets"),
              ("huggingface_hub", "huggingface_hub"))
_ACRONYMS = {"f1", "auc", "mae", "mse", "rmse", "ccc", "map", "mrr", "ndcg", "roc", "pr", "ap", "r2"}


class CardError(ValueError):
    """Card input is unusable; the message names the file/field and the fix."""


# -- formatting helpers --------------------------------------------------------------------------------
def format_number(value: Any, digits: int = 4) -> str:
    """``0.41234567 -> '0.4123'``, ints stay ints, ``None -> '-'``.

    >>> format_number(0.41234567), format_number(3), format_number(12.5, 2), format_number(None), format_number(2e-7)
    ('0.4123', '3', '12.5', '-', '2e-07')
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != 0 and abs(value) < 10.0 ** -digits:
            return f"{value:.3g}"
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text
    return str(value)


def metric_display_name(metric: str) -> str:
    """``"macro_f1" -> "Macro F1"``; ``"ndcg@10" -> "NDCG@10"``.

    >>> metric_display_name("macro_f1"), metric_display_name("cosine_ndcg@10"), metric_display_name("ccc")
    ('Macro F1', 'Cosine NDCG@10', 'CCC')
    """
    words = []
    for word in metric.replace("-", "_").split("_"):
        head, _, tail = word.partition("@")
        head = head.upper() if head.lower() in _ACRONYMS else head.capitalize()
        words.append(head + (f"@{tail}" if tail else ""))
    return " ".join(w for w in words if w)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- evaluation results --------------------------------------------------------------------------------
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
        if not _is_number(self.value) or not math.isfinite(self.value):
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
        if _is_number(block):
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
            if not _is_number(value):
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


def _coerce_entries(results: Any) -> list[EvalResultEntry]:
    if results is None:
        return []
    if isinstance(results, (list, tuple)) and all(isinstance(r, EvalResultEntry) for r in results):
        return list(results)
    return results_to_entries(results)


# -- model card ----------------------------------------------------------------------------------------
def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CardError(f"{path}: invalid JSON ({exc.msg}); re-run training or fix the file") from exc
    if not isinstance(data, dict):
        raise CardError(f"{path}: expected a JSON object")
    return data


def base_model_id(name: str | None) -> str | None:
    """The Hub id for ``base_model`` metadata, or None for a local path.

    >>> base_model_id("all-MiniLM-L6-v2"), base_model_id("/tmp/my-model"), base_model_id("org/encoder")
    ('sentence-transformers/all-MiniLM-L6-v2', None, 'org/encoder')
    """
    if not name:
        return None
    if name.lower() in BASE_MODEL_IDS:
        return BASE_MODEL_IDS[name.lower()]
    if Path(name).exists() or name.startswith((".", "/", "~")) or name.count("/") != 1:
        return None
    return name


def _embedding_dimension(model_dir: Path) -> int | None:
    """Output dimension from the saved module configs (no model loading)."""
    modules_file = model_dir / "modules.json"
    if not modules_file.is_file():
        return None
    dimension = None
    try:
        modules = json.loads(modules_file.read_text(encoding="utf-8"))
        for module in modules:
            config_file = model_dir / module.get("path", "") / "config.json"
            if module.get("path") and config_file.is_file():
                config = json.loads(config_file.read_text(encoding="utf-8"))
                dimension = config.get("out_features") or config.get("word_embedding_dimension") or dimension
    except (json.JSONDecodeError, OSError, AttributeError, TypeError):
        return None
    if dimension is None and (model_dir / "config.json").is_file():
        try:
            dimension = json.loads((model_dir / "config.json").read_text(encoding="utf-8")).get("hidden_size")
        except (json.JSONDecodeError, OSError):
            return None
    return int(dimension) if dimension else None


def _max_seq_length(model_dir: Path) -> int | None:
    """``max_seq_length`` (sentence-transformers < 6) or the tokenizer's ``model_max_length``."""
    for name, key in (("sentence_bert_config.json", "max_seq_length"), ("tokenizer_config.json", "model_max_length")):
        path = model_dir / name
        if path.is_file():
            try:
                value = json.loads(path.read_text(encoding="utf-8")).get(key)
            except (json.JSONDecodeError, OSError, AttributeError):
                continue
            if isinstance(value, int) and 0 < value < 1_000_000:
                return value
    return None


def _prompt_text(prompt_version: str | None) -> str | None:
    if not prompt_version:
        return None
    try:
        from sentence_emo.annotate.prompts import DESCRIPTOR_PROMPT
    except ImportError:
        return None
    return DESCRIPTOR_PROMPT.system if prompt_version == DESCRIPTOR_PROMPT.version_id else None


def framework_versions() -> list[tuple[str, str]]:
    rows = []
    for label, dist in FRAMEWORKS:
        if dist is None:
            rows.append((label, platform.python_version()))
            continue
        try:
            rows.append((label, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            continue
    return rows


@dataclass
class EmotionModelCardData:
    """Everything the model card shows. Build it with :meth:`from_model_dir` after training.

    ``calibration``/``loss``/``hyperparameters``/``train_metrics``/``heldout_eval`` come from
    ``sentence_emo_training.json``; ``eval_results`` from an evaluation (empty = no results
    section and no ``model-index``).
    """

    model_id: str | None = None
    model_name: str | None = None
    base_model: str | None = None
    base_model_label: str | None = None
    teachers: list[str] = field(default_factory=list)
    prompt_versions: list[str] = field(default_factory=list)
    prompt_text: str | None = None
    corpus_texts: int | None = None
    corpus_heldout_texts: int | None = None
    corpus_descriptors: int | None = None
    dataset_id: str | None = None
    loss: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    train_metrics: dict[str, Any] = field(default_factory=dict)
    heldout_eval: dict[str, float] = field(default_factory=dict)
    eval_results: list[EvalResultEntry] = field(default_factory=list)
    embedding_dimension: int | None = None
    max_seq_length: int | None = None
    language: list[str] = field(default_factory=lambda: ["en"])
    license: str | None = "apache-2.0"
    tags: list[str] = field(default_factory=lambda: [
        "sentence-transformers", "sentence-similarity", "feature-extraction", "emotion", "emotion-recognition",
        "zero-shot-classification", "distillation", "sentence-emo"])

    def __post_init__(self) -> None:
        self.eval_results = _coerce_entries(self.eval_results)
        if self.calibration and "scale" in self.calibration and "bias" in self.calibration:
            for key in ("scale", "bias"):
                if not _is_number(self.calibration[key]) or not math.isfinite(self.calibration[key]):
                    raise CardError(f"calibration {key} must be a finite number, got {self.calibration[key]!r}")

    @classmethod
    def from_model_dir(cls, model_dir: str | os.PathLike[str], *, model_id: str | None = None,
                       results: Any = None, dataset_id: str | None = None, **overrides: Any) -> EmotionModelCardData:
        """Collect card data from a trained model directory (``sentence-emo train --output DIR``).

        ``results``: :class:`EvalResultEntry` list, a results dict, or a path to a results JSON.
        """
        model_dir = Path(model_dir)
        if not model_dir.is_dir():
            raise FileNotFoundError(f"model directory not found: {model_dir}")
        info_file = model_dir / TRAINING_INFO_FILE
        info = _read_json(info_file) if info_file.is_file() else {}
        if not info:
            logger.warning("%s has no %s: the card will lack training details", model_dir, TRAINING_INFO_FILE)
        config = info.get("config") or {}
        corpus = info.get("corpus") or {}
        calibration_file = model_dir / CALIBRATION_FILE
        calibration = _read_json(calibration_file) if calibration_file.is_file() else (info.get("calibration") or {})
        calibration = {k: v for k, v in calibration.items() if k not in ("format", "format_version")}
        prompt_versions = list(corpus.get("prompt_versions") or [])
        teachers = [t for t in corpus.get("teachers") or [] if t and t != "unknown"]
        if not prompt_versions or not teachers:
            found_teachers, found_prompts = _scan_corpus(config.get("corpus") or [])
            teachers = teachers or found_teachers
            prompt_versions = prompt_versions or found_prompts
        max_seq = _max_seq_length(model_dir) or config.get("max_seq_length")
        base = config.get("base_model")
        data = dict(
            model_id=model_id,
            model_name=model_id or model_dir.name,
            base_model=base_model_id(base),
            base_model_label=base_model_id(base) or (Path(base).name if base else None),
            teachers=teachers,
            prompt_versions=prompt_versions,
            prompt_text=_prompt_text(prompt_versions[0]) if len(prompt_versions) == 1 else None,
            corpus_texts=corpus.get("texts"),
            corpus_heldout_texts=corpus.get("heldout_texts"),
            corpus_descriptors=corpus.get("descriptors"),
            dataset_id=dataset_id,
            loss=dict(info.get("loss") or {}),
            calibration=calibration,
            hyperparameters={k: config[k] for k, _ in HYPERPARAMETERS if k in config},
            train_metrics={k: v for k, v in (info.get("train") or {}).items()},
            heldout_eval=dict(info.get("heldout_eval") or {}),
            eval_results=_coerce_entries(results),
            embedding_dimension=_embedding_dimension(model_dir),
            max_seq_length=max_seq,
        )
        unknown = sorted(set(overrides) - set(cls.__dataclass_fields__))
        if unknown:
            raise TypeError(f"unknown card field(s) {unknown}; known: {sorted(cls.__dataclass_fields__)}")
        data.update(overrides)
        return cls(**data)

    # what the template shows ------------------------------------------------------------------
    @property
    def title(self) -> str:
        return f"{self.model_name or 'sentence-emo model'}: zero-shot emotion recognition"

    @property
    def usage_id(self) -> str:
        return self.model_id or self.model_name or "path/to/model"

    def to_card_data(self):
        """The ``huggingface_hub.ModelCardData`` (YAML metadata, incl. ``model-index``)."""
        from huggingface_hub import ModelCardData

        eval_results = [e.to_eval_result() for e in self.eval_results] or None
        return ModelCardData(
            language=list(self.language) or None,
            license=self.license,
            library_name="sentence-transformers",
            pipeline_tag="sentence-similarity",
            tags=list(self.tags),
            base_model=self.base_model,
            datasets=[self.dataset_id] if self.dataset_id else None,
            metrics=list(dict.fromkeys(e.metric_type for e in self.eval_results)) or None,
            model_name=self.model_name,
            eval_results=eval_results,
        )

    def template_context(self) -> dict[str, Any]:
        """Pre-formatted values for ``model_card.md.j2`` (the template does no arithmetic)."""
        cal = self.calibration
        calibration_rows = []
        if "scale" in cal and "bias" in cal:
            calibration_rows = [
                ("Scale s (multiplies the cosine)", format_number(cal["scale"])),
                ("Bias b", format_number(cal["bias"])),
                ("log s (trained parameter)", format_number(cal.get("logit_scale", math.log(cal["scale"])))),
                ("Cosine where p = 0.5 (-b/s)", format_number(-cal["bias"] / cal["scale"])),
                ("Trained with the sigmoid loss", format_number(cal.get("trained", True))),
            ]
        loss_name = self.loss.get("class")
        loss_args = ", ".join(f"{k}={format_number(v)}" for k, v in self.loss.items() if k != "class")
        return {
            "card": self,
            "title": self.title,
            "usage_id": self.usage_id,
            "calibration_rows": calibration_rows,
            "loss_line": f"`{loss_name}({loss_args})`" if loss_name else None,
            "hyperparameter_rows": [(label, format_number(self.hyperparameters[k]))
                                    for k, label in HYPERPARAMETERS if k in self.hyperparameters],
            "train_rows": [(label, format_number(self.train_metrics[k]))
                           for k, label in TRAIN_METRICS if self.train_metrics.get(k) is not None],
            "heldout_rows": [(metric_display_name(k.split("_", 1)[-1] if k.startswith("teacher-heldout_") else k),
                              format_number(v)) for k, v in self.heldout_eval.items()],
            "result_rows": [(e.task_name, e.dataset_name, e.dataset_id, e.split, e.metric_name, e.rule or "-",
                             format_number(e.value)) for e in self.eval_results],
            "teachers_text": ", ".join(f"`{t}`" for t in self.teachers) if self.teachers else None,
            "prompt_versions_text": ", ".join(f"`{p}`" for p in self.prompt_versions) if self.prompt_versions else None,
            "frameworks": framework_versions(),
            "citation": PAPER_CITATION,
            "paper_title": PAPER_TITLE,
        }


def _scan_corpus(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """Teachers and prompt versions from the training corpus files, when they are still on disk."""
    if isinstance(paths, str):
        paths = [paths]
    existing = [p for p in paths if Path(p).is_file()]
    if not existing:
        return [], []
    try:
        from sentence_emo.corpus import load_corpus

        records = load_corpus(existing)
    except (ValueError, OSError) as exc:
        logger.info("could not read the training corpus for the card (%s)", exc)
        return [], []
    teachers = sorted({r.teacher for r in records if r.teacher})
    prompts = sorted({r.prompt_version for r in records if r.prompt_version})
    return teachers, prompts


def render_model_card(card: EmotionModelCardData, template_path: str | os.PathLike[str] | None = None):
    """Render a ``huggingface_hub.ModelCard`` from :class:`EmotionModelCardData`."""
    from huggingface_hub import ModelCard

    if not isinstance(card, EmotionModelCardData):
        raise TypeError(f"card must be EmotionModelCardData, got {type(card).__name__}")
    return ModelCard.from_template(card.to_card_data(), template_path=str(template_path or MODEL_CARD_TEMPLATE),
                                   **card.template_context())


def model_card_from_dir(model_dir: str | os.PathLike[str], **kwargs: Any):
    """Shortcut: :meth:`EmotionModelCardData.from_model_dir` then :func:`render_model_card`."""
    return render_model_card(EmotionModelCardData.from_model_dir(model_dir, **kwargs))


# -- dataset card --------------------------------------------------------------------------------------
@dataclass
class DatasetCardInfo:
    """Everything the dataset card shows; :meth:`from_statistics` fills it from a build."""

    repo_id: str | None = None
    pretty_name: str = "Emotion descriptors"
    texts: int = 0
    splits: dict[str, int] = field(default_factory=dict)
    descriptor_vocabulary: int = 0
    top_descriptors: list[tuple[str, int]] = field(default_factory=list)
    descriptors_per_text: dict[str, float] = field(default_factory=dict)
    descriptors_per_text_histogram: dict[int, int] = field(default_factory=dict)
    text_chars: dict[str, float] = field(default_factory=dict)
    teachers: dict[str, int] = field(default_factory=dict)
    prompt_versions: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    duplicates_removed: int = 0
    failed_total: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    failed_mode: str = "exclude"
    validation_fraction: float | None = None
    split_salt: str = ""
    language: list[str] = field(default_factory=lambda: ["en"])
    license: str | None = None
    tags: list[str] = field(default_factory=lambda: ["emotion", "emotion-descriptors", "llm-annotation",
                                                     "distillation", "sentence-emo"])
    #: extra ``(title, markdown)`` sections shown after the introduction (sources and licences, how it was made...)
    sections: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_statistics(cls, statistics: Any, top_n: int = 25, **overrides: Any) -> DatasetCardInfo:
        """From a :class:`sentence_emo.dataset_builder.CorpusStatistics` (or its ``to_dict()``)."""
        stats = statistics.to_dict() if hasattr(statistics, "to_dict") else dict(statistics)
        frequency = stats.get("descriptor_frequency") or {}
        data = dict(
            texts=stats.get("texts", 0), splits=dict(stats.get("splits") or {}),
            descriptor_vocabulary=stats.get("descriptor_vocabulary", len(frequency)),
            top_descriptors=list(frequency.items())[:top_n],
            descriptors_per_text=dict(stats.get("descriptors_per_text") or {}),
            descriptors_per_text_histogram={int(k): v for k, v in
                                            (stats.get("descriptors_per_text_histogram") or {}).items()},
            text_chars=dict(stats.get("text_chars") or {}),
            teachers=dict(stats.get("teachers") or {}), prompt_versions=dict(stats.get("prompt_versions") or {}),
            sources=dict(stats.get("sources") or {}), duplicates_removed=stats.get("duplicates_removed", 0),
            failed_total=stats.get("failed_total", 0), failed_by_reason=dict(stats.get("failed_by_reason") or {}),
            failed_mode=stats.get("failed_mode", "exclude"), validation_fraction=stats.get("validation_fraction"),
            split_salt=stats.get("split_salt", ""),
        )
        unknown = sorted(set(overrides) - set(cls.__dataclass_fields__))
        if unknown:
            raise TypeError(f"unknown dataset card field(s) {unknown}; known: {sorted(cls.__dataclass_fields__)}")
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)

    @property
    def size_category(self) -> str:
        n = sum(self.splits.values()) or self.texts
        for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                             (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
            if n < limit:
                return label
        return "n>10M"

    def to_card_data(self):
        from huggingface_hub import DatasetCardData

        return DatasetCardData(
            language=list(self.language) or None, license=self.license, pretty_name=self.pretty_name,
            size_categories=[self.size_category], task_categories=["text-classification", "zero-shot-classification"],
            task_ids=["multi-label-classification"], annotations_creators=["machine-generated"],
            language_creators=["found"], multilinguality=["monolingual"], tags=list(self.tags),
        )

    def template_context(self) -> dict[str, Any]:
        mean = self.descriptors_per_text
        return {
            "info": self,
            "usage_id": self.repo_id or "path/to/dataset-dir",
            "split_rows": [(name, n) for name, n in self.splits.items()],
            "per_text_line": (f"mean {format_number(mean.get('mean'))}, median {format_number(mean.get('median'))}, "
                              f"min {format_number(mean.get('min'))}, max {format_number(mean.get('max'))}")
            if mean else None,
            "histogram_rows": sorted(self.descriptors_per_text_histogram.items()),
            "chars_line": (f"mean {format_number(self.text_chars.get('mean'), 1)}, "
                           f"median {format_number(self.text_chars.get('median'), 1)}, "
                           f"max {format_number(self.text_chars.get('max'))}") if self.text_chars else None,
            "top_rows": [(d, n, format_number(100.0 * n / self.texts, 1) if self.texts else "-")
                         for d, n in self.top_descriptors],
            "teacher_rows": list(self.teachers.items()),
            "prompt_rows": list(self.prompt_versions.items()),
            "source_rows": list(self.sources.items()),
            "failed_rows": list(self.failed_by_reason.items()),
            "fraction_text": format_number(self.validation_fraction) if self.validation_fraction is not None else None,
            "citation": PAPER_CITATION,
            "paper_title": PAPER_TITLE,
        }


def render_dataset_card(info: DatasetCardInfo, *, configs: Any = None, dataset_infos: Any = None,
                        template_path: str | os.PathLike[str] | None = None):
    """Render a ``huggingface_hub.DatasetCard``.

    ``configs`` (``datasets.utils.metadata.MetadataConfigs``) and ``dataset_infos``
    (``datasets.info.DatasetInfosDict``) add the YAML ``configs``/``dataset_info`` that let
    ``load_dataset`` read the Parquet files without custom code.
    """
    from huggingface_hub import DatasetCard

    if not isinstance(info, DatasetCardInfo):
        raise TypeError(f"info must be DatasetCardInfo, got {type(info).__name__}")
    card_data = info.to_card_data()
    if configs is not None:
        configs.to_dataset_card_data(card_data)
    if dataset_infos is not None:
        dataset_infos.to_dataset_card_data(card_data)
    return DatasetCard.from_template(card_data, template_path=str(template_path or DATASET_CARD_TEMPLATE),
                                     **info.template_context())


__all__ = [
    "CardError", "DatasetCardInfo", "EmotionModelCardData", "EvalResultEntry", "DATASET_CARD_TEMPLATE",
    "MODEL_CARD_TEMPLATE", "PAPER_CITATION", "TRAINING_INFO_FILE", "base_model_id", "format_number",
    "metric_display_name", "model_card_from_dir", "render_dataset_card", "render_model_card", "results_to_entries",
]
