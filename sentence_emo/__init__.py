"""sentence_emo: zero-shot emotion recognition distilled from LLM emotion descriptors.

Niu & Mower Provost (2025), "Contrastive Distillation of Emotion Knowledge from LLMs for
Zero-Shot Emotion Recognition", as a sentence-transformers plugin.
"""

from __future__ import annotations

__version__ = "0.1.0"

from sentence_emo.calibration import Calibration
from sentence_emo.corpus import DescriptorRecord, load_corpus, load_taxonomy, normalise_descriptors
from sentence_emo.files import CALIBRATION_FILE
from sentence_emo.zero_shot import EmotionPrediction, EmotionZeroShot

__all__ = [
    "CALIBRATION_FILE",
    "Calibration",
    "DescriptorRecord",
    "EmotionPrediction",
    "EmotionZeroShot",
    "load_corpus",
    "load_taxonomy",
    "normalise_descriptors",
    "__version__",
]


def __getattr__(name: str):
    # heavy imports (torch trainer) only when asked for
    if name in ("SigmoidDescriptorLoss",):
        from sentence_emo.losses import SigmoidDescriptorLoss

        return SigmoidDescriptorLoss
    if name in ("TrainConfig", "train", "build_training", "TrainingRun", "DescriptorDataCollator",
                "DescriptorDistillationTrainer"):  # DescriptorDataCollator: sentence_emo.data_collator
        from sentence_emo import training

        return getattr(training, name)
    if name == "EmotionZeroShotEvaluator":
        from sentence_emo.evaluation import EmotionZeroShotEvaluator

        return EmotionZeroShotEvaluator
    raise AttributeError(name)
