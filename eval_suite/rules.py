"""Decision rules: how similarity scores become label decisions, and where thresholds come from.

Rules are written as short strings (``--rules top-1,calibrated+fallback,dev-tuned,dev-tuned-per-label``):

==========================  ==================================================================
``top-1``, ``top-k``        the k best-scoring labels (``argmax`` = ``top-1``)
``threshold=0.3``           every label with calibrated probability >= 0.3
``calibrated``              probability >= 0.5 under the model's own calibration
                            (``sigmoid(s*cos+b)`` learnt in distillation; needs a trained model)
``dev-tuned``               one global threshold maximising macro-F1 on a tuning split that is
                            never the test split (GoEmotions: GPT-4 teacher labels of dev)
``dev-tuned-per-label``     one threshold per label, each maximising that label's F1 on the same
                            tuning split; labels without a positive there use the ``dev-tuned`` one
``...+fallback``            "at least one label": a text with nothing above the threshold gets
                            its best label
==========================  ==================================================================

All thresholds act on cosine similarity internally (a probability threshold ``p`` is the cosine
``(logit(p) - b) / s``), so uncalibrated encoders work with ``top-k`` and the ``dev-tuned`` rules.

>>> [r.name for r in parse_rules("argmax, top-2, calibrated+fallback, dev-tuned, per-label, threshold=0.3")]
['top-1', 'top-2', 'calibrated+fallback', 'dev-tuned', 'dev-tuned-per-label', 'threshold=0.3']
>>> sims = np.array([[0.9, 0.5, 0.1], [0.2, 0.3, 0.25]])
>>> DecisionRule("threshold", threshold=0.5).decide(sims, Calibration(scale=10.0, bias=-5.0)).astype(int).tolist()
[[1, 1, 0], [0, 0, 0]]
>>> DecisionRule("threshold", threshold=0.5, at_least_one=True).decide(sims, Calibration(10.0, -5.0)).astype(int).tolist()
[[1, 1, 0], [0, 1, 0]]
>>> per_label = DecisionRule.parse("dev-tuned-per-label")  # one cosine threshold per label
>>> per_label.decide(sims, Calibration.uncalibrated(), tuned=np.array([0.8, 0.3, 0.2])).astype(int).tolist()
[[1, 1, 0], [0, 1, 1]]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from sentence_emo.calibration import Calibration
from sentence_emo.files import CALIBRATION_FILE
from sentence_emo.zero_shot import decide

KINDS = ("top_k", "threshold", "calibrated", "dev_tuned", "dev_tuned_per_label")
TUNED_KINDS = ("dev_tuned", "dev_tuned_per_label")
FALLBACK_SUFFIX = "+fallback"


class RuleNotApplicable(ValueError):
    """The rule cannot run for this model/dataset (e.g. ``calibrated`` on an uncalibrated encoder)."""


@dataclass(frozen=True)
class DecisionRule:
    kind: str
    k: int | None = None
    threshold: float | None = None
    at_least_one: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown rule kind {self.kind!r}; use one of {KINDS}")
        if self.kind == "top_k" and not (isinstance(self.k, int) and self.k >= 1):
            raise ValueError(f"top-k needs k >= 1, got {self.k!r}")
        if self.kind == "threshold" and (self.threshold is None or not 0.0 < self.threshold < 1.0):
            raise ValueError(f"threshold=p needs a probability strictly between 0 and 1, got {self.threshold!r}")
        if self.kind == "top_k" and self.at_least_one:
            raise ValueError("top-k always picks labels; '+fallback' only applies to threshold rules")

    @property
    def name(self) -> str:
        if self.kind == "top_k":
            return f"top-{self.k}"
        if self.kind == "threshold":
            base = f"threshold={self.threshold:g}"
        else:
            base = {"calibrated": "calibrated", "dev_tuned": "dev-tuned",
                    "dev_tuned_per_label": "dev-tuned-per-label"}[self.kind]
        return base + (FALLBACK_SUFFIX if self.at_least_one else "")

    @property
    def needs_tuning(self) -> bool:
        return self.kind in TUNED_KINDS

    @property
    def needs_calibration(self) -> bool:
        return self.kind in ("calibrated", "threshold")

    @classmethod
    def parse(cls, spec: str) -> DecisionRule:
        text = spec.strip().lower().replace("_", "-")
        fallback = text.endswith(FALLBACK_SUFFIX)
        if fallback:
            text = text[: -len(FALLBACK_SUFFIX)]
        if text in ("argmax", "top1"):
            return cls("top_k", k=1, at_least_one=False) if not fallback else _no_fallback(spec)
        m = re.fullmatch(r"top-?(\d+)", text)
        if m:
            return cls("top_k", k=int(m.group(1))) if not fallback else _no_fallback(spec)
        m = re.fullmatch(r"(?:threshold|fixed)[=:]([0-9.]+)", text)
        if m:
            try:
                value = float(m.group(1))
            except ValueError:
                raise ValueError(f"rule {spec!r}: threshold must be a number, e.g. threshold=0.3") from None
            return cls("threshold", threshold=value, at_least_one=fallback)
        if text == "calibrated":
            return cls("calibrated", at_least_one=fallback)
        if text in ("dev-tuned", "tuned", "dev"):
            return cls("dev_tuned", at_least_one=fallback)
        if text in ("dev-tuned-per-label", "tuned-per-label", "per-label"):
            return cls("dev_tuned_per_label", at_least_one=fallback)
        raise ValueError(f"unknown decision rule {spec!r}; use argmax, top-K, threshold=P, calibrated, dev-tuned, "
                         f"dev-tuned-per-label, optionally with '+fallback' (e.g. dev-tuned+fallback)")

    def cosine_threshold(self, calibration: Calibration,
                         tuned: float | np.ndarray | None = None) -> float | np.ndarray | None:
        """The cosine threshold the rule applies (None for top-k; one per label for dev-tuned-per-label)."""
        if self.kind == "top_k":
            return None
        if self.kind == "dev_tuned_per_label":
            if tuned is None:
                raise RuleNotApplicable(f"{self.name} needs per-label thresholds tuned on a tuning split; none were "
                                        f"given")
            return np.asarray(tuned, dtype=np.float64)
        if self.kind == "dev_tuned":
            if tuned is None:
                raise RuleNotApplicable("dev-tuned needs a threshold tuned on a tuning split; none was given")
            return float(tuned)
        if not calibration.trained:
            raise RuleNotApplicable(f"{self.name} needs a trained calibration ({CALIBRATION_FILE}); this "
                                    f"encoder is uncalibrated, use top-k or dev-tuned")
        p = 0.5 if self.kind == "calibrated" else float(self.threshold)  # type: ignore[arg-type]
        return (math.log(p / (1.0 - p)) - calibration.bias) / calibration.scale

    def decide(self, similarities: np.ndarray, calibration: Calibration,
               tuned: float | np.ndarray | None = None) -> np.ndarray:
        """Boolean decisions ``(n_texts, n_labels)`` from cosine similarities.

        ``tuned``: the tuned cosine threshold of ``dev-tuned``, or one per label (column) for
        ``dev-tuned-per-label``.
        """
        sims = np.asarray(similarities, dtype=np.float64)
        if self.kind == "top_k":
            if self.k > sims.shape[1]:  # type: ignore[operator]
                raise RuleNotApplicable(f"{self.name} needs at least {self.k} labels, the set has {sims.shape[1]}")
            return decide(sims, multi_label=True, threshold=None, top_k=self.k)
        t = self.cosine_threshold(calibration, tuned)
        if isinstance(t, np.ndarray) and t.shape != (sims.shape[1],):
            raise ValueError(f"{self.name}: got {t.size} thresholds for {sims.shape[1]} labels; tune one threshold "
                             f"per label on a tuning set with the same labels")
        out = decide(sims, multi_label=True, threshold=t, top_k=None)
        if self.at_least_one:
            out = with_fallback(out, sims)
        return out


def with_fallback(decisions: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Give each text without any label its best-scoring label."""
    out = np.array(decisions, dtype=bool, copy=True)
    empty = ~out.any(axis=1)
    if empty.any():
        out[np.flatnonzero(empty), np.asarray(scores)[empty].argmax(axis=1)] = True
    return out


def _no_fallback(spec: str) -> DecisionRule:
    raise ValueError(f"rule {spec!r}: top-k always picks labels, '+fallback' only applies to threshold rules")


def parse_rules(specs: str | list[str] | tuple[str, ...]) -> list[DecisionRule]:
    items = specs.split(",") if isinstance(specs, str) else list(specs)
    rules = [DecisionRule.parse(s) for s in items if s.strip()]
    if not rules:
        raise ValueError("no decision rules given; e.g. --rules top-1,calibrated,dev-tuned")
    names = [r.name for r in rules]
    return [r for i, r in enumerate(rules) if r.name not in names[:i]]


#: rules run on multi-label sets unless the caller chooses others
DEFAULT_RULES = ("top-1,calibrated,calibrated+fallback,dev-tuned,dev-tuned+fallback,dev-tuned-per-label,"
                 "dev-tuned-per-label+fallback")
