"""Calibration of cosine similarities into emotion probabilities.

The sigmoid loss learns a scale ``s`` and a bias ``b`` so that ``sigmoid(s * cos(t, l) + b)``
is the probability that descriptor/label ``l`` applies to text ``t``. The encoder itself is a
stock :class:`~sentence_transformers.SentenceTransformer` (loadable without
``trust_remote_code``); ``s`` and ``b`` are stored beside it in ``emotion_calibration.json``::

    {
      "format": "sentence-emo/calibration",
      "format_version": 1,
      "similarity": "cosine",
      "scale": 12.3,          # s = exp(logit_scale), multiplies the cosine similarity
      "bias": -9.8,           # b, added after scaling
      "logit_scale": 2.51,    # log(s), the trained parameter
      "trained": true         # false for an encoder that never saw the sigmoid loss
    }

A model directory without the file gets :meth:`Calibration.uncalibrated` (``s=1, b=0``):
rankings are unaffected but probabilities are then not meaningful, so thresholds should come
from a dev split.
"""

from __future__ import annotations

import json
import logging
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit

from sentence_emo.atomic import atomic_write
from sentence_emo.files import CALIBRATION_FILE, optional_model_file

logger = logging.getLogger(__name__)

FORMAT = "sentence-emo/calibration"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Calibration:
    """``p = sigmoid(scale * cos + bias)``; ``scale`` is unit-less (per unit of cosine)."""

    scale: float
    bias: float
    similarity: str = "cosine"
    trained: bool = True

    def __post_init__(self) -> None:
        for name in ("scale", "bias"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"calibration {name} must be a finite number, got {value!r}")
        if self.scale <= 0:
            raise ValueError(f"calibration scale must be > 0, got {self.scale!r}")
        if self.similarity != "cosine":
            raise ValueError(f"unsupported similarity {self.similarity!r}; only 'cosine' is supported")

    @classmethod
    def uncalibrated(cls) -> Calibration:
        return cls(scale=1.0, bias=0.0, trained=False)

    @property
    def logit_scale(self) -> float:
        return math.log(self.scale)

    @property
    def threshold_similarity(self) -> float:
        """The cosine similarity at which the probability is exactly 0.5 (``-b / s``)."""
        return -self.bias / self.scale

    def logits(self, similarities: Any) -> Any:
        return similarities * self.scale + self.bias

    def probabilities(self, similarities: Any) -> Any:
        """Works on numpy arrays and torch tensors alike."""
        logits = self.logits(similarities)
        if isinstance(logits, np.ndarray):
            return expit(logits)
        return logits.sigmoid()

    def to_dict(self) -> dict[str, Any]:
        data = {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}
        data["logit_scale"] = self.logit_scale
        return data

    def save(self, directory: str | os.PathLike[str]) -> Path:
        path = Path(directory) / CALIBRATION_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write(path, json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "<dict>") -> Calibration:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected a JSON object with 'scale' and 'bias', got {type(data).__name__}; "
                             f"re-save the model (or delete the file to use uncalibrated scores)")
        if data.get("format") not in (None, FORMAT):
            raise ValueError(f"{where}: not a sentence-emo calibration file (format={data.get('format')!r})")
        if int(data.get("format_version", 1)) > FORMAT_VERSION:
            raise ValueError(
                f"{where}: calibration format_version {data['format_version']} is newer than this sentence-emo "
                f"understands ({FORMAT_VERSION}); upgrade sentence-emo"
            )
        try:
            scale = float(data["scale"]) if "scale" in data else math.exp(float(data["logit_scale"]))
            bias = float(data["bias"])
        except KeyError as exc:
            raise ValueError(f"{where}: calibration file lacks field {exc.args[0]!r}") from exc
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"{where}: calibration scale and bias must be numbers, got scale="
                             f"{data.get('scale', data.get('logit_scale'))!r}, bias={data.get('bias')!r}; "
                             f"re-save the model") from None
        try:
            return cls(scale=scale, bias=bias, similarity=data.get("similarity", "cosine"),
                       trained=bool(data.get("trained", True)))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}; re-save the model") from None

    @classmethod
    def load(cls, model_path: str | os.PathLike[str], *, revision: str | None = None,
             token: str | bool | None = None, required: bool = False) -> Calibration:
        """Read ``emotion_calibration.json`` from a local model dir or a Hub repo id.

        Without the file (or offline), returns :meth:`uncalibrated` (or raises when ``required``).
        """
        path = optional_model_file(model_path, CALIBRATION_FILE, revision=revision, token=token)
        if path is None:
            if required:
                raise FileNotFoundError(f"{model_path} has no {CALIBRATION_FILE}; train it with sentence-emo or pass "
                                        f"calibration explicitly")
            logger.warning("%s has no %s: using uncalibrated scores (scale=1, bias=0); probabilities are not "
                           "meaningful, choose thresholds on a dev split", model_path, CALIBRATION_FILE)
            return cls.uncalibrated()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: invalid JSON in calibration file ({exc.msg}); re-save the model") from exc
        return cls.from_dict(data, where=str(path))
