"""Taxonomy term: each text ranks a small fixed set of emotion-family words by softmax.

The descriptor loss (:mod:`sentence_emo.losses.sigmoid_descriptor`) aligns texts with the LLM's free-form
descriptors. A taxonomy (descriptor -> emotion families, valence) adds coarse knowledge the descriptors
only imply: "hopelessness" and "grief" are both *sadness*. Adding family words as extra sigmoid positives
makes them positive for 40-80 % of texts ("hubs"): every text then scores highest on them. Here instead
each text spreads a softmax over the words of one *group* (e.g. the 11 family words), so a family word
wins only against the other families, never against the text's own descriptors, and no word can become
a hub of the descriptor space.

For a group with words ``w_1..w_G``, text ``t_i`` and target distribution ``q_i`` (its families, uniform
over them; texts with none in the group are skipped):

.. math::

    \\mathcal{L}_{group} = -\\frac{1}{|I|} \\sum_{i \\in I} \\sum_{g=1}^{G} q_{ig}
        \\log \\operatorname{softmax}_g\\big(s \\cdot \\cos(t_i, w_g)\\big)

with a fixed scale ``s`` (20, as in sentence-transformers' MultipleNegativesRankingLoss).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def group_softmax_loss(text_embeddings: Tensor, word_embeddings: Tensor, targets: Tensor,
                       groups: list[tuple[int, int]], scale: float = 20.0) -> Tensor:
    """Mean soft-target cross-entropy of each text over each group's words.

    ``targets`` is ``(B, W)`` multi-hot over all ``W`` words; ``groups`` are ``(start, end)`` column
    ranges. Rows with no positive in a group do not count for that group. Returns 0 when nothing counts.
    """
    t = F.normalize(text_embeddings, dim=-1)
    w = F.normalize(word_embeddings, dim=-1)
    logits = scale * t @ w.T
    total = logits.new_zeros(())
    for start, end in groups:
        q = targets[:, start:end].to(logits.dtype)
        mass = q.sum(dim=1)
        rows = mass > 0
        if not rows.any():
            continue
        q = q[rows] / mass[rows, None]
        total = total - (q * torch.log_softmax(logits[rows, start:end], dim=1)).sum(dim=1).mean()
    return total
