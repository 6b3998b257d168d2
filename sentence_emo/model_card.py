"""Fill the model card (:class:`hub_cards.EmotionModelCardData`) from a trained model directory.

:func:`card_data_from_model_dir` reads what ``sentence-emo train --output DIR`` wrote
(``sentence_emo_training.json``, ``emotion_calibration.json``, the saved module configs) plus the
training corpus when it is still on disk; ``sentence_emo.hub`` renders and pushes the card.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hub_cards import CardError, EmotionModelCardData
from hub_cards.model_card import HYPERPARAMETERS
from hub_cards.results import coerce_entries
from sentence_emo.calibration import CALIBRATION_FILE
from sentence_emo.corpus import load_corpus
from sentence_emo.models import base_model_id

logger = logging.getLogger(__name__)

#: written by ``sentence_emo.training.train`` into the model directory
TRAINING_INFO_FILE = "sentence_emo_training.json"


def card_data_from_model_dir(model_dir: str | os.PathLike[str], *, model_id: str | None = None,
                             results: Any = None, dataset_id: str | None = None,
                             **overrides: Any) -> EmotionModelCardData:
    """Collect card data from a trained model directory (``sentence-emo train --output DIR``).

    ``results``: :class:`hub_cards.EvalResultEntry` list, a results dict, or a path to a results JSON;
    ``overrides``: any :class:`~hub_cards.EmotionModelCardData` field.
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
        eval_results=coerce_entries(results),
        embedding_dimension=_embedding_dimension(model_dir),
        max_seq_length=max_seq,
    )
    unknown = sorted(set(overrides) - set(EmotionModelCardData.__dataclass_fields__))
    if unknown:
        raise TypeError(f"unknown card field(s) {unknown}; known: {sorted(EmotionModelCardData.__dataclass_fields__)}")
    data.update(overrides)
    return EmotionModelCardData(**data)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CardError(f"{path}: invalid JSON ({exc.msg}); re-run training or fix the file") from exc
    if not isinstance(data, dict):
        raise CardError(f"{path}: expected a JSON object")
    return data


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


def _scan_corpus(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """Teachers and prompt versions from the training corpus files, when they are still on disk."""
    if isinstance(paths, str):
        paths = [paths]
    existing = [p for p in paths if Path(p).is_file()]
    if not existing:
        return [], []
    try:
        records = load_corpus(existing)
    except (ValueError, OSError) as exc:
        logger.info("could not read the training corpus for the card (%s)", exc)
        return [], []
    teachers = sorted({r.teacher for r in records if r.teacher})
    prompts = sorted({r.prompt_version for r in records if r.prompt_version})
    return teachers, prompts

