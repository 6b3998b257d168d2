"""The model card: :class:`EmotionModelCardData` (what the card shows) and :func:`render_model_card`.

``sentence_emo.model_card.card_data_from_model_dir`` fills the card data from a trained model
directory; :func:`render_model_card` renders ``model_card.md.j2`` with
``huggingface_hub.ModelCard.from_template``.
"""

from __future__ import annotations

import math
import os
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from hub_cards.formatting import PAPER_CITATION, PAPER_TITLE, CardError, format_number, is_number, metric_display_name
from hub_cards.results import EvalResultEntry, coerce_entries

MODEL_CARD_TEMPLATE = Path(__file__).resolve().parent / "model_card.md.j2"

#: hyper-parameters shown in the model card, in this order (keys of ``TrainConfig``)
HYPERPARAMETERS = (
    ("epochs", "Epochs"), ("max_steps", "Max steps"), ("batch_size", "Batch size (per device)"),
    ("learning_rate", "Encoder learning rate"), ("calibration_learning_rate", "Scale/bias learning rate"),
    ("weight_decay", "Weight decay"), ("warmup_ratio", "Warm-up ratio"), ("max_seq_length", "Max sequence length"),
    ("init_scale", "Initial scale"), ("init_bias", "Initial bias"), ("extra_negatives", "Extra negatives per batch"),
    ("taxonomy", "Taxonomy"), ("taxonomy_weight", "Taxonomy term weight"), ("wise_ft_alpha", "WiSE-FT alpha"),
    ("eval_fraction", "Held-out fraction"), ("seed", "Seed"),
)
TRAIN_METRICS = (
    ("train_loss", "Final training loss"), ("epoch", "Epochs completed"), ("train_runtime", "Runtime (s)"),
    ("train_samples_per_second", "Texts per second"), ("world_size", "Processes"),
)
FRAMEWORKS = (("Python", None), ("sentence-emo", "sentence-emo"), ("Sentence Transformers", "sentence-transformers"),
              ("Transformers", "transformers"), ("PyTorch", "torch"), ("Datasets", "datasets"),
              ("huggingface_hub", "huggingface_hub"))

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
    """Everything the model card shows. After training, ``sentence_emo.model_card.card_data_from_model_dir``
    fills it from the model directory.

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
        self.eval_results = coerce_entries(self.eval_results)
        if self.calibration and "scale" in self.calibration and "bias" in self.calibration:
            for key in ("scale", "bias"):
                if not is_number(self.calibration[key]) or not math.isfinite(self.calibration[key]):
                    raise CardError(f"calibration {key} must be a finite number, got {self.calibration[key]!r}")


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



def render_model_card(card: EmotionModelCardData, template_path: str | os.PathLike[str] | None = None):
    """Render a ``huggingface_hub.ModelCard`` from :class:`EmotionModelCardData`."""
    from huggingface_hub import ModelCard

    if not isinstance(card, EmotionModelCardData):
        raise TypeError(f"card must be EmotionModelCardData, got {type(card).__name__}")
    return ModelCard.from_template(card.to_card_data(), template_path=str(template_path or MODEL_CARD_TEMPLATE),
                                   **card.template_context())


