"""The options of ``sentence-emo train``: :class:`TrainConfig`, one dataclass whose fields are the CLI's flags
(:class:`~sentence_emo.cli.ConfigArgumentParser`) and the keys of a ``--config`` JSON/YAML file.

It lives apart from :mod:`sentence_emo.training` (the trainer plumbing), as SetFit's ``TrainingArguments`` do.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from sentence_transformers.base.evaluation.evaluator import BaseEvaluator
from transformers.hf_argparser import HfArg

from sentence_emo.corpus import LLM_DESCRIPTORS
from sentence_emo.files import LABEL_CALIBRATION_FILE

__all__ = ["TrainConfig"]


@dataclass
class TrainConfig:
    """Everything ``sentence-emo train`` needs (one flag per field). Load from JSON/YAML with :meth:`from_file`."""

    corpus: list[str] = HfArg(default_factory=lambda: [LLM_DESCRIPTORS], help=(
        "descriptor corpus file(s) (JSONL/CSV/TSV/Parquet) or a shipped corpus: 'llm-descriptors' (its train "
        "split) or 'llm-descriptors:validation'"))
    base_model: str = HfArg(default="all-MiniLM-L6-v2",
                            help="base encoder: local path, 'all-MiniLM-L6-v2' or 'all-mpnet-base-v2'")
    output: str = HfArg(default="emo-distill", help="where to save the trained model")
    # The defaults are the shipped recipe, selected on validation label sets the teacher never saw by
    # benchmarks/select_recipe.py (README: "The shipped recipe"): 3 epochs of 64 texts per step at
    # 5e-5, 64 sampled extra negatives, texts cut to 64 tokens, the taxonomy term on the shipped
    # taxonomy, and WiSE-FT at alpha 0.7.
    epochs: float = HfArg(default=3.0, help="training epochs")
    max_steps: int = HfArg(default=-1, help="stop after this many optimiser steps (overrides --epochs; -1 = off)")
    batch_size: int = HfArg(default=64, help="texts per device per step")
    learning_rate: float = HfArg(default=5e-5, help="encoder learning rate", aliases=["--lr"])
    calibration_learning_rate: float = HfArg(default=1e-2, help="learning rate of the scale and bias",
                                             aliases=["--calibration-lr"])
    weight_decay: float = HfArg(default=0.01, help="weight decay of the encoder")
    warmup_ratio: float = HfArg(default=0.1, help="share of the steps with a linear learning-rate warm-up")
    max_seq_length: int | None = HfArg(default=64, help=(
        "cut training texts to this many tokens (the saved model keeps its base model's limit for inference)"))
    init_scale: float = HfArg(default=10.0, help="initial scale of the sigmoid loss")
    init_bias: float = HfArg(default=-10.0, help="initial bias of the sigmoid loss")
    extra_negatives: int = HfArg(default=64, help="descriptors sampled from the corpus per batch as negatives")
    taxonomy: str | None = HfArg(default=LLM_DESCRIPTORS, help=(
        "taxonomy JSONL/Parquet (descriptor -> families, valence) or 'llm-descriptors' (the shipped one) for the "
        "softmax taxonomy term; descriptors it does not know add no taxonomy target"))
    taxonomy_weight: float = HfArg(default=1.0, help="weight of the taxonomy term (0 = off)")
    teacher_model: str | None = HfArg(default=None, help=(
        "a trained encoder (e.g. a larger student) whose text-descriptor cosines the student also learns to copy "
        "(teacher term); not given: no teacher term"))
    teacher_weight: float = HfArg(default=1.0, help="weight of the teacher term (0 = off)")
    prior_adjustment: float = HfArg(default=0.0, help=(
        "logit adjustment tau: frequent descriptors get a training-time logit offset tau * log-odds of their corpus "
        "frequency, so they do not become hubs (0 = off)"))
    wise_ft_alpha: float = HfArg(default=0.7,
                                 help="WiSE-FT: save alpha * trained + (1 - alpha) * base weights (1 = off)")
    eval_fraction: float = HfArg(default=0.0, help="share of the corpus held out for a retrieval evaluator")
    save_steps: int = HfArg(default=500, help="checkpoint every N steps")
    save_total_limit: int = HfArg(default=2, help="checkpoints kept")
    logging_steps: int = HfArg(default=10, help="log the loss every N steps")
    resume: str | None = HfArg(default=None, help="checkpoint dir to resume from, or 'auto' for the latest")
    overwrite: bool = HfArg(default=False,
                            help="replace an existing model in --output (refused otherwise, unless --resume)")
    seed: int = HfArg(default=42, help="random seed")
    gather_across_devices: bool | None = HfArg(
        default=None, help="gather descriptors across processes: true/false (not given: when there are several)")
    checkpoint_dir: str | None = HfArg(default=None, help="checkpoint folder (not given: OUTPUT-checkpoints)")
    report_to: list[str] = HfArg(default_factory=lambda: ["none"], help="transformers' report_to integrations")
    disable_tqdm: bool = HfArg(default=False, help="hide the progress bar", aliases=["--no-progress"])
    label_calibration: bool = HfArg(default=True, help=(
        f"fit {LABEL_CALIBRATION_FILE} (label probabilities + default decision rule) on held-out teacher texts "
        f"after training (see 'sentence-emo calibrate')"))
    label_template: str | list[str] | None = HfArg(default=None, metadata={"type": list[str]}, help=(
        "label side the label calibration is fitted with and the saved model's classifier then uses: template(s) "
        "such as 'I feel {}.', several averaged (not given: the recipe's, the name and 'I feel {}.' averaged)"))
    label_calibration_corpus: str | None = HfArg(default=None, help=(
        "held-out teacher texts for the label calibration (not given: the held-out split if --eval-fraction > 0, "
        "else the validation split of the shipped LLM descriptor corpus, minus texts seen in training)"))
    #: sentence-transformers evaluator(s) the trainer runs during training, e.g.
    #: :class:`~sentence_emo.evaluation.EmotionZeroShotEvaluator` (Python only; not a file or CLI option)
    evaluator: BaseEvaluator | list[BaseEvaluator] | None = None
    eval_steps: int | None = HfArg(default=None,
                                   help="run the evaluators every N optimiser steps (not given: after every epoch)")

    def __post_init__(self) -> None:
        if isinstance(self.corpus, str):
            self.corpus = [self.corpus]
        if not self.corpus:
            raise ValueError(f"no corpus given: pass --corpus FILE [FILE ...] or {LLM_DESCRIPTORS!r} for the shipped corpus")
        if self.batch_size < 2:
            raise ValueError(f"batch_size must be >= 2 (in-batch negatives), got {self.batch_size}")
        if self.epochs <= 0 and self.max_steps <= 0:
            raise ValueError("set epochs > 0 or max_steps > 0")
        if not 0.0 <= self.eval_fraction < 0.5:
            raise ValueError(f"eval_fraction must be in [0, 0.5), got {self.eval_fraction}")
        if not 0.0 <= self.wise_ft_alpha <= 1.0:
            raise ValueError(f"wise_ft_alpha must be in [0, 1] (1 = plain fine-tuning), got {self.wise_ft_alpha}")
        if self.teacher_weight < 0:
            raise ValueError(f"teacher_weight must be >= 0 (0 = off), got {self.teacher_weight}")
        if self.label_template is not None:
            from sentence_emo.labels import label_templates

            label_templates(self.label_template)  # a bad template fails now, not after training
        if self.prior_adjustment < 0:
            raise ValueError(f"prior_adjustment must be >= 0 (0 = off), got {self.prior_adjustment}")
        for name in ("learning_rate", "calibration_learning_rate"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)}")
        if self.max_seq_length is not None and (isinstance(self.max_seq_length, bool)
                                                or not isinstance(self.max_seq_length, int)
                                                or self.max_seq_length < 1):
            raise ValueError(f"max_seq_length must be a positive number of tokens (e.g. 128), got "
                             f"{self.max_seq_length!r}; leave it out to keep the base model's")
        if self.evaluator is not None and not all(isinstance(e, BaseEvaluator) for e in self.user_evaluators()):
            raise TypeError(f"evaluator must be a sentence-transformers evaluator (e.g. EmotionZeroShotEvaluator) or "
                            f"a list of them, got {self.evaluator!r}; evaluators are passed from Python, not files")
        if self.eval_steps is not None and (isinstance(self.eval_steps, bool) or not isinstance(self.eval_steps, int)
                                            or self.eval_steps < 1):
            raise ValueError(f"eval_steps must be a positive number of steps, got {self.eval_steps!r}; leave it out "
                             f"to evaluate after every epoch")

    def user_evaluators(self) -> list[BaseEvaluator]:
        """``evaluator`` as a list (empty when None)."""
        if self.evaluator is None:
            return []
        return list(self.evaluator) if isinstance(self.evaluator, (list, tuple)) else [self.evaluator]

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], **overrides: Any) -> TrainConfig:
        """The options in ``path``, with the ``overrides`` that are not None."""
        data = cls.read_file(path)
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)

    @classmethod
    def read_file(cls, path: str | os.PathLike[str]) -> dict[str, Any]:
        """``{option: value}`` of a JSON or YAML file, refusing unknown options."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"config file not found: {path}")
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text) or {}
        else:
            data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping of option names to values")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{path}: unknown option(s) {unknown}; known options: {sorted(known)}")
        return data

    def to_dict(self) -> dict[str, Any]:
        """The options as JSON-ready values; evaluators as ``{"class", "name", **get_config_dict()}``."""
        data = asdict(replace(self, evaluator=None))
        if self.evaluator is not None:
            data["evaluator"] = [{"class": type(e).__name__, "name": getattr(e, "name", ""), **e.get_config_dict()}
                                 for e in self.user_evaluators()]
        return data
