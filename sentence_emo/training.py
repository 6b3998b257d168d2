"""Distil an emotion encoder from a descriptor corpus with :class:`SentenceTransformerTrainer`.

Three pieces plug sentence-emo into the stock trainer:

* :class:`~sentence_emo.data_collator.DescriptorDataCollator` turns rows ``(text, descriptors)`` into a text batch, the
  in-batch descriptor vocabulary (plus optional sampled negatives) and the descriptor ids the
  loss needs for its multi-hot targets;
* :class:`~sentence_emo.losses.SigmoidDescriptorLoss` owns the learnable scale and bias;
* :class:`DescriptorDistillationTrainer` gives scale/bias their own learning rate and no weight
  decay, and saves/restores them as ``emotion_calibration.json`` with every checkpoint.

:func:`build_training` turns a :class:`TrainConfig` into a :class:`TrainingRun` (the trainer plus what the
steps after training need); :func:`train` is ``build_training(config).train()``. ``TrainConfig.evaluator``
(e.g. :class:`~sentence_emo.evaluation.EmotionZeroShotEvaluator`) is run by the trainer during training.

Single process: ``sentence-emo train --corpus my.jsonl``. Several GPUs (or CPU processes):
``accelerate launch -m sentence_emo.train --corpus my.jsonl``; DDP comes from Accelerate, and the
loss gathers descriptors across processes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from sentence_transformers import SentenceTransformer
from sentence_transformers.base.evaluation.evaluator import BaseEvaluator
from sentence_transformers.sentence_transformer.trainer import SentenceTransformerTrainer
from sentence_transformers.sentence_transformer.training_args import SentenceTransformerTrainingArguments

from hub_cards import EmotionModelCardData
from sentence_emo.atomic import atomic_write
from sentence_emo.calibration import Calibration
from sentence_emo.corpus import (
    DescriptorRecord,
    descriptor_vocabulary,
    load_corpus,
    load_taxonomy,
    to_training_dataset,
)
from sentence_emo.files import (
    CALIBRATION_FILE,
    CARD_FILE,
    LABEL_CALIBRATION_HELDOUT_FILE,
    TRAINING_INFO_FILE,
)
from sentence_emo.checkpoints import TrainClock, check_output, resolve_resume
from sentence_emo.data_collator import DescriptorDataCollator
from sentence_emo.losses import SigmoidDescriptorLoss
from sentence_emo.teacher import training_teacher
from sentence_emo.train_config import TrainConfig

logger = logging.getLogger(__name__)

CALIBRATION_PARAMS = r"logit_(scale|bias)$"



class DescriptorDistillationTrainer(SentenceTransformerTrainer):
    """:class:`SentenceTransformerTrainer` that keeps the loss's calibration with the model.

    * ``logit_scale``/``logit_bias`` get no weight decay (their learning rate comes from
      ``args.learning_rate_mapping``);
    * every checkpoint and the final model get ``emotion_calibration.json``, and their model card
      (:class:`hub_cards.EmotionModelCardData`) shows it;
    * ``resume_from_checkpoint`` restores the calibration as well as the encoder.
    """

    def _descriptor_loss(self) -> SigmoidDescriptorLoss | None:
        return self.loss if isinstance(self.loss, SigmoidDescriptorLoss) else None

    def get_decay_parameter_names(self, model) -> list[str]:
        names = super().get_decay_parameter_names(model)
        return [n for n in names if not n.endswith(("logit_scale", "logit_bias"))]

    def _save(self, output_dir: str | None = None, state_dict=None) -> None:
        loss = self._descriptor_loss()
        if loss is not None and isinstance(self.model.model_card_data, EmotionModelCardData):
            self.model.model_card_data.calibration = loss.calibration().to_dict()
        super()._save(output_dir, state_dict=state_dict)
        if loss is not None and self.args.should_save:
            loss.calibration().save(output_dir or self.args.output_dir)

    def _load_from_checkpoint(self, checkpoint_path: str, *args, **kwargs) -> None:
        super()._load_from_checkpoint(checkpoint_path, *args, **kwargs)
        loss = self._descriptor_loss()
        if loss is not None and (Path(checkpoint_path) / CALIBRATION_FILE).exists():
            loss.load_calibration(Calibration.load(checkpoint_path))
            logger.info("restored calibration from %s: %s", checkpoint_path, loss.calibration())


def _split_eval(records: list[DescriptorRecord], fraction: float, seed: int):
    if fraction <= 0:
        return records, []
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    n_eval = max(1, int(len(records) * fraction))
    eval_ids = set(order[:n_eval])
    return ([r for i, r in enumerate(records) if i not in eval_ids],
            [r for i, r in enumerate(records) if i in eval_ids])


def build_retrieval_evaluator(records: Sequence[DescriptorRecord], name: str = "teacher-heldout"):
    """Held-out teacher data as an :class:`InformationRetrievalEvaluator`: texts retrieve their descriptors."""
    from sentence_transformers.sentence_transformer.evaluation import InformationRetrievalEvaluator

    vocab = list(descriptor_vocabulary(records))
    corpus = {f"d{i}": d for i, d in enumerate(vocab)}
    index = {d: f"d{i}" for i, d in enumerate(vocab)}
    queries = {r.id: r.text for r in records}
    relevant = {r.id: {index[d] for d in r.descriptors} for r in records}
    return InformationRetrievalEvaluator(
        queries, corpus, relevant, name=name, mrr_at_k=[10], ndcg_at_k=[10], accuracy_at_k=[1, 5],
        precision_recall_at_k=[5], map_at_k=[10], show_progress_bar=False,
    )


@dataclass
class TrainingRun:
    """A prepared training run (:func:`build_training`): the trainer, plus what the steps after training need.

    ``run.trainer`` is a plain :class:`SentenceTransformerTrainer` subclass: add callbacks or change it before
    :meth:`train`, which trains, applies WiSE-FT, saves the model and writes ``sentence_emo_training.json``.
    """

    config: TrainConfig
    trainer: DescriptorDistillationTrainer
    output: Path
    checkpoint_dir: Path
    base_path: str
    records: list[DescriptorRecord]
    train_records: list[DescriptorRecord]
    eval_records: list[DescriptorRecord]
    #: the retrieval evaluator on the ``eval_fraction`` held-out texts (None without them)
    heldout_evaluator: BaseEvaluator | None = None
    world_size: int = 1
    #: the base model's ``max_seq_length``: ``config.max_seq_length`` cuts training texts only, so the saved
    #: model reads user texts as far as its base did
    inference_max_seq_length: int | None = None

    @property
    def model(self) -> SentenceTransformer:
        return self.trainer.model

    @property
    def loss(self) -> SigmoidDescriptorLoss:
        return self.trainer.loss

    def train(self) -> Path:
        """Train (resuming as ``config.resume`` says), then :meth:`finish`; returns the model folder."""
        resume = resolve_resume(self.config.resume, self.checkpoint_dir)
        clock = TrainClock.resuming_from(resume)
        self.trainer.add_callback(clock)
        try:
            result = self.trainer.train(resume_from_checkpoint=resume)
        except Exception as exc:
            from sentence_emo.errors import is_safetensors_error

            if resume and is_safetensors_error(exc):
                raise ValueError(f"--resume: checkpoint {resume} is damaged ({exc}); delete that folder to resume "
                                 f"from the checkpoint before it, or pass --overwrite without --resume to start "
                                 f"afresh") from exc
            raise
        return self.finish(result.metrics, clock.total, seconds_before_resume=clock.before)

    def finish(self, train_metrics: Mapping[str, Any], elapsed: float, seconds_before_resume: float = 0.0) -> Path:
        """WiSE-FT, save the model with its calibration, evaluate it, fit the label calibration, write the info.

        ``elapsed`` is the training time of every invocation (``seconds_before_resume`` of them before this one);
        ``train_metrics`` (the trainer's) cover this invocation only."""
        config, model, loss, output = self.config, self.model, self.loss, self.output
        if config.wise_ft_alpha != 1.0:
            from sentence_emo.wise_ft import apply_wise_ft

            apply_wise_ft(model, SentenceTransformer(self.base_path, device=str(model.device)), config.wise_ft_alpha)
        if self.inference_max_seq_length:
            model.max_seq_length = self.inference_max_seq_length
        self.trainer.save_model(str(output))
        if not self.trainer.is_world_process_zero():
            return output
        records = self.records
        info = {
            "config": config.to_dict(),
            "base_model_path": self.base_path,
            "loss": {"class": type(loss).__name__, **loss.get_config_dict()},
            "calibration": loss.calibration().to_dict(),
            "corpus": {"texts": len(self.train_records), "heldout_texts": len(self.eval_records),
                       "descriptors": len(descriptor_vocabulary(self.train_records)),
                       "teachers": sorted({r.teacher or "unknown" for r in records}),
                       "prompt_versions": sorted({r.prompt_version for r in records if r.prompt_version}),
                       "sources": sorted({r.source for r in records if r.source})},
            "train": {**train_metrics, "wall_seconds": elapsed, "wall_seconds_before_resume": seconds_before_resume,
                      "world_size": self.world_size,
                      "examples_per_second": (train_metrics.get("train_samples_per_second"))},
        }
        if self.heldout_evaluator is not None:
            info["heldout_eval"] = {k: float(v) for k, v in self.heldout_evaluator(model).items()}
        if config.evaluator is not None:  # the saved model (after WiSE-FT), not the last training step
            info["final_eval"] = {k: float(v) for e in config.user_evaluators() for k, v in _as_metrics(e(model)).items()}
        if config.label_calibration:
            info["label_calibration"] = fit_label_calibration(output, config, self.train_records, self.eval_records)
        self._write_model_card(info)
        (output / TRAINING_INFO_FILE).write_text(json.dumps(info, indent=2, default=str) + "\n", encoding="utf-8")
        logger.info("saved %s with %s", output, loss.calibration())
        return output

    def _write_model_card(self, info: Mapping[str, Any]) -> None:
        """Rewrite the card ``save_model`` wrote, now with the final evaluations and the label calibration."""
        from sentence_transformers.base.model_card import generate_model_card

        card = self.model.model_card_data
        if not isinstance(card, EmotionModelCardData):  # a model_card_data the caller chose: its card stays
            return
        card.train_metrics = {k: v for k, v in info["train"].items() if v is not None}
        card.label_calibration = dict(info.get("label_calibration") or {})
        atomic_write(self.output / CARD_FILE, generate_model_card(self.model))


def _as_metrics(result: float | Mapping[str, float]) -> Mapping[str, float]:
    return result if isinstance(result, Mapping) else {"evaluator": result}


def build_training(config: TrainConfig) -> TrainingRun:
    """Everything :func:`train` does before ``trainer.train()``: check the output, load the corpus and base
    model, and build the loss, collator, arguments, evaluators and trainer.

    ``config.evaluator`` is passed to the trainer (with the retrieval evaluator of ``eval_fraction``, if any);
    an :class:`~sentence_emo.evaluation.EmotionZeroShotEvaluator` with a ``threshold`` and no calibration
    reads the loss's learnt one.
    """
    from sentence_emo.models import load_encoder, resolve_base_model

    output, checkpoint_dir = check_output(config)
    records = load_corpus(config.corpus)
    train_records, eval_records = _split_eval(records, config.eval_fraction, config.seed)
    if len(train_records) < 2:
        raise ValueError(
            f"the corpus has {len(train_records)} training text(s); the loss learns from in-batch negatives (the "
            f"other texts' descriptors), so it needs at least 2 texts - add texts (a few hundred or more)"
        )
    frequency = descriptor_vocabulary(train_records)  # descriptor -> number of training texts it describes
    if len(frequency) < 2:
        raise ValueError(
            f"every text in the corpus has the same descriptor(s) {list(frequency)}; "
            f"with no other descriptor there is no negative to learn from - add texts with other descriptors"
        )
    from sentence_emo.model_card import training_card_data

    base_path = resolve_base_model(config.base_model)
    model = load_encoder(config.base_model, model_card_data=training_card_data(config, records, train_records,
                                                                               eval_records))
    inference_max_seq_length = model.max_seq_length
    if config.max_seq_length:
        model.max_seq_length = config.max_seq_length

    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    gather = config.gather_across_devices if config.gather_across_devices is not None else world_size > 1
    loss = SigmoidDescriptorLoss(model, init_scale=config.init_scale, init_bias=config.init_bias,
                                 gather_across_devices=gather, taxonomy_weight=config.taxonomy_weight,
                                 teacher_weight=config.teacher_weight, prior_adjustment=config.prior_adjustment)
    if config.prior_adjustment:
        loss.set_descriptor_prior(frequency, len(train_records))
    pool = list(frequency)
    taxonomy = load_taxonomy(config.taxonomy) if config.taxonomy and config.taxonomy_weight > 0 else None
    collator = DescriptorDataCollator(
        model.preprocess, negative_pool=pool, num_extra_negatives=config.extra_negatives, seed=config.seed,
        taxonomy=taxonomy, teacher=training_teacher(config, train_records, pool, checkpoint_dir),
    )
    heldout = build_retrieval_evaluator(eval_records) if eval_records else None
    evaluators = ([heldout] if heldout is not None else []) + config.user_evaluators()
    for evaluator in config.user_evaluators():
        if getattr(evaluator, "threshold", None) is not None and hasattr(evaluator, "calibration") \
                and evaluator.calibration is None:
            evaluator.calibration = loss.calibration
    eval_options = {"eval_strategy": "no"}
    if evaluators:
        eval_options = ({"eval_strategy": "steps", "eval_steps": config.eval_steps} if config.eval_steps
                        else {"eval_strategy": "epoch"})
    args = SentenceTransformerTrainingArguments(
        output_dir=str(checkpoint_dir),
        num_train_epochs=config.epochs,
        max_steps=config.max_steps,
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size,
        learning_rate=config.learning_rate,
        learning_rate_mapping={CALIBRATION_PARAMS: config.calibration_learning_rate},
        weight_decay=config.weight_decay,
        warmup_steps=config.warmup_ratio,
        logging_steps=config.logging_steps,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=config.save_total_limit,
        **eval_options,
        seed=config.seed,
        report_to=config.report_to,
        disable_tqdm=config.disable_tqdm,
        ddp_find_unused_parameters=True,
        dataloader_drop_last=world_size > 1,
        use_cpu=not torch.cuda.is_available(),
    )
    trainer = DescriptorDistillationTrainer(
        model=model,
        args=args,
        train_dataset=to_training_dataset(train_records),
        eval_dataset=to_training_dataset(eval_records) if eval_records else None,
        loss=loss,
        evaluator=(evaluators[0] if len(evaluators) == 1 else evaluators) or None,
        data_collator=collator,
    )
    return TrainingRun(config=config, trainer=trainer, output=output, checkpoint_dir=checkpoint_dir,
                       base_path=base_path, records=records, train_records=train_records, eval_records=eval_records,
                       heldout_evaluator=heldout, world_size=world_size,
                       inference_max_seq_length=inference_max_seq_length)


def train(config: TrainConfig) -> Path:
    """Train a student on ``config.corpus`` and save it (with calibration) to ``config.output``.

    An existing model in ``config.output`` is refused before any work unless ``config.overwrite``
    (or ``config.resume``) is set. Same as ``build_training(config).train()``.
    """
    return build_training(config).train()


def fit_label_calibration(output: Path, config: TrainConfig, train_records: Sequence[DescriptorRecord],
                          eval_records: Sequence[DescriptorRecord]) -> dict[str, Any]:
    """Fit ``emotion_label_calibration.json`` into ``output``; returns a summary (or the reason it was skipped)."""
    from sentence_emo.label_calibration import CalibrateConfig, calibrate_model

    corpus = config.label_calibration_corpus
    tmp: Path | None = None
    if corpus is None and len(eval_records) >= 50:
        tmp = output / LABEL_CALIBRATION_HELDOUT_FILE
        tmp.write_text("".join(json.dumps({"id": r.id, "text": r.text, "descriptors": list(r.descriptors)}) + "\n"
                               for r in eval_records), encoding="utf-8")
        corpus = str(tmp)
    try:
        cal = calibrate_model(CalibrateConfig(model=str(output), corpus=corpus, force=True, seed=config.seed,
                                              taxonomy=config.taxonomy, template=config.label_template,
                                              exclude_texts=[r.text for r in train_records]))
    except (ValueError, FileNotFoundError) as exc:
        logger.warning("label calibration skipped: %s (run 'sentence-emo calibrate %s' later)", exc, output)
        return {"skipped": str(exc)}
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return {"threshold": cal.threshold, "margin": cal.margin, "min_probability": cal.min_probability,
            "scale": cal.scale, "bias": cal.bias, "texts": cal.provenance.get("texts")}


def _run(args: argparse.Namespace) -> int:
    from sentence_emo.cli import config_from_args

    output = train(config_from_args(TrainConfig, args))
    if os.environ.get("RANK", "0") == "0":
        print(f"saved model to {output} (load it with SentenceTransformer({str(output)!r}))")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("train", help="distil an emotion encoder from a descriptor corpus",
                                   description=__doc__, dataclass_types=TrainConfig, exclude=("evaluator",),
                                   config_file=TrainConfig.read_file)
    parser.set_defaults(func=_run)
