"""The model card: sentence-transformers' own card, extended with the emotion sections.

:class:`EmotionModelCardData` is a ``SentenceTransformerModelCardData`` (as SetFit's
``SetFitModelCardData``): pass it as ``SentenceTransformer(..., model_card_data=...)`` and the trainer's
model-card callback fills it (hyper-parameters, loss config and citation, datasets, evaluator metrics,
training logs, framework versions) while ``sentence_emo.training`` adds the emotion fields. Every
``model.save()`` then writes ``README.md`` from ``model_card.md.j2``, which extends sentence-transformers'
template: :func:`sentence_transformers_template` adds empty Jinja blocks at a few anchors of that
template and ``model_card.md.j2`` fills them (zero-shot usage and calibration, teacher provenance and
training corpus, benchmark results, intended use and limitations).

:func:`prepare_model_card` turns such a card into the one to publish: the model id filled in, the
training dataset linked and benchmark results added (``model-index`` and a results table).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from sentence_transformers.sentence_transformer.model_card import SentenceTransformerModelCardData

from hub_cards.formatting import (
    PAPER_CITATION,
    PAPER_TITLE,
    CardError,
    format_number,
    is_number,
    strip_local_paths,
)
from hub_cards.results import EvalResultEntry, coerce_entries

MODEL_CARD_TEMPLATE = Path(__file__).resolve().parent / "model_card.md.j2"
RESULTS_TEMPLATE = Path(__file__).resolve().parent / "model_card_results.md.j2"
#: sentence-transformers' model card template, which ``model_card.md.j2`` extends
SENTENCE_TRANSFORMERS_TEMPLATE: Path = SentenceTransformerModelCardData.__dataclass_fields__["template_path"].default
#: the model id sentence-transformers writes into usage snippets until the model has one
MODEL_ID_PLACEHOLDER = "sentence_transformers_model_id"
#: (block, anchor in sentence-transformers' template, insert the block "before" or "after" the anchor)
TEMPLATE_BLOCKS = (
    ("intro", "\n\n## Model Details", "before"),
    ("usage", "{{ usage_snippet }}\n", "after"),
    ("evaluation", "<!--\n## Bias, Risks and Limitations", "before"),
    ("training", "## Training Details\n", "after"),
    ("versions", '- Tokenizers: {{ version["tokenizers"] }}\n', "after"),
)
#: the benchmark results sit between these markers, so that :func:`prepare_model_card` can (re)place them
RESULTS_START, RESULTS_END = "<!-- sentence-emo:benchmarks -->", "<!-- /sentence-emo:benchmarks -->"
PAPER_KEY = "niu2025contrastive"


@lru_cache(maxsize=None)
def sentence_transformers_template(path: Path = SENTENCE_TRANSFORMERS_TEMPLATE):
    """sentence-transformers' card template (a ``jinja2.Template``) with the empty :data:`TEMPLATE_BLOCKS`."""
    import jinja2

    text = Path(path).read_text(encoding="utf-8")
    for name, anchor, where in TEMPLATE_BLOCKS:
        if text.count(anchor) != 1:
            raise CardError(f"sentence-transformers' model card template {path} has {text.count(anchor)} copies of "
                            f"{anchor!r} (expected 1); update hub_cards.model_card.TEMPLATE_BLOCKS for this "
                            f"sentence-transformers version")
        block = "{% block " + name + " %}{% endblock %}"
        text = text.replace(anchor, block + anchor if where == "before" else anchor + block)
    return jinja2.Template(text)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _option_value(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(format_number(v) for v in value) or "[]"
    return format_number(value)


@dataclass
class EmotionModelCardData(SentenceTransformerModelCardData):
    """sentence-transformers' card data plus what the emotion sections show.

    ``sentence_emo.training`` fills the emotion fields during training (``calibration`` whenever the
    trainer saves); ``sentence_emo.model_card.card_data_from_model_dir`` fills them from the side files
    of a model directory that has no card yet.
    """

    language: str | list[str] | None = field(default_factory=lambda: ["en"])
    license: str | None = "apache-2.0"
    task_name: str = "zero-shot emotion recognition against any emotion label set, and semantic textual similarity"
    tags: list[str] = field(default_factory=lambda: [
        "sentence-transformers", "sentence-similarity", "feature-extraction", "dense", "emotion",
        "emotion-recognition", "zero-shot-classification", "distillation", "sentence-emo"])
    #: teacher LLM(s) and descriptor prompt version(s) of the training corpus
    teachers: list[str] = field(default_factory=list)
    prompt_versions: list[str] = field(default_factory=list)
    prompt_text: str | None = None
    corpus_texts: int | None = None
    corpus_heldout_texts: int | None = None
    corpus_descriptors: int | None = None
    #: the learnt ``p = sigmoid(s * cos + b)`` calibration (``Calibration.to_dict()``)
    calibration: dict[str, Any] = field(default_factory=dict)
    #: summary of the label calibration fitted after training (or ``{"skipped": reason}``)
    label_calibration: dict[str, Any] = field(default_factory=dict)
    #: the sentence-emo training options (``TrainConfig.to_dict()``) and the trainer's final metrics
    training_options: dict[str, Any] = field(default_factory=dict)
    train_metrics: dict[str, Any] = field(default_factory=dict)

    template_path: Path = field(default=MODEL_CARD_TEMPLATE, init=False, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        cal = self.calibration
        if cal and "scale" in cal and "bias" in cal:
            for key in ("scale", "bias"):
                if not is_number(cal[key]) or not math.isfinite(cal[key]):
                    raise CardError(f"calibration {key} must be a finite number, got {cal[key]!r}")

    def get_default_model_name(self) -> str:
        base = f" based on {self.base_model}" if self.base_model else ""
        return f"Zero-shot emotion encoder{base}"

    def get_training_duration_data(self) -> dict[str, str | None]:
        """The trainer's ``train_runtime`` once training is over (the card is rewritten after the steps that
        follow training, which sentence-transformers would count as training time)."""
        runtime = self.train_metrics.get("train_runtime")
        if not is_number(runtime):
            return super().get_training_duration_data()
        from sentence_transformers.base.model_card import format_duration

        evaluation = self.evaluation_duration
        return {"training_time": format_duration(max(runtime - evaluation, 0.0)),
                "evaluation_time": format_duration(evaluation) if evaluation else None,
                "total_time": format_duration(runtime) if evaluation else None}

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()  # the same dict sentence-transformers caches for to_yaml()
        # model-index is for benchmark results (prepare_model_card); the evaluators' metrics (e.g. on the
        # held-out teacher texts, which are no Hub dataset) stay in the card's Evaluation section
        data.pop("model-index", None)
        data.update(self.emotion_context(data))
        return data

    def emotion_context(self, data: dict[str, Any]) -> dict[str, Any]:
        """What ``model_card.md.j2`` adds to sentence-transformers' template variables (pre-formatted)."""
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
        citations = dict(data.get("citations") or {})
        if not any(PAPER_KEY in c for c in citations.values()):
            citations["sentence-emo"] = PAPER_CITATION
        corpus_text = None
        if self.corpus_texts is not None:
            held_out = f" (+ {self.corpus_heldout_texts} held out)" if self.corpus_heldout_texts else ""
            corpus_text = f"{self.corpus_texts} texts{held_out}, {self.corpus_descriptors} distinct descriptors"
        return {
            "sentence_transformers_template": sentence_transformers_template(),
            "usage_id": self.model_id or MODEL_ID_PLACEHOLDER,
            "paper_title": PAPER_TITLE,
            "citations": citations,
            "calibration_rows": calibration_rows,
            "label_calibration_rows": [(k, format_number(v)) for k, v in self.label_calibration.items()
                                       if k != "skipped"],
            "label_calibration_skipped": self.label_calibration.get("skipped"),
            "teachers_text": ", ".join(f"`{t}`" for t in self.teachers) or None,
            "prompt_versions_text": ", ".join(f"`{p}`" for p in self.prompt_versions) or None,
            "corpus_text": corpus_text,
            "option_rows": [(k, _option_value(v)) for k, v in strip_local_paths(self.training_options).items()],
            "train_metric_rows": [(k, format_number(v)) for k, v in self.train_metrics.items() if v is not None],
            "sentence_emo_version": _version("sentence-emo"),
            "results_start": RESULTS_START,
            "results_end": RESULTS_END,
        }


def render_results_section(entries: list[EvalResultEntry], *, with_heading: bool) -> str:
    """The benchmark results table (``model_card_results.md.j2``); ``with_heading`` adds ``## Evaluation``."""
    import jinja2

    rows = [(e.task_name, e.dataset_name, e.dataset_id, e.split, e.metric_name, e.rule or "-", format_number(e.value))
            for e in entries]
    template = jinja2.Template(RESULTS_TEMPLATE.read_text(encoding="utf-8"), keep_trailing_newline=True)
    return template.render(rows=rows, with_heading=with_heading)


def _with_results(text: str, entries: list[EvalResultEntry]) -> str:
    """``text`` with the results section between the :data:`RESULTS_START`/:data:`RESULTS_END` markers."""
    if RESULTS_START in text and RESULTS_END in text.split(RESULTS_START, 1)[1]:
        head, rest = text.split(RESULTS_START, 1)
        tail = rest.split(RESULTS_END, 1)[1]
    else:  # a card sentence-emo did not write: before the training details, else at the end
        cut = text.find("\n## Training Details")
        head, tail = (text[:cut + 1], "\n" + text[cut + 1:]) if cut >= 0 else (text.rstrip("\n") + "\n\n", "\n")
    section = render_results_section(entries, with_heading="\n## Evaluation\n" not in head)
    return f"{head}{RESULTS_START}\n{section}{RESULTS_END}{tail}"


def prepare_model_card(card: Any, *, model_id: str | None = None, model_name: str | None = None,
                       results: Any = None, dataset_id: str | None = None):
    """The card to publish (a ``huggingface_hub.ModelCard``) from a written one (its text or ``ModelCard``).

    ``model_id`` replaces sentence-transformers' placeholder in the usage snippets; ``dataset_id`` is added
    to the ``datasets`` metadata; ``results`` (:class:`~hub_cards.EvalResultEntry` list, results dict or
    results JSON path) become the ``model-index`` (named ``model_id`` or ``model_name``) and a results table.
    """
    from huggingface_hub import ModelCard

    text = str(card)
    if model_id:
        text = text.replace(MODEL_ID_PLACEHOLDER, model_id)
    card = ModelCard(text)
    if dataset_id:
        card.data.datasets = list(dict.fromkeys([*(card.data.datasets or []), dataset_id]))
    entries = coerce_entries(results)
    if entries:
        card.data.model_name = model_id or model_name or card.data.model_name or "sentence-emo model"
        card.data.eval_results = [e.to_eval_result() for e in entries]
        card.data.metrics = list(dict.fromkeys([*(card.data.metrics or []), *(e.metric_type for e in entries)]))
        card.text = _with_results(card.text, entries)
    return card
