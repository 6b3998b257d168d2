"""File names in a sentence-emo model directory, beside the sentence-transformers files (defined here only),
and the helpers :func:`sha256_file` (content hashes for provenance and cache keys) and
:func:`optional_model_file` (a side file of a local model directory or a Hub repo).

Everything else imports them from here: the writers (training, calibration, label calibration, ONNX
export), the readers (:class:`~sentence_emo.EmotionZeroShot`, ``push-model``) and the tests.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

#: the learnt ``p = sigmoid(s * cos + b)`` calibration (:mod:`sentence_emo.calibration`)
CALIBRATION_FILE = "emotion_calibration.json"
#: label probabilities and the default decision rule fitted on teacher texts (:mod:`sentence_emo.label_calibration`)
LABEL_CALIBRATION_FILE = "emotion_label_calibration.json"
#: the embedding centering vector of the label calibration and its provenance
CENTERING_FILE = "emotion_centering.npy"
CENTERING_INFO_FILE = "emotion_centering.json"
#: what ``sentence-emo train`` did (config, corpus, loss, calibration, metrics)
TRAINING_INFO_FILE = "sentence_emo_training.json"
#: training seconds spent up to a checkpoint (over every resumed invocation), in each checkpoint folder
TRAIN_CLOCK_FILE = "sentence_emo_train_clock.json"
#: held-out teacher texts written for the label calibration during training, deleted afterwards
LABEL_CALIBRATION_HELDOUT_FILE = ".label_calibration_heldout.jsonl"
#: the teacher encoder's embeddings of the training texts and descriptors, cached in the checkpoint folder
TEACHER_EMBEDDINGS_FILE = "teacher_embeddings.safetensors"
#: the model card (written by ``SentenceTransformer.save``; pushed by ``push-model``)
CARD_FILE = "README.md"
#: ``sentence-emo export-onnx`` (:mod:`sentence_emo.onnx_export`)
ONNX_FILE = "model.onnx"
ONNX_INT8_FILE = "model_int8.onnx"
EXPORT_INFO_FILE = "export_info.json"


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def optional_model_file(model_path: str | os.PathLike[str], filename: str, *, revision: str | None = None,
                        token: str | bool | None = None) -> Path | None:
    """``model_path/filename`` for a local dir, or the Hub copy; None when the model has no such file."""
    local = Path(model_path)
    if local.is_dir():
        path = local / filename
        return path if path.is_file() else None
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError, LocalEntryNotFoundError

    try:
        return Path(hf_hub_download(str(model_path), filename, revision=revision, token=token))
    except EntryNotFoundError:
        return None
    except LocalEntryNotFoundError:
        logger.warning("could not fetch %s for %s (offline?)", filename, model_path)
        return None
