from __future__ import annotations

import hashlib
import logging
import math
import statistics
from collections.abc import Iterable, Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from sentence_transformers.base.losses.merged_forward import embed_columns
from sentence_transformers.sentence_transformer.model import SentenceTransformer
from sentence_transformers.util import all_gather, all_gather_with_grad, is_dist_initialized

from sentence_emo.losses.family_softmax import group_softmax_loss
from sentence_emo.losses.similarity_distillation import similarity_distillation_loss

logger = logging.getLogger(__name__)

PAD_KEY = -1


def descriptor_key(descriptor: str) -> int:
    """A stable non-negative 63-bit id of a (normalised) descriptor string, equal on every process."""
    digest = hashlib.blake2b(descriptor.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF_FFFF_FFFF


def descriptor_targets(text_keys: Tensor, descriptor_keys: Tensor) -> Tensor:
    """Multi-hot targets: ``y[i, j] = 1`` iff descriptor ``j`` is one of text ``i``'s descriptors.

    ``text_keys`` is ``(B, K)`` (padded with :data:`PAD_KEY`), ``descriptor_keys`` is ``(V,)``.
    Matching by key merges duplicates: a descriptor shared by two texts is positive for both.
    """
    match = text_keys.unsqueeze(-1) == descriptor_keys.view(1, 1, -1)
    match &= (text_keys != PAD_KEY).unsqueeze(-1)
    return match.any(dim=1).to(torch.float32)


def sigmoid_multilabel_loss(
    text_embeddings: Tensor, descriptor_embeddings: Tensor, targets: Tensor, logit_scale: Tensor, bias: Tensor
) -> Tensor:
    """``-sum_ij log sigmoid(z_ij * (exp(logit_scale) * cos(t_i, l_j) + bias)) / B`` with ``z = 2y - 1``."""
    t = F.normalize(text_embeddings, dim=-1)
    d = F.normalize(descriptor_embeddings, dim=-1)
    logits = logit_scale.exp() * t @ d.T + bias
    signs = 2.0 * targets.to(logits.dtype) - 1.0
    return -F.logsigmoid(signs * logits).sum() / t.size(0)


def prior_log_odds(count: int, texts: int) -> float:
    """``logit(pi)`` of a descriptor that ``count`` of ``texts`` texts have, with add-half smoothing."""
    pi = (count + 0.5) / (texts + 1.0)
    return math.log(pi) - math.log1p(-pi)


def gather_descriptors(embeddings: Tensor, keys: Tensor) -> tuple[Tensor, Tensor]:
    """All-gather descriptor embeddings (with gradient) and keys from every rank, de-duplicated.

    Ranks hold different numbers of descriptors, so both are padded to the largest count first;
    padding and repeated keys (the same descriptor on two ranks) are dropped, first occurrence kept.
    """
    if not is_dist_initialized():
        return embeddings, keys
    count = torch.tensor([keys.numel()], device=keys.device)
    counts = all_gather(count)
    width = int(counts.max())
    pad = width - keys.numel()
    if pad:
        embeddings = F.pad(embeddings, (0, 0, 0, pad))
        keys = F.pad(keys, (0, pad), value=PAD_KEY)
    all_embeddings = all_gather_with_grad(embeddings)
    all_keys = all_gather(keys)
    keep = first_occurrences(all_keys)
    return all_embeddings[keep], all_keys[keep]


def first_occurrences(keys: Tensor) -> Tensor:
    """Indices of the first occurrence of every non-padding key, in order."""
    seen: set[int] = set()
    keep = []
    for i, key in enumerate(keys.tolist()):
        if key != PAD_KEY and key not in seen:
            seen.add(key)
            keep.append(i)
    return torch.tensor(keep, dtype=torch.long, device=keys.device)


class SigmoidDescriptorLoss(nn.Module):
    def __init__(
        self,
        model: SentenceTransformer,
        init_scale: float = 10.0,
        init_bias: float = -10.0,
        max_scale: float = 100.0,
        gather_across_devices: bool = False,
        taxonomy_weight: float = 1.0,
        taxonomy_scale: float = 20.0,
        teacher_weight: float = 1.0,
        prior_adjustment: float = 0.0,
    ) -> None:
        """
        SigLIP-style sigmoid loss for aligning texts with the free-form emotion descriptors an LLM
        gave them (Niu & Mower Provost, 2025). For a batch of ``B`` texts and the ``V`` distinct
        descriptors of the batch (the in-batch descriptor vocabulary, optionally with extra sampled
        negatives), both encoded by the same ``model``:

        .. math::

            M_{ij} = s \\cdot \\cos(t_i, l_j) + b, \\qquad
            \\mathcal{L} = -\\frac{1}{B} \\sum_{i=1}^{B} \\sum_{j=1}^{V} \\log \\sigma\\big(z_{ij} M_{ij}\\big)

        with ``z_ij = +1`` when descriptor ``j`` belongs to text ``i`` and ``-1`` otherwise. Every
        (text, descriptor) cell is an independent binary decision, so a text may have several
        positives and a descriptor shared by several texts is positive for all of them. The scale
        ``s = exp(logit_scale)`` and bias ``b`` are learnable and owned by the loss; after training
        they turn similarities into calibrated probabilities ``sigmoid(s cos + b)`` and are saved
        beside the model as ``emotion_calibration.json``.

        Args:
            model: the SentenceTransformer that encodes texts and descriptors.
            init_scale: initial ``s`` (per unit of cosine similarity); SigLIP uses 10.
            init_bias: initial ``b`` (logits); SigLIP uses -10, which starts every cell near
                "negative" as most cells are.
            max_scale: upper clamp of ``s`` during training, for stability.
            gather_across_devices: gather the descriptor embeddings of all processes (with gradient)
                so that every text is contrasted with the descriptors of the global batch. Use it
                under DDP; it is a no-op on a single process.
            taxonomy_weight: weight of the taxonomy term
                (:func:`~sentence_emo.losses.family_softmax.group_softmax_loss`) when the collator
                appends taxonomy words (emotion families, valence) to the batch; 0 turns it off.
            taxonomy_scale: fixed softmax scale of the taxonomy term (per unit of cosine).
            teacher_weight: weight of the teacher term
                (:func:`~sentence_emo.losses.similarity_distillation.similarity_distillation_loss`) when the
                collator adds a teacher encoder's similarities (``teacher_similarity``); 0 turns it off.
            prior_adjustment: ``tau`` of the logit adjustment (Menon et al. 2021): during training each
                descriptor's logit gets ``+ tau * (logit(pi_j) - median_k logit(pi_k))``, where ``pi_j`` is the share of
                training texts that have descriptor ``j`` (:meth:`set_descriptor_prior`). Frequent descriptors
                ("amusement", "neutral") then need no high similarity to be positive, so they do not become hubs
                that every text is close to; 0 turns it off.

        References:
            - Niu & Mower Provost (2025). Contrastive Distillation of Emotion Knowledge from LLMs
              for Zero-Shot Emotion Recognition.
            - Zhai et al. (2023). Sigmoid Loss for Language Image Pre-Training.
              https://arxiv.org/abs/2303.15343
            - Menon et al. (2021). Long-tail learning via logit adjustment. https://arxiv.org/abs/2007.07314

        Requirements:
            1. Texts with one or more descriptors each, batched by
               :class:`~sentence_emo.data_collator.DescriptorDataCollator`.

        Inputs:
            +----------------------------------+-----------------------------------------------+
            | Inputs                           | Labels                                        |
            +==================================+===============================================+
            | (text, descriptor vocabulary)    | ``{"text_keys": (B, K), "descriptor_keys":   |
            | built by DescriptorDataCollator  | (V,)}`` int64 descriptor ids                  |
            | from columns (text, descriptors) |                                               |
            +----------------------------------+-----------------------------------------------+

        Example:
            ::

                from datasets import Dataset
                from sentence_transformers import SentenceTransformer, SentenceTransformerTrainer
                from sentence_emo.losses import SigmoidDescriptorLoss
                from sentence_emo.data_collator import DescriptorDataCollator

                model = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")
                train_dataset = Dataset.from_dict({
                    "text": ["I can't believe they cancelled again.", "Best gift ever, thank you!"],
                    "descriptors": [["frustration", "disappointment"], ["gratitude", "joy"]],
                })
                loss = SigmoidDescriptorLoss(model)
                trainer = SentenceTransformerTrainer(
                    model=model,
                    train_dataset=train_dataset,
                    loss=loss,
                    data_collator=DescriptorDataCollator(model.preprocess),
                )
                trainer.train()
        """
        super().__init__()
        if not init_scale > 0:
            raise ValueError(f"init_scale must be > 0, got {init_scale!r}")
        if not max_scale >= init_scale:
            raise ValueError(f"max_scale ({max_scale!r}) must be >= init_scale ({init_scale!r})")
        self.model = model
        self.init_scale = float(init_scale)
        self.init_bias = float(init_bias)
        self.max_scale = float(max_scale)
        self.gather_across_devices = gather_across_devices
        if taxonomy_weight < 0:
            raise ValueError(f"taxonomy_weight must be >= 0, got {taxonomy_weight!r}")
        self.taxonomy_weight = float(taxonomy_weight)
        self.taxonomy_scale = float(taxonomy_scale)
        if teacher_weight < 0:
            raise ValueError(f"teacher_weight must be >= 0, got {teacher_weight!r}")
        self.teacher_weight = float(teacher_weight)
        if prior_adjustment < 0:
            raise ValueError(f"prior_adjustment must be >= 0, got {prior_adjustment!r}")
        self.prior_adjustment = float(prior_adjustment)
        self._prior_offsets: dict[int, float] = {}
        self.logit_scale = nn.Parameter(torch.tensor(math.log(init_scale)))
        self.logit_bias = nn.Parameter(torch.tensor(float(init_bias)))

    def forward(self, sentence_features: Iterable[dict[str, Tensor]], labels: dict[str, Tensor]) -> Tensor:
        text_embeddings, descriptor_embeddings = embed_columns(self.model, list(sentence_features))
        # the collator appends the taxonomy words (if any) after the descriptor vocabulary
        n_words = labels["taxonomy_targets"].size(1) if "taxonomy_groups" in labels else 0
        vocab, words = descriptor_embeddings[: len(descriptor_embeddings) - n_words], descriptor_embeddings[-n_words:]
        loss = self.compute_loss_from_embeddings(text_embeddings, vocab, labels["text_keys"], labels["descriptor_keys"])
        if n_words and self.taxonomy_weight:
            spans = [tuple(span) for span in labels["taxonomy_groups"].tolist()]
            loss = loss + self.taxonomy_weight * group_softmax_loss(
                text_embeddings, words, labels["taxonomy_targets"], spans, self.taxonomy_scale)
        if "teacher_similarity" in labels and self.teacher_weight:
            loss = loss + self.teacher_weight * similarity_distillation_loss(
                text_embeddings, descriptor_embeddings, labels["teacher_similarity"])
        return loss

    def compute_loss_from_embeddings(
        self, text_embeddings: Tensor, descriptor_embeddings: Tensor, text_keys: Tensor, descriptor_keys: Tensor
    ) -> Tensor:
        if self.gather_across_devices:
            descriptor_embeddings, descriptor_keys = gather_descriptors(descriptor_embeddings, descriptor_keys)
        targets = descriptor_targets(text_keys, descriptor_keys)
        logit_scale = self.logit_scale.clamp(max=math.log(self.max_scale))
        bias = self.logit_bias
        if self.prior_adjustment and self._prior_offsets:
            offsets = [self._prior_offsets.get(key, 0.0) for key in descriptor_keys.tolist()]
            bias = bias + self.prior_adjustment * torch.tensor(offsets, dtype=bias.dtype, device=bias.device)
        return sigmoid_multilabel_loss(text_embeddings, descriptor_embeddings, targets, logit_scale, bias)

    def set_descriptor_prior(self, frequency: Mapping[str, int], texts: int) -> None:
        """Set the descriptor priors of the logit adjustment from ``frequency`` (descriptor -> number of the
        ``texts`` training texts that have it); descriptors missing from it get the median offset, 0."""
        if texts < 1:
            raise ValueError(f"texts must be >= 1, got {texts!r}")
        log_odds = {descriptor_key(d): prior_log_odds(n, texts) for d, n in frequency.items()}
        median = statistics.median(log_odds.values()) if log_odds else 0.0
        self._prior_offsets = {key: value - median for key, value in log_odds.items()}

    @property
    def scale(self) -> float:
        return float(self.logit_scale.detach().clamp(max=math.log(self.max_scale)).exp())

    @property
    def bias(self) -> float:
        return float(self.logit_bias.detach())

    def calibration(self):
        from sentence_emo.calibration import Calibration

        return Calibration(scale=self.scale, bias=self.bias)

    def load_calibration(self, calibration: Any) -> None:
        with torch.no_grad():
            self.logit_scale.fill_(math.log(calibration.scale))
            self.logit_bias.fill_(calibration.bias)

    def get_config_dict(self) -> dict[str, Any]:
        return {
            "init_scale": self.init_scale,
            "init_bias": self.init_bias,
            "max_scale": self.max_scale,
            "gather_across_devices": self.gather_across_devices,
            "taxonomy_weight": self.taxonomy_weight,
            "taxonomy_scale": self.taxonomy_scale,
            "teacher_weight": self.teacher_weight,
            "prior_adjustment": self.prior_adjustment,
        }

    @property
    def citation(self) -> str:
        return """
@inproceedings{niu2025contrastive,
    title={Contrastive Distillation of Emotion Knowledge from {LLM}s for Zero-Shot Emotion Recognition},
    author={Niu, Minxue and Mower Provost, Emily},
    year={2025},
}
@inproceedings{zhai2023sigmoid,
    title={Sigmoid Loss for Language Image Pre-Training},
    author={Zhai, Xiaohua and Mustafa, Basil and Kolesnikov, Alexander and Beyer, Lucas},
    booktitle={ICCV},
    year={2023},
    url={https://arxiv.org/abs/2303.15343},
}
"""


