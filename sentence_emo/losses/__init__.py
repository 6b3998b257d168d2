"""Training objectives. One loss per module, named after it."""

from sentence_emo.losses.family_softmax import group_softmax_loss
from sentence_emo.losses.sigmoid_descriptor import (
    PAD_KEY,
    SigmoidDescriptorLoss,
    descriptor_key,
    descriptor_targets,
    gather_descriptors,
    sigmoid_multilabel_loss,
)
from sentence_emo.losses.similarity_distillation import similarity_distillation_loss

__all__ = [
    "PAD_KEY",
    "SigmoidDescriptorLoss",
    "descriptor_key",
    "descriptor_targets",
    "gather_descriptors",
    "group_softmax_loss",
    "sigmoid_multilabel_loss",
    "similarity_distillation_loss",
]
