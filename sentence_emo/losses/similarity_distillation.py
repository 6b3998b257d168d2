"""Teacher term: the student copies a larger trained encoder's text-descriptor similarities.

The descriptor loss (:mod:`sentence_emo.losses.sigmoid_descriptor`) only says which descriptors are a
text's own. A larger student trained on the same corpus (e.g. all-mpnet-base-v2 with the shipped recipe)
also knows *how close* every other emotion word is to the text ("irritation" near "annoyance", far from
"joy"), and that graded knowledge is what carries to label sets the teacher LLM never used. This term
regresses the small student's cosine matrix onto the teacher's, cell by cell, over the batch's descriptor
vocabulary (and taxonomy words): relation-based distillation, so the two encoders' embedding sizes
(384 vs 768) need not match.

For texts ``t_i`` and words ``l_j`` of a batch, with ``c_ij`` the student's and ``c*_ij`` the teacher's
cosine similarity:

.. math::

    \\mathcal{L}_{teacher} = \\frac{1}{B} \\sum_{i=1}^{B} \\sum_{j=1}^{V} \\big(c_{ij} - c^{*}_{ij}\\big)^2

normalised like the descriptor loss (summed over the vocabulary, averaged over texts), so a weight of 1
gives both terms a similar size.

References:
    - Hinton et al. (2015). Distilling the Knowledge in a Neural Network. https://arxiv.org/abs/1503.02531
    - Park et al. (2019). Relational Knowledge Distillation. https://arxiv.org/abs/1904.05068
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor


def similarity_distillation_loss(text_embeddings: Tensor, word_embeddings: Tensor,
                                 teacher_similarity: Tensor) -> Tensor:
    """``sum_ij (cos(t_i, l_j) - teacher_similarity_ij)^2 / B`` for ``(B, V)`` teacher cosines."""
    if teacher_similarity.shape != (text_embeddings.size(0), word_embeddings.size(0)):
        raise ValueError(f"teacher_similarity has shape {tuple(teacher_similarity.shape)}, expected "
                         f"({text_embeddings.size(0)}, {word_embeddings.size(0)}) = (texts, words)")
    cos = F.normalize(text_embeddings, dim=-1) @ F.normalize(word_embeddings, dim=-1).T
    return (cos - teacher_similarity.to(cos.dtype)).pow(2).sum() / cos.size(0)
