"""Fill :class:`hub_cards.EmotionModelCardData` and produce the model card that ``push-model`` publishes.

* :func:`training_card_data` — the card data ``sentence_emo.training`` gives the student
  (``SentenceTransformer(..., model_card_data=...)``); sentence-transformers' model-card callback
  and the trainer fill the rest, and every ``model.save()`` writes ``README.md``;
* :func:`model_card_for` — that ``README.md``, prepared for publishing
  (:func:`hub_cards.prepare_model_card`: model id, dataset, benchmark results). A model directory
  without a card gets one rendered by sentence-transformers from its side files
  (:func:`card_data_from_model_dir`).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hub_cards import CardError, EmotionModelCardData, prepare_model_card
from sentence_emo.corpus import DescriptorRecord, descriptor_vocabulary
from sentence_emo.files import CALIBRATION_FILE, CARD_FILE, TRAINING_INFO_FILE
from sentence_emo.models import base_model_id

logger = logging.getLogger(__name__)


def training_card_data(config: Any, records: Sequence[DescriptorRecord], train_records: Sequence[DescriptorRecord],
                       eval_records: Sequence[DescriptorRecord]) -> EmotionModelCardData:
    """The card data for a training run of ``config`` (a ``TrainConfig``) on ``records``."""
    prompt_versions = sorted({r.prompt_version for r in records if r.prompt_version})
    card = EmotionModelCardData(
        teachers=sorted({r.teacher for r in records if r.teacher and r.teacher != "unknown"}),
        prompt_versions=prompt_versions,
        prompt_text=_prompt_text(prompt_versions),
        corpus_texts=len(train_records),
        corpus_heldout_texts=len(eval_records),
        corpus_descriptors=len(descriptor_vocabulary(train_records)),
        training_options=config.to_dict(),
    )
    card.base_model = base_model_id(config.base_model)
    return card


def card_data_from_model_dir(model_dir: str | os.PathLike[str], **overrides: Any) -> EmotionModelCardData:
    """Card data from the side files of a model directory (``sentence-emo train --output DIR``).

    For a directory without a ``README.md``; ``overrides``: any :class:`~hub_cards.EmotionModelCardData`
    field.
    """
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise FileNotFoundError(f"model directory not found: {model_dir}")
    unknown = sorted(set(overrides) - set(EmotionModelCardData.__dataclass_fields__))
    if unknown:
        raise TypeError(f"unknown card field(s) {unknown}; known: {sorted(EmotionModelCardData.__dataclass_fields__)}")
    info_file = model_dir / TRAINING_INFO_FILE
    info = _read_json(info_file) if info_file.is_file() else {}
    if not info:
        logger.warning("%s has no %s: the card will lack training details", model_dir, TRAINING_INFO_FILE)
    corpus = info.get("corpus") or {}
    calibration_file = model_dir / CALIBRATION_FILE
    calibration = _read_json(calibration_file) if calibration_file.is_file() else (info.get("calibration") or {})
    prompt_versions = list(corpus.get("prompt_versions") or [])
    data: dict[str, Any] = dict(
        teachers=[t for t in corpus.get("teachers") or [] if t and t != "unknown"],
        prompt_versions=prompt_versions,
        prompt_text=_prompt_text(prompt_versions),
        corpus_texts=corpus.get("texts"),
        corpus_heldout_texts=corpus.get("heldout_texts"),
        corpus_descriptors=corpus.get("descriptors"),
        calibration={k: v for k, v in calibration.items() if k not in ("format", "format_version")},
        label_calibration=dict(info.get("label_calibration") or {}),
        training_options=dict(info.get("config") or {}),
        train_metrics=dict(info.get("train") or {}),
        local_files_only=True,
    )
    data.update(overrides)
    card = EmotionModelCardData(**data)
    card.base_model = base_model_id((info.get("config") or {}).get("base_model"))
    return card


def model_card_for(model_dir: str | os.PathLike[str], model_id: str | None = None, *, results: Any = None,
                   dataset_id: str | None = None, model_name: str | None = None):
    """The ``huggingface_hub.ModelCard`` to publish for a trained model directory.

    The directory's ``README.md`` (written by ``model.save()`` during training), with ``model_id`` in the
    usage snippets, ``dataset_id`` in the metadata and ``results`` (:class:`hub_cards.EvalResultEntry`
    list, results dict or results JSON path) as ``model-index`` (named ``model_id``, else ``model_name``, else
    the folder name) and a results table. Without a ``README.md``, sentence-transformers renders one from
    the model and :func:`card_data_from_model_dir`.
    """
    model_dir = Path(model_dir)
    card_file = model_dir / CARD_FILE
    if card_file.is_file():
        text = card_file.read_text(encoding="utf-8")
    else:
        text = render_card_for_model_dir(model_dir)
    return prepare_model_card(text, model_id=model_id, model_name=model_name or model_dir.name, results=results,
                              dataset_id=dataset_id)


def render_card_for_model_dir(model_dir: str | os.PathLike[str], **overrides: Any) -> str:
    """sentence-transformers' card (with the emotion sections) for a saved model that has none."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.model_card import generate_model_card

    data = card_data_from_model_dir(model_dir, **overrides)
    model = SentenceTransformer(str(model_dir), device="cpu", model_card_data=data)
    return generate_model_card(model)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CardError(f"{path}: invalid JSON ({exc.msg}); re-run training or fix the file") from exc
    if not isinstance(data, dict):
        raise CardError(f"{path}: expected a JSON object")
    return data


def _prompt_text(prompt_versions: Sequence[str]) -> str | None:
    """The system prompt when every text was annotated with the paper's descriptor prompt."""
    from sentence_emo.annotate.prompts import DESCRIPTOR_PROMPT

    return DESCRIPTOR_PROMPT.system if list(prompt_versions) == [DESCRIPTOR_PROMPT.version_id] else None
