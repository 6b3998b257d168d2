"""Zero-shot emotion recognition on any label set.

>>> clf = EmotionZeroShot.from_pretrained("emo-distill")                   # doctest: +SKIP
>>> clf.predict(["I miss her so much."], ["joy", "sadness", "anger"])     # doctest: +SKIP
[EmotionPrediction(text='I miss her so much.', labels=['sadness'], scores={...})]

Labels are embedded by the same encoder as texts: as plain names, as ``{name: description}``
(the description is embedded, the name reported), and optionally through a template such as
``"This text expresses {}."``.

Probabilities: with an ``emotion_label_calibration.json`` (written by ``sentence-emo calibrate`` and
at the end of ``sentence-emo train``) ``predict_proba`` gives, per label, the probability that the
label applies (:mod:`sentence_emo.label_calibration`), and ``predict(texts, labels)`` without a
threshold uses the default rule fitted with it. Without that file they fall back to the training
calibration ``sigmoid(s * cos + b)`` (:mod:`sentence_emo.calibration`) and ``p >= 0.5``.
"""

from __future__ import annotations

import logging
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sentence_emo.calibration import Calibration
from sentence_emo.files import CENTERING_FILE
from sentence_emo.labels import (  # label-set helpers keep their old import path here (see __all__)
    AROUSAL_NEGATIVE,
    AROUSAL_POSITIVE,
    DEFAULT_ANCHORS,
    DEFAULT_CENTERING,
    DEFAULT_LABEL_TEMPLATE,
    DEFAULT_PROTOTYPES,
    VALENCE_NEGATIVE,
    VALENCE_POSITIVE,
    Labels,
    Template,
    _materialise,
    check_template,
    default_prototype_vocabulary,
    expand_with_prototypes,
    label_templates,
    normalise_labels,
)
from sentence_emo.label_calibration import LabelCalibration, apply_rule, load_centering, neutral_index

logger = logging.getLogger(__name__)

__all__ = [
    "AROUSAL_NEGATIVE", "AROUSAL_POSITIVE", "DEFAULT_ANCHORS", "DEFAULT_CENTERING", "DEFAULT_LABEL_TEMPLATE",
    "DEFAULT_PROTOTYPES", "EmotionPrediction", "EmotionZeroShot", "Labels", "Template", "VALENCE_NEGATIVE",
    "VALENCE_POSITIVE", "check_template", "decide", "default_prototype_vocabulary", "expand_with_prototypes",
    "label_templates", "normalise_labels", "validate_texts",
]


@dataclass
class EmotionPrediction:
    """The decision for one text: ``labels`` chosen, ``scores`` = probability per label.

    ``low_confidence`` is True when no label passed the default rule and the label is its fallback
    (the best label, as the set has no ``neutral``).
    """

    text: str
    labels: list[str]
    scores: dict[str, float] = field(repr=False)
    low_confidence: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "labels": self.labels, "scores": self.scores, "low_confidence": self.low_confidence}


def validate_texts(texts: str | Sequence[str]) -> list[str]:
    """A list of non-empty strings, or a ValueError/TypeError naming the bad item."""
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, Sequence) and not hasattr(texts, "__iter__"):
        raise TypeError(f"texts must be a string or a list of strings, got {type(texts).__name__}")
    texts = list(texts)
    if not texts:
        raise ValueError("no texts given: pass at least one non-empty string")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text #{i} must be a string, got {type(text).__name__}: {text!r}")
        if not text.strip():
            raise ValueError(f"text #{i} is empty; remove it or give it content")
    return texts


class EmotionZeroShot:
    """Score texts against any emotion label set with a distilled sentence-transformers encoder."""

    def __init__(self, model: Any, calibration: Calibration | None = None, *, template: str | None = None,
                 label_template: str | None = None, centering: bool | None = None,
                 label_calibration: LabelCalibration | None = None, centering_vector: np.ndarray | None = None,
                 prototypes: int | None = None, prototype_vocabulary: Sequence[str] | None = None,
                 batch_size: int = 64, show_progress_bar: bool | None = None) -> None:
        """``label_template`` is an alias of ``template``; ``centering`` subtracts ``centering_vector`` (the
        stored mean text embedding) from text embeddings before the cosine. ``centering=None`` follows the
        label calibration (it must see the similarities it was fitted on), else :data:`DEFAULT_CENTERING`.
        ``prototypes=k`` adds to each label embedding the mean of its k nearest words of
        ``prototype_vocabulary`` (default: the shipped corpus's descriptors); ``None`` follows the label
        calibration, else :data:`DEFAULT_PROTOTYPES`; 0 turns it off."""
        if template is not None and label_template is not None and template != label_template:
            raise ValueError(f"template={template!r} and label_template={label_template!r} disagree; "
                             f"label_template is the same option, pass only one")
        self.model = model
        self.calibration = calibration or Calibration.uncalibrated()
        self.label_calibration = label_calibration
        chosen = template if template is not None else label_template
        if chosen is None:
            chosen = label_calibration.template if label_calibration is not None else DEFAULT_LABEL_TEMPLATE
        elif label_calibration is not None and label_templates(chosen) != label_templates(label_calibration.template):
            logger.warning("label template %r differs from the one the label calibration was fitted with (%r); "
                           "probabilities may be off, refit with 'sentence-emo calibrate MODEL --template ...'",
                           chosen, label_calibration.template)
        self.template = chosen
        if centering is None:
            centering = label_calibration.centering if label_calibration is not None else DEFAULT_CENTERING
        elif label_calibration is not None and bool(centering) != label_calibration.centering:
            logger.warning("centering=%s but the label calibration was fitted with centering=%s; probabilities may "
                           "be off, refit with 'sentence-emo calibrate MODEL --force'", centering,
                           label_calibration.centering)
        if centering and centering_vector is None:
            raise ValueError(f"centering=True needs the mean text embedding ({CENTERING_FILE}); compute it with "
                             "'sentence-emo calibrate MODEL --centering --force' or pass centering=False")
        self.centering = bool(centering)
        fitted = getattr(label_calibration, "prototypes", None) if label_calibration is not None else None
        if prototypes is None:
            prototypes = fitted if fitted is not None else DEFAULT_PROTOTYPES
        elif fitted is not None and int(prototypes) != fitted:
            logger.warning("prototypes=%s but the label calibration was fitted with prototypes=%s; probabilities may "
                           "be off, refit with 'sentence-emo calibrate MODEL --force'", prototypes, fitted)
        if isinstance(prototypes, bool) or not isinstance(prototypes, numbers.Integral) or prototypes < 0:
            raise ValueError(f"prototypes must be an integer >= 0 (0 = off), got {prototypes!r}")
        self.prototypes = int(prototypes)
        self.prototype_vocabulary = None if prototype_vocabulary is None else list(prototype_vocabulary)
        self._prototype_emb: np.ndarray | None = None
        self.centering_vector = None if centering_vector is None else np.asarray(centering_vector, dtype=np.float32)
        self.batch_size = batch_size
        self.show_progress_bar = show_progress_bar
        self._label_cache: dict[str, np.ndarray] = {}

    @property
    def label_template(self) -> Template:
        return self.template

    @classmethod
    def from_pretrained(cls, model_name_or_path: str, *, device: str | None = None, revision: str | None = None,
                        token: str | bool | None = None, backend: str = "torch",
                        model_kwargs: dict[str, Any] | None = None, label_calibration: bool = True,
                        **kwargs: Any) -> EmotionZeroShot:
        """Load a local model dir or a Hub repo id, with its ``emotion_calibration.json`` and (unless
        ``label_calibration=False``) ``emotion_label_calibration.json`` and ``emotion_centering.npy``.

        ``backend="onnx"`` / ``"onnx-int8"`` run a project ONNX export with onnxruntime on the CPU
        (:mod:`sentence_emo.onnx_export`; local dirs only, exported on first use).
        """
        from sentence_transformers import SentenceTransformer

        from sentence_emo.models import resolve_base_model

        path = resolve_base_model(model_name_or_path)
        looks_like_repo_id = str(path).count("/") == 1 and not str(path).startswith((".", "/", "~"))
        if not Path(path).exists() and not looks_like_repo_id:
            raise FileNotFoundError(
                f"model {model_name_or_path!r} is neither a local directory nor an 'org/name' Hub repo id; "
                f"train one with 'sentence-emo train --output {model_name_or_path}'"
            )
        from sentence_emo.errors import is_connection_error, is_safetensors_error, not_local_nor_hub

        try:
            if backend in ("onnx", "onnx-int8"):  # project export (sentence_emo.onnx_export), local dirs only
                from sentence_emo.onnx_export import load_onnx_encoder

                model = load_onnx_encoder(path, backend, device=device, revision=revision, token=token,
                                          model_kwargs=model_kwargs)
            else:
                model = SentenceTransformer(path, device=device, revision=revision, token=token, backend=backend,
                                            model_kwargs=model_kwargs)
            calibration = Calibration.load(path, revision=revision, token=token)
            label_cal = LabelCalibration.load(path, revision=revision, token=token) if label_calibration else None
            vector = load_centering(path, revision=revision, token=token)
        except Exception as exc:
            if not Path(path).exists() and (is_connection_error(exc) or isinstance(exc, OSError)):
                raise not_local_nor_hub(str(model_name_or_path), exc) from exc
            if is_safetensors_error(exc):
                raise ValueError(f"model {model_name_or_path!r}: its weights file is damaged ({exc}); copy or "
                                 f"train the model again") from exc
            raise
        if label_cal is None and label_calibration and calibration.trained:
            logger.info("%s has no label calibration: predict() without a threshold uses p >= 0.5 of the training "
                        "calibration; run 'sentence-emo calibrate %s' for label probabilities", path, path)
        if kwargs.get("centering") is None and vector is None and (
                label_cal.centering if label_cal is not None else DEFAULT_CENTERING):
            logger.warning("%s has no %s: centering is off; run 'sentence-emo calibrate %s --centering --force'",
                           path, CENTERING_FILE, path)
            kwargs["centering"] = False
        return cls(model, calibration, label_calibration=label_cal, centering_vector=vector, **kwargs)

    # -- embeddings -----------------------------------------------------------------------------
    def _encode(self, strings: list[str]) -> np.ndarray:
        return np.asarray(self.model.encode(strings, batch_size=self.batch_size, normalize_embeddings=True,
                                            convert_to_numpy=True, show_progress_bar=self.show_progress_bar),
                          dtype=np.float32)

    def encode_texts(self, texts: str | Sequence[str]) -> np.ndarray:
        """Normalised text embeddings (centred, then re-normalised, when ``centering`` is on); warns once
        (with counts) about texts that are mostly unknown tokens or get truncated, and reads the emoji of
        mostly-unknown texts by name (:mod:`sentence_emo.text_checks`)."""
        from sentence_emo.text_checks import prepare_texts

        emb = self._encode(prepare_texts(validate_texts(texts), self.model))
        if self.centering and self.centering_vector is not None:
            if self.centering_vector.shape != emb.shape[1:]:
                raise ValueError(f"the centering vector has {self.centering_vector.shape[0]} dimensions, the encoder "
                                 f"{emb.shape[1]}; refit it with 'sentence-emo calibrate MODEL --force'")
            emb = emb - self.centering_vector
            emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
        return emb

    def encode_labels(self, labels: Labels, template: Template = None) -> np.ndarray:
        """Normalised label embeddings; each distinct label string is encoded once and cached. With
        several templates, a label's embedding is the normalised mean over its templated strings."""
        templates = label_templates(template if template is not None else self.template)
        total: np.ndarray | None = None
        for tpl in templates:
            _, strings = normalise_labels(labels, None if tpl == "{}" else tpl)
            todo = [s for s in dict.fromkeys(strings) if s not in self._label_cache]
            if todo:
                for s, emb in zip(todo, self._encode(todo)):
                    self._label_cache[s] = emb
            emb = np.stack([self._label_cache[s] for s in strings])
            total = emb if total is None else total + emb
        if len(templates) > 1:
            total = total / np.maximum(np.linalg.norm(total, axis=1, keepdims=True), 1e-12)
        if self.prototypes:
            total = expand_with_prototypes(total, self.prototype_embeddings(), self.prototypes)
        return total

    def prototype_embeddings(self) -> np.ndarray:
        """Embeddings of the prototype vocabulary (computed once per classifier)."""
        if self._prototype_emb is None:
            if self.prototype_vocabulary is None:
                self.prototype_vocabulary = default_prototype_vocabulary()
            if not self.prototype_vocabulary:
                raise ValueError("prototype_vocabulary is empty; pass emotion words or prototypes=0")
            self._prototype_emb = self._encode(list(self.prototype_vocabulary))
        return self._prototype_emb

    # -- scores ---------------------------------------------------------------------------------
    def similarities(self, texts: str | Sequence[str], labels: Labels, template: str | None = None,
                     text_embeddings: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity, shape ``(n_texts, n_labels)``."""
        label_emb = self.encode_labels(labels, template)
        text_emb = self.encode_texts(texts) if text_embeddings is None else text_embeddings
        return text_emb @ label_emb.T

    def predict_proba(self, texts: str | Sequence[str], labels: Labels, template: str | None = None) -> np.ndarray:
        """Probability that each label applies, shape ``(n_texts, n_labels)``; each label's probability
        depends only on the text and that label. Uses the label calibration when the model has one,
        else the training calibration."""
        labels = _materialise(labels)
        return self._probabilities(self.similarities(texts, labels, template))

    def _probabilities(self, sims: np.ndarray) -> np.ndarray:
        if self.label_calibration is not None:
            return self.label_calibration.probabilities(sims)
        return self.calibration.probabilities(sims)

    def softmax_scale(self) -> float:
        """Temperature of single-label mode: the scale learnt in distillation (or the label calibration's)."""
        if self.calibration.trained:
            return self.calibration.scale
        return self.label_calibration.scale if self.label_calibration is not None else 1.0

    def predict(self, texts: str | Sequence[str], labels: Labels, *, multi_label: bool = True,
                threshold: float | None = None, top_k: int | None = None,
                template: str | None = None) -> list[EmotionPrediction]:
        """Decide labels per text.

        * ``multi_label=True`` without ``threshold``/``top_k``: the model's default rule (see
          :mod:`sentence_emo.label_calibration`): labels with a high enough probability or close to
          the text's best label; never an empty list (``neutral`` when the set has it and nothing
          fits, else the best label with ``low_confidence=True``). Models without a label calibration
          use ``p >= 0.5`` with the same fallback.
        * ``threshold``: exactly the labels with probability >= ``threshold`` (may be none), capped
          at the ``top_k`` best when given; ``top_k`` alone: exactly the ``top_k`` best labels.
        * ``multi_label=False``: the single best label; ``scores`` are a distribution over the label
          set summing to 1 (softmax of the cosines times the learnt scale).
        """
        texts = validate_texts(texts)
        labels = _materialise(labels)
        names, _ = normalise_labels(labels)
        label_templates(template if template is not None else self.template)  # validates
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold is a probability in [0, 1], got {threshold!r}")
        if isinstance(top_k, numbers.Integral) and not isinstance(top_k, bool):
            top_k = int(top_k)  # numpy integers too
        if top_k is not None and not (isinstance(top_k, int) and not isinstance(top_k, bool)
                                      and 1 <= top_k <= len(names)):
            raise ValueError(f"top_k must be an integer between 1 and the number of labels ({len(names)}), got {top_k!r}")
        sims = self.similarities(texts, labels, template).astype(np.float64)
        low = np.zeros(len(texts), dtype=bool)
        if not multi_label:
            logits = sims * self.softmax_scale()
            probs = np.exp(logits - logits.max(axis=1, keepdims=True))
            probs /= probs.sum(axis=1, keepdims=True)
            decided = decide(probs, multi_label=False)
        else:
            probs = self._probabilities(sims)
            if threshold is None and top_k is None:
                if self.label_calibration is not None:
                    decided, low = self.label_calibration.decide(sims, names)
                else:
                    decided, low = apply_rule(sims, probs, 0.5, -1.0, 0.0, neutral_index(names))
            else:
                decided = decide(probs, multi_label=True, threshold=threshold, top_k=top_k)
        predictions = []
        for i, (text, mask) in enumerate(zip(texts, decided)):
            chosen = np.flatnonzero(mask)
            chosen = chosen[np.argsort(-probs[i, chosen], kind="stable")]
            predictions.append(EmotionPrediction(text=text, labels=[names[j] for j in chosen],
                                                 scores={n: float(p) for n, p in zip(names, probs[i])},
                                                 low_confidence=bool(low[i])))
        return predictions

    def score(self, texts: str | Sequence[str], positive: Sequence[str], negative: Sequence[str] = (),
              template: str | None = None, text_embeddings: np.ndarray | None = None) -> np.ndarray:
        """Continuous dimension (e.g. valence): mean cosine to ``positive`` anchors minus mean to ``negative``
        (``text_embeddings``: the texts' :meth:`encode_texts`, when already computed)."""
        if isinstance(positive, str) or isinstance(negative, str):
            raise TypeError("positive and negative must be lists of anchor words, not a single string")
        if not positive:
            raise ValueError("score() needs at least one positive anchor, e.g. ['pleasant', 'happy']")
        text_emb = self.encode_texts(texts) if text_embeddings is None else text_embeddings
        result = self.similarities(texts, list(positive), template, text_emb).mean(axis=1)
        if negative:
            result = result - self.similarities(texts, list(negative), template, text_emb).mean(axis=1)
        return result


def decide(probs: np.ndarray, *, multi_label: bool = True, threshold: float | None = 0.5,
           top_k: int | None = None) -> np.ndarray:
    """Boolean decisions ``(n, L)`` from scores: argmax, top-k, threshold, or threshold capped at top-k.

    >>> decide(np.array([[0.9, 0.6, 0.1]]), threshold=0.5).tolist()
    [[True, True, False]]
    >>> decide(np.array([[0.9, 0.6, 0.1]]), threshold=0.5, top_k=1).tolist()
    [[True, False, False]]
    >>> decide(np.array([[0.2, 0.3, 0.1]]), multi_label=False).tolist()
    [[False, True, False]]
    """
    probs = np.asarray(probs)
    out = np.zeros(probs.shape, dtype=bool)
    if not multi_label:
        out[np.arange(len(probs)), probs.argmax(axis=1)] = True
        return out
    if threshold is not None:
        out = probs >= threshold
    if top_k is not None:
        order = np.argsort(-probs, axis=1, kind="stable")[:, :top_k]
        top = np.zeros_like(out)
        np.put_along_axis(top, order, True, axis=1)
        out = top if threshold is None else (out & top)
    return out
