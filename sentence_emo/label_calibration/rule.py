"""The fitted label calibration: :class:`LabelCalibration` (per-label probability, the default decision
rule, its ``emotion_label_calibration.json``) and the model files it reads (:func:`load_centering`)."""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit

from sentence_emo.atomic import atomic_write
from sentence_emo.files import CENTERING_FILE, LABEL_CALIBRATION_FILE, optional_model_file
from sentence_emo.textfiles import read_json

logger = logging.getLogger(__name__)

FORMAT = "sentence-emo/label-calibration"
FORMAT_VERSION = 1
#: label names treated as "no emotion" by the default rule's fallback (compared case-insensitively)
NEUTRAL_NAMES = ("neutral", "no emotion", "none")


def neutral_index(names: Sequence[str]) -> int | None:
    """Index of the first neutral-like label (``neutral``, ``no emotion``, ``none``), or None."""
    for j, name in enumerate(names):
        if name.strip().casefold() in NEUTRAL_NAMES:
            return j
    return None


@dataclass(frozen=True)
class LabelCalibration:
    """``p = sigmoid(scale * cos + bias)`` per label, plus the default multi-label decision rule."""

    scale: float
    bias: float
    threshold: float = 0.5
    margin: float = -1.0  # cosine units; < 0 disables the relative-to-best part
    min_probability: float = 0.0
    #: how the similarities were computed when this was fitted (the predictor must use the same)
    centering: bool = False
    template: str | tuple[str, ...] | None = None
    #: prototype expansion (:class:`~sentence_emo.zero_shot.EmotionZeroShot` ``prototypes``); None = unknown (old files)
    prototypes: int | None = None
    method: str = "platt"
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)
    fit_quality: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for name in ("scale", "bias", "threshold", "margin", "min_probability"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"label calibration {name} must be a finite number, got {value!r}")
        if self.scale <= 0:
            raise ValueError(f"label calibration scale must be > 0 (probability rises with cosine), got {self.scale!r}")
        if not 0.0 <= self.threshold <= 1.0 + 1e-9 or not 0.0 <= self.min_probability <= 1.0:
            raise ValueError(f"threshold and min_probability are probabilities in [0, 1], got {self.threshold!r} "
                             f"and {self.min_probability!r}")

    # -- scores and decisions --------------------------------------------------------------------
    def probabilities(self, similarities: Any) -> np.ndarray:
        """Per-label probability that the label applies; independent of the other labels."""
        return expit(np.asarray(similarities, dtype=np.float64) * self.scale + self.bias)

    def decide(self, similarities: Any, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(keep (n, L) bool, low_confidence (n,) bool)`` under the default rule (see module doc)."""
        sims = np.asarray(similarities, dtype=np.float64)
        if sims.ndim != 2 or sims.shape[1] != len(names):
            raise ValueError(f"similarities must be (texts x {len(names)} labels), got shape {sims.shape}")
        return apply_rule(sims, self.probabilities(sims), self.threshold, self.margin, self.min_probability,
                          neutral_index(names))

    # -- files -----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "method": data.pop("method"),
            "probability": {"formula": "sigmoid(scale * cos + bias)", "scale": self.scale, "bias": self.bias,
                            "cosine_at_p_0.5": -self.bias / self.scale},
            "decision_rule": {
                "formula": "keep j iff p_j >= threshold or (cos_best - cos_j <= margin and p_j >= min_probability); "
                           "nothing kept -> neutral label if the set has one, else the best label (low_confidence)",
                "threshold": self.threshold, "margin": self.margin, "min_probability": self.min_probability,
                "neutral_names": list(NEUTRAL_NAMES),
            },
            "similarity": {"measure": "cosine", "centering": self.centering,
                           "template": list(self.template) if isinstance(self.template, tuple) else self.template,
                           "prototypes": self.prototypes},
            "provenance": self.provenance,
            "fit_quality": self.fit_quality,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "<dict>") -> LabelCalibration:
        if data.get("format") != FORMAT:
            raise ValueError(f"{where}: not a sentence-emo label calibration file (format={data.get('format')!r})")
        if int(data.get("format_version", 1)) > FORMAT_VERSION:
            raise ValueError(f"{where}: label calibration format_version {data['format_version']} is newer than this "
                             f"sentence-emo understands ({FORMAT_VERSION}); upgrade sentence-emo")
        try:
            prob, rule, sim = data["probability"], data["decision_rule"], data.get("similarity", {})
            return cls(scale=float(prob["scale"]), bias=float(prob["bias"]), threshold=float(rule["threshold"]),
                       margin=float(rule["margin"]), min_probability=float(rule.get("min_probability", 0.0)),
                       centering=bool(sim.get("centering", False)),
                       template=tuple(sim["template"]) if isinstance(sim.get("template"), list) else sim.get("template"),
                       prototypes=None if sim.get("prototypes") is None else int(sim["prototypes"]),
                       method=str(data.get("method", "platt")), provenance=dict(data.get("provenance") or {}),
                       fit_quality=dict(data.get("fit_quality") or {}))
        except KeyError as exc:
            raise ValueError(f"{where}: label calibration file lacks field {exc.args[0]!r}; refit it with "
                             f"'sentence-emo calibrate MODEL --force'") from exc

    def save(self, directory: str | os.PathLike[str]) -> Path:
        path = Path(directory) / LABEL_CALIBRATION_FILE
        atomic_write(path, json.dumps(self.to_dict(), indent=2) + "\n")
        return path

    @classmethod
    def load(cls, model_path: str | os.PathLike[str], *, revision: str | None = None,
             token: str | bool | None = None) -> LabelCalibration | None:
        """Read ``emotion_label_calibration.json`` from a model dir or Hub repo; None when it has none."""
        path = optional_model_file(model_path, LABEL_CALIBRATION_FILE, revision=revision, token=token)
        if path is None:
            return None
        data = read_json(path, fix="refit with 'sentence-emo calibrate MODEL --force'")
        return cls.from_dict(data, where=str(path))


def apply_rule(sims: np.ndarray, probs: np.ndarray, threshold: float, margin: float, min_probability: float,
               neutral: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The default rule on precomputed probabilities (see the module doc)."""
    keep = probs >= threshold
    if margin >= 0:
        keep |= ((sims.max(axis=1, keepdims=True) - sims) <= margin) & (probs >= min_probability)
    low = np.zeros(len(sims), dtype=bool)
    empty = np.flatnonzero(~keep.any(axis=1))
    if empty.size:
        if neutral is not None:
            keep[empty, neutral] = True
        else:
            keep[empty, sims[empty].argmax(axis=1)] = True
            low[empty] = True
    return keep, low


def load_centering(model_path: str | os.PathLike[str], *, revision: str | None = None,
                   token: str | bool | None = None) -> np.ndarray | None:
    """The stored mean text embedding (``emotion_centering.npy``), or None."""
    path = optional_model_file(model_path, CENTERING_FILE, revision=revision, token=token)
    if path is None:
        return None
    vector = np.load(path)
    if vector.ndim != 1 or not np.all(np.isfinite(vector)):
        raise ValueError(f"{path}: expected a finite 1-D mean embedding, got shape {vector.shape}; refit with "
                         f"'sentence-emo calibrate MODEL --force'")
    return vector.astype(np.float32)
